/**
 * Course runs as enrollment sees them, read from the service's own content metadata (the
 * discovery `courserun` records a refresh stored, or the `course_runs` nested in a course record).
 */
import { courseKeyOfRunKey } from "../content/content_metadata.ts";
import { type StoredContent, storedCourseRun } from "../content/containment.ts";
import { isJsonObject, type JsonObject, type JsonValue } from "../json.ts";

/** What enrollment needs to know about one course run. */
export interface CourseRun {
  readonly key: string;
  /** The run's course key, or null when the record does not say. */
  readonly courseKey: string | null;
  /** Discovery's `is_enrollable` at the last refresh; null when the record lacks it. */
  readonly isEnrollable: boolean | null;
  readonly enrollmentStart: Date | null;
  readonly enrollmentEnd: Date | null;
  /** The course modes (seat types) a learner may enroll in. */
  readonly modes: readonly string[];
}

/**
 * The mode bulk enrollment uses when a run offers several, best first, as the legacy view picks
 * it; a run offering none of these gets `audit`.
 */
export const MODE_PREFERENCE: readonly string[] = Object.freeze([
  "verified", "professional", "no-id-professional", "audit", "honor", "unpaid-executive-education",
]);

/** The mode the legacy bulk view would pick for a run: the best of `MODE_PREFERENCE` it offers, else `audit`. */
export function preferredMode(run: CourseRun): string {
  return MODE_PREFERENCE.find((mode) => run.modes.includes(mode)) ?? "audit";
}

/**
 * Whether the run's enrollment window is open at `now`: discovery did not call it unenrollable
 * and `now` lies within `enrollment_start`..`enrollment_end` (either may be absent).
 */
export function isEnrollmentOpen(run: CourseRun, now: Date): boolean {
  if (run.isEnrollable === false) return false;
  if (run.enrollmentStart !== null && run.enrollmentStart.getTime() > now.getTime()) return false;
  if (run.enrollmentEnd !== null && run.enrollmentEnd.getTime() <= now.getTime()) return false;
  return true;
}

/**
 * Finds a run in stored content (`storedCourseRun`): its own `courserun` row, else its entry in the
 * `course_runs` of its stored course. Undefined when neither is there.
 */
export function findCourseRun(runKey: string, stored: StoredContent): CourseRun | undefined {
  const run = storedCourseRun(runKey, stored);
  return run === undefined ? undefined : courseRunFromRecord(runKey, run.courseKey, run.record);
}

function courseRunFromRecord(key: string, courseKey: string | null, record: JsonObject): CourseRun {
  return {
    key,
    courseKey: courseKey ?? courseKeyOfRunKey(key) ?? null,
    isEnrollable: typeof record.is_enrollable === "boolean" ? record.is_enrollable : null,
    enrollmentStart: dateOrNull(record.enrollment_start),
    enrollmentEnd: dateOrNull(record.enrollment_end),
    modes: modesOf(record),
  };
}

/** `seat_types`, else the types of `seats`. */
function modesOf(record: JsonObject): string[] {
  const seatTypes = record.seat_types;
  if (Array.isArray(seatTypes)) return strings(seatTypes);
  const seats = record.seats;
  if (Array.isArray(seats)) return strings(seats.map((seat) => (isJsonObject(seat) ? seat.type ?? null : null)));
  return [];
}

function strings(values: readonly (JsonValue | undefined)[]): string[] {
  return [...new Set(values.filter((value): value is string => typeof value === "string" && value !== ""))];
}

function dateOrNull(value: JsonValue | undefined): Date | null {
  if (typeof value !== "string" || value === "") return null;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? null : date;
}
