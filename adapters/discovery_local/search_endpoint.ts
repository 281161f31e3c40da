/**
 * `search/all`, version 1 (page numbers) and version 2 (`search_after` cursors), as discovery's
 * `AggregateSearchViewSet`s answer it: parameters and JSON body merged, the filter backends, the
 * ordering backends (only `ordering` values naming a sortable field count, so ECS's single value
 * `aggregation_key,start` falls back to the default `-start`), pagination with Elasticsearch's
 * result window and total-hits limit, and records grouped by document type within each page.
 */
import type { JsonObject, JsonValue } from "../../src/json.ts";
import { compileFilter } from "./filter_evaluator.ts";
import { type DiscoveryModel, RESTRICTION_TYPES } from "./discovery_model.ts";
import {
  invalidPage,
  jsonResponse,
  nextPageLink,
  pageNumber,
  pageSize,
  previousPageLink,
  pythonJsonList,
  replaceQueryParam,
  serverError,
} from "./drf_responses.ts";
import type { QueryParameters } from "./query_parameters.ts";
import type { SearchEntry } from "./search_documents.ts";
import { compareSortValues, type SearchIndex, type SortField, type SortValue, sortValues } from "./search_index.ts";
import { type SearchRecordContext, searchRecord } from "./search_records.ts";

/** How the Elasticsearch behind the endpoint is configured. */
export interface SearchLimits {
  /** `index.max_result_window`: a page reaching past it fails. */
  readonly maxResultWindow: number;
  /** `track_total_hits`: `count` is exact up to this many hits and this number above it. */
  readonly trackTotalHits: number;
}

/** One search request, parsed. */
export interface SearchRequest {
  readonly method: string;
  /** The URL `next` and `previous` are written from. */
  readonly linkUrl: URL;
  /** Query string and body, merged. */
  readonly parameters: QueryParameters;
  readonly version: 1 | 2;
}

/** What the endpoint searches. */
export interface SearchSource {
  readonly model: DiscoveryModel;
  readonly index: SearchIndex;
  /** The site's partner: a GET without `partner` only sees its records. */
  readonly sitePartner: string;
  readonly limits: SearchLimits;
}

const SORTABLE = { 1: ["start", "aggregation_key"], 2: ["start", "aggregation_uuid"] } as const;
const DEFAULT_ORDERING = {
  1: [{ field: "start", descending: true }, { field: "aggregation_key", descending: false }],
  2: [{ field: "start", descending: true }, { field: "aggregation_uuid", descending: false }],
} as const satisfies Record<1 | 2, readonly SortField[]>;

/** The answer of `search/all` to one request. */
export function searchResponse(request: SearchRequest, source: SearchSource): Response {
  const { parameters, version } = request;
  const includeRestricted = (parameters.get("include_restricted") ?? "").split(",");
  const excludedRestrictionTypes = RESTRICTION_TYPES.filter((type) => !includeRestricted.includes(type));
  const partnerRequested = parameters.getAll("partner").some((value) => value.trim() !== "");
  const ordering = resolveOrdering(parameters.getAll("ordering"), version);
  const hits = source.index.search({
    filter: compileFilter(parameters),
    ordering,
    includeLearnerPathways: (parameters.get("include_learner_pathways") ?? "false").toLowerCase() === "true",
    excludedRestrictionTypes,
    defaultPartner: request.method === "GET" && !partnerRequested ? source.sitePartner : null,
  });
  const context: SearchRecordContext = {
    model: source.model,
    parameters,
    excludeExpired: (parameters.get("exclude_expired_course_run") ?? "") !== "",
    excludedRestrictionTypes,
  };
  const count = Math.min(hits.length, source.limits.trackTotalHits);
  if (version === 2) return searchAfterPage(request, source, hits, ordering, context, count);
  const page = pageNumber(parameters, hits.length, pageSize(parameters));
  if (!page.ok) return invalidPage();
  // Elasticsearch refuses `from + size` past the window: an unhandled error, so Django's 500.
  if (page.top > source.limits.maxResultWindow) return serverError();
  return jsonResponse({
    count,
    next: nextPageLink(request.linkUrl, page),
    previous: previousPageLink(request.linkUrl, page),
    facets: {},
    results: groupedRecords(hits.slice(page.bottom, page.top), context),
  });
}

/**
 * `SearchAfterPagination`: the page after the `search_after` cursor (Elasticsearch skips every
 * hit that sorts at or before it), sized as page-number pagination would size the `page`th page.
 * `next` carries the last hit's sort values while page-number pagination says there are more
 * pages, so the final request of a walk answers an empty page.
 */
function searchAfterPage(
  request: SearchRequest,
  source: SearchSource,
  hits: readonly SearchEntry[],
  ordering: readonly SortField[],
  context: SearchRecordContext,
  count: number,
): Response {
  const text = request.parameters.get("search_after");
  let cursor: SortValue[] | null = null;
  if (text !== undefined && text !== "") {
    cursor = parseCursor(text, ordering);
    if (cursor === null) return serverError();
  }
  const page = pageNumber(request.parameters, hits.length, pageSize(request.parameters));
  if (!page.ok) return invalidPage();
  const size = page.top - page.bottom;
  if (size > source.limits.maxResultWindow) return serverError();
  const start = cursor === null ? 0 : firstAfter(hits, ordering, cursor);
  const pageHits = hits.slice(start, start + size);
  const sorts = pageHits.map((hit) => sortValues(hit, ordering));
  const last = sorts.at(-1);
  return jsonResponse({
    count,
    next: page.number < page.pages && last !== undefined
      ? replaceQueryParam(request.linkUrl, "search_after", pythonJsonList(last))
      : null,
    previous: previousPageLink(request.linkUrl, page),
    facets: {},
    results: groupedRecords(pageHits, context, sorts),
  });
}

/** The valid `ordering` values in order (each value whole: discovery does not split on commas), else the default. */
function resolveOrdering(values: readonly string[], version: 1 | 2): readonly SortField[] {
  const sortable: readonly string[] = SORTABLE[version];
  const ordering: SortField[] = [];
  for (const value of values) {
    const field = value.replace(/^-+/, "");
    if (sortable.includes(field)) ordering.push({ field: field as SortField["field"], descending: value.startsWith("-") });
  }
  return ordering.length > 0 ? ordering : DEFAULT_ORDERING[version];
}

/** A `search_after` value Elasticsearch accepts for this sort, or null (it would fail the request). */
function parseCursor(text: string, ordering: readonly SortField[]): SortValue[] | null {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  if (!Array.isArray(value) || value.length !== ordering.length) return null;
  const cursor: SortValue[] = [];
  for (let i = 0; i < ordering.length; i++) {
    const item: unknown = value[i];
    if ((ordering[i] as SortField).field === "start") {
      const ms = typeof item === "number" ? item : typeof item === "string" ? Date.parse(item) : Number.NaN;
      if (!Number.isFinite(ms)) return null;
      cursor.push(ms);
    } else if (typeof item === "string" || typeof item === "number") {
      cursor.push(String(item));
    } else {
      return null;
    }
  }
  return cursor;
}

/** Index of the first hit that sorts strictly after the cursor. */
function firstAfter(hits: readonly SearchEntry[], ordering: readonly SortField[], cursor: readonly SortValue[]): number {
  let low = 0;
  let high = hits.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (compareSortValues(sortValues(hits[middle] as SearchEntry, ordering), cursor, ordering) > 0) high = middle;
    else low = middle + 1;
  }
  return low;
}

/**
 * The page's records as `AggregateSearchListSerializer` writes them: one group per document type,
 * groups in the order their first hit appears, hits in order within a group.
 */
function groupedRecords(hits: readonly SearchEntry[], context: SearchRecordContext, sorts?: readonly SortValue[][]): JsonValue[] {
  const groups = new Map<string, JsonObject[]>();
  hits.forEach((hit, i) => {
    const record = searchRecord(hit, context, sorts?.[i]);
    const group = groups.get(hit.contentType);
    if (group === undefined) groups.set(hit.contentType, [record]);
    else group.push(record);
  });
  return [...groups.values()].flat();
}
