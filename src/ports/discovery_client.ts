import type { ContentFilter } from "../catalog/content_filter.ts";
import type { JsonObject } from "../json.ts";

/** What one HTTP request to discovery ended in; adapters report every attempt. */
export interface DiscoveryRequestEvent {
  /** `ok`: a page arrived; `retry`: it failed and will be tried again; `failed`: it gave up. */
  readonly outcome: "ok" | "retry" | "failed";
  /** HTTP status, or null for a network error or a timeout. */
  readonly status: number | null;
  readonly durationMs: number;
}

/** How to run one search. */
export interface DiscoverySearchOptions {
  /** Aborts the search; the promise then rejects with the signal's reason. */
  readonly signal?: AbortSignal;
  /** Called once per HTTP attempt (or per page for adapters without HTTP). */
  readonly onRequest?: (event: DiscoveryRequestEvent) => void;
}

/** The complete result set of one content filter. */
export interface DiscoverySearchResult {
  /** Every record of every page, in the order discovery returned them. */
  readonly records: readonly JsonObject[];
  /** The total discovery reported (`count` of the first page). */
  readonly count: number;
  /** Requests made, retries included. */
  readonly requests: number;
}

/**
 * The course-discovery service's `search/all`.
 *
 * `searchAll` follows pages to the end and returns every record, or throws
 * UpstreamUnavailableError when any page still fails after the adapter's retries. It never
 * returns a partial result set.
 */
export interface DiscoveryClient {
  searchAll(filter: ContentFilter, options?: DiscoverySearchOptions): Promise<DiscoverySearchResult>;
}
