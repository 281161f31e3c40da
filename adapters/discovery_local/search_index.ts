/**
 * The search documents with Elasticsearch's filtering and sorting: the matches of a filter in the
 * order a sort asks for, and the `sort` values Elasticsearch returns with each hit.
 */
import type { JsonValue } from "../../src/json.ts";
import type { CompiledFilter } from "./filter_evaluator.ts";
import { compareText } from "./discovery_model.ts";
import type { SearchEntry } from "./search_documents.ts";

/** A sort field of `search/all` (`start` is a date, the others keywords). */
export interface SortField {
  readonly field: "start" | "aggregation_key" | "aggregation_uuid";
  readonly descending: boolean;
}

/** One sort value: epoch milliseconds for a date, or a keyword. */
export type SortValue = number | string;

/**
 * What Elasticsearch sorts a document without a date by: `Long.MIN_VALUE` when descending,
 * `Long.MAX_VALUE` when ascending (missing values sort last either way).
 */
export const MISSING_DESCENDING = -9223372036854775808;
/** See MISSING_DESCENDING. */
export const MISSING_ASCENDING = 9223372036854775807;

/** What a search selects besides the filter itself. */
export interface SearchQuery {
  readonly filter: CompiledFilter;
  readonly ordering: readonly SortField[];
  readonly includeLearnerPathways: boolean;
  /** Documents whose `restriction_type` is one of these are left out. */
  readonly excludedRestrictionTypes: readonly string[];
  /** The partner a GET request without `partner` is limited to (lower-cased match), if any. */
  readonly defaultPartner: string | null;
}

const CACHED_RESULTS = 32;

/** The indexed documents of one database, searchable. */
export class SearchIndex {
  readonly #entries: readonly SearchEntry[];
  readonly #sorted = new Map<string, readonly SearchEntry[]>();
  readonly #results = new Map<string, readonly SearchEntry[]>();

  constructor(entries: readonly SearchEntry[]) {
    this.#entries = entries;
  }

  /** Every document the query matches, in its order; documents that tie keep index order. */
  search(query: SearchQuery): readonly SearchEntry[] {
    const cacheKey = JSON.stringify([
      query.filter.key, query.ordering, query.includeLearnerPathways, query.excludedRestrictionTypes, query.defaultPartner,
    ]);
    const cached = this.#results.get(cacheKey);
    if (cached !== undefined) {
      // Most recently used last, so the oldest goes first when the cache is full.
      this.#results.delete(cacheKey);
      this.#results.set(cacheKey, cached);
      return cached;
    }
    const { filter, excludedRestrictionTypes } = query;
    const partner = query.defaultPartner?.toLowerCase() ?? null;
    const matches = this.#ordered(query.ordering).filter((entry) => {
      if (filter.contentTypes !== null && !filter.contentTypes.has(entry.contentType)) return false;
      if (filter.aggregationKeys !== null && !filter.aggregationKeys.has(String(entry.document.aggregation_key))) return false;
      if (!query.includeLearnerPathways && entry.contentType === "learnerpathway") return false;
      const restriction = entry.document.restriction_type;
      if (typeof restriction === "string" && excludedRestrictionTypes.includes(restriction)) return false;
      if (partner !== null && String(entry.document.partner).toLowerCase() !== partner) return false;
      return filter.matches(entry.document);
    });
    this.#results.set(cacheKey, matches);
    if (this.#results.size > CACHED_RESULTS) this.#results.delete(this.#results.keys().next().value as string);
    return matches;
  }

  #ordered(ordering: readonly SortField[]): readonly SearchEntry[] {
    const key = JSON.stringify(ordering);
    let sorted = this.#sorted.get(key);
    if (sorted === undefined) {
      const keyed = this.#entries.map((entry, position) => ({ entry, position, values: sortValues(entry, ordering) }));
      keyed.sort((a, b) => compareSortValues(a.values, b.values, ordering) || a.position - b.position);
      sorted = keyed.map((item) => item.entry);
      this.#sorted.set(key, sorted);
    }
    return sorted;
  }
}

/**
 * The values Elasticsearch sorts a document by and returns as the hit's `sort`: for a date field
 * with several values the earliest when ascending and the latest when descending.
 */
export function sortValues(entry: SearchEntry, ordering: readonly SortField[]): SortValue[] {
  return ordering.map((sort) => {
    const value = entry.document[sort.field];
    if (sort.field !== "start") return String(value);
    const dates = (Array.isArray(value) ? value : [value])
      .filter((item): item is string => typeof item === "string")
      .map((item) => Date.parse(item));
    if (dates.length === 0) return sort.descending ? MISSING_DESCENDING : MISSING_ASCENDING;
    return sort.descending ? Math.max(...dates) : Math.min(...dates);
  });
}

/** Orders two sort tuples field by field. */
export function compareSortValues(a: readonly JsonValue[], b: readonly JsonValue[], ordering: readonly SortField[]): number {
  for (let i = 0; i < ordering.length; i++) {
    const x = a[i];
    const y = b[i];
    let order = 0;
    if (typeof x === "number" && typeof y === "number") order = x - y;
    else order = compareText(String(x), String(y));
    if (order !== 0) return (ordering[i] as SortField).descending ? -order : order;
  }
  return 0;
}

