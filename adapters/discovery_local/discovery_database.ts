/**
 * The bundled discovery database: the rows course-discovery's models hold (partners, organizations,
 * courses with every run and seat, programs, learner pathways, course reviews), not any endpoint's
 * answer. The local discovery server derives its search documents and every serializer's output
 * from these rows, the way discovery derives them from its own tables.
 *
 * Row fields are named after discovery's model fields. Prices are decimal strings ("49.00"), dates
 * `YYYY-MM-DDTHH:MM:SSZ`, relations are keys (course keys, organization keys, slugs).
 */
import { readFile } from "node:fs/promises";
import { promisify } from "node:util";
import { gunzip } from "node:zlib";
import type { JsonObject } from "../../src/json.ts";

/** Where the bundled database lives; `tools/discovery_corpus` writes it. */
export const BUNDLED_DATABASE_URL: URL = new URL("./discovery_database.json.gz", import.meta.url);

/** A site of discovery (`Partner`): its courses' marketing and LMS roots. */
export interface PartnerRow {
  readonly short_code: string;
  readonly name: string;
  readonly marketing_site_url_root: string;
  readonly lms_url: string;
}

/** `Organization`. */
export interface OrganizationRow {
  readonly uuid: string;
  readonly key: string;
  readonly name: string;
  readonly partner: string;
  readonly description: string;
  readonly homepage_url: string | null;
  readonly logo_image_url: string | null;
  readonly certificate_logo_image_url: string | null;
  readonly banner_image_url: string | null;
  readonly marketing_url: string | null;
  readonly slug: string;
  readonly organization_hex_color: string | null;
  readonly enterprise_subscription_inclusion: boolean;
  readonly auto_generate_course_run_keys: boolean;
  readonly tags: readonly string[];
  readonly data_modified_timestamp: string;
}

/** `Subject`. */
export interface SubjectRow {
  readonly uuid: string;
  readonly name: string;
  readonly slug: string;
  readonly subtitle: string;
  readonly description: string;
  readonly banner_image_url: string | null;
  readonly card_image_url: string | null;
}

/** `LanguageTag`: discovery's search facets show the macrolanguage, or the name for Chinese. */
export interface LanguageRow {
  readonly code: string;
  readonly name: string;
  readonly macrolanguage: string;
}

/** `Source` (a product source). */
export interface SourceRow {
  readonly slug: string;
  readonly name: string;
  readonly description: string;
}

/** `CourseType`. */
export interface CourseTypeRow {
  readonly uuid: string;
  readonly slug: string;
  readonly name: string;
}

/** `CourseRunType`: runs of a type that is not marketable are never indexed for search. */
export interface RunTypeRow {
  readonly uuid: string;
  readonly slug: string;
  readonly name: string;
  readonly is_marketable: boolean;
}

/** `ProgramType`. */
export interface ProgramTypeRow {
  readonly uuid: string;
  readonly slug: string;
  readonly name: string;
  readonly coaching_supported: boolean;
  readonly applicable_seat_types: readonly string[];
}

/** `Seat` of a run. */
export interface SeatRow {
  readonly type: string;
  readonly price: string;
  readonly currency: string;
  readonly upgrade_deadline: string | null;
  readonly upgrade_deadline_override: string | null;
  readonly credit_provider: string | null;
  readonly credit_hours: number | null;
  readonly sku: string | null;
  readonly bulk_sku: string | null;
}

/** `CourseEntitlement` of a course. */
export interface EntitlementRow {
  readonly mode: string;
  readonly price: string;
  readonly currency: string;
  readonly sku: string | null;
}

/** `CourseRun`. */
export interface CourseRunRow {
  readonly uuid: string;
  readonly key: string;
  readonly status: string;
  readonly title_override: string | null;
  readonly short_description_override: string | null;
  readonly start: string | null;
  readonly end: string | null;
  readonly go_live_date: string | null;
  readonly enrollment_start: string | null;
  readonly enrollment_end: string | null;
  readonly announcement: string | null;
  readonly pacing_type: string | null;
  /** Run type slug. */
  readonly type: string;
  readonly hidden: boolean;
  /** Language code, e.g. `en-us`. */
  readonly language: string | null;
  readonly transcript_languages: readonly string[];
  readonly min_effort: number | null;
  readonly max_effort: number | null;
  readonly weeks_to_complete: number | null;
  readonly mobile_available: boolean;
  readonly reporting_type: string;
  readonly eligible_for_financial_aid: boolean;
  readonly license: string;
  readonly has_ofac_restrictions: boolean | null;
  readonly ofac_comment: string;
  readonly enrollment_count: number;
  readonly recent_enrollment_count: number;
  /** Program type slug. */
  readonly expected_program_type: string | null;
  readonly expected_program_name: string;
  readonly fixed_price_usd: string | null;
  readonly variant_id: string | null;
  readonly external_key: string | null;
  readonly slug: string;
  /** `RestrictedCourseRun.restriction_type`, or null when the run is not restricted. */
  readonly restriction_type: string | null;
  readonly enterprise_subscription_inclusion: boolean;
  readonly modified: string;
  readonly seats: readonly SeatRow[];
}

/** `AdditionalMetadata` of an external (executive education, bootcamp) course. */
export interface AdditionalMetadataRow {
  readonly external_identifier: string;
  readonly external_url: string;
  readonly lead_capture_form_url: string;
  readonly organic_url: string;
  readonly start_date: string | null;
  readonly end_date: string | null;
  readonly registration_deadline: string | null;
  readonly variant_id: string | null;
  readonly course_term_override: string | null;
  readonly product_status: string;
  readonly external_course_marketing_type: string | null;
  readonly display_on_org_page: boolean;
}

/** A skill as taxonomy serializes it for a product. */
export interface SkillRow {
  readonly name: string;
  readonly description: string;
}

/** `Course` with its runs (every run, ended and unpublished ones included), in creation order. */
export interface CourseRow {
  readonly uuid: string;
  readonly key: string;
  readonly partner: string;
  readonly title: string;
  readonly short_description: string;
  readonly full_description: string;
  readonly outcome: string;
  /** `LevelType` name. */
  readonly level_type: string | null;
  /** Subject slugs. */
  readonly subjects: readonly string[];
  /** Organization keys. */
  readonly authoring_organizations: readonly string[];
  readonly sponsoring_organizations: readonly string[];
  /** Course type slug. */
  readonly type: string;
  /** Source slug. */
  readonly product_source: string | null;
  readonly card_image_url: string | null;
  /** What `Course.image_url` gives (the small variation of the image). */
  readonly image_url: string | null;
  readonly original_image_url: string | null;
  readonly url_slug: string;
  readonly enterprise_subscription_inclusion: boolean | null;
  readonly course_length: string | null;
  readonly additional_metadata: AdditionalMetadataRow | null;
  readonly canonical_course_run_key: string | null;
  readonly skills: readonly SkillRow[];
  readonly entitlements: readonly EntitlementRow[];
  readonly prerequisites: readonly string[];
  readonly expected_learning_items: readonly string[];
  readonly topics: readonly string[];
  readonly enrollment_count: number;
  readonly recent_enrollment_count: number;
  readonly excluded_from_search: boolean;
  readonly excluded_from_seo: boolean;
  readonly key_for_reruns: string;
  readonly organization_short_code_override: string;
  readonly modified: string;
  readonly data_modified_timestamp: string;
  readonly course_runs: readonly CourseRunRow[];
}

/** `Program`. */
export interface ProgramRow {
  readonly uuid: string;
  readonly title: string;
  readonly subtitle: string;
  /** Program type slug. */
  readonly type: string;
  readonly status: string;
  readonly marketing_slug: string;
  readonly marketing_hook: string;
  readonly partner: string;
  readonly hidden: boolean;
  readonly card_image_url: string | null;
  readonly banner_image_url: string | null;
  /** Organization keys. */
  readonly authoring_organizations: readonly string[];
  /** Course keys, in the program's order. */
  readonly courses: readonly string[];
  /** Run keys left out of the program. */
  readonly excluded_course_runs: readonly string[];
  readonly order_courses_by_start_date: boolean;
  readonly overview: string;
  readonly total_hours_of_effort: number | null;
  readonly weeks_to_complete: number | null;
  readonly min_hours_effort_per_week: number | null;
  readonly max_hours_effort_per_week: number | null;
  /** What the model's eligibility property gives; discovery computes it from seats and run counts. */
  readonly is_program_eligible_for_one_click_purchase: boolean;
  readonly enrollment_count: number;
  readonly recent_enrollment_count: number;
  readonly enterprise_subscription_inclusion: boolean;
  readonly excluded_from_search: boolean;
  readonly excluded_from_seo: boolean;
  readonly has_ofac_restrictions: boolean;
  readonly ofac_comment: string;
  readonly product_source: string | null;
  readonly expected_learning_items: readonly string[];
  readonly data_modified_timestamp: string;
}

/** A step of a learner pathway: courses and programs by key and uuid. */
export interface PathwayStepRow {
  readonly uuid: string;
  readonly min_requirement: number;
  readonly courses: readonly string[];
  readonly programs: readonly string[];
}

/** `LearnerPathway`. */
export interface PathwayRow {
  readonly uuid: string;
  readonly title: string;
  readonly status: string;
  readonly partner: string;
  readonly overview: string;
  readonly visible_via_association: boolean;
  readonly created: string;
  readonly skills: readonly SkillRow[];
  readonly banner_image_url: string | null;
  readonly card_image_url: string | null;
  readonly steps: readonly PathwayStepRow[];
}

/** `CourseReview`; decimals are strings with six places, as DRF writes them. */
export interface CourseReviewRow {
  readonly course_key: string;
  readonly reviews_count: number;
  readonly avg_course_rating: string;
  readonly confident_learners_percentage: string;
  /** The choice value (`jobadvancement`, ...); the API shows its label. */
  readonly most_common_goal: string;
  readonly most_common_goal_learners_percentage: string;
  readonly total_enrollments: number;
}

/** Every table of the bundled database, and the instant its data describes. */
export interface DiscoveryDatabase {
  /** The "now" the data was made for: availability, enrollability and expiry are judged against it. */
  readonly referenceDate: string;
  readonly seed: number;
  readonly partners: readonly PartnerRow[];
  readonly organizations: readonly OrganizationRow[];
  readonly subjects: readonly SubjectRow[];
  readonly languages: readonly LanguageRow[];
  readonly sources: readonly SourceRow[];
  readonly courseTypes: readonly CourseTypeRow[];
  readonly runTypes: readonly RunTypeRow[];
  readonly programTypes: readonly ProgramTypeRow[];
  readonly courses: readonly CourseRow[];
  readonly programs: readonly ProgramRow[];
  readonly pathways: readonly PathwayRow[];
  readonly reviews: readonly CourseReviewRow[];
}

const TABLES = [
  "partners", "organizations", "subjects", "languages", "sources", "courseTypes", "runTypes", "programTypes",
  "courses", "programs", "pathways", "reviews",
] as const;

/** Writes a database as JSON text, one row per line, so that equal databases give equal text. */
export function serializeDiscoveryDatabase(database: DiscoveryDatabase): string {
  const parts = [`{"referenceDate":${JSON.stringify(database.referenceDate)},"seed":${database.seed}`];
  for (const table of TABLES) {
    const rows = database[table].map((row) => JSON.stringify(row));
    parts.push(`${JSON.stringify(table)}:[${rows.length === 0 ? "" : `\n${rows.join(",\n")}\n`}]`);
  }
  return `${parts.join(",\n")}}\n`;
}

/** Reads the text `serializeDiscoveryDatabase` writes; throws TypeError when it is not one. */
export function parseDiscoveryDatabase(text: string): DiscoveryDatabase {
  const value: unknown = JSON.parse(text);
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new TypeError("Discovery database must be a JSON object");
  }
  const object = value as JsonObject;
  if (typeof object.referenceDate !== "string" || !Number.isFinite(Date.parse(object.referenceDate))) {
    throw new TypeError("Discovery database must have a referenceDate");
  }
  if (typeof object.seed !== "number") throw new TypeError("Discovery database must have a seed");
  for (const table of TABLES) {
    if (!Array.isArray(object[table])) throw new TypeError(`Discovery database must have a "${table}" table`);
  }
  return object as unknown as DiscoveryDatabase;
}

let bundled: Promise<DiscoveryDatabase> | undefined;

/** Reads (once per process) the database bundled with this adapter. */
export function loadBundledDatabase(): Promise<DiscoveryDatabase> {
  bundled ??= readBundledDatabase();
  bundled.catch(() => {
    bundled = undefined;
  });
  return bundled;
}

async function readBundledDatabase(): Promise<DiscoveryDatabase> {
  try {
    const compressed = await readFile(BUNDLED_DATABASE_URL);
    return parseDiscoveryDatabase((await promisify(gunzip)(compressed)).toString("utf8"));
  } catch (error) {
    throw new Error(`Cannot load the bundled discovery database "${BUNDLED_DATABASE_URL.pathname}"`, { cause: error });
  }
}
