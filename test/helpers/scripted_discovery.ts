/** A discovery double whose answers a test sets: records per filter, failures, slow fetches. */
import type { ContentFilter } from "../../src/catalog/content_filter.ts";
import { UpstreamUnavailableError } from "../../src/errors.ts";
import type { JsonObject } from "../../src/json.ts";
import type {
  DiscoveryCallOptions,
  DiscoveryClient,
  DiscoveryEndpoint,
  DiscoveryFetchResult,
  DiscoverySearchResult,
  RestrictedCallOptions,
} from "../../src/ports/discovery_client.ts";

/** Answers from tables the test fills; counts searches per filter hash and the keys asked for per endpoint. */
export class ScriptedDiscovery implements DiscoveryClient {
  readonly calls = new Map<string, number>();
  /** Every course key, program uuid and review table asked for, in order, per endpoint. */
  readonly fetched: Record<Exclude<DiscoveryEndpoint, "search">, string[]> = { courses: [], programs: [], reviews: [] };
  /** Course keys asked for with `include_restricted`, in order (not in `fetched`). */
  readonly restrictedFetches: string[] = [];
  /** Searches made with `include_restricted`. */
  restrictedSearches = 0;
  #courses = new Map<string, JsonObject>();
  #restrictedCourses = new Map<string, JsonObject>();
  #restrictedRuns: JsonObject[] = [];
  #restrictedFailing = false;
  #programs = new Map<string, JsonObject>();
  #reviews: JsonObject[] = [];
  #failingEndpoints = new Set<DiscoveryEndpoint>();
  #answers = new Map<string, readonly JsonObject[]>();
  #failing = new Set<string>();
  #wrongCount = new Set<string>();
  #delayMs = 0;
  #active = new Map<string, number>();
  /** Most fetches of one filter that ran at the same time. */
  maxConcurrentPerFilter = 0;

  /** The records discovery returns for this filter. */
  answer(filter: ContentFilter, records: readonly JsonObject[]): this {
    this.#answers.set(filter.hash, records);
    return this;
  }

  /** Makes every fetch of the filter fail as if a page kept failing after retries. */
  fail(filter: ContentFilter, failing = true): this {
    if (failing) this.#failing.add(filter.hash);
    else this.#failing.delete(filter.hash);
    return this;
  }

  /** Full records `/courses` answers with, by key (a course without one is unknown there). */
  fullCourses(...records: readonly JsonObject[]): this {
    for (const record of records) this.#courses.set(String(record.key), record);
    return this;
  }

  /**
   * What discovery answers with `include_restricted`: `/courses` records (with their restricted
   * runs), and the search/all run records a search for run keys finds.
   */
  restricted(options: { courses?: readonly JsonObject[]; runs?: readonly JsonObject[]; failing?: boolean }): this {
    for (const record of options.courses ?? []) this.#restrictedCourses.set(String(record.key), record);
    if (options.runs !== undefined) this.#restrictedRuns = [...options.runs];
    if (options.failing !== undefined) this.#restrictedFailing = options.failing;
    return this;
  }

  /** Full records `/programs` answers with, by uuid. */
  fullPrograms(...records: readonly JsonObject[]): this {
    for (const record of records) this.#programs.set(String(record.uuid), record);
    return this;
  }

  /** The whole `/course_review` table. */
  reviews(...records: readonly JsonObject[]): this {
    this.#reviews = [...records];
    return this;
  }

  /** Makes every call of an endpoint fail as if its pages kept failing after retries. */
  failEndpoint(endpoint: DiscoveryEndpoint, failing = true): this {
    if (failing) this.#failingEndpoints.add(endpoint);
    else this.#failingEndpoints.delete(endpoint);
    return this;
  }

  /** Makes the reported count disagree with the records sent. */
  miscount(filter: ContentFilter): this {
    this.#wrongCount.add(filter.hash);
    return this;
  }

  /** Makes each fetch take this long. */
  delay(ms: number): this {
    this.#delayMs = ms;
    return this;
  }

  async fetchCourses(courseKeys: readonly string[], options: RestrictedCallOptions = {}): Promise<DiscoveryFetchResult> {
    if ((options.includeRestricted ?? []).length === 0) return this.#fetch("courses", courseKeys, this.#courses, options);
    this.restrictedFetches.push(...courseKeys);
    this.#failIfAsked("courses", options);
    options.onRequest?.({ endpoint: "courses", outcome: "ok", status: 200, durationMs: 1 });
    const records = courseKeys.flatMap((key) => { const record = this.#restrictedCourses.get(key); return record === undefined ? [] : [record]; });
    return { records, requests: 1 };
  }

  async fetchPrograms(programUuids: readonly string[], options: DiscoveryCallOptions = {}): Promise<DiscoveryFetchResult> {
    return this.#fetch("programs", programUuids, this.#programs, options);
  }

  async fetchCourseReviews(options: DiscoveryCallOptions = {}): Promise<DiscoveryFetchResult> {
    this.fetched.reviews.push("*");
    this.#failIfAsked("reviews", options);
    options.onRequest?.({ endpoint: "reviews", outcome: "ok", status: 200, durationMs: 1 });
    return { records: [...this.#reviews], requests: 1 };
  }

  /** One request per 50 keys, as discovery's batches go. */
  #fetch(endpoint: "courses" | "programs", keys: readonly string[], table: ReadonlyMap<string, JsonObject>, options: DiscoveryCallOptions): DiscoveryFetchResult {
    this.fetched[endpoint].push(...keys);
    this.#failIfAsked(endpoint, options);
    const requests = Math.ceil(keys.length / 50);
    for (let i = 0; i < requests; i++) options.onRequest?.({ endpoint, outcome: "ok", status: 200, durationMs: 1 });
    return { records: keys.flatMap((key) => { const record = table.get(key); return record === undefined ? [] : [record]; }), requests };
  }

  #failIfAsked(endpoint: DiscoveryEndpoint, options: DiscoveryCallOptions): void {
    if (!this.#failingEndpoints.has(endpoint)) return;
    options.onRequest?.({ endpoint, outcome: "failed", status: 503, durationMs: 1 });
    throw new UpstreamUnavailableError(`Discovery ${endpoint} failed after 5 attempts: HTTP 503`);
  }

  async searchAll(filter: ContentFilter, options: RestrictedCallOptions = {}): Promise<DiscoverySearchResult> {
    if ((options.includeRestricted ?? []).length > 0) {
      this.restrictedSearches++;
      options.onRequest?.({ endpoint: "search", outcome: "ok", status: 200, durationMs: 1 });
      if (this.#failingEndpoints.has("search") || this.#restrictedFailing) {
        throw new UpstreamUnavailableError("Discovery page 1 failed after 5 attempts: HTTP 503");
      }
      const keys = new Set([filter.value.key].flat());
      const records = this.#restrictedRuns.filter((record) => keys.has(record.key as string));
      return { records, count: records.length, requests: 1 };
    }
    this.calls.set(filter.hash, (this.calls.get(filter.hash) ?? 0) + 1);
    const active = (this.#active.get(filter.hash) ?? 0) + 1;
    this.#active.set(filter.hash, active);
    this.maxConcurrentPerFilter = Math.max(this.maxConcurrentPerFilter, active);
    try {
      if (this.#delayMs > 0) await new Promise((resolve) => setTimeout(resolve, this.#delayMs));
      options.onRequest?.({ endpoint: "search", outcome: "ok", status: 200, durationMs: 1 });
      if (this.#failing.has(filter.hash) || this.#failingEndpoints.has("search")) {
        options.onRequest?.({ endpoint: "search", outcome: "failed", status: 503, durationMs: 1 });
        throw new UpstreamUnavailableError("Discovery page 2 failed after 5 attempts: HTTP 503");
      }
      const records = this.#answers.get(filter.hash) ?? [];
      const count = this.#wrongCount.has(filter.hash) ? records.length + 7 : records.length;
      return { records, count, requests: 1 };
    } finally {
      this.#active.set(filter.hash, (this.#active.get(filter.hash) ?? 1) - 1);
    }
  }
}

/** A search/all course record. */
export function course(key: string, extra: JsonObject = {}): JsonObject {
  return { aggregation_key: `course:${key}`, content_type: "course", key, uuid: uuidFor(key), title: `Course ${key}`, ...extra };
}

/** A `/courses` record of the course with one run that is active (published, enrollable, marketable). */
export function fullCourse(key: string, extra: JsonObject = {}): JsonObject {
  const runUuid = uuidFor(`${key}+run`);
  return {
    key, uuid: uuidFor(key), title: `Course ${key}`, course_type: "verified-audit", advertised_course_run_uuid: runUuid,
    entitlements: [], course_runs: [{
      key: `course-v1:${key}+1T2026`, uuid: runUuid, status: "published", availability: "Current", is_enrollable: true,
      is_marketable: true, is_marketable_external: false, start: "2026-01-01T00:00:00Z", end: "2026-12-01T00:00:00Z",
      enrollment_start: null, enrollment_end: null, fixed_price_usd: null, first_enrollable_paid_seat_price: 49,
      seats: [{ type: "audit", price: "0.00", upgrade_deadline: null, upgrade_deadline_override: null, sku: "A1" },
        { type: "verified", price: "49.00", upgrade_deadline: "2026-11-20T23:59:59Z", upgrade_deadline_override: null, sku: "V1" }],
    }],
    ...extra,
  };
}

/** A search/all course-run record of the course. */
export function courseRun(courseKey: string, run: string, extra: JsonObject = {}): JsonObject {
  return { aggregation_key: `courserun:${courseKey}`, content_type: "courserun", key: `course-v1:${courseKey}+${run}`, title: `Run ${run}`, ...extra };
}

/** A search/all program record. */
export function program(uuid: string, extra: JsonObject = {}): JsonObject {
  return { aggregation_key: `program:${uuid}`, content_type: "program", uuid, title: `Program ${uuid.slice(0, 8)}`, ...extra };
}

function uuidFor(key: string): string {
  let hash = 0;
  for (const char of key) hash = (hash * 31 + char.charCodeAt(0)) >>> 0;
  const hex = hash.toString(16).padStart(8, "0");
  return `${hex}-0000-4000-8000-${hex}0000`;
}
