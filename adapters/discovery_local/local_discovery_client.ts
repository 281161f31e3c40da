/**
 * The embedded discovery: answers `search/all` from a bundled, deterministic corpus with the
 * filter evaluator, paging and ordering like the real endpoint, so the service runs with no
 * outside discovery at all.
 */
import { readFile } from "node:fs/promises";
import { promisify } from "node:util";
import { gunzip } from "node:zlib";
import type { ContentFilter } from "../../src/catalog/content_filter.ts";
import type { JsonObject } from "../../src/json.ts";
import type {
  DiscoveryClient,
  DiscoverySearchOptions,
  DiscoverySearchResult,
} from "../../src/ports/discovery_client.ts";
import { BUNDLED_CORPUS_URL, type DiscoveryCorpus, parseCorpus } from "./corpus.ts";
import { compileFilter, type SearchDocument, searchDocument } from "./filter_evaluator.ts";

/** Discovery's page size as the reference client asks for it. */
export const DISCOVERY_PAGE_SIZE = 100;

/** How to build a LocalDiscoveryClient. */
export interface LocalDiscoveryClientOptions {
  /** Records to search instead of the bundled corpus (their objects are frozen, not copied). */
  readonly corpus?: DiscoveryCorpus | readonly JsonObject[] | CorpusIndex;
  /** Records per page (default 100); each page counts as one request. */
  readonly pageSize?: number;
}

/** Discovery's `search/all` over an in-memory corpus. */
export class LocalDiscoveryClient implements DiscoveryClient {
  #index: Promise<CorpusIndex> | CorpusIndex | undefined;
  readonly #pageSize: number;

  constructor(options: LocalDiscoveryClientOptions = {}) {
    const pageSize = options.pageSize ?? DISCOVERY_PAGE_SIZE;
    if (!Number.isInteger(pageSize) || pageSize < 1) throw new RangeError(`Page size must be a positive integer: "${pageSize}"`);
    this.#pageSize = pageSize;
    const corpus = options.corpus;
    if (corpus instanceof CorpusIndex) this.#index = corpus;
    else if (corpus !== undefined) this.#index = new CorpusIndex(isCorpus(corpus) ? corpus.records : corpus);
  }

  /** Every record the filter matches, page by page; one `onRequest` event per page. */
  async searchAll(filter: ContentFilter, options: DiscoverySearchOptions = {}): Promise<DiscoverySearchResult> {
    const { signal, onRequest } = options;
    signal?.throwIfAborted();
    this.#index ??= loadBundledIndex();
    const index = await this.#index;
    signal?.throwIfAborted();
    let started = performance.now();
    const matches = index.search(filter.value);
    const pages = Math.max(1, Math.ceil(matches.length / this.#pageSize));
    const records: JsonObject[] = [];
    for (let page = 0; page < pages; page++) {
      if (page > 0) {
        // Let an abort from elsewhere land between pages, as it would between HTTP requests.
        await new Promise((resolve) => setImmediate(resolve));
        signal?.throwIfAborted();
        started = performance.now();
      }
      const end = Math.min(matches.length, (page + 1) * this.#pageSize);
      for (let i = page * this.#pageSize; i < end; i++) records.push(matches[i] as JsonObject);
      onRequest?.({ outcome: "ok", status: 200, durationMs: performance.now() - started });
    }
    return { records, count: matches.length, requests: pages };
  }
}

/**
 * A corpus sorted as discovery orders `search/all` (`aggregation_key`, then `start`), with its
 * search documents built once and the positions of each content type and aggregation key indexed.
 */
export class CorpusIndex {
  readonly #records: readonly JsonObject[];
  readonly #documents: readonly SearchDocument[];
  readonly #byContentType = new Map<string, number[]>();
  readonly #byAggregationKey = new Map<string, number[]>();

  constructor(records: readonly JsonObject[]) {
    const sorted = [...records].sort(compareDiscoveryOrder);
    const courses = new Map<string, JsonObject>();
    const runsByCourse = new Map<string, JsonObject[]>();
    for (const record of sorted) {
      deepFreeze(record);
      if (record.content_type === "course" && typeof record.key === "string") courses.set(record.key, record);
      const parent = parentCourseKey(record);
      if (parent !== null) {
        const runs = runsByCourse.get(parent) ?? [];
        runs.push(record);
        runsByCourse.set(parent, runs);
      }
    }
    this.#records = sorted;
    this.#documents = sorted.map((record, position) => {
      push(this.#byContentType, String(record.content_type), position);
      push(this.#byAggregationKey, String(record.aggregation_key), position);
      if (record.content_type === "course" && typeof record.key === "string") {
        const runs = runsByCourse.get(record.key);
        return searchDocument(record, runs === undefined ? {} : { courseRuns: runs });
      }
      const parent = parentCourseKey(record);
      const course = parent === null ? undefined : courses.get(parent);
      return searchDocument(record, course === undefined ? {} : { course });
    });
  }

  /** Number of records indexed. */
  get size(): number {
    return this.#records.length;
  }

  /** The records a filter matches, in discovery's order. */
  search(filterValue: JsonObject): JsonObject[] {
    const filter = compileFilter(filterValue);
    const candidates = this.#candidates(filter.contentTypes, filter.aggregationKeys);
    const out: JsonObject[] = [];
    if (candidates === null) {
      for (let i = 0; i < this.#documents.length; i++) {
        if (filter.matches(this.#documents[i] as SearchDocument)) out.push(this.#records[i] as JsonObject);
      }
      return out;
    }
    for (const i of candidates) {
      if (filter.matches(this.#documents[i] as SearchDocument)) out.push(this.#records[i] as JsonObject);
    }
    return out;
  }

  /** Positions that can match, ascending; null for all of them. */
  #candidates(contentTypes: ReadonlySet<string> | null, aggregationKeys: ReadonlySet<string> | null): number[] | null {
    const fromKeys = aggregationKeys === null ? null : gather(this.#byAggregationKey, aggregationKeys);
    const fromTypes = contentTypes === null ? null : gather(this.#byContentType, contentTypes);
    if (fromKeys !== null && fromTypes !== null) return fromKeys.length <= fromTypes.length ? fromKeys : fromTypes;
    return fromKeys ?? fromTypes;
  }
}

let bundled: Promise<CorpusIndex> | undefined;

/** Loads (once per process) and indexes the corpus bundled with this adapter. */
export function loadBundledIndex(): Promise<CorpusIndex> {
  bundled ??= loadBundledCorpus().then((corpus) => new CorpusIndex(corpus.records));
  bundled.catch(() => {
    bundled = undefined;
  });
  return bundled;
}

/** Reads and parses the bundled `corpus.json.gz`. */
export async function loadBundledCorpus(): Promise<DiscoveryCorpus> {
  try {
    const compressed = await readFile(BUNDLED_CORPUS_URL);
    const text = (await promisify(gunzip)(compressed)).toString("utf8");
    return parseCorpus(text);
  } catch (error) {
    throw new Error(`Cannot load the bundled discovery corpus "${BUNDLED_CORPUS_URL.pathname}"`, { cause: error });
  }
}

function isCorpus(value: DiscoveryCorpus | readonly JsonObject[]): value is DiscoveryCorpus {
  return !Array.isArray(value);
}

/** Discovery's `ordering=aggregation_key,start`: missing starts last, then by key for a stable order. */
function compareDiscoveryOrder(a: JsonObject, b: JsonObject): number {
  return compareText(String(a.aggregation_key ?? ""), String(b.aggregation_key ?? "")) ||
    compareStart(earliestStart(a), earliestStart(b)) ||
    compareText(String(a.key ?? a.uuid ?? ""), String(b.key ?? b.uuid ?? ""));
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function compareStart(a: string | null, b: string | null): number {
  if (a === b) return 0;
  if (a === null) return 1;
  if (b === null) return -1;
  return compareText(a, b);
}

/** A course's start is the list of its runs' starts; an ascending sort uses the smallest. */
function earliestStart(record: JsonObject): string | null {
  if (typeof record.start === "string") return record.start;
  if (record.content_type !== "course" || !Array.isArray(record.course_runs)) return null;
  let earliest: string | null = null;
  for (const run of record.course_runs) {
    const start = typeof run === "object" && run !== null && !Array.isArray(run) ? run.start : null;
    if (typeof start === "string" && (earliest === null || start < earliest)) earliest = start;
  }
  return earliest;
}

function parentCourseKey(record: JsonObject): string | null {
  if (record.content_type !== "courserun" || typeof record.aggregation_key !== "string") return null;
  return record.aggregation_key.startsWith("courserun:") ? record.aggregation_key.slice("courserun:".length) : null;
}

function push(map: Map<string, number[]>, key: string, position: number): void {
  const list = map.get(key);
  if (list === undefined) map.set(key, [position]);
  else list.push(position);
}

function gather(map: ReadonlyMap<string, readonly number[]>, keys: ReadonlySet<string>): number[] {
  const positions: number[] = [];
  for (const key of keys) {
    for (const position of map.get(key) ?? []) positions.push(position);
  }
  return keys.size > 1 ? positions.sort((x, y) => x - y) : positions;
}

/** Records are shared between searches and callers, so nobody may change them. */
function deepFreeze(value: unknown): void {
  if (typeof value !== "object" || value === null || Object.isFrozen(value)) return;
  Object.freeze(value);
  for (const item of Object.values(value)) deepFreeze(item);
}
