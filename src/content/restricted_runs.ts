/**
 * Restricted ("custom B2B") course runs (reference §1.4): runs discovery hides unless a request
 * names their restriction type, which a catalog query allows one by one in its filter's
 * `restricted_runs_allowed`. They are stored per query, never as shared content rows, and only
 * `/api/v2` reads show them, inside the course they belong to (decision 0013).
 */
import { isJsonObject, type JsonObject, type JsonValue } from "../json.ts";
import { normalizedMetadata } from "../refresh/enrichment.ts";
import { advertisedCourseRun, type ContentMetadata } from "./content_metadata.ts";
import { isActiveCourseRun } from "./listing.ts";

/** The restriction type a catalog query can allow runs of (discovery's `CourseRunRestrictionType.CustomB2BEnterprise`). */
export const RESTRICTION_FOR_B2B = "custom-b2b-enterprise";

/** One restricted run a query allows, as stored for that query. */
export interface RestrictedRun {
  readonly runKey: string;
  /** The course the run belongs to; the query holds it. */
  readonly courseKey: string;
  /** The run's entry in discovery's full course record (`/courses` with `include_restricted`). */
  readonly record: JsonObject;
  /** When this query's copy of the run last changed. */
  readonly modified: Date;
}

/** A restricted run before it is stored, with what a refresh needs to know of its sources later. */
export interface RestrictedRunRecord extends Omit<RestrictedRun, "modified"> {
  /** md5 of `record`'s canonical JSON (`jsonFingerprint`): equal fingerprints mean nothing changed. */
  readonly fingerprint: string;
  /** Fingerprint of the run's record in the restricted search: when it changes, the full record is due again. */
  readonly searchFingerprint: string;
  /** When discovery's full record was asked for. */
  readonly enrichedAt: Date;
}

/**
 * Tells whether a restricted run counts as active where its query allows it: published, enrollable
 * and restricted to B2B. Discovery never markets such a run (it has no marketing page), so the
 * reference's rule for other runs would always say no (reference §2.11; decision 0013).
 */
export function isActiveRestrictedRun(run: JsonValue | undefined): boolean {
  if (!isJsonObject(run) || run.restriction_type !== RESTRICTION_FOR_B2B) return false;
  const status = typeof run.status === "string" ? run.status.toLowerCase() : "";
  return status === "published" && run.is_enrollable === true;
}

/** Tells whether a run of a course shown with its allowed restricted runs is active: as any run is, or as a restricted one is. */
export function isActiveRunWithRestricted(run: JsonValue | undefined): boolean {
  return isActiveCourseRun(run) || isActiveRestrictedRun(run);
}

/**
 * A course as a query that allows some of its restricted runs shows it: its stored record with those
 * runs after its own in `course_runs` (by start, then key), and, as the reference recomputes them
 * over that set of runs, `course_run_keys`, `course_run_statuses` (sorted, each once) and
 * `first_enrollable_paid_seat_price`; `normalized_metadata_by_run` gains each restricted run's.
 * `modified` is the latest of the course's and the runs'. Without runs the course is returned as is.
 */
export function courseWithRestrictedRuns(course: ContentMetadata, runs: readonly RestrictedRun[]): ContentMetadata {
  if (runs.length === 0 || course.contentType !== "course") return course;
  const added = [...runs].sort(byStartThenKey);
  const own = Array.isArray(course.jsonMetadata.course_runs) ? course.jsonMetadata.course_runs : [];
  const courseRuns: JsonValue[] = [...own, ...added.map((run) => run.record)];
  const entries = courseRuns.filter(isJsonObject);
  const json: JsonObject = {
    ...course.jsonMetadata,
    course_runs: courseRuns,
    course_run_keys: entries.map((run) => run.key).filter((key): key is string => typeof key === "string"),
    course_run_statuses: [...new Set(entries.map((run) => run.status).filter((status): status is string => typeof status === "string"))].sort(),
  };
  json.first_enrollable_paid_seat_price = firstEnrollablePaidSeatPrice(json, entries);
  const byRun: JsonObject = isJsonObject(course.jsonMetadata.normalized_metadata_by_run) ? { ...course.jsonMetadata.normalized_metadata_by_run } : {};
  for (const run of added) byRun[run.runKey] = normalizedMetadata(json, run.record);
  json.normalized_metadata_by_run = byRun;
  const modified = added.reduce((latest, run) => (run.modified.getTime() > latest.getTime() ? run.modified : latest), course.modified);
  return { ...course, jsonMetadata: json, modified };
}

/**
 * The reference's `get_course_first_paid_enrollable_seat_price`: the advertised run's price when it
 * has one, else that of the first active run (by lowercase key) that names a price at all.
 */
function firstEnrollablePaidSeatPrice(course: JsonObject, runs: readonly JsonObject[]): JsonValue {
  const advertised = advertisedCourseRun(course)?.first_enrollable_paid_seat_price;
  if (advertised !== undefined && advertised !== null && advertised !== 0 && advertised !== "") return advertised;
  const active = runs.filter(isActiveCourseRun).sort((a, b) => compareLower(a.key, b.key));
  return active.find((run) => "first_enrollable_paid_seat_price" in run)?.first_enrollable_paid_seat_price ?? null;
}

function compareLower(a: JsonValue | undefined, b: JsonValue | undefined): number {
  const x = String(a).toLowerCase();
  const y = String(b).toLowerCase();
  return x < y ? -1 : x > y ? 1 : 0;
}

function byStartThenKey(a: RestrictedRun, b: RestrictedRun): number {
  const x = typeof a.record.start === "string" ? a.record.start : "";
  const y = typeof b.record.start === "string" ? b.record.start : "";
  if (x !== y) return x < y ? -1 : 1;
  return a.runKey < b.runKey ? -1 : a.runKey > b.runKey ? 1 : 0;
}
