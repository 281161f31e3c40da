/**
 * The containment rule of `src/content/containment.ts` in SQL: every reader statement that matches
 * requested keys against what queries hold is built from these pieces, so the rule is written here
 * once, beside the core's. `test/persistence/containment_properties.test.ts` checks that both give
 * the same answers.
 *
 * A statement names its requested keys as a relation with columns `k` (the key) and `named` (the
 * course the key names, `namedCourses`). `withStoredCourse` adds `course` (`storedCourseOf`), and then
 * every way of matching is one index probe of `query_content`: the key itself (content key, query),
 * a run of the requested course (parent key, query), the requested run's course (content key, query);
 * the course of a restricted run the query allows is one probe of `query_restricted_run` (run key,
 * query), then its course's membership (decision 0016).
 */
import { courseKeyOfRunKey } from "../../src/content/content_metadata.ts";
import { MATCH_KINDS, MATCH_WAYS, type MatchKind, type MatchWay } from "../../src/content/containment.ts";

/** Each way of matching (`matchWay`) as the memberships `qc` it reaches (`from`) and its condition for a requested row `r`. */
const WAY_JOINS: { readonly [W in MatchWay]: { readonly from: string; readonly on: string } } = {
  same_key: { from: "query_content qc", on: "qc.content_key = r.k" },
  course_of_run: { from: "query_content qc", on: "qc.content_key = r.course" },
  course_of_restricted_run: {
    from: "(query_restricted_run rr join query_content qc on qc.query_uuid = rr.query_uuid and qc.content_key = rr.course_key)",
    on: "rr.run_key = r.k",
  },
  run_of_course: { from: "query_content qc", on: "qc.parent_content_key = r.k" },
};

/** The course each key names (`course-v1:Org+Number+Run` → `Org+Number`), or null: the `named` column's values. */
export function namedCourses(keys: readonly string[]): (string | null)[] {
  return keys.map((key) => courseKeyOfRunKey(key) ?? null);
}

/**
 * `select r.*, course from <relation> r`: each requested row with the course its key belongs to as
 * stored (`storedCourseOf`): its row's parent; for a key with no row, the named course when that
 * course lists the key (`course_run_keys`, written from `listedRunKeys`). Two primary-key lookups a
 * key, no JSON read. Null under a kind that does not match runs through their course.
 */
export function withStoredCourse(kind: MatchKind, relation: string): string {
  if (!(MATCH_KINDS[kind] as readonly MatchWay[]).includes("course_of_run")) return `select r.*, null::text as course from ${relation} r`;
  return `select r.*, coalesce(own.parent_content_key, listing.content_key) as course
      from ${relation} r
      left join content_metadata own on own.content_key = r.k
      left join content_metadata listing on own.content_key is null and listing.content_key = r.named
       and r.k = any(listing.course_run_keys)`;
}

/**
 * A condition true when the query `r.q` holds an item matching requested row `r` (with `course`)
 * under `kind`: one index probe per way, the first hit ending it.
 */
export function matchesInQuery(kind: MatchKind): string {
  return MATCH_KINDS[kind]
    .map((way) => `exists (select 1 from ${WAY_JOINS[way].from} where qc.query_uuid = r.q and ${WAY_JOINS[way].on})`)
    .join("\n        or ");
}

/**
 * Rows `(r.*, q, member, way_rank)`: every membership matching a requested row of `relation` (with
 * `course`) under `kind`, with the rank of its way in `MATCH_WAYS` (0 is best). `queries`, when
 * given, limits the probes: `qc.query_uuid <queries>`.
 */
export function matchingMembers(kind: MatchKind, relation: string, queries?: string): string {
  const limit = queries === undefined ? "" : ` and qc.query_uuid ${queries}`;
  return MATCH_KINDS[kind]
    .map((way) => `select r.*, qc.query_uuid as q, qc.content_key as member, ${MATCH_WAYS.indexOf(way)} as way_rank
      from ${relation} r join ${WAY_JOINS[way].from} on ${WAY_JOINS[way].on}${limit}`)
    .join("\n    union all\n    ");
}

/** One value per match kind (a statement text, a batcher), built by `build`. */
export function perKind<T>(build: (kind: MatchKind) => T): { readonly [K in MatchKind]: T } {
  const kinds = Object.keys(MATCH_KINDS) as MatchKind[];
  return Object.fromEntries(kinds.map((kind) => [kind, build(kind)])) as { readonly [K in MatchKind]: T };
}
