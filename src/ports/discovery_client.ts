import type { ContentFilter } from "../catalog/content_filter.ts";
import type { JsonObject } from "../json.ts";

/** The discovery endpoints the service reads. */
export const DISCOVERY_ENDPOINTS = ["search", "courses", "programs", "reviews"] as const;
/** `search`: `search/all` (v1 pages or v2 cursors); `courses`, `programs`, `reviews`: the full records. */
export type DiscoveryEndpoint = (typeof DISCOVERY_ENDPOINTS)[number];

/** What one HTTP request to discovery ended in; adapters report every attempt. */
export interface DiscoveryRequestEvent {
  readonly endpoint: DiscoveryEndpoint;
  /** `ok`: a page arrived; `retry`: it failed and will be tried again; `failed`: it gave up. */
  readonly outcome: "ok" | "retry" | "failed";
  /** HTTP status, or null for a network error or a timeout. */
  readonly status: number | null;
  readonly durationMs: number;
}

/** How to run one call. */
export interface DiscoveryCallOptions {
  /** Aborts the call; the promise then rejects with the signal's reason. */
  readonly signal?: AbortSignal;
  /** Called once per HTTP attempt. */
  readonly onRequest?: (event: DiscoveryRequestEvent) => void;
}

/** How to run one call to an endpoint that hides restricted runs. */
export interface RestrictedCallOptions extends DiscoveryCallOptions {
  /**
   * The restriction types whose runs to include (discovery's `include_restricted`); none by default,
   * so restricted runs stay hidden as discovery hides them.
   */
  readonly includeRestricted?: readonly string[];
}

/** The complete result set of one content filter. */
export interface DiscoverySearchResult {
  /** Every record of every page, in the order discovery returned them. */
  readonly records: readonly JsonObject[];
  /**
   * The total: discovery's `count` where it is exact. Past discovery's total-hits limit its count is
   * only a lower bound, and this is the number of records a complete walk returned (the adapter
   * checked the count never changed and no record came twice).
   */
  readonly count: number;
  /** Requests made, retries included. */
  readonly requests: number;
}

/** Full records fetched by key. */
export interface DiscoveryFetchResult {
  /** The records discovery returned, in its order; keys it does not know are simply absent. */
  readonly records: readonly JsonObject[];
  /** Requests made, retries included. */
  readonly requests: number;
}

/**
 * The course-discovery service: `search/all` and the full records behind its search records.
 *
 * Every method follows pages to the end and returns every record, or throws
 * UpstreamUnavailableError when a request still fails after the adapter's retries, when an answer
 * is not what the endpoint sends, or when it is larger than the adapter accepts. No method ever
 * returns a partial result.
 */
export interface DiscoveryClient {
  /**
   * Every record `search/all` gives for the filter, as discovery's search serializers write them
   * (`exclude_expired_course_run`, learner pathways included). Past discovery's result window the
   * adapter pages with v2 `search_after` cursors instead of page numbers.
   */
  searchAll(filter: ContentFilter, options?: RestrictedCallOptions): Promise<DiscoverySearchResult>;
  /** Full course records (`/api/v1/courses/?keys=`) of these course keys, at most 50 keys per request. */
  fetchCourses(courseKeys: readonly string[], options?: RestrictedCallOptions): Promise<DiscoveryFetchResult>;
  /** Full program records (`/api/v1/programs/?uuids=&extended=True`), at most 50 uuids per request. */
  fetchPrograms(programUuids: readonly string[], options?: DiscoveryCallOptions): Promise<DiscoveryFetchResult>;
  /** Every course review (`/api/v1/course_review/`): discovery offers no filter, so it is the whole table. */
  fetchCourseReviews(options?: DiscoveryCallOptions): Promise<DiscoveryFetchResult>;
}
