/**
 * A course as a query that allows some of its restricted runs shows it (`/api/v2`; decision 0016),
 * recomputed over its runs as the reference's `RestrictedCourseMetadata.filter_restricted_runs` does.
 */
import { isJsonObject, type JsonObject, type JsonValue } from "../json.ts";
import { normalizedMetadata } from "../refresh/enrichment.ts";
import { advertisedCourseRun, type ContentMetadata } from "./content_metadata.ts";
import { isActiveCourseRun } from "./listing.ts";
import type { RestrictedRun } from "./restricted_runs.ts";

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
