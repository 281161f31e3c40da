/**
 * The containment rule: when a catalog's content matches a requested key. It is written once, here,
 * for every question that asks it (`/api/v1` and legacy containment, `filter_content_items`, keyed
 * listings, the customer content lookup, legacy item details, bulk enrollment, and their `/api/v2`
 * forms, which also see the restricted runs each query allows). The memory adapters evaluate it
 * directly; the Postgres reader renders the same rule in `adapters/postgres/containment_sql.ts`
 * (decisions 0011 and 0016).
 */
import { isJsonObject, type JsonObject } from "../json.ts";
import { type ContentMetadata, courseKeyOfRunKey } from "./content_metadata.ts";

/**
 * The ways an item a catalog holds can match a requested key, best first: it is the key itself;
 * it is the course the requested run belongs to (`storedCourseOf`); it is the course of a restricted
 * run the catalog's query allows (the requested key); it is a run of the requested course.
 */
export const MATCH_WAYS = ["same_key", "course_of_run", "course_of_restricted_run", "run_of_course"] as const;
/** One way an item can match a requested key. */
export type MatchWay = (typeof MATCH_WAYS)[number];

/**
 * The ways each kind of question admits, best first. `contains` decides whether a catalog holds a
 * key (containment, keyed listings and lookups, legacy, enrollment); `contains_with_restricted` is
 * the same question as `/api/v2` asks it, where a restricted run the catalog's query allows belongs
 * to its course too (decision 0016); `filter` is the reference's `filter_content_items`, where a run
 * does not match through its course (so restricted runs never change its answer).
 */
export const MATCH_KINDS = {
  contains: ["same_key", "course_of_run", "run_of_course"],
  contains_with_restricted: ["same_key", "course_of_run", "course_of_restricted_run", "run_of_course"],
  filter: ["same_key", "run_of_course"],
} as const satisfies Record<string, readonly MatchWay[]>;
/** A kind of question: which ways of matching count. */
export type MatchKind = keyof typeof MATCH_KINDS;

/** Stored content by key, whichever query holds it; undefined when there is no such row. */
export type StoredContent = (contentKey: string) => ContentMetadata | undefined;

/** A requested key with the course it belongs to as stored. */
export interface RequestedKey {
  readonly key: string;
  /** `storedCourseOf(key)`: null when the key is no run of a stored course. */
  readonly course: string | null;
}

/**
 * The course a key belongs to as stored: its row's parent when it has a row; for a key with no row,
 * the course its key names when that course's stored record lists the key in `course_runs` (how
 * catalogs of course-level filters store their runs). Null otherwise.
 */
export function storedCourseOf(key: string, stored: StoredContent): string | null {
  const own = stored(key);
  if (own !== undefined) return own.parentContentKey;
  return listingCourse(key, stored)?.course.contentKey ?? null;
}

/** The keys, each once in the order given, with the course each belongs to as stored. */
export function requestedKeys(keys: readonly string[], stored: StoredContent): RequestedKey[] {
  return [...new Set(keys)].map((key) => ({ key, course: storedCourseOf(key, stored) }));
}

/**
 * The restricted runs one query allows: a run key → the course it belongs to (which the query holds),
 * undefined for any other key (`/api/v2` only; decision 0016).
 */
export type AllowedRestrictedRuns = (runKey: string) => string | undefined;

/** A query that allows no restricted run: every `/api/v1`, legacy and enrollment question. */
export const NO_RESTRICTED_RUNS: AllowedRestrictedRuns = () => undefined;

/**
 * The best way a held item matches the requested key under `kind`, or undefined when it does not
 * match; `allowed` are the restricted runs of the item's query.
 */
export function matchWay(
  item: Pick<ContentMetadata, "contentKey" | "parentContentKey">,
  requested: RequestedKey,
  kind: MatchKind,
  allowed: AllowedRestrictedRuns = NO_RESTRICTED_RUNS,
): MatchWay | undefined {
  return MATCH_KINDS[kind].find((way) => WAY_TESTS[way](item, requested, allowed));
}

/**
 * The item of `items` (all of one query, whose restricted runs are `allowed`) that matches the
 * requested key the best way (`MATCH_WAYS` order), the first of those in the order given; undefined
 * when none matches.
 */
export function bestMatch<T extends Pick<ContentMetadata, "contentKey" | "parentContentKey">>(
  items: readonly T[],
  requested: RequestedKey,
  kind: MatchKind,
  allowed: AllowedRestrictedRuns = NO_RESTRICTED_RUNS,
): T | undefined {
  let best: { readonly item: T; readonly rank: number } | undefined;
  for (const item of items) {
    const way = matchWay(item, requested, kind, allowed);
    const rank = way === undefined ? undefined : MATCH_WAYS.indexOf(way);
    if (rank !== undefined && (best === undefined || rank < best.rank)) best = { item, rank };
  }
  return best?.item;
}

type WayTest = (item: Pick<ContentMetadata, "contentKey" | "parentContentKey">, requested: RequestedKey, allowed: AllowedRestrictedRuns) => boolean;

const WAY_TESTS: { readonly [W in MatchWay]: WayTest } = {
  same_key: (item, requested) => item.contentKey === requested.key,
  course_of_run: (item, requested) => requested.course !== null && item.contentKey === requested.course,
  course_of_restricted_run: (item, requested, allowed) => item.contentKey === allowed(requested.key),
  run_of_course: (item, requested) => item.parentContentKey === requested.key,
};

/** A course run's record as the service stores it. */
export interface StoredCourseRun {
  /** The run's own metadata, or its entry in its course's `course_runs`. */
  readonly record: JsonObject;
  /** The run's course as stored (`storedCourseOf`). */
  readonly courseKey: string | null;
  /** The row the record comes from: the run's own, or its course's. */
  readonly row: ContentMetadata;
  /** True when the run has no row and its record is the entry in its course's `course_runs`. */
  readonly nested: boolean;
}

/**
 * The stored record of a course run: its own `courserun` row, or for a run with no row, its entry
 * in the `course_runs` of the course that `storedCourseOf` finds. Undefined when there is neither
 * (or the key's row is not a run).
 */
export function storedCourseRun(runKey: string, stored: StoredContent): StoredCourseRun | undefined {
  const own = stored(runKey);
  if (own !== undefined) {
    return own.contentType === "courserun" ? { record: own.jsonMetadata, courseKey: own.parentContentKey, row: own, nested: false } : undefined;
  }
  const listing = listingCourse(runKey, stored);
  return listing === undefined ? undefined : { record: listing.entry, courseKey: listing.course.contentKey, row: listing.course, nested: true };
}

/** The content keys `storedCourseRun` reads for a run key: its own and the course its key names. */
export function courseRunLookupKeys(runKey: string): string[] {
  const courseKey = courseKeyOfRunKey(runKey);
  return courseKey === undefined ? [runKey] : [runKey, courseKey];
}

/** The run keys a course's stored record lists in `course_runs`; none for other content. */
export function listedRunKeys(content: Pick<ContentMetadata, "contentType" | "jsonMetadata">): string[] {
  return listedRuns(content).map((run) => run.key);
}

/** The entries of a course's `course_runs` that name a run: objects with a string `key`. */
function listedRuns(content: Pick<ContentMetadata, "contentType" | "jsonMetadata">): (JsonObject & { readonly key: string })[] {
  const runs = content.jsonMetadata.course_runs;
  if (content.contentType !== "course" || !Array.isArray(runs)) return [];
  return runs.filter((run): run is JsonObject & { key: string } => isJsonObject(run) && typeof run.key === "string");
}

/** The course the run key names, when it is stored and lists the run, and the run's entry in it. */
function listingCourse(runKey: string, stored: StoredContent): { readonly course: ContentMetadata; readonly entry: JsonObject } | undefined {
  const courseKey = courseKeyOfRunKey(runKey);
  const course = courseKey === undefined ? undefined : stored(courseKey);
  const entry = course === undefined ? undefined : listedRuns(course).find((run) => run.key === runKey);
  return course === undefined || entry === undefined ? undefined : { course, entry };
}
