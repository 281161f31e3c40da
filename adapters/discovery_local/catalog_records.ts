/**
 * The records of discovery's catalog endpoints, as `api/serializers.py` writes them:
 * `/courses` (`CourseWithProgramsSerializer` with `CourseRunSerializer`, `SeatSerializer`,
 * `CourseEntitlementSerializer`, `OrganizationSerializer`, `NestedProgramSerializer`, ...),
 * `/programs` (`MinimalProgramSerializer`, `MinimalExtendedProgramSerializer` with `extended`) and
 * `/course_review` (`CourseReviewSerializer`). Fields the database holds no data for (videos,
 * editors, degrees, ...) have discovery's empty value: null, `[]` or `""`.
 */
import type { JsonObject } from "../../src/json.ts";
import type {
  AdditionalMetadataRow,
  CourseReviewRow,
  CourseRow,
  CourseRunRow,
  EntitlementRow,
  OrganizationRow,
  ProgramRow,
  SeatRow,
} from "./discovery_database.ts";
import { compareText, type DiscoveryModel, typeLegacy } from "./discovery_model.ts";
import { quotePlus } from "./query_parameters.ts";

/** What the catalog serializers read besides the rows. */
export interface CatalogRecordContext {
  readonly model: DiscoveryModel;
  /** The `utm_source`/`utm_medium` discovery appends to marketing URLs for the caller, or null with `exclude_utm`. */
  readonly utm: { readonly source: string; readonly medium: string } | null;
}

/** Image sizes of `StdImageField`s: banners of programs and pathways. */
export const BANNER_VARIATIONS: readonly [string, number, number][] = [
  ["large", 1440, 480], ["medium", 726, 242], ["small", 435, 145], ["x-small", 348, 116],
];
/** Image sizes of a pathway's card image. */
export const CARD_VARIATIONS: readonly [string, number, number][] = [["card", 378, 225]];

/** `StdImageSerializerField`: each variation's URL and size, or `{}` without an image. */
export function stdImage(url: string | null, variations: readonly [string, number, number][]): JsonObject {
  if (url === null) return {};
  const dot = url.lastIndexOf(".");
  const image: JsonObject = {};
  for (const [name, width, height] of variations) {
    image[name] = { url: `${url.slice(0, dot)}.${name}${url.slice(dot)}`, width, height };
  }
  return image;
}

/** `MinimalOrganizationSerializer`. */
export function minimalOrganizationRecord(organization: OrganizationRow): JsonObject {
  return {
    uuid: organization.uuid,
    key: organization.key,
    name: organization.name,
    auto_generate_course_run_keys: organization.auto_generate_course_run_keys,
    certificate_logo_image_url: organization.certificate_logo_image_url,
    logo_image_url: organization.logo_image_url,
    organization_hex_color: organization.organization_hex_color,
    data_modified_timestamp: organization.data_modified_timestamp,
  };
}

/** `OrganizationSerializer` (also what program search records hold as `authoring_organizations`). */
export function organizationRecord(organization: OrganizationRow): JsonObject {
  return {
    ...minimalOrganizationRecord(organization),
    description: organization.description,
    description_es: null,
    homepage_url: organization.homepage_url,
    tags: [...organization.tags],
    marketing_url: organization.marketing_url,
    slug: organization.slug,
    banner_image_url: organization.banner_image_url,
    enterprise_subscription_inclusion: organization.enterprise_subscription_inclusion,
  };
}

/** `SeatSerializer`. */
export function seatRecord(seat: SeatRow): JsonObject {
  return { ...seat };
}

/** `CourseEntitlementSerializer`; `expires` is a deprecated field that is always null. */
export function entitlementRecord(entitlement: EntitlementRow): JsonObject {
  return { mode: entitlement.mode, price: entitlement.price, currency: entitlement.currency, sku: entitlement.sku, expires: null };
}

/** `ImageField`: an image URL in the shape of the old `Image` model. */
function imageField(url: string | null): JsonObject | null {
  return url === null ? null : { src: url, description: null, height: null, width: null };
}

/** `get_marketing_url_for_user`: the URL with the caller's utm parameters. */
function marketingUrlForUser(url: string | null, context: CatalogRecordContext): string | null {
  if (url === null || context.utm === null) return url;
  return `${url}?utm_source=${quotePlus(context.utm.source)}&utm_medium=${quotePlus(context.utm.medium)}`;
}

/** `MinimalCourseRunSerializer` (`term` is write-only). */
export function minimalCourseRunRecord(course: CourseRow, run: CourseRunRow, context: CatalogRecordContext): JsonObject {
  const { model } = context;
  return {
    key: run.key,
    uuid: run.uuid,
    title: run.title_override ?? course.title,
    external_key: run.external_key,
    fixed_price_usd: run.fixed_price_usd,
    image: imageField(course.image_url),
    short_description: run.short_description_override ?? course.short_description,
    marketing_url: marketingUrlForUser(model.runMarketingUrl(course, run), context),
    seats: run.seats.map(seatRecord),
    start: run.start,
    end: run.end,
    go_live_date: run.go_live_date,
    enrollment_start: run.enrollment_start,
    enrollment_end: run.enrollment_end,
    weeks_to_complete: run.weeks_to_complete,
    pacing_type: run.pacing_type,
    type: typeLegacy(run),
    restriction_type: run.restriction_type,
    run_type: model.runType(run.type).uuid,
    status: run.status,
    is_enrollable: model.isEnrollable(run),
    is_marketable: model.isMarketable(course, run),
    is_marketable_external: model.isMarketableExternal(course, run),
    availability: model.availability(run),
    variant_id: run.variant_id,
  };
}

/** `CourseRunSerializer`. */
export function courseRunRecord(course: CourseRow, run: CourseRunRow, context: CatalogRecordContext): JsonObject {
  const { model } = context;
  const effort = (run.min_effort ?? 0) + (run.max_effort ?? 0);
  const weeks = run.weeks_to_complete ?? 0;
  return {
    ...minimalCourseRunRecord(course, run, context),
    course: course.key,
    full_description: course.full_description,
    announcement: run.announcement,
    video: null,
    content_language: run.language,
    license: run.license,
    outcome: course.outcome,
    transcript_languages: [...run.transcript_languages],
    instructors: [],
    staff: [],
    min_effort: run.min_effort,
    max_effort: run.max_effort,
    modified: run.modified,
    level_type: course.level_type,
    mobile_available: run.mobile_available,
    hidden: run.hidden,
    reporting_type: run.reporting_type,
    eligible_for_financial_aid: run.eligible_for_financial_aid,
    first_enrollable_paid_seat_price: model.firstEnrollablePaidSeatPrice(run),
    has_ofac_restrictions: run.has_ofac_restrictions,
    ofac_comment: run.ofac_comment,
    enrollment_count: run.enrollment_count,
    recent_enrollment_count: run.recent_enrollment_count,
    expected_program_type: run.expected_program_type,
    expected_program_name: run.expected_program_name,
    course_uuid: course.uuid,
    estimated_hours: effort > 0 && weeks > 0 ? (effort / 2) * weeks : 0,
    content_language_search_facet_name: model.languageFacet(run.language),
    enterprise_subscription_inclusion: run.enterprise_subscription_inclusion,
    transcript_languages_search_facet_names: run.transcript_languages.map((code) => model.languageFacet(code) as string),
    ai_languages: null,
  };
}

/** `NestedProgramSerializer`: a program as a course nests it. */
export function nestedProgramRecord(program: ProgramRow, model: DiscoveryModel): JsonObject {
  const type = model.programType(program.type);
  return {
    uuid: program.uuid,
    title: program.title,
    type: type.name,
    type_attrs: { uuid: type.uuid, slug: type.slug, coaching_supported: type.coaching_supported },
    marketing_slug: program.marketing_slug,
    marketing_url: model.programMarketingUrl(program),
    number_of_courses: program.courses.length,
  };
}

/** `AdditionalMetadataSerializer`. */
function additionalMetadataRecord(metadata: AdditionalMetadataRow): JsonObject {
  return {
    external_identifier: metadata.external_identifier,
    external_url: metadata.external_url,
    lead_capture_form_url: metadata.lead_capture_form_url,
    facts: [],
    certificate_info: null,
    organic_url: metadata.organic_url,
    start_date: metadata.start_date,
    end_date: metadata.end_date,
    registration_deadline: metadata.registration_deadline,
    variant_id: metadata.variant_id,
    course_term_override: metadata.course_term_override,
    product_status: metadata.product_status,
    product_meta: null,
    external_course_marketing_type: metadata.external_course_marketing_type,
    display_on_org_page: metadata.display_on_org_page,
    taxi_form: null,
  };
}

/** Which runs and programs of a course the `/courses` view prefetched. */
export interface CourseSelection {
  /** In `start`, then creation, order. */
  readonly runs: readonly CourseRunRow[];
  readonly programs: readonly ProgramRow[];
}

/** `CourseWithProgramsSerializer` (`partner` is write-only). */
export function courseRecord(course: CourseRow, selection: CourseSelection, context: CatalogRecordContext): JsonObject {
  const { model } = context;
  const organizations = (keys: readonly string[]) => keys.map((key) => organizationRecord(model.organization(key)));
  const source = course.product_source === null ? null : model.source(course.product_source);
  const advertised = model.advertisedRun(course, selection.runs);
  const root = model.partner(course.partner).marketing_site_url_root;
  return {
    key: course.key,
    uuid: course.uuid,
    title: course.title,
    course_runs: selection.runs.map((run) => courseRunRecord(course, run, context)),
    entitlements: course.entitlements.map(entitlementRecord),
    owners: organizations(course.authoring_organizations),
    image: imageField(course.image_url),
    short_description: course.short_description,
    type: model.courseTypeUuid(course.type),
    url_slug: course.url_slug,
    course_type: course.type,
    enterprise_subscription_inclusion: course.enterprise_subscription_inclusion,
    excluded_from_seo: course.excluded_from_seo,
    excluded_from_search: course.excluded_from_search,
    course_run_statuses: model.courseRunStatuses(selection.runs),
    full_description: course.full_description,
    level_type: course.level_type,
    // `SubjectSerializer` writes exactly the subject row's fields.
    subjects: course.subjects.map((slug) => ({ ...model.subject(slug) })),
    prerequisites: course.prerequisites.map((name) => ({ name })),
    prerequisites_raw: null,
    expected_learning_items: [...course.expected_learning_items],
    video: null,
    sponsors: organizations(course.sponsoring_organizations),
    modified: course.modified,
    marketing_url: marketingUrlForUser(`${root}course/${course.url_slug}`, context),
    syllabus_raw: null,
    outcome: course.outcome,
    original_image: imageField(course.original_image_url),
    card_image_url: course.card_image_url,
    canonical_course_run_key: course.canonical_course_run_key,
    extra_description: null,
    additional_information: null,
    additional_metadata: course.additional_metadata === null ? null : additionalMetadataRecord(course.additional_metadata),
    faq: null,
    learner_testimonials: null,
    enrollment_count: course.enrollment_count,
    recent_enrollment_count: course.recent_enrollment_count,
    topics: [...course.topics],
    key_for_reruns: course.key_for_reruns,
    url_slug_history: [course.url_slug],
    url_redirects: [],
    editors: [],
    collaborators: [],
    skill_names: [...new Set(course.skills.map((skill) => skill.name))],
    skills: course.skills.map((skill) => ({ ...skill })),
    organization_short_code_override: course.organization_short_code_override,
    organization_logo_override_url: null,
    geolocation: null,
    location_restriction: null,
    in_year_value: null,
    product_source: source === null ? null : { name: source.name, slug: source.slug, description: source.description },
    data_modified_timestamp: course.data_modified_timestamp,
    watchers: [],
    programs: selection.programs.map((program) => nestedProgramRecord(program, model)),
    course_run_keys: selection.runs.map((run) => run.key),
    editable: false,
    advertised_course_run_uuid: advertised?.uuid ?? null,
  };
}

/** What the `/programs` view and its flags let through of each program's courses. */
export interface ProgramSelection {
  readonly extended: boolean;
  /** Runs of a restriction type the request did not include are left out. */
  readonly excludedRestrictionTypes: readonly string[];
  readonly publishedCourseRunsOnly: boolean;
  readonly useFullCourseSerializer: boolean;
}

/** `MinimalProgramSerializer`, or `MinimalExtendedProgramSerializer` when `extended`. */
export function programRecord(program: ProgramRow, selection: ProgramSelection, context: CatalogRecordContext): JsonObject {
  const { model } = context;
  const type = model.programType(program.type);
  const runs = model.programRuns(program)
    .filter((run) => run.restriction_type === null || !selection.excludedRestrictionTypes.includes(run.restriction_type));
  const courses = programCourses(program, runs, model);
  const record: JsonObject = {
    uuid: program.uuid,
    title: program.title,
    subtitle: program.subtitle,
    type: type.name,
    type_attrs: { uuid: type.uuid, slug: type.slug, coaching_supported: type.coaching_supported },
    status: program.status,
    marketing_slug: program.marketing_slug,
    marketing_url: model.programMarketingUrl(program),
    banner_image: stdImage(program.banner_image_url, BANNER_VARIATIONS),
    hidden: program.hidden,
    courses: courses.map((course) => programCourseRecord(course, runs, selection, context)),
    authoring_organizations: program.authoring_organizations.map((key) => minimalOrganizationRecord(model.organization(key))),
    card_image_url: program.card_image_url,
    is_program_eligible_for_one_click_purchase: program.is_program_eligible_for_one_click_purchase,
    degree: null,
    curricula: [],
    marketing_hook: program.marketing_hook,
    total_hours_of_effort: program.total_hours_of_effort,
    recent_enrollment_count: program.recent_enrollment_count,
    organization_short_code_override: "",
    organization_logo_override_url: null,
    primary_subject_override: null,
    level_type_override: null,
    language_override: null,
    labels: [],
    taxi_form: null,
    program_duration_override: null,
    data_modified_timestamp: program.data_modified_timestamp,
    excluded_from_search: program.excluded_from_search,
    excluded_from_seo: program.excluded_from_seo,
    has_ofac_restrictions: program.has_ofac_restrictions,
    ofac_comment: program.ofac_comment,
    course_run_statuses: [...new Set(courses.flatMap((course) => model.courseRunStatuses(course.course_runs)))].sort(),
  };
  if (selection.extended) {
    record.expected_learning_items = [...program.expected_learning_items];
    record.price_ranges = priceRanges(program, model);
  }
  // `to_representation` replaces the nested subscription by these two; no program has one here.
  record.subscription_eligible = null;
  record.subscription_prices = [];
  return record;
}

/** `MinimalProgramCourseSerializer`: a course with the program's runs of it. */
function programCourseRecord(
  course: CourseRow,
  programRuns: readonly CourseRunRow[],
  selection: ProgramSelection,
  context: CatalogRecordContext,
): JsonObject {
  const { model } = context;
  let runs = inStartOrder(programRuns.filter((run) => course.course_runs.includes(run)));
  if (selection.publishedCourseRunsOnly) runs = runs.filter((run) => run.status === "published");
  const serialize = selection.useFullCourseSerializer ? courseRunRecord : minimalCourseRunRecord;
  return {
    key: course.key,
    uuid: course.uuid,
    title: course.title,
    course_runs: runs.map((run) => serialize(course, run, context)),
    entitlements: course.entitlements.map(entitlementRecord),
    owners: course.authoring_organizations.map((key) => minimalOrganizationRecord(model.organization(key))),
    image: imageField(course.image_url),
    short_description: course.short_description,
    type: model.courseTypeUuid(course.type),
    // `MinimalCourseSerializer.get_url_slug` answers None since the field moved.
    url_slug: null,
    course_type: course.type,
    enterprise_subscription_inclusion: course.enterprise_subscription_inclusion,
    excluded_from_seo: course.excluded_from_seo,
    excluded_from_search: course.excluded_from_search,
    course_run_statuses: model.courseRunStatuses(course.course_runs),
  };
}

/** The program's courses; with `order_courses_by_start_date`, by earliest run start, then earliest enrollment start. */
function programCourses(program: ProgramRow, runs: readonly CourseRunRow[], model: DiscoveryModel): CourseRow[] {
  const courses = program.courses.map((key) => model.course(key)).filter((course) => course !== undefined);
  if (!program.order_courses_by_start_date) return courses;
  const earliest = (course: CourseRow, field: "start" | "enrollment_start", missing: number): number => {
    const own = runs.filter((run) => course.course_runs.includes(run));
    if (own.length === 0) return field === "start" ? Infinity : -Infinity;
    return Math.min(...own.map((run) => (run[field] === null ? missing : Date.parse(run[field] as string))));
  };
  return courses
    .sort((a, b) => earliest(a, "enrollment_start", -Infinity) - earliest(b, "enrollment_start", -Infinity))
    .sort((a, b) => earliest(a, "start", Infinity) - earliest(b, "start", Infinity));
}

/** `price_ranges`: per currency, the lowest and highest price of a canonical seat or entitlement, and a total. */
function priceRanges(program: ProgramRow, model: DiscoveryModel): JsonObject[] {
  const applicable = new Set(model.programType(program.type).applicable_seat_types);
  const prices = new Map<string, number[]>();
  const totals = new Map<string, number>();
  for (const key of program.courses) {
    const course = model.course(key);
    if (course === undefined) continue;
    const canonical = course.course_runs.find((run) => run.key === course.canonical_course_run_key && !program.excluded_course_runs.includes(run.key));
    const products = [
      ...(canonical?.seats ?? []).filter((seat) => applicable.has(seat.type)),
      ...course.entitlements.filter((entitlement) => applicable.has(entitlement.mode)),
    ];
    for (const product of products) prices.set(product.currency, [...(prices.get(product.currency) ?? []), Number(product.price)]);
    // One product stands for the course in the total: its entitlement if it has one.
    const representative = products.at(-1);
    if (representative !== undefined) {
      totals.set(representative.currency, (totals.get(representative.currency) ?? 0) + Number(representative.price));
    }
  }
  return [...prices].map(([currency, list]) => ({ currency, min: Math.min(...list), max: Math.max(...list), total: totals.get(currency) ?? 0 }));
}

/** Runs as the course prefetches order them: by start, then creation. */
export function inStartOrder(runs: readonly CourseRunRow[]): CourseRunRow[] {
  return [...runs].sort((a, b) => compareText(a.start ?? "", b.start ?? ""));
}

const GOAL_LABELS: Readonly<Record<string, string>> = {
  changecareers: "Change careers",
  jobadvancement: "Job advancement",
  valuableskills: "Learn valuable skills",
  learnforfun: "Learn for fun",
};

/** `CourseReviewSerializer`: the goal as its label. */
export function reviewRecord(review: CourseReviewRow): JsonObject {
  return {
    course_key: review.course_key,
    reviews_count: review.reviews_count,
    avg_course_rating: review.avg_course_rating,
    confident_learners_percentage: review.confident_learners_percentage,
    most_common_goal: GOAL_LABELS[review.most_common_goal] ?? review.most_common_goal,
    most_common_goal_learners_percentage: review.most_common_goal_learners_percentage,
    total_enrollments: review.total_enrollments,
  };
}
