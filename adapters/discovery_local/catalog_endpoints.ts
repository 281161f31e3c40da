/**
 * `/api/v1/courses/`, `/api/v1/programs/` and `/api/v1/course_review/` as discovery's views answer
 * them: the site partner's rows, the filters and flags the views read, DRF ordering, and
 * `ProxiedPagination` (page numbers when `page` is given, limit/offset otherwise).
 */
import type { JsonObject } from "../../src/json.ts";
import {
  type CatalogRecordContext,
  courseRecord,
  inStartOrder,
  programRecord,
  reviewRecord,
} from "./catalog_records.ts";
import type { CourseRow, CourseRunRow, ProgramRow } from "./discovery_database.ts";
import { compareText, type DiscoveryModel, RESTRICTION_TYPES } from "./discovery_model.ts";
import { limitOffsetResponse, pageNumberResponse, pythonInt, serverError } from "./drf_responses.ts";
import type { QueryParameters } from "./query_parameters.ts";

/** What the catalog views read besides the request. */
export interface CatalogSource {
  readonly model: DiscoveryModel;
  /** The site's partner: the views list only its courses and programs. */
  readonly sitePartner: string;
  /** `RETIRED_COURSE_TYPES`: left out of `/courses` unless `include_retired_course_types`. */
  readonly retiredCourseTypes: readonly string[];
  /** The caller's `utm_source` and `utm_medium`. */
  readonly utm: { readonly source: string; readonly medium: string };
}

/** One catalog request, parsed. */
export interface CatalogRequest {
  /** The URL `next` and `previous` are written from. */
  readonly linkUrl: URL;
  readonly parameters: QueryParameters;
}

/** `CourseViewSet.list`. */
export function coursesResponse(request: CatalogRequest, source: CatalogSource): Response {
  const { parameters } = request;
  const flags = integerFlags(parameters, [
    "include_hidden_course_runs", "marketable_course_runs_only", "marketable_enrollable_course_runs_with_archived",
    "published_course_runs_only", "include_deleted_programs", "include_retired_course_types", "exclude_utm",
  ]);
  // `get_query_param` casts with int(): any other value is an unhandled ValueError.
  if (flags === null) return serverError();
  const { model } = source;
  const keys = listParameter(parameters, "keys");
  const uuids = listParameter(parameters, "uuids");
  const excludedRestrictionTypes = excludedTypes(parameters);
  const courses = model.database.courses.filter((course) =>
    course.partner === source.sitePartner &&
    (keys === null || keys.includes(course.key)) &&
    (uuids === null || uuids.includes(course.uuid)) &&
    (flags.include_retired_course_types || !source.retiredCourseTypes.includes(course.type))
  );
  const ordered = ordering(parameters, courses, ["key", "uuid", "title"], "key");
  const context = catalogContext(source, flags.exclude_utm);
  const serialize = (course: CourseRow): JsonObject => courseRecord(course, {
    runs: inStartOrder(course.course_runs.filter((run) =>
      (flags.include_hidden_course_runs || !run.hidden) &&
      (!flags.marketable_course_runs_only || (isMarketableRow(model, run) && isActiveRow(model, run))) &&
      (!flags.marketable_enrollable_course_runs_with_archived || (isMarketableRow(model, run) && model.isEnrollable(run))) &&
      (!flags.published_course_runs_only || run.status === "published") &&
      (run.restriction_type === null || !excludedRestrictionTypes.includes(run.restriction_type))
    )),
    programs: model.programsOf(course).filter((program) => flags.include_deleted_programs || program.status !== "deleted"),
  }, context);
  return paginated(request, ordered, serialize);
}

/** `ProgramViewSet.list`. */
export function programsResponse(request: CatalogRequest, source: CatalogSource): Response {
  const { parameters } = request;
  const flags = integerFlags(parameters, ["published_course_runs_only", "use_full_course_serializer", "exclude_utm"]);
  if (flags === null) return serverError();
  const { model } = source;
  const uuids = listParameter(parameters, "uuids");
  const types = listParameter(parameters, "types");
  const statuses = parameters.getAll("status").filter((status) => status !== "");
  const hidden = booleanParameter(parameters.get("hidden"));
  const programs = model.database.programs.filter((program) =>
    program.partner === source.sitePartner &&
    (uuids === null || uuids.includes(program.uuid)) &&
    (types === null || types.includes(program.type)) &&
    (statuses.length === 0 || statuses.includes(program.status)) &&
    (hidden === null || program.hidden === hidden)
  );
  const ordered = ordering(parameters, programs, ["uuid", "title", "status", "marketing_slug"], null);
  const context = catalogContext(source, flags.exclude_utm);
  const selection = {
    extended: (parameters.get("extended") ?? "") !== "",
    excludedRestrictionTypes: excludedTypes(parameters),
    publishedCourseRunsOnly: flags.published_course_runs_only,
    useFullCourseSerializer: flags.use_full_course_serializer,
  };
  return paginated(request, ordered, (program: ProgramRow) => programRecord(program, selection, context));
}

/** `CourseReviewViewSet.list`: every review, by course key, in pages. */
export function courseReviewsResponse(request: CatalogRequest, source: CatalogSource): Response {
  const reviews = [...source.model.reviews].sort((a, b) => compareText(a.course_key, b.course_key));
  return pageNumberResponse(request.linkUrl, request.parameters, reviews, reviewRecord);
}

/** `ProxiedPagination`: page numbers when `page` has a value, limit/offset otherwise. */
function paginated<T>(request: CatalogRequest, items: readonly T[], serialize: (item: T) => JsonObject): Response {
  const paginate = (request.parameters.get("page") ?? "") !== "" ? pageNumberResponse : limitOffsetResponse;
  return paginate(request.linkUrl, request.parameters, items, serialize);
}

function catalogContext(source: CatalogSource, excludeUtm: boolean): CatalogRecordContext {
  return { model: source.model, utm: excludeUtm ? null : source.utm };
}

/** Flags read with `get_query_param`: absent is false, an integer is its truth, anything else is null. */
function integerFlags<T extends string>(parameters: QueryParameters, names: readonly T[]): Record<T, boolean> | null {
  const flags = {} as Record<T, boolean>;
  for (const name of names) {
    const text = parameters.get(name);
    if (text === undefined) {
      flags[name] = false;
      continue;
    }
    const value = pythonInt(text);
    if (value === null) return null;
    flags[name] = value !== 0;
  }
  return flags;
}

/** `CharListFilter`: a comma-separated list, or null when the parameter is absent or empty. */
function listParameter(parameters: QueryParameters, name: string): readonly string[] | null {
  const value = parameters.get(name);
  return value === undefined || value === "" ? null : value.split(",");
}

/** `BooleanFilter`: true, false, or null when absent or unreadable (no filtering). */
function booleanParameter(value: string | undefined): boolean | null {
  const text = value?.toLowerCase();
  if (text === "true" || text === "1") return true;
  if (text === "false" || text === "0") return false;
  return null;
}

function excludedTypes(parameters: QueryParameters): readonly string[] {
  const included = (parameters.get("include_restricted") ?? "").split(",");
  return RESTRICTION_TYPES.filter((type) => !included.includes(type));
}

/**
 * DRF's `OrderingFilter`: the comma-separated fields of `ordering` the serializer can sort by, in
 * turn; without any, the view's own order (`fallback`, or the database's when null).
 */
function ordering<T extends CourseRow | ProgramRow>(
  parameters: QueryParameters,
  rows: readonly T[],
  sortable: readonly string[],
  fallback: string | null,
): T[] {
  const fields = (parameters.get("ordering") ?? "").split(",").map((field) => field.trim())
    .filter((field) => sortable.includes(field.replace(/^-/, "")));
  const keys = fields.length > 0 ? fields : fallback === null ? [] : [fallback];
  const text = (row: T, field: string): string => String((row as unknown as Record<string, unknown>)[field] ?? "");
  return [...rows].sort((a, b) => {
    for (const field of keys) {
      const name = field.replace(/^-/, "");
      const order = compareText(text(a, name), text(b, name));
      if (order !== 0) return field.startsWith("-") ? -order : order;
    }
    return 0;
  });
}

/** `CourseRunQuerySet.marketable()`: a slug, seats, a marketable type, published. */
function isMarketableRow(model: DiscoveryModel, run: CourseRunRow): boolean {
  return run.slug !== "" && run.seats.length > 0 && model.runType(run.type).is_marketable && run.status === "published";
}

/** `CourseRunQuerySet.active()`: not ended, and enrollment not closed. */
function isActiveRow(model: DiscoveryModel, run: CourseRunRow): boolean {
  return (run.end === null || Date.parse(run.end) > model.now) &&
    (run.enrollment_end === null || Date.parse(run.enrollment_end) > model.now);
}
