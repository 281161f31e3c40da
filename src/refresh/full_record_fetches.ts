/**
 * Full records shared by the refreshes of one process, so that a course many queries hold is
 * fetched once per cycle. Queries sharing courses are often refreshed side by side (a sweep queues
 * them together), and each would see the other's courses as missing until the first one commits:
 * a record another refresh is fetching, or has fetched and not yet committed, is taken from it.
 * Once that refresh ends, the stored row answers. The review table, one download for every course,
 * is reused for a few minutes.
 */
import type { JsonObject } from "../json.ts";
import type { Clock } from "../ports/clock.ts";
import type { DiscoveryCallOptions, DiscoveryClient } from "../ports/discovery_client.ts";

/** How long a downloaded review table is reused (default 10 minutes). */
export const DEFAULT_REVIEWS_REUSE_MS = 10 * 60_000;

/** The full records one refresh fetched or took from another; `close()` when the refresh ends. */
export interface FullRecordSession {
  /** course key → `/courses` record; keys discovery does not know are absent. */
  courses(keys: readonly string[]): Promise<Map<string, JsonObject>>;
  /** program uuid → `/programs` record; uuids discovery does not know are absent. */
  programs(uuids: readonly string[]): Promise<Map<string, JsonObject>>;
  /** course key → its `/course_review` record. */
  reviews(): Promise<ReadonlyMap<string, JsonObject>>;
  /** Lets go of the records this refresh fetched: from now on its stored rows answer. */
  close(): void;
}

type Pending = Promise<JsonObject | undefined>;

/** Where a process's refreshes get full records from. */
export class FullRecordFetches {
  readonly #discovery: DiscoveryClient;
  readonly #clock: Clock;
  readonly #reviewsReuseMs: number;
  readonly #courses = new Map<string, Pending>();
  readonly #programs = new Map<string, Pending>();
  #reviews: { readonly startedAt: number; readonly result: Promise<ReadonlyMap<string, JsonObject>> } | undefined;

  constructor(deps: { readonly discovery: DiscoveryClient; readonly clock: Clock }, options: { readonly reviewsReuseMs?: number } = {}) {
    this.#discovery = deps.discovery;
    this.#clock = deps.clock;
    this.#reviewsReuseMs = options.reviewsReuseMs ?? DEFAULT_REVIEWS_REUSE_MS;
  }

  /** A session for one refresh; every request it makes reports to `call`. */
  open(call: DiscoveryCallOptions): FullRecordSession {
    const owned: { readonly kept: Map<string, Pending>; readonly key: string; readonly pending: Pending }[] = [];
    const records = (kept: Map<string, Pending>, keys: readonly string[], field: string, fetch: (missing: readonly string[]) => Promise<{ readonly records: readonly JsonObject[] }>) => {
      const wanted = new Map<string, Pending>();
      const missing: string[] = [];
      for (const key of new Set(keys)) {
        const pending = kept.get(key);
        if (pending === undefined) missing.push(key);
        else wanted.set(key, pending);
      }
      if (missing.length > 0) {
        const result = fetch(missing).then(({ records }) => byField(records, field));
        for (const key of missing) {
          const pending = result.then((found) => found.get(key));
          wanted.set(key, pending);
          kept.set(key, pending);
          owned.push({ kept, key, pending });
          // A failed fetch is not shared: the next refresh asks again.
          pending.catch(() => forget(kept, key, pending));
        }
      }
      return settle(wanted);
    };
    return {
      courses: (keys) => records(this.#courses, keys, "key", (missing) => this.#discovery.fetchCourses(missing, call)),
      programs: (uuids) => records(this.#programs, uuids, "uuid", (missing) => this.#discovery.fetchPrograms(missing, call)),
      reviews: () => this.#reviewTable(call),
      close: () => {
        for (const { kept, key, pending } of owned.splice(0)) forget(kept, key, pending);
      },
    };
  }

  async #reviewTable(call: DiscoveryCallOptions): Promise<ReadonlyMap<string, JsonObject>> {
    const now = this.#clock.now().getTime();
    if (this.#reviews === undefined || now - this.#reviews.startedAt > this.#reviewsReuseMs) {
      const result = this.#discovery.fetchCourseReviews(call).then(({ records }) => byField(records, "course_key"));
      const download = { startedAt: now, result };
      this.#reviews = download;
      result.catch(() => {
        if (this.#reviews === download) this.#reviews = undefined;
      });
    }
    return await this.#reviews.result;
  }
}

function forget(kept: Map<string, Pending>, key: string, pending: Pending): void {
  if (kept.get(key) === pending) kept.delete(key);
}

async function settle(wanted: ReadonlyMap<string, Pending>): Promise<Map<string, JsonObject>> {
  const found = new Map<string, JsonObject>();
  for (const [key, pending] of wanted) {
    const record = await pending;
    if (record !== undefined) found.set(key, record);
  }
  return found;
}

/** Records by one of their string fields; the first record of a value wins. */
function byField(records: readonly JsonObject[], field: string): Map<string, JsonObject> {
  const map = new Map<string, JsonObject>();
  for (const record of records) {
    const value = record[field];
    if (typeof value === "string" && !map.has(value)) map.set(value, record);
  }
  return map;
}
