/**
 * The documents discovery's Elasticsearch indexes hold (`search_indexes/documents/*.py`): one per
 * course, per run of a marketable run type, per program and per learner pathway, with the values
 * their `prepare_*` methods compute. Filters and sorting run over these documents; the search
 * serializers then read some fields from them and the rest from the rows.
 */
import type { JsonObject } from "../../src/json.ts";
import type { CourseRow, CourseRunRow, OrganizationRow, PathwayRow, ProgramRow } from "./discovery_database.ts";
import { type DiscoveryModel, keyNumber, keyOrganization, typeLegacy } from "./discovery_model.ts";

/** One indexed record: its document and the rows it was prepared from. */
export type SearchEntry =
  | { readonly contentType: "course"; readonly document: JsonObject; readonly course: CourseRow }
  | { readonly contentType: "courserun"; readonly document: JsonObject; readonly course: CourseRow; readonly run: CourseRunRow }
  | { readonly contentType: "program"; readonly document: JsonObject; readonly program: ProgramRow }
  | { readonly contentType: "learnerpathway"; readonly document: JsonObject; readonly pathway: PathwayRow };

/** Which course and run types settings retire: their records are never indexed. */
export interface RetiredTypes {
  readonly courseTypes: readonly string[];
  readonly runTypes: readonly string[];
}

/** Every document of the search indexes, courses with their runs first, then programs, then pathways. */
export function buildSearchEntries(model: DiscoveryModel, retired: RetiredTypes): SearchEntry[] {
  const entries: SearchEntry[] = [];
  for (const course of model.database.courses) {
    if (!retired.courseTypes.includes(course.type)) {
      entries.push({ contentType: "course", document: courseDocument(model, course), course });
    }
    for (const run of visibleRuns(model, course)) {
      if (retired.runTypes.includes(run.type)) continue;
      entries.push({ contentType: "courserun", document: courseRunDocument(model, course, run), course, run });
    }
  }
  for (const program of model.database.programs) {
    entries.push({ contentType: "program", document: programDocument(model, program), program });
  }
  for (const pathway of model.pathways) {
    entries.push({ contentType: "learnerpathway", document: pathwayDocument(pathway), pathway });
  }
  return entries;
}

/** `filter_visible_runs`: runs of a run type that is marketable. */
export function visibleRuns(model: DiscoveryModel, course: CourseRow): CourseRunRow[] {
  return course.course_runs.filter((run) => model.runType(run.type).is_marketable);
}

/** `"<key>: <name>"`, as documents index organizations. */
export function organizationLabel(organization: OrganizationRow): string {
  return `${organization.key}: ${organization.name}`;
}

function courseDocument(model: DiscoveryModel, course: CourseRow): JsonObject {
  const runs = visibleRuns(model, course);
  const authoring = course.authoring_organizations.map((key) => model.organization(key));
  const sponsoring = course.sponsoring_organizations.map((key) => model.organization(key));
  const first = runs[0];
  return {
    ...commonCourseFields(model, course, authoring, sponsoring),
    aggregation_key: `course:${course.key}`,
    aggregation_uuid: `course:${course.uuid}`,
    content_type: "course",
    uuid: course.uuid,
    key: course.key,
    title: course.title,
    first_enrollable_paid_seat_price: model.courseFirstEnrollablePaidSeatPrice(course),
    full_description: course.full_description,
    short_description: course.short_description,
    org: first === undefined ? null : keyOrganization(first.key),
    seat_types: unique(runs.flatMap((run) => run.seats.map((seat) => seat.type))),
    availability: runs.map((run) => model.availability(run)),
    card_image_url: course.card_image_url,
    course_runs: runs.map((run) => run.key),
    expected_learning_items: [...course.expected_learning_items],
    end: runs.map((run) => run.end).filter((end) => end !== null),
    course_ends: model.courseEnds(course.course_runs),
    end_date: model.endDate(course.course_runs),
    enrollment_start: runs.map((run) => run.enrollment_start).filter((date) => date !== null),
    enrollment_end: runs.map((run) => run.enrollment_end).filter((date) => date !== null),
    languages: unique(runs.map((run) => model.languageFacet(run.language)).filter((name) => name !== null)),
    modified: course.modified,
    prerequisites: [...course.prerequisites],
    skill_names: unique(course.skills.map((skill) => skill.name)),
    skills: course.skills.map((skill) => ({ ...skill })),
    status: runs.map((run) => run.status),
    start: runs.map((run) => run.start).filter((start) => start !== null),
    course_type: course.type,
    enterprise_subscription_inclusion: course.enterprise_subscription_inclusion,
    course_length: course.course_length,
    external_course_marketing_type: course.additional_metadata?.external_course_marketing_type ?? null,
    product_source: course.product_source,
  };
}

function courseRunDocument(model: DiscoveryModel, course: CourseRow, run: CourseRunRow): JsonObject {
  const authoring = course.authoring_organizations.map((key) => model.organization(key));
  const sponsoring = course.sponsoring_organizations.map((key) => model.organization(key));
  const paidSeatEnd = model.paidSeatEnrollmentEnd(run);
  return {
    ...commonCourseFields(model, course, authoring, sponsoring),
    aggregation_key: `courserun:${course.key}`,
    aggregation_uuid: `courserun:${run.uuid}`,
    content_type: "courserun",
    uuid: run.uuid,
    key: run.key,
    title: run.title_override ?? course.title,
    first_enrollable_paid_seat_price: model.firstEnrollablePaidSeatPrice(run),
    full_description: course.full_description,
    short_description: run.short_description_override ?? course.short_description,
    org: keyOrganization(run.key),
    seat_types: run.seats.map((seat) => seat.type),
    announcement: run.announcement,
    availability: model.availability(run),
    course_key: course.key,
    end: run.end,
    enrollment_start: run.enrollment_start,
    enrollment_end: run.enrollment_end,
    fixed_price_usd: run.fixed_price_usd === null ? null : Number(run.fixed_price_usd),
    first_enrollable_paid_seat_sku: model.firstEnrollablePaidSeatSku(run),
    go_live_date: run.go_live_date,
    has_enrollable_seats: model.hasEnrollableSeats(run),
    is_active: model.isActive(course, run),
    has_enrollable_paid_seats: model.hasEnrollablePaidSeats(run),
    hidden: run.hidden,
    is_enrollable: model.isEnrollable(run),
    is_current_and_still_upgradeable: model.isCurrentAndStillUpgradeable(run),
    language: model.languageFacet(run.language),
    license: run.license,
    marketing_url: model.runMarketingUrl(course, run),
    min_effort: run.min_effort,
    max_effort: run.max_effort,
    mobile_available: run.mobile_available,
    number: keyNumber(run.key),
    paid_seat_enrollment_end: paidSeatEnd === null ? null : isoDate(paidSeatEnd),
    pacing_type: run.pacing_type,
    program_types: model.programTypes(course, run),
    published: run.status === "published",
    skill_names: unique(course.skills.map((skill) => skill.name)),
    skills: course.skills.map((skill) => ({ ...skill })),
    status: run.status,
    start: run.start,
    restriction_type: run.restriction_type,
    slug: run.slug,
    staff_uuids: [],
    type: typeLegacy(run),
    transcript_languages: run.transcript_languages.map((code) => model.languageFacet(code) as string),
    weeks_to_complete: run.weeks_to_complete,
  };
}

/** Fields `BaseCourseDocument` prepares the same way for a course and its runs. */
function commonCourseFields(
  model: DiscoveryModel,
  course: CourseRow,
  authoring: readonly OrganizationRow[],
  sponsoring: readonly OrganizationRow[],
): JsonObject {
  const subjects = course.subjects.map((slug) => model.subject(slug));
  return {
    partner: course.partner,
    organizations: unique([...authoring, ...sponsoring].map(organizationLabel)),
    authoring_organizations: authoring.map(organizationLabel),
    authoring_organization_uuids: authoring.map((organization) => organization.uuid),
    image_url: course.image_url,
    logo_image_urls: authoring.map((organization) => organization.logo_image_url).filter((url) => url !== null),
    level_type: course.level_type,
    outcome: course.outcome,
    subject_uuids: subjects.map((subject) => subject.uuid),
    subjects: subjects.map((subject) => subject.name),
    sponsoring_organizations: sponsoring.map(organizationLabel),
  };
}

function programDocument(model: DiscoveryModel, program: ProgramRow): JsonObject {
  const runs = model.programRuns(program);
  const authoring = program.authoring_organizations.map((key) => model.organization(key));
  const starts = runs.map((run) => run.start).filter((start) => start !== null).sort();
  const weeks = model.programWeeksToComplete(program);
  const courses = program.courses.map((key) => model.course(key)).filter((course) => course !== undefined);
  return {
    aggregation_key: `program:${program.uuid}`,
    aggregation_uuid: `program:${program.uuid}`,
    content_type: "program",
    uuid: program.uuid,
    title: program.title,
    partner: program.partner,
    organizations: authoring.map(organizationLabel),
    authoring_organization_uuids: authoring.map((organization) => organization.uuid),
    authoring_organizations: authoring.map(organizationLabel),
    credit_backing_organizations: [],
    card_image_url: program.card_image_url,
    hidden: program.hidden,
    is_program_eligible_for_one_click_purchase: program.is_program_eligible_for_one_click_purchase,
    language: unique(runs.map((run) => run.language).filter((code) => code !== null)).map((code) => model.languageFacet(code) as string),
    marketing_url: model.programMarketingUrl(program),
    min_hours_effort_per_week: program.min_hours_effort_per_week,
    max_hours_effort_per_week: program.max_hours_effort_per_week,
    published: program.status === "active",
    subtitle: program.subtitle,
    status: program.status,
    search_card_display: [],
    subject_uuids: unique(courses.flatMap((course) => course.subjects.map((slug) => model.subject(slug).uuid))),
    staff_uuids: [],
    start: starts[0] ?? null,
    seat_types: unique(runs.flatMap((run) => run.seats.map((seat) => seat.type))),
    skill_names: [],
    skills: [],
    type: model.programType(program.type).name,
    weeks_to_complete_min: weeks.min,
    weeks_to_complete_max: weeks.max,
    is_2u_degree_program: false,
    excluded_from_seo: program.excluded_from_seo,
    excluded_from_search: program.excluded_from_search,
    course_run_statuses: unique(courses.flatMap((course) => model.courseRunStatuses(course.course_runs))).sort(),
  };
}

function pathwayDocument(pathway: PathwayRow): JsonObject {
  return {
    aggregation_key: `learnerpathway:${pathway.uuid}`,
    aggregation_uuid: `learnerpathway:${pathway.uuid}`,
    content_type: "learnerpathway",
    uuid: pathway.uuid,
    title: pathway.title,
    partner: pathway.partner,
    created: pathway.created,
    visible_via_association: pathway.visible_via_association,
    status: pathway.status,
    overview: pathway.overview,
    published: pathway.status === "active",
    skill_names: pathway.skills.map((skill) => skill.name),
    skills: pathway.skills.map((skill) => ({ ...skill })),
    start: null,
  };
}

function unique<T>(items: readonly T[]): T[] {
  return [...new Set(items)];
}

function isoDate(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 19)}Z`;
}
