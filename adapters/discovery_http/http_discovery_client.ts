/**
 * Course-discovery over HTTP, as the reference service calls it (reference §3.3 step 1, §3.4),
 * minus its flaws: every request is retried with backoff and jitter, an answer is never larger
 * than the client accepts, and a request that still fails fails the whole call instead of ending
 * it quietly with partial data.
 *
 * What discovery's source says about its lists (course-discovery with Elasticsearch 7.17 and
 * django-elasticsearch-dsl-drf 0.22.5; see docs/decisions/0008-discovery-past-the-result-window.md):
 * - `search/all` `count` is `hits.total.value`, at most 10,000 (`track_total_hits`), while its
 *   `next` links follow the exact total; v1 page numbers fail past `MAX_RESULT_WINDOW` (15,000).
 * - v2 `search/all` pages with `search_after` cursors: the cursor is in each `next` link, and the
 *   walk ends at the page whose `next` is null (an empty one, after a last partial page).
 * - `/courses` and `/programs` page by limit/offset (ProxiedPagination) with an exact count;
 *   `/course_review` by page number (the default pagination), in no stated order.
 */
import { setTimeout as delay } from "node:timers/promises";
import type { ContentFilter } from "../../src/catalog/content_filter.ts";
import { UpstreamUnavailableError } from "../../src/errors.ts";
import type { JsonObject } from "../../src/json.ts";
import type {
  DiscoveryCallOptions,
  DiscoveryClient,
  DiscoveryFetchResult,
  DiscoverySearchResult,
  RestrictedCallOptions,
} from "../../src/ports/discovery_client.ts";
import { positiveInteger } from "./_internal.ts";
import { type DiscoveryCall, DiscoveryRequester, type PageRequest } from "./discovery_requester.ts";
import { type OAuthClientCredentials, OAuthTokenCache } from "./oauth_token_cache.ts";
import { type FetchPage, walkCountedPages, walkSearchCursors, type WalkResult } from "./page_walks.ts";

export type { OAuthClientCredentials } from "./oauth_token_cache.ts";

/** Which `search/all` pages a search: v1 page numbers, v2 cursors, or v1 unless the result is too large for it. */
export const DISCOVERY_SEARCH_APIS = ["v1", "v2", "auto"] as const;
/** One of DISCOVERY_SEARCH_APIS. */
export type DiscoverySearchApi = (typeof DISCOVERY_SEARCH_APIS)[number];

/** Keys or uuids per `/courses` or `/programs` request, as the reference batches them. */
export const KEYS_PER_REQUEST = 50;

/** How to reach discovery, how hard to try and how much to accept. */
export interface HttpDiscoveryClientOptions {
  /** Discovery's root, e.g. `https://discovery.example.org`; `/api/v1/...` and `/api/v2/...` are appended. */
  readonly baseUrl: string | URL;
  /** Records per `search/all` page (default 100). */
  readonly pageSize?: number;
  /** `auto` (default): v1 pages, or v2 cursors from the start when v1's first count is too large for v1. */
  readonly searchApi?: DiscoverySearchApi;
  /** Discovery's `MAX_RESULT_WINDOW`: v1 page numbers reach no further (default 15,000). */
  readonly maxResultWindow?: number;
  /** Elasticsearch's `track_total_hits`: a `count` this large means "at least" (default 10,000). */
  readonly totalHitsLimit?: number;
  /** Records per `/courses` or `/programs` page, the `limit` (default 50: one page per batch of keys). */
  readonly recordsPageSize?: number;
  /** Reviews per `/course_review` page (default 5,000: the whole table in a few requests). */
  readonly reviewsPageSize?: number;
  /** Time limit of one HTTP request, body included (default 15 s). */
  readonly timeoutMs?: number;
  /** Attempts per request, the first included (default 5). */
  readonly maxAttempts?: number;
  /** Exponential backoff with full jitter: attempt n waits random × min(maxMs, baseMs × 2^(n-1)) (default 2 s, 30 s). */
  readonly backoff?: { readonly baseMs?: number; readonly maxMs?: number };
  /** Longest wait a `Retry-After` header may ask for (default 60 s). */
  readonly maxRetryAfterMs?: number;
  /** Largest answer read, in bytes; a larger one fails the call unread and is not retried (default 32 MiB). */
  readonly maxResponseBytes?: number;
  /** Without it, requests carry no Authorization header. */
  readonly oauth?: OAuthClientCredentials;
  /** Sends the requests (default the global fetch); a local discovery passes its in-process handler. */
  readonly fetch?: typeof fetch;
  /** Waits between attempts (default a timer); tests pass one that records instead of waiting. */
  readonly sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Jitter source in [0, 1) (default Math.random). */
  readonly random?: () => number;
  /** Wall clock in ms, for token expiry and `Retry-After` dates (default Date.now). */
  readonly now?: () => number;
}

/** Discovery's `search/all`, `/courses`, `/programs` and `/course_review` over HTTP. */
export class HttpDiscoveryClient implements DiscoveryClient {
  readonly #baseUrl: string;
  readonly #pageSize: number;
  readonly #searchApi: DiscoverySearchApi;
  readonly #maxResultWindow: number;
  readonly #totalHitsLimit: number;
  readonly #recordsPageSize: number;
  readonly #reviewsPageSize: number;
  readonly #requester: DiscoveryRequester;

  constructor(options: HttpDiscoveryClientOptions) {
    this.#baseUrl = String(options.baseUrl).replace(/\/+$/, "");
    this.#pageSize = positiveInteger("Page size", options.pageSize ?? 100);
    this.#searchApi = searchApi(options.searchApi ?? "auto");
    this.#maxResultWindow = positiveInteger("Result window", options.maxResultWindow ?? 15_000);
    this.#totalHitsLimit = positiveInteger("Total hits limit", options.totalHitsLimit ?? 10_000);
    this.#recordsPageSize = positiveInteger("Records page size", options.recordsPageSize ?? KEYS_PER_REQUEST);
    this.#reviewsPageSize = positiveInteger("Reviews page size", options.reviewsPageSize ?? 5_000);
    const timeoutMs = positiveInteger("Timeout", options.timeoutMs ?? 15_000);
    const maxResponseBytes = positiveInteger("Response size limit", options.maxResponseBytes ?? 32 * 1024 * 1024);
    const fetchImpl = options.fetch;
    const send = async (url: string, init: RequestInit, signal: AbortSignal | undefined): Promise<Response> => {
      const timeout = AbortSignal.timeout(timeoutMs);
      const combined = signal === undefined ? timeout : AbortSignal.any([signal, timeout]);
      return await (fetchImpl ?? globalThis.fetch)(url, { ...init, signal: combined });
    };
    const now = options.now ?? Date.now;
    this.#requester = new DiscoveryRequester({
      maxAttempts: positiveInteger("Attempts", options.maxAttempts ?? 5),
      backoffBaseMs: options.backoff?.baseMs ?? 2_000,
      backoffMaxMs: options.backoff?.maxMs ?? 30_000,
      maxRetryAfterMs: options.maxRetryAfterMs ?? 60_000,
      maxResponseBytes,
      tokens: options.oauth === undefined ? undefined : new OAuthTokenCache(options.oauth, { send, now, maxResponseBytes }),
      send,
      sleep: options.sleep ?? ((ms, signal) => delay(ms, undefined, signal ? { signal } : {})),
      random: options.random ?? Math.random,
      now,
    });
  }

  /**
   * Every record of the filter, or UpstreamUnavailableError when a page still fails after the
   * retries, when a page is not a search result, or when the records do not add up to the total.
   * Past the result window (or the exact-count limit) `auto` and `v2` walk v2 cursors instead.
   * `includeRestricted` adds discovery's `include_restricted` to every page.
   */
  async searchAll(filter: ContentFilter, options: RestrictedCallOptions = {}): Promise<DiscoverySearchResult> {
    const call: DiscoveryCall = { options, requests: 0 };
    const fetchPage = this.#fetchPageFor(call);
    const body = JSON.stringify(filter.value);
    const query = { ...SEARCH_QUERY, ...includeRestricted(options) };
    if (this.#searchApi === "v2") return searched(await this.#searchV2(fetchPage, body, query), call);
    const requestFor = (index: number): PageRequest => ({
      endpoint: "search",
      url: this.#url("/api/v1/search/all/", { ...query, page_size: this.#pageSize, ordering: V1_ORDERING, page: index + 1 }),
      method: "POST",
      body,
      where: `page ${index + 1}`,
    });
    const first = await fetchPage(requestFor(0));
    if (!this.#v1Reaches(first.count)) {
      if (this.#searchApi === "v1") {
        throw new UpstreamUnavailableError(
          `Discovery search counts ${first.count} records: v1 pages reach only ${this.#maxResultWindow} and count exactly ` +
            `only below ${this.#totalHitsLimit}; search API "auto" or "v2" walks it with cursors`,
        );
      }
      return searched(await this.#searchV2(fetchPage, body, query), call);
    }
    const result = await walkCountedPages(fetchPage, { label: "the search", requestFor, first, identify: searchIdentity });
    return searched(result, call);
  }

  /**
   * Full course records of the keys, 50 keys per request, each request's in key order; keys
   * discovery lacks are absent. `includeRestricted` adds discovery's `include_restricted`.
   */
  async fetchCourses(courseKeys: readonly string[], options: RestrictedCallOptions = {}): Promise<DiscoveryFetchResult> {
    return await this.#fetchByKey(courseKeys, options, {
      endpoint: "courses",
      path: "/api/v1/courses/",
      filterParam: "keys",
      query: { ordering: "key", ...includeRestricted(options) },
      identity: "key",
    });
  }

  /** Full program records (`extended=True`) of the uuids, 50 per request; uuids discovery lacks are absent. */
  async fetchPrograms(programUuids: readonly string[], options: DiscoveryCallOptions = {}): Promise<DiscoveryFetchResult> {
    return await this.#fetchByKey(programUuids, options, {
      endpoint: "programs",
      path: "/api/v1/programs/",
      filterParam: "uuids",
      // `key` (the reference's ordering) is no program field, so discovery would ignore it.
      query: { extended: "True", ordering: "uuid" },
      identity: "uuid",
    });
  }

  /** The whole `/course_review` table, page by page; a review that comes twice fails the call. */
  async fetchCourseReviews(options: DiscoveryCallOptions = {}): Promise<DiscoveryFetchResult> {
    const call: DiscoveryCall = { options, requests: 0 };
    const result = await walkCountedPages(this.#fetchPageFor(call), {
      label: "the reviews",
      requestFor: (index) => ({
        endpoint: "reviews",
        url: this.#url("/api/v1/course_review/", { page: index + 1, page_size: this.#reviewsPageSize }),
        method: "GET",
        where: `page ${index + 1}`,
      }),
      identify: (record) => typeof record.course_key === "string" ? record.course_key : null,
    });
    return { records: result.records, requests: call.requests };
  }

  async #fetchByKey(keys: readonly string[], options: DiscoveryCallOptions, endpoint: KeyedEndpoint): Promise<DiscoveryFetchResult> {
    const unique = [...new Set(keys)];
    for (const key of unique) {
      // Discovery splits the list on commas, so such a key cannot be asked for.
      if (key === "" || key.includes(",")) throw new RangeError(`Cannot ask discovery ${endpoint.endpoint} for "${key}"`);
    }
    const call: DiscoveryCall = { options, requests: 0 };
    const fetchPage = this.#fetchPageFor(call);
    const records: JsonObject[] = [];
    for (let start = 0, batch = 1; start < unique.length; start += KEYS_PER_REQUEST, batch++) {
      const slice = unique.slice(start, start + KEYS_PER_REQUEST);
      const result = await walkCountedPages(fetchPage, {
        label: `${endpoint.endpoint} batch ${batch}`,
        requestFor: (index) => ({
          endpoint: endpoint.endpoint,
          url: this.#url(endpoint.path, {
            [endpoint.filterParam]: slice.join(","),
            ...endpoint.query,
            limit: this.#recordsPageSize,
            offset: index * this.#recordsPageSize,
          }),
          method: "GET",
          where: `batch ${batch} page ${index + 1}`,
        }),
        maxCount: slice.length,
        identify: (record) => typeof record[endpoint.identity] === "string" ? String(record[endpoint.identity]) : null,
      });
      for (const record of result.records) records.push(record);
    }
    return { records, requests: call.requests };
  }

  /** v2 cursors from the first page: no `page` (v2 keeps it in every next link) and the unique, immutable sort. */
  async #searchV2(fetchPage: FetchPage, body: string, query: Readonly<Record<string, string>>): Promise<WalkResult> {
    return await walkSearchCursors(fetchPage, {
      label: "the v2 search",
      totalHitsLimit: this.#totalHitsLimit,
      requestFor: (index, cursor) => ({
        endpoint: "search",
        url: this.#url("/api/v2/search/all/", {
          ...query,
          page_size: this.#pageSize,
          ordering: "aggregation_uuid",
          ...(cursor === null ? {} : { search_after: cursor }),
        }),
        method: "POST",
        body,
        where: `v2 page ${index + 1}`,
      }),
    });
  }

  /** Whether v1 page numbers can fetch this count and the count is exact. */
  #v1Reaches(count: number): boolean {
    return count <= this.#maxResultWindow && count < this.#totalHitsLimit;
  }

  #fetchPageFor(call: DiscoveryCall): FetchPage {
    return (request) => this.#requester.fetchPage(request, call);
  }

  /** An URL on our own base, its query encoded (course keys hold `+`, which a query would read as a space). */
  #url(path: string, query: Readonly<Record<string, string | number | readonly string[]>>): URL {
    const url = new URL(`${this.#baseUrl}${path}`);
    for (const [name, value] of Object.entries(query)) {
      for (const item of Array.isArray(value) ? value : [value]) url.searchParams.append(name, String(item));
    }
    return url;
  }
}

/** What `/courses` and `/programs` differ in. */
interface KeyedEndpoint {
  readonly endpoint: "courses" | "programs";
  readonly path: string;
  readonly filterParam: string;
  readonly query: Readonly<Record<string, string>>;
  /** The field that makes a record itself. */
  readonly identity: string;
}

/** The query of every `search/all` request, as the reference sends it. */
const SEARCH_QUERY = { exclude_expired_course_run: "True", include_learner_pathways: "True" } as const;
/**
 * The reference's `ordering=aggregation_key,start` as discovery reads it: its ordering backend
 * takes one field per `ordering` value, and the joined pair names none, which leaves `-start`.
 */
const V1_ORDERING = ["aggregation_key", "start"] as const;

/** Discovery's `include_restricted` (comma-separated types) when the call names any. */
function includeRestricted(options: RestrictedCallOptions): Record<string, string> {
  const types = options.includeRestricted ?? [];
  return types.length === 0 ? {} : { include_restricted: types.join(",") };
}

function searched(result: WalkResult, call: DiscoveryCall): DiscoverySearchResult {
  return { records: result.records, count: result.count, requests: call.requests };
}

/** A search record's type and key (runs, courses) or uuid (programs, pathways). */
function searchIdentity(record: JsonObject): string | null {
  const id = typeof record.key === "string" ? record.key : typeof record.uuid === "string" ? record.uuid : null;
  return id === null ? null : `${String(record.content_type)}:${id}`;
}

function searchApi(value: string): DiscoverySearchApi {
  if (!(DISCOVERY_SEARCH_APIS as readonly string[]).includes(value)) {
    throw new RangeError(`Search API must be one of ${DISCOVERY_SEARCH_APIS.join(", ")}: "${value}"`);
  }
  return value as DiscoverySearchApi;
}
