/**
 * The second refresh stage: a search record of a course or program merged with discovery's full
 * record of it (`/courses`, `/programs`) and a course's reviews, as the reference's
 * `update_full_content_metadata_task` merges them (reference §1.10, §3.4), minus its flaws: the
 * merged record is rebuilt from its sources each time, so keys that left upstream leave here too.
 */
import { advertisedCourseRun, EXEC_ED_ENTITLEMENT_MODE, filterIndependentPart, jsonFingerprint } from "../content/content_metadata.ts";
import { EXEC_ED_2U_COURSE_TYPE } from "../content/enrollment_urls.ts";
import { isJsonObject, type JsonObject, type JsonValue } from "../json.ts";
import type { StoredContentState } from "../ports/content_store.ts";

/** The key under which the reference marks courses a filter force-included. */
export const FORCE_INCLUDED_TAG = "enterprise_force_included";

/** The seat whose deadline is a run's enroll-by date, best first, as the reference ranks modes. */
const BEST_MODE_ORDER: readonly string[] = ["verified", "professional", "no-id-professional", "unpaid-executive-education", "audit"];

/** What a course's stored record is built from. */
export interface CourseSources {
  /** The search record; undefined for a force-included course no search returned. */
  readonly search?: JsonObject;
  /** `/courses`'s record; undefined when discovery did not return one. */
  readonly full?: JsonObject;
  /** `/course_review`'s record of the course, if it has one. */
  readonly review?: JsonObject;
  /** The filter force-included the course (`enterprise_force_include_aggregation_keys`). */
  readonly forceIncluded?: boolean;
}

/**
 * A course's stored record: the search record's filter-independent part with the full record over
 * it (its `course_runs` replace the search's), `normalized_metadata` for the course and per run,
 * `reviews_count` and `avg_course_rating`. Without a full record the search record stands as it
 * came. A force-included course is made visible (every run published and current) and tagged.
 */
export function enrichedCourse(key: string, sources: CourseSources): JsonObject {
  const base = sources.search ?? { aggregation_key: `course:${key}`, content_type: "course" };
  let course: JsonObject = sources.full === undefined ? { ...base } : { ...filterIndependentPart(base), ...sources.full };
  if (sources.forceIncluded) course = visibleCourse(course);
  if (sources.full !== undefined) {
    course.normalized_metadata = normalizedMetadata(course);
    const byRun: JsonObject = {};
    for (const run of courseRuns(course)) {
      if (typeof run.key === "string") byRun[run.key] = normalizedMetadata(course, run);
    }
    course.normalized_metadata_by_run = byRun;
  }
  if (sources.review !== undefined) {
    course.reviews_count = sources.review.reviews_count ?? null;
    course.avg_course_rating = sources.review.avg_course_rating ?? null;
  }
  return course;
}

/** A program's stored record: the search record with `/programs`'s full record over it. */
export function enrichedProgram(search: JsonObject, full: JsonObject | undefined): JsonObject {
  return full === undefined ? search : { ...search, ...full };
}

/**
 * The reference's NormalizedContentMetadataSerializer: start, end, enroll-by and enroll-start dates
 * and a price that is never null, from the given run or else the course's advertised run.
 */
export function normalizedMetadata(course: JsonObject, run: JsonObject | undefined = advertisedCourseRun(course)): JsonObject {
  const execEd = course.course_type === EXEC_ED_2U_COURSE_TYPE;
  return {
    start_date: run?.start ?? null,
    end_date: run?.end ?? null,
    enroll_by_date: run === undefined ? null : enrollByDate(run, execEd),
    enroll_start_date: run?.enrollment_start ?? null,
    content_price: contentPrice(course, run, execEd),
  };
}

/** Exec-ed: the enrollment end. Others: the earlier of the best seat's upgrade deadline and the enrollment end. */
function enrollByDate(run: JsonObject, execEd: boolean): JsonValue {
  if (execEd) return run.enrollment_end ?? null;
  const seat = bestSeat(run);
  const deadline = seat === undefined ? null : (truthyString(seat.upgrade_deadline_override) ?? truthyString(seat.upgrade_deadline));
  const dates = [deadline, truthyString(run.enrollment_end)].filter((date): date is string => date !== null);
  // Discovery's dates share one format, so the earliest sorts first, as Python's min() picks it.
  return dates.length === 0 ? null : dates.reduce((a, b) => (b < a ? b : a));
}

function bestSeat(run: JsonObject): JsonObject | undefined {
  const seats = Array.isArray(run.seats) ? run.seats.filter(isJsonObject) : [];
  const rank = (seat: JsonObject): number => {
    const index = typeof seat.type === "string" ? BEST_MODE_ORDER.indexOf(seat.type) : -1;
    return index === -1 ? BEST_MODE_ORDER.length : index;
  };
  // A stable sort, as Python's sorted() is: equal ranks keep discovery's order.
  return [...seats].sort((a, b) => rank(a) - rank(b))[0];
}

/** The run's fixed price, else an exec-ed course's entitlement price, else the run's first paid seat price, else 0. */
function contentPrice(course: JsonObject, run: JsonObject | undefined, execEd: boolean): number {
  const fixed = run === undefined ? null : priceOf(run.fixed_price_usd);
  if (fixed !== null) return fixed;
  if (execEd && Array.isArray(course.entitlements)) {
    for (const entitlement of course.entitlements) {
      if (!isJsonObject(entitlement) || entitlement.mode !== EXEC_ED_ENTITLEMENT_MODE) continue;
      const price = priceOf(entitlement.price);
      if (price !== null) return price;
    }
  }
  return (run === undefined ? null : priceOf(run.first_enrollable_paid_seat_price)) ?? 0;
}

/** A price Python would call truthy, as a number (discovery writes numbers or decimal strings); null otherwise. */
function priceOf(value: JsonValue | undefined): number | null {
  if (value === null || value === undefined || value === "" || value === 0 || typeof value === "boolean") return null;
  const price = typeof value === "number" ? value : typeof value === "string" ? Number(value) : Number.NaN;
  return Number.isFinite(price) ? price : null;
}

function truthyString(value: JsonValue | undefined): string | null {
  return typeof value === "string" && value !== "" ? value : null;
}

/** The reference's `transform_course_metadata_to_visible`: every run published and current, statuses recomputed, tagged. */
function visibleCourse(course: JsonObject): JsonObject {
  const runs = courseRuns(course).map((run) => ({ ...run, status: "published", availability: "Current" }));
  return {
    ...course,
    course_runs: runs,
    course_run_statuses: runs.map(() => "published"),
    [FORCE_INCLUDED_TAG]: true,
  };
}

function courseRuns(course: JsonObject): JsonObject[] {
  return Array.isArray(course.course_runs) ? course.course_runs.filter(isJsonObject) : [];
}

/** The filter key whose course keys the reference adds to a query whatever its search returns. */
export const FORCE_INCLUDE_FILTER_KEY = "enterprise_force_include_aggregation_keys";

/** The course keys a filter force-includes (despite the key's name they are course keys, not aggregation keys). */
export function forceIncludedCourseKeys(filter: JsonObject): string[] {
  const value = filter[FORCE_INCLUDE_FILTER_KEY];
  const keys = Array.isArray(value) ? value : typeof value === "string" ? [value] : [];
  return [...new Set(keys.filter((key): key is string => typeof key === "string" && key.trim() !== ""))];
}

/** What stands in for the search record of a force-included course: only what identifies it. */
export function forceIncludedStub(courseKey: string): JsonObject {
  return { aggregation_key: `course:${courseKey}`, content_type: "course", key: courseKey };
}

/** Whether a stored row's full record is missing or older than the maximum age: the rule for force-included courses. */
export function isFullRecordDue(stored: StoredContentState | undefined, context: Pick<FullRecordContext, "now" | "maxAgeMs">): boolean {
  const enrichedAt = stored?.enrichedAt ?? null;
  return enrichedAt === null || context.now.getTime() - enrichedAt.getTime() > context.maxAgeMs;
}

/** What is known of one course or program when a refresh decides whether to fetch its full record. */
export interface FullRecordContext {
  /** The stored row, if there is one. */
  readonly stored: StoredContentState | undefined;
  /** The search fingerprint this query's membership holds: undefined when it is no member, null when it has none. */
  readonly memberSearchFingerprint: string | null | undefined;
  /** The start of this query's last successful refresh. */
  readonly lastRefreshedAt: Date | null;
  readonly now: Date;
  /** A full record older than this is fetched again. */
  readonly maxAgeMs: number;
}

/**
 * Whether to fetch the full record behind a search record: when there is none stored, when it is
 * older than the maximum age, when the filter-independent search record changed, or when this
 * query's own view of the record (its nested runs) changed and the stored full record predates
 * this query's last look. Otherwise the stored row stands, however many queries hold it.
 */
export function needsFullRecord(search: JsonObject, context: FullRecordContext): boolean {
  const { stored } = context;
  if (stored === undefined || stored.enrichedAt === null || isFullRecordDue(stored, context)) return true;
  if (stored.searchFingerprint !== jsonFingerprint(filterIndependentPart(search))) return true;
  const member = context.memberSearchFingerprint;
  if (member === undefined || member === jsonFingerprint(search)) return false;
  return context.lastRefreshedAt === null || stored.enrichedAt.getTime() <= context.lastRefreshedAt.getTime();
}
