/**
 * The two ways discovery's lists end, walked to the end with the checks that make a result
 * complete or a failure. The client builds every URL itself from its own base URL: a `next` link
 * only says that there is more (and, for v2, carries the cursor), because behind a proxy discovery
 * writes it with its internal host.
 */
import { UpstreamUnavailableError } from "../../src/errors.ts";
import type { JsonObject } from "../../src/json.ts";
import type { ListPage, PageRequest } from "./discovery_requester.ts";

/** Fetches one page through the attempt loop, for the call in progress. */
export type FetchPage = (request: PageRequest) => Promise<ListPage>;

/** Every record of a walk and the total it was checked against. */
export interface WalkResult {
  readonly records: JsonObject[];
  readonly count: number;
}

/** A list paged by number or by offset, whose `count` is the exact total. */
export interface CountedWalk {
  /** What is walked, for messages: `the search`, `courses batch 2`. */
  readonly label: string;
  /** The request of page `index` (0-based). */
  requestFor(index: number): PageRequest;
  /** Page 0, when the caller has fetched it already. */
  readonly first?: ListPage;
  /** A count above this means discovery ignored the filter (more records than keys asked for). */
  readonly maxCount?: number;
  /** What makes a record itself, to catch one that comes twice because the order moved under the walk. */
  identify(record: JsonObject): string | null;
}

/**
 * Follows the pages while discovery says there are more. Fails when a page counts differently from
 * the first, when a record comes twice, when pages point further after the total, or when the
 * records do not add up to the count.
 */
export async function walkCountedPages(fetchPage: FetchPage, walk: CountedWalk): Promise<WalkResult> {
  const records: JsonObject[] = [];
  const seen = new Set<string>();
  let count = 0;
  for (let index = 0; ; index++) {
    const page = index === 0 && walk.first !== undefined ? walk.first : await fetchPage(walk.requestFor(index));
    if (index === 0) {
      count = page.count;
      if (walk.maxCount !== undefined && count > walk.maxCount) {
        throw new UpstreamUnavailableError(
          `Discovery counted ${count} records for the ${walk.maxCount} asked for in ${walk.label}: it ignored the filter`,
        );
      }
    } else if (page.count !== count) {
      throw new UpstreamUnavailableError(
        `Discovery changed during ${walk.label}: page ${index + 1} counts ${page.count} records, page 1 counted ${count}`,
      );
    }
    collect(records, seen, page.results, walk);
    if (page.next === null) break;
    // An empty page that still points further, or more records than counted, would page forever.
    if (page.results.length === 0 || records.length >= count) {
      throw new UpstreamUnavailableError(`Discovery kept paging ${walk.label} past the ${count} records it counted`);
    }
  }
  if (records.length !== count) {
    throw new UpstreamUnavailableError(
      `Discovery returned ${records.length} records but counted ${count}: it changed during ${walk.label}`,
    );
  }
  return { records, count };
}

/** v2 `search/all`, paged with `search_after` cursors. */
export interface CursorWalk {
  readonly label: string;
  /** The request of page `index` (0-based), after `cursor` (the JSON `search_after` value; null on the first page). */
  requestFor(index: number, cursor: string | null): PageRequest;
  /**
   * Discovery's `count` is Elasticsearch's `hits.total.value`, which stops at `track_total_hits`
   * (10,000 by default): a count this large means "at least this many".
   */
  readonly totalHitsLimit: number;
}

/**
 * Follows v2 cursors to the page whose `next` is null: that is how v2 ends, usually with one empty
 * page after the last records, because its next link stays as long as the exact total exceeds a
 * page and the page held a record. Below `totalHitsLimit` the records must add up to the count;
 * at it, the count is only a lower bound, so the total is the records the walk returned, checked
 * against that bound, against a count that must not change, and against records coming twice.
 * Each record loses the v2-only `sort` and `aggregation_uuid` fields, so that v1 and v2 give the
 * same records.
 */
export async function walkSearchCursors(fetchPage: FetchPage, walk: CursorWalk): Promise<WalkResult> {
  const records: JsonObject[] = [];
  const seen = new Set<string>();
  let count = 0;
  let cursor: string | null = null;
  for (let index = 0; ; index++) {
    const page = await fetchPage(walk.requestFor(index, cursor));
    if (index === 0) count = page.count;
    else if (page.count !== count) {
      throw new UpstreamUnavailableError(
        `Discovery changed during ${walk.label}: page ${index + 1} counts ${page.count} records, page 1 counted ${count}`,
      );
    }
    for (const result of page.results) {
      const { sort: _sort, aggregation_uuid: uuid, ...record } = result;
      if (typeof uuid !== "string") {
        throw new UpstreamUnavailableError(`Discovery sent a record without aggregation_uuid on page ${index + 1} of ${walk.label}`);
      }
      if (seen.has(uuid)) {
        throw new UpstreamUnavailableError(`Discovery sent "${uuid}" twice during ${walk.label}: its order changed under the walk`);
      }
      seen.add(uuid);
      records.push(record);
    }
    const exact = count < walk.totalHitsLimit;
    if (exact && records.length > count) {
      throw new UpstreamUnavailableError(`Discovery kept paging ${walk.label} past the ${count} records it counted`);
    }
    if (page.next === null) break;
    const next = cursorOf(page.next);
    if (page.results.length === 0 || next === null || next === cursor) {
      throw new UpstreamUnavailableError(
        `Discovery's next link on page ${index + 1} of ${walk.label} does not move its search_after cursor on`,
      );
    }
    cursor = next;
  }
  const exact = count < walk.totalHitsLimit;
  if (exact ? records.length !== count : records.length < count) {
    throw new UpstreamUnavailableError(
      `Discovery returned ${records.length} records but counted ${exact ? "" : "at least "}${count}: it changed during ${walk.label}`,
    );
  }
  return { records, count: exact ? count : records.length };
}

function collect(records: JsonObject[], seen: Set<string>, results: readonly JsonObject[], walk: CountedWalk): void {
  for (const record of results) {
    const identity = walk.identify(record);
    if (identity !== null) {
      if (seen.has(identity)) {
        throw new UpstreamUnavailableError(`Discovery sent "${identity}" twice during ${walk.label}: its order changed under the walk`);
      }
      seen.add(identity);
    }
    records.push(record);
  }
}

/** The `search_after` value of a v2 next link, if it is a JSON array. */
function cursorOf(next: string): string | null {
  if (!URL.canParse(next)) return null;
  const value = new URL(next).searchParams.get("search_after");
  if (value === null) return null;
  try {
    return Array.isArray(JSON.parse(value)) ? value : null;
  } catch {
    return null;
  }
}
