/**
 * The refresh's `restricted` stage (reference §3.3 step 7; decision 0016): the restricted runs a
 * query's filter allows, of the courses its new result holds, found with a search that includes
 * them and, when due, taken from discovery's full course records. They are stored for that query
 * alone; the shared course rows never see them.
 */
import { contentFilterFromValue } from "../catalog/content_filter.ts";
import { jsonFingerprint } from "../content/content_metadata.ts";
import { RESTRICTION_FOR_B2B, type RestrictedRunRecord } from "../content/restricted_runs.ts";
import { isJsonObject, type JsonObject } from "../json.ts";
import type { ContentStore, RestrictedRunChange, StoredRestrictedRunState } from "../ports/content_store.ts";
import type { DiscoveryCallOptions, DiscoveryClient } from "../ports/discovery_client.ts";
import { searchRecords } from "./search_result.ts";

/** The filter key naming the restricted runs a query allows: `{"course:<course key>": ["<run key>", ...]}`. */
export const RESTRICTED_RUNS_ALLOWED_KEY = "restricted_runs_allowed";

/** The prefix the reference writes before each course key of `restricted_runs_allowed`. */
const COURSE_PREFIX = "course:";

/**
 * The reference's `CatalogQuery.restricted_runs_allowed`: course key (its `course:` prefix removed)
 * → the run keys the filter allows of it. Empty when the filter names none or its value is no
 * object; entries that are no list of strings allow nothing.
 */
export function restrictedRunsAllowed(filter: JsonObject): ReadonlyMap<string, readonly string[]> {
  const mapping = filter[RESTRICTED_RUNS_ALLOWED_KEY];
  const allowed = new Map<string, readonly string[]>();
  if (!isJsonObject(mapping)) return allowed;
  for (const [name, runs] of Object.entries(mapping)) {
    const courseKey = name.startsWith(COURSE_PREFIX) ? name.slice(COURSE_PREFIX.length) : name;
    if (courseKey === "" || !Array.isArray(runs)) continue;
    const runKeys = runs.filter((run): run is string => typeof run === "string" && run !== "");
    if (runKeys.length > 0) allowed.set(courseKey, [...new Set([...(allowed.get(courseKey) ?? []), ...runKeys])]);
  }
  return allowed;
}

/** What the stage needs. */
export interface RestrictedStageInput {
  readonly queryUuid: string;
  readonly filter: JsonObject;
  /** The courses the query's new result holds: only their restricted runs can be shown. */
  readonly heldCourses: ReadonlySet<string>;
  readonly discovery: DiscoveryClient;
  readonly content: ContentStore;
  readonly now: Date;
  /** A stored run's full record older than this is fetched again. */
  readonly maxAgeMs: number;
  readonly call: DiscoveryCallOptions;
}

/**
 * The restricted runs the query allows after this refresh, as a change for `applyContentChange`.
 * With none allowed of a held course it asks discovery nothing. Otherwise it searches those runs
 * with `include_restricted`, keeps the ones that are B2B-restricted runs of the course that allows
 * them, and fetches `/courses` (with `include_restricted`) only for runs with no stored copy, an
 * older one than `maxAgeMs`, or a changed search record. A run `/courses` does not list is left out.
 * Throws UpstreamUnavailableError as the other stages do; nothing is stored here.
 */
export async function fetchRestrictedRuns(input: RestrictedStageInput): Promise<RestrictedRunChange> {
  const candidates = new Map<string, string>();
  for (const [courseKey, runKeys] of restrictedRunsAllowed(input.filter)) {
    if (!input.heldCourses.has(courseKey)) continue;
    for (const runKey of runKeys) candidates.set(runKey, courseKey);
  }
  if (candidates.size === 0) return { upserts: [], kept: [] };

  const options = { ...input.call, includeRestricted: [RESTRICTION_FOR_B2B] };
  const search = contentFilterFromValue({ content_type: "courserun", key: [...candidates.keys()] });
  const found = new Map<string, { readonly courseKey: string; readonly searchFingerprint: string }>();
  for (const { contentKey, record } of searchRecords(await input.discovery.searchAll(search, options))) {
    const courseKey = candidates.get(contentKey);
    if (courseKey === undefined || record.restriction_type !== RESTRICTION_FOR_B2B) continue;
    if (record.aggregation_key !== `courserun:${courseKey}`) continue;
    found.set(contentKey, { courseKey, searchFingerprint: jsonFingerprint(record) });
  }

  const stored = await input.content.restrictedRunStates(input.queryUuid);
  const due = [...found].filter(([runKey, run]) => isDue(stored.get(runKey), run, input));
  const kept = [...found.keys()].filter((runKey) => !due.some(([key]) => key === runKey));
  if (due.length === 0) return { upserts: [], kept };

  const courses = await input.discovery.fetchCourses([...new Set(due.map(([, run]) => run.courseKey))], options);
  const byKey = new Map(courses.records.map((course) => [String(course.key), course]));
  const upserts: RestrictedRunRecord[] = [];
  for (const [runKey, run] of due) {
    const entry = runEntry(byKey.get(run.courseKey), runKey);
    if (entry === undefined) continue;
    upserts.push({
      runKey,
      courseKey: run.courseKey,
      record: entry,
      fingerprint: jsonFingerprint(entry),
      searchFingerprint: run.searchFingerprint,
      enrichedAt: input.now,
    });
  }
  return { upserts, kept };
}

/** Whether a found run's full record must be fetched: none stored, another course, a changed search record, or too old. */
function isDue(stored: StoredRestrictedRunState | undefined, run: { courseKey: string; searchFingerprint: string }, input: RestrictedStageInput): boolean {
  return stored === undefined || stored.courseKey !== run.courseKey || stored.searchFingerprint !== run.searchFingerprint ||
    input.now.getTime() - stored.enrichedAt.getTime() > input.maxAgeMs;
}

/** The B2B-restricted run's entry in a full course record's `course_runs`. */
function runEntry(course: JsonObject | undefined, runKey: string): JsonObject | undefined {
  const runs = course?.course_runs;
  if (!Array.isArray(runs)) return undefined;
  return runs.find((run): run is JsonObject => isJsonObject(run) && run.key === runKey && run.restriction_type === RESTRICTION_FOR_B2B);
}
