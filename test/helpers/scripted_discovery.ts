/** A discovery double whose answers a test sets: records per filter, failures, slow fetches. */
import type { ContentFilter } from "../../src/catalog/content_filter.ts";
import { UpstreamUnavailableError } from "../../src/errors.ts";
import type { JsonObject } from "../../src/json.ts";
import type { DiscoveryClient, DiscoverySearchOptions, DiscoverySearchResult } from "../../src/ports/discovery_client.ts";

/** Answers searchAll from a table the test fills; counts calls per filter hash. */
export class ScriptedDiscovery implements DiscoveryClient {
  readonly calls = new Map<string, number>();
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

  async searchAll(filter: ContentFilter, options: DiscoverySearchOptions = {}): Promise<DiscoverySearchResult> {
    this.calls.set(filter.hash, (this.calls.get(filter.hash) ?? 0) + 1);
    const active = (this.#active.get(filter.hash) ?? 0) + 1;
    this.#active.set(filter.hash, active);
    this.maxConcurrentPerFilter = Math.max(this.maxConcurrentPerFilter, active);
    try {
      if (this.#delayMs > 0) await new Promise((resolve) => setTimeout(resolve, this.#delayMs));
      options.onRequest?.({ outcome: "ok", status: 200, durationMs: 1 });
      if (this.#failing.has(filter.hash)) {
        options.onRequest?.({ outcome: "failed", status: 503, durationMs: 1 });
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
