/**
 * The records `search/all` answers, as discovery's search serializers write them
 * (`search_indexes/serializers/*.py`): the document fields each serializer's `Meta.fields` names
 * (less `text`), plus the fields it computes from the rows: a course's nested runs, seat types and
 * languages, a program's organizations, a pathway's steps and images. Version 2 adds
 * `aggregation_uuid` and the hit's `sort` values.
 */
import type { JsonObject, JsonValue } from "../../src/json.ts";
import { BANNER_VARIATIONS, CARD_VARIATIONS, organizationRecord, stdImage } from "./catalog_records.ts";
import type { CourseRow, CourseRunRow, PathwayRow } from "./discovery_database.ts";
import { type DiscoveryModel, typeLegacy } from "./discovery_model.ts";
import type { QueryParameters } from "./query_parameters.ts";
import type { SearchEntry } from "./search_documents.ts";
import type { SortValue } from "./search_index.ts";

/** What one search request's serializers read besides the hit. */
export interface SearchRecordContext {
  readonly model: DiscoveryModel;
  /** The request's parameters, body merged in: nested runs are kept when one of them names a run attribute. */
  readonly parameters: QueryParameters;
  /** `exclude_expired_course_run` was given (any non-empty value counts, "False" too). */
  readonly excludeExpired: boolean;
  readonly excludedRestrictionTypes: readonly string[];
}

/** The record of one hit; with `sort`, the version 2 record. */
export function searchRecord(entry: SearchEntry, context: SearchRecordContext, sort?: readonly SortValue[]): JsonObject {
  let record: JsonObject;
  switch (entry.contentType) {
    case "course":
      record = courseRecord(entry.document, entry.course, context);
      break;
    case "courserun":
      record = pick(entry.document, COURSE_RUN_FIELDS);
      break;
    case "program":
      record = pick({
        ...entry.document,
        authoring_organizations: entry.program.authoring_organizations.map((key) => organizationRecord(context.model.organization(key))),
        // The program's taxonomy skills: the database holds none.
        skill_names: [],
        skills: [],
      }, PROGRAM_FIELDS);
      break;
    case "learnerpathway":
      record = pathwayRecord(entry.document, entry.pathway, context.model);
      break;
  }
  if (sort === undefined) return record;
  return { ...record, aggregation_uuid: entry.document.aggregation_uuid as string, sort: [...sort] };
}

/** `CourseSearchDocumentSerializer.Meta.fields` that `CourseDocument` has, less `text`, `level_type`, `modified`, `outcome`. */
const COURSE_FIELDS = [
  "aggregation_key", "content_type", "full_description", "key", "short_description", "title", "card_image_url", "image_url",
  "course_runs", "uuid", "seat_types", "skill_names", "skills", "end_date", "course_ends", "subjects", "languages",
  "organizations", "course_type", "course_length", "enterprise_subscription_inclusion", "external_course_marketing_type",
  "product_source",
];

/** `CourseRunSearchDocumentSerializer.Meta.fields`, less `text`. */
const COURSE_RUN_FIELDS = [
  "aggregation_key", "content_type", "authoring_organization_uuids", "availability", "end", "enrollment_end",
  "enrollment_start", "first_enrollable_paid_seat_sku", "first_enrollable_paid_seat_price", "full_description",
  "go_live_date", "has_enrollable_seats", "image_url", "is_enrollable", "key", "language", "level_type", "logo_image_urls",
  "marketing_url", "max_effort", "min_effort", "mobile_available", "number", "org", "pacing_type", "partner",
  "program_types", "published", "seat_types", "skill_names", "skills", "short_description", "staff_uuids", "start",
  "subject_uuids", "title", "transcript_languages", "type", "weeks_to_complete", "restriction_type", "fixed_price_usd",
];

/** `ProgramSearchDocumentSerializer.Meta.fields`, less `text`. */
const PROGRAM_FIELDS = [
  "aggregation_key", "content_type", "card_image_url", "language", "marketing_url", "partner", "published", "status",
  "subtitle", "title", "type", "uuid", "authoring_organization_uuids", "authoring_organizations", "hidden",
  "is_program_eligible_for_one_click_purchase", "max_hours_effort_per_week", "min_hours_effort_per_week", "staff_uuids",
  "subject_uuids", "skill_names", "skills", "weeks_to_complete_max", "weeks_to_complete_min", "search_card_display",
  "is_2u_degree_program", "excluded_from_search", "excluded_from_seo",
];

function courseRecord(document: JsonObject, course: CourseRow, context: SearchRecordContext): JsonObject {
  const { model, excludeExpired } = context;
  // `result.object.course_runs.all()`: every run but those of an excluded restriction type.
  const runs = course.course_runs.filter((run) => run.restriction_type === null || !context.excludedRestrictionTypes.includes(run.restriction_type));
  const current = (run: CourseRunRow) => run.end === null || Date.parse(run.end) > model.now;
  const seatRuns = excludeExpired ? runs.filter(current) : runs;
  const languageRuns = excludeExpired ? runs.filter((run) => model.isActive(course, run)) : runs;
  return pick({
    ...document,
    course_runs: runs.filter((run) => !excludeExpired || current(run) || matchesParameter(model, course, run, context.parameters))
      .map((run) => nestedRun(model, course, run)),
    seat_types: [...new Set(seatRuns.flatMap((run) => run.seats.map((seat) => seat.type)))],
    languages: [...new Set(languageRuns.map((run) => model.languageFacet(run.language)).filter((name) => name !== null))],
  }, COURSE_FIELDS);
}

/**
 * `should_include_course_run`'s exception for an ended run: some request parameter names an
 * attribute of the run and one of its values equals that attribute. Only text attributes can equal
 * a query value; dates, booleans, numbers and related objects never do.
 */
function matchesParameter(model: DiscoveryModel, course: CourseRow, run: CourseRunRow, parameters: QueryParameters): boolean {
  const attributes = runTextAttributes(model, course, run);
  for (const [name, values] of parameters.entries()) {
    if (!Object.hasOwn(attributes, name)) continue;
    const attribute = attributes[name];
    if (attribute !== null && values.includes(attribute as string)) return true;
  }
  return false;
}

/** The text-valued attributes of a `CourseRun` a parameter can name. */
function runTextAttributes(model: DiscoveryModel, course: CourseRow, run: CourseRunRow): Record<string, string | null> {
  return {
    key: run.key,
    external_key: run.external_key,
    status: run.status,
    title: run.title_override ?? course.title,
    short_description: run.short_description_override ?? course.short_description,
    full_description: course.full_description,
    outcome: course.outcome,
    pacing_type: run.pacing_type,
    slug: run.slug,
    license: run.license,
    reporting_type: run.reporting_type,
    ofac_comment: run.ofac_comment,
    expected_program_name: run.expected_program_name,
    availability: model.availability(run),
    marketing_url: model.runMarketingUrl(course, run),
    image_url: course.image_url,
    type_legacy: typeLegacy(run),
  };
}

/** `course_run_detail`: a run as a course search record nests it (no uuid, no seats). */
function nestedRun(model: DiscoveryModel, course: CourseRow, run: CourseRunRow): JsonObject {
  const effort = (run.min_effort ?? 0) + (run.max_effort ?? 0);
  const weeks = run.weeks_to_complete ?? 0;
  return {
    key: run.key,
    enrollment_start: run.enrollment_start,
    enrollment_end: run.enrollment_end,
    go_live_date: run.go_live_date,
    start: run.start,
    end: run.end,
    modified: run.modified,
    availability: model.availability(run),
    status: run.status,
    pacing_type: run.pacing_type,
    enrollment_mode: typeLegacy(run),
    min_effort: run.min_effort,
    max_effort: run.max_effort,
    weeks_to_complete: run.weeks_to_complete,
    estimated_hours: effort > 0 && weeks > 0 ? (effort / 2) * weeks : 0,
    // `price or 0.0`: a run without a paid seat shows 0 here, where its own record shows null.
    first_enrollable_paid_seat_price: model.firstEnrollablePaidSeatPrice(run) ?? 0,
    is_enrollable: model.isEnrollable(run),
    restriction_type: run.restriction_type,
    fixed_price_usd: run.fixed_price_usd === null || Number(run.fixed_price_usd) === 0 ? null : Number(run.fixed_price_usd),
  };
}

function pathwayRecord(document: JsonObject, pathway: PathwayRow, model: DiscoveryModel): JsonObject {
  return {
    aggregation_key: document.aggregation_key as string,
    content_type: document.content_type as string,
    uuid: pathway.uuid,
    title: pathway.title,
    status: pathway.status,
    banner_image: stdImage(pathway.banner_image_url, BANNER_VARIATIONS),
    card_image: stdImage(pathway.card_image_url, CARD_VARIATIONS),
    overview: pathway.overview,
    published: document.published as boolean,
    skills: pathway.skills.map((skill) => ({ ...skill })),
    skill_names: pathway.skills.map((skill) => skill.name),
    partner: pathway.partner,
    steps: pathway.steps.map((step) => ({
      uuid: step.uuid,
      min_requirement: step.min_requirement,
      courses: step.courses.map((key) => model.course(key)).filter((course) => course !== undefined).map((course) => ({
        key: course.key,
        course_runs: publishedRunKeys(course),
        title: course.title,
        short_description: course.short_description,
        card_image_url: course.image_url,
        content_type: "course",
      })),
      programs: step.programs.map((uuid) => model.program(uuid)).filter((program) => program !== undefined).map((program) => ({
        uuid: program.uuid,
        title: program.title,
        short_description: program.subtitle,
        card_image_url: program.card_image_url,
        content_type: "program",
        courses: program.courses.map((key) => model.course(key)).filter((course) => course !== undefined)
          .map((course) => ({ key: course.key, course_runs: publishedRunKeys(course) })),
      })),
    })),
    visible_via_association: pathway.visible_via_association,
    created: pathway.created,
  };
}

/** The pathway index prefetches only published runs. */
function publishedRunKeys(course: CourseRow): JsonObject[] {
  return course.course_runs.filter((run) => run.status === "published").map((run) => ({ key: run.key }));
}

/** The named fields of an object, in that order. */
function pick(source: JsonObject, fields: readonly string[]): JsonObject {
  const out: JsonObject = {};
  for (const field of fields) out[field] = (source[field] ?? null) as JsonValue;
  return out;
}
