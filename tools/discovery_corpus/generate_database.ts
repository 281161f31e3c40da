/**
 * Generates a deterministic discovery database: courses with every run they ever had (ended,
 * unpublished, hidden and seat-less ones too), their seats and entitlements, programs, learner
 * pathways and course reviews. Everything comes from one seeded PRNG and one fixed reference date,
 * so the same options always give the same rows, whatever the clock says.
 */
import type {
  AdditionalMetadataRow,
  CourseReviewRow,
  CourseRow,
  CourseRunRow,
  DiscoveryDatabase,
  EntitlementRow,
  PathwayRow,
  PathwayStepRow,
  ProgramRow,
  SeatRow,
} from "../../adapters/discovery_local/discovery_database.ts";
import { Random } from "./random.ts";
import {
  AUDIT,
  COURSE_TYPE_ROWS,
  COURSE_TYPES,
  type CourseTypeSpec,
  EXEC_ED,
  LANGUAGES,
  ORGANIZATIONS,
  type OrganizationSpec,
  PARTNERS,
  PROGRAM_TYPES,
  RUN_TYPES,
  slugify,
  SOURCES,
  SUBJECTS,
  type SubjectSpec,
  VERIFIED_AUDIT,
} from "./vocabulary.ts";

/** The "now" of the generated data. */
export const REFERENCE_DATE = "2026-01-15T00:00:00Z";

/** What the bundled database is generated with. */
export const DEFAULT_DATABASE_OPTIONS: Required<GenerateDatabaseOptions> = Object.freeze({ courses: 3000, seed: 20260115 });

/** How many courses to make and from which seed. */
export interface GenerateDatabaseOptions {
  /** Number of courses; runs (2–4 each), programs (1 per 20), pathways (1 per 100) and reviews follow. */
  readonly courses?: number;
  /** Any 32-bit integer; the same seed gives the same database. */
  readonly seed?: number;
}

/** The program every reference filter example names. */
export const WELL_KNOWN_PROGRAM_UUID = "a3951294-926b-4247-8c3c-51c1e4347a15";

/** Courses the reference's filter examples (§4.3) name; they are always the first courses. */
const WELL_KNOWN_COURSES: readonly { key: string; title: string; archived?: boolean }[] = [
  { key: "edX+DemoX", title: "edX Demonstration Course" },
  { key: "MITx+6.00.1x", title: "Introduction to Computer Science and Programming Using Python" },
  { key: "HarvardX+CS50x", title: "CS50's Introduction to Computer Science" },
  { key: "MITx+OLD101x", title: "An Old Course Nobody Should Take", archived: true },
];

const DAY = 86_400_000;
const REFERENCE_MS = Date.parse(REFERENCE_DATE);
const CDN = "https://prod-discovery.edx-cdn.org";

/** Generates a discovery database from a seed. */
export function generateDiscoveryDatabase(options: GenerateDatabaseOptions = {}): DiscoveryDatabase {
  const courseCount = options.courses ?? DEFAULT_DATABASE_OPTIONS.courses;
  const seed = options.seed ?? DEFAULT_DATABASE_OPTIONS.seed;
  if (!Number.isInteger(courseCount) || courseCount < 0) {
    throw new RangeError(`Course count must be a non-negative integer: "${courseCount}"`);
  }
  if (!Number.isInteger(seed)) throw new RangeError(`Seed must be an integer: "${seed}"`);
  const random = new Random(seed);
  const courses = withRestrictedRuns(generateCourses(random, courseCount), seed);
  const programs = generatePrograms(random, courses);
  return {
    referenceDate: REFERENCE_DATE,
    seed,
    partners: PARTNERS,
    organizations: ORGANIZATIONS.map((spec) => spec.row),
    subjects: SUBJECTS.map((spec) => spec.row),
    languages: LANGUAGES,
    sources: SOURCES,
    courseTypes: COURSE_TYPE_ROWS,
    runTypes: RUN_TYPES,
    programTypes: PROGRAM_TYPES,
    courses: courses.map((course) => course.row),
    programs,
    pathways: generatePathways(random, courses, programs),
    reviews: generateReviews(random, courses),
  };
}

// ---------------------------------------------------------------------------------------------
// Courses and runs

/** A generated course with the facts its programs, pathways and restricted runs draw on. */
interface GeneratedCourse {
  readonly row: CourseRow;
  readonly facts: CourseFacts;
  readonly org: OrganizationSpec;
  readonly topic: string;
}

const TITLE_PATTERNS: readonly ((topic: string) => string)[] = [
  (topic) => `Introduction to ${topic}`,
  (topic) => `${topic} Fundamentals`,
  (topic) => `Advanced ${topic}`,
  (topic) => `${topic} for Everyone`,
  (topic) => `Applied ${topic}`,
  (topic) => `Foundations of ${topic}`,
  (topic) => `${topic} in Practice`,
  (topic) => `Principles of ${topic}`,
];

const SENTENCES: readonly string[] = [
  "Learn the core ideas and apply them to real problems.",
  "Work through case studies drawn from industry and research.",
  "Build practical skills you can use at work right away.",
  "Explore the theory, then test it in hands-on exercises.",
  "Join learners worldwide and earn a verified certificate.",
];

const LEVELS: readonly string[] = ["Introductory", "Introductory", "Introductory", "Intermediate", "Intermediate", "Advanced"];

function generateCourses(random: Random, count: number): GeneratedCourse[] {
  const courses: GeneratedCourse[] = [];
  const numbers = new Map<string, number>();
  const orgWeights = ORGANIZATIONS.map((spec) => spec.weight);
  const typeWeights = COURSE_TYPES.map((spec) => spec.weight);
  for (let index = 0; index < count; index++) {
    const known = WELL_KNOWN_COURSES[index];
    const org = known
      ? ORGANIZATIONS.find((spec) => known.key.startsWith(`${spec.row.key}+`)) as OrganizationSpec
      : ORGANIZATIONS[random.weighted(orgWeights)] as OrganizationSpec;
    const courseSubject = random.pick(SUBJECTS);
    const topic = random.pick(courseSubject.topics);
    let number: string;
    if (known) number = known.key.slice(known.key.indexOf("+") + 1);
    else {
      const counter = `${org.row.key}+${courseSubject.prefix}`;
      const next = (numbers.get(counter) ?? 100) + random.int(1, 3);
      numbers.set(counter, next);
      number = `${courseSubject.prefix}${next}x`;
    }
    let type: CourseTypeSpec;
    if (known) type = known.key === "edX+DemoX" ? AUDIT : VERIFIED_AUDIT;
    else if (org.execEd) type = EXEC_ED;
    else type = COURSE_TYPES[random.weighted(typeWeights)] as CourseTypeSpec;
    const title = known?.title ?? random.pick(TITLE_PATTERNS)(topic);
    const facts: CourseFacts = {
      key: known?.key ?? `${org.row.key}+${number}`,
      title,
      org,
      subject: courseSubject,
      topic,
      type,
      price: type.prices.length > 0 ? random.pick(type.prices) : null,
      language: known ? "en-us" : random.pick(org.languages),
      selfPaced: type !== EXEC_ED && !random.chance(0.35),
      subscription: type.productSource === "edx" && type.row.slug !== "professional" && random.chance(0.85),
      effort: [random.int(2, 4), random.int(5, 10)],
      weeks: random.int(4, 14),
    };
    const runs = generateRuns(random, facts, known ? (known.archived ? "archived" : "current") : undefined);
    courses.push({ row: courseRow(random, facts, runs), facts, org, topic });
  }
  return courses;
}

/** What a course's rows are written from. */
interface CourseFacts {
  readonly key: string;
  readonly title: string;
  readonly org: OrganizationSpec;
  readonly subject: SubjectSpec;
  readonly topic: string;
  readonly type: CourseTypeSpec;
  readonly price: number | null;
  readonly language: string;
  readonly selfPaced: boolean;
  readonly subscription: boolean;
  readonly effort: readonly [number, number];
  readonly weeks: number;
}

function courseRow(random: Random, facts: CourseFacts, runs: readonly CourseRunRow[]): CourseRow {
  const uuid = random.uuid();
  const latest = runs.at(-1) as CourseRunRow;
  const canonical = [...runs].reverse().find((run) => run.status === "published") ?? latest;
  const sentence = random.pick(SENTENCES);
  const external = facts.type.productSource === "2u";
  const modified = runs.reduce((max, run) => (run.modified > max ? run.modified : max), isoDate(REFERENCE_MS - 400 * DAY));
  return {
    uuid,
    key: facts.key,
    partner: facts.org.row.partner,
    title: facts.title,
    short_description: `<p>${sentence}</p>`,
    full_description: `<p>${facts.title}. ${sentence}</p>`,
    outcome: `<p>Apply ${facts.topic.toLowerCase()} with confidence.</p>`,
    level_type: random.pick(LEVELS),
    subjects: [facts.subject.row.slug],
    authoring_organizations: [facts.org.row.key],
    sponsoring_organizations: sponsors(random, facts.org),
    type: facts.type.row.slug,
    product_source: facts.type.productSource,
    card_image_url: `${CDN}/media/course/image/${uuid}-card.jpg`,
    image_url: `${CDN}/media/course/image/${uuid}-small.jpg`,
    original_image_url: `${CDN}/media/course/image/${uuid}.jpg`,
    url_slug: slugify(`${facts.org.row.key} ${facts.title}`),
    enterprise_subscription_inclusion: facts.subscription,
    course_length: facts.weeks <= 6 ? "short" : facts.weeks <= 10 ? "medium" : "long",
    additional_metadata: external ? additionalMetadata(random, facts, latest) : null,
    canonical_course_run_key: canonical.key,
    skills: [{ name: facts.topic, description: `Knowledge of ${facts.topic.toLowerCase()}.` }],
    entitlements: entitlements(random, facts),
    prerequisites: [],
    expected_learning_items: [],
    topics: [facts.topic],
    enrollment_count: random.int(0, 250_000),
    recent_enrollment_count: random.int(0, 5_000),
    excluded_from_search: false,
    excluded_from_seo: false,
    key_for_reruns: "",
    organization_short_code_override: "",
    modified,
    data_modified_timestamp: modified,
    course_runs: runs,
  };
}

/** For one course in twenty, another organization of the partner that sponsors it. */
function sponsors(random: Random, author: OrganizationSpec): string[] {
  const others = ORGANIZATIONS.filter((spec) => spec !== author && spec.row.partner === author.row.partner);
  return others.length > 0 && random.chance(0.05) ? [random.pick(others).row.key] : [];
}

function entitlements(random: Random, facts: CourseFacts): EntitlementRow[] {
  if (facts.type.entitlement === null || facts.price === null) return [];
  return [{ mode: facts.type.entitlement, price: facts.price.toFixed(2), currency: "USD", sku: random.hex(7).toUpperCase() }];
}

function additionalMetadata(random: Random, facts: CourseFacts, latest: CourseRunRow): AdditionalMetadataRow {
  const slug = slugify(facts.title);
  return {
    external_identifier: random.hex(12),
    external_url: `https://executive.2u.example/${slug}`,
    lead_capture_form_url: `https://executive.2u.example/${slug}/enquire`,
    organic_url: `https://executive.2u.example/${slug}?utm=organic`,
    start_date: latest.start,
    end_date: latest.end,
    registration_deadline: latest.enrollment_end,
    variant_id: latest.variant_id,
    course_term_override: null,
    product_status: "published",
    external_course_marketing_type: facts.type === EXEC_ED ? "short_course" : null,
    display_on_org_page: true,
  };
}

/**
 * Runs of one course, one per term going back from the latest. The latest run decides whether the
 * course is current, starting soon, upcoming, or inactive (every run ended).
 */
function generateRuns(random: Random, facts: CourseFacts, fixed?: "archived" | "current"): CourseRunRow[] {
  const duration = (): number => (facts.selfPaced ? random.int(180, 400) : random.int(42, 110)) * DAY;
  const draw = random.next();
  const roll = fixed === "archived" ? 0 : fixed === "current" ? 0.3 : draw;
  const inactive = roll < 0.12;
  const latestDuration = duration();
  let latestStart: number;
  let latestStatus = "published";
  if (inactive) latestStart = REFERENCE_MS - latestDuration - random.int(5, 300) * DAY;
  else if (roll < 0.15) {
    latestStart = REFERENCE_MS + random.int(20, 200) * DAY;
    latestStatus = facts.type === EXEC_ED ? "reviewed" : "unpublished";
  } else if (roll < 0.6) latestStart = REFERENCE_MS - Math.floor(random.next() * (latestDuration - 7 * DAY) / DAY) * DAY;
  else if (roll < 0.75) latestStart = REFERENCE_MS + random.int(1, 59) * DAY;
  else latestStart = REFERENCE_MS + random.int(60, 300) * DAY;
  const latestTerm = termOf(latestStart);
  const count = random.int(2, 4);
  const runs: CourseRunRow[] = [];
  for (let back = count - 1; back >= 0; back--) {
    const term = latestTerm - back;
    const start = back === 0 ? latestStart : termStart(term) + random.int(0, 30) * DAY;
    let end = start + (back === 0 ? latestDuration : duration());
    // Every run of an inactive course is over, however long a self-paced run would have lasted.
    if (inactive) end = Math.min(end, REFERENCE_MS - random.int(1, 40) * DAY);
    const enrollmentStart = random.chance(0.15) ? null : start - random.int(30, 90) * DAY;
    const enrollmentEnd = facts.selfPaced ? (random.chance(0.7) ? null : end - 14 * DAY) : start + random.int(7, 21) * DAY;
    let status = "published";
    if (back === 0) status = latestStatus;
    else if (fixed === undefined && random.chance(0.04)) status = "unpublished";
    // An old run nobody should see, and a published run with no seats, which discovery never markets.
    const hidden = back > 0 && fixed === undefined && random.chance(0.03);
    const seatless = status === "published" && fixed === undefined && random.chance(0.02);
    runs.push(runRow(random, facts, {
      key: `course-v1:${facts.key}+${termName(term)}`,
      start,
      end,
      enrollmentStart,
      enrollmentEnd,
      status,
      hidden,
      seatless,
      modified: Math.min(REFERENCE_MS - DAY, start - random.int(1, 60) * DAY + random.int(0, 400) * DAY),
    }));
  }
  return runs;
}

interface RunFacts {
  readonly key: string;
  readonly start: number;
  readonly end: number;
  readonly enrollmentStart: number | null;
  readonly enrollmentEnd: number | null;
  readonly status: string;
  readonly hidden: boolean;
  readonly seatless: boolean;
  readonly modified: number;
}

function runRow(random: Random, course: CourseFacts, run: RunFacts): CourseRunRow {
  const execEd = course.type === EXEC_ED;
  const transcripts = course.language === "en-us" || random.chance(0.5) ? [course.language] : [course.language, "en-us"];
  return {
    uuid: random.uuid(),
    key: run.key,
    status: run.status,
    title_override: null,
    short_description_override: null,
    start: isoDate(run.start),
    end: isoDate(run.end),
    go_live_date: null,
    enrollment_start: isoDateOrNull(run.enrollmentStart),
    enrollment_end: isoDateOrNull(run.enrollmentEnd),
    announcement: null,
    pacing_type: course.selfPaced ? "self_paced" : "instructor_paced",
    type: course.type.runType,
    hidden: run.hidden,
    language: course.language,
    transcript_languages: transcripts,
    min_effort: course.effort[0],
    max_effort: course.effort[1],
    weeks_to_complete: course.weeks,
    mobile_available: course.type.productSource === "edx",
    reporting_type: "mooc",
    eligible_for_financial_aid: !execEd,
    license: "",
    has_ofac_restrictions: false,
    ofac_comment: "",
    enrollment_count: random.int(0, 40_000),
    recent_enrollment_count: random.int(0, 2_000),
    expected_program_type: null,
    expected_program_name: "",
    fixed_price_usd: execEd && course.price !== null ? course.price.toFixed(2) : null,
    variant_id: execEd ? random.uuid() : null,
    external_key: execEd ? `EE-${random.hex(8).toUpperCase()}` : null,
    slug: slugify(`${course.title} ${run.key}`),
    restriction_type: null,
    enterprise_subscription_inclusion: course.subscription,
    modified: isoDate(run.modified),
    seats: run.seatless ? [] : seats(random, course, run),
  };
}

/** Restricted runs are drawn from a sequence of their own: adding them left every other row as it was. */
const RESTRICTED_SEED_SALT = 0x2b2b2b2b;

/**
 * Restricted runs (discovery's `RestrictedCourseRun`), after each course's own: every 20th course
 * gets a current, enrollable custom-B2B run, and so does every 7th course whose own runs have all
 * ended (a course only such a run keeps open); every 60th gets a custom-B2C run. The well-known
 * courses keep exactly the runs the reference's examples describe. Nobody markets
 * them, so they have no marketing page (an empty slug) and discovery calls them not marketable, as
 * the reference's v2 notes (enterprise-catalog-ida.md §2.11).
 */
function withRestrictedRuns(courses: readonly GeneratedCourse[], seed: number): GeneratedCourse[] {
  const random = new Random(seed ^ RESTRICTED_SEED_SALT);
  return courses.map((course, index) => {
    if (index < WELL_KNOWN_COURSES.length) return course;
    const ended = course.row.course_runs.every((run) => run.end !== null && Date.parse(run.end) < REFERENCE_MS);
    const types: { readonly type: string; readonly suffix: string }[] = [];
    if (index % 20 === 3 || (ended && index % 7 === 0)) types.push({ type: "custom-b2b-enterprise", suffix: "B2B" });
    if (index % 60 === 11) types.push({ type: "custom-b2c", suffix: "B2C" });
    if (types.length === 0) return course;
    const restricted = types.map(({ type, suffix }) => {
      const start = REFERENCE_MS - random.int(5, 30) * DAY;
      const run = runRow(random, course.facts, {
        key: `course-v1:${course.facts.key}+${termName(termOf(start))}_${suffix}`,
        start,
        end: start + (course.facts.selfPaced ? random.int(180, 400) : random.int(42, 110)) * DAY,
        enrollmentStart: start - random.int(30, 90) * DAY,
        enrollmentEnd: REFERENCE_MS + random.int(10, 40) * DAY,
        status: "published",
        hidden: false,
        seatless: false,
        modified: REFERENCE_MS - random.int(2, 60) * DAY,
      });
      return { ...run, slug: "", restriction_type: type };
    });
    return { ...course, row: { ...course.row, course_runs: [...course.row.course_runs, ...restricted] } };
  });
}

function seats(random: Random, course: CourseFacts, run: RunFacts): SeatRow[] {
  return course.type.seats.map((spec) => ({
    type: spec.type,
    price: spec.paid && course.price !== null ? course.price.toFixed(2) : "0.00",
    currency: "USD",
    upgrade_deadline: spec.upgradeDeadline ? isoDate(run.end - 10 * DAY) : null,
    upgrade_deadline_override: null,
    credit_provider: spec.credit ? "asu" : null,
    credit_hours: spec.credit ? 3 : null,
    sku: random.hex(7).toUpperCase(),
    bulk_sku: spec.type === "verified" && random.chance(0.5) ? random.hex(7).toUpperCase() : null,
  }));
}

// ---------------------------------------------------------------------------------------------
// Programs, pathways, reviews

function generatePrograms(random: Random, courses: readonly GeneratedCourse[]): ProgramRow[] {
  const count = Math.round(courses.length / 20);
  const byOrg = new Map<string, GeneratedCourse[]>();
  for (const course of courses) {
    const list = byOrg.get(course.org.row.key) ?? [];
    list.push(course);
    byOrg.set(course.org.row.key, list);
  }
  const orgs = ORGANIZATIONS.filter((spec) => (byOrg.get(spec.row.key)?.length ?? 0) > 0);
  const weights = orgs.map((spec) => spec.weight);
  const programs: ProgramRow[] = [];
  for (let index = 0; index < count; index++) {
    const wellKnown = index === 0 && courses.some((course) => course.row.key === "MITx+6.00.1x");
    const org = wellKnown
      ? ORGANIZATIONS.find((spec) => spec.row.key === "MITx") as OrganizationSpec
      : orgs[random.weighted(weights)] as OrganizationSpec;
    const pool = byOrg.get(org.row.key) as GeneratedCourse[];
    const chosen = random.sample(pool, Math.min(pool.length, random.int(3, 6)));
    if (wellKnown) {
      for (const key of ["edX+DemoX", "MITx+6.00.1x"]) {
        const course = courses.find((candidate) => candidate.row.key === key);
        if (course && !chosen.includes(course)) chosen.unshift(course);
      }
    }
    const roll = random.next();
    const type = random.pick([PROGRAM_TYPES[0], ...PROGRAM_TYPES]) as (typeof PROGRAM_TYPES)[number];
    const first = chosen[0] as GeneratedCourse;
    const uuid = wellKnown ? WELL_KNOWN_PROGRAM_UUID : random.uuid();
    const title = wellKnown ? "Data Science Essentials" : `${type.name} in ${first.topic}`;
    const status = wellKnown || roll < 0.83 ? "active" : roll < 0.91 ? "retired" : roll < 0.98 ? "unpublished" : "deleted";
    const excluded = !wellKnown && random.chance(0.05) ? [(first.row.course_runs[0] as CourseRunRow).key] : [];
    const efforts = chosen.flatMap((course) => course.row.course_runs.map((run) => [run.min_effort ?? 0, run.max_effort ?? 0]));
    programs.push({
      uuid,
      title,
      subtitle: `Master ${first.topic.toLowerCase()} in ${chosen.length} courses.`,
      type: type.slug,
      status,
      marketing_slug: slugify(`${org.row.key} ${title}`),
      marketing_hook: `Become fluent in ${first.topic.toLowerCase()}.`,
      partner: org.row.partner,
      hidden: !wellKnown && random.chance(0.05),
      card_image_url: `${CDN}/media/programs/card_images/${uuid}.jpg`,
      banner_image_url: `${CDN}/media/programs/banner_images/${uuid}.jpg`,
      authoring_organizations: [org.row.key],
      courses: chosen.map((course) => course.row.key),
      excluded_course_runs: excluded,
      order_courses_by_start_date: random.chance(0.8),
      overview: `<p>${title} brings together ${chosen.length} courses.</p>`,
      total_hours_of_effort: random.int(40, 300),
      weeks_to_complete: random.int(8, 40),
      min_hours_effort_per_week: Math.min(...efforts.map((effort) => effort[0] as number)),
      max_hours_effort_per_week: Math.max(...efforts.map((effort) => effort[1] as number)),
      is_program_eligible_for_one_click_purchase: status === "active" && random.chance(0.7),
      enrollment_count: random.int(0, 100_000),
      recent_enrollment_count: random.int(0, 3_000),
      enterprise_subscription_inclusion: chosen.every((course) => course.row.enterprise_subscription_inclusion === true),
      excluded_from_search: false,
      excluded_from_seo: false,
      has_ofac_restrictions: false,
      ofac_comment: "",
      product_source: "edx",
      expected_learning_items: [`How to use ${first.topic.toLowerCase()} at work`],
      data_modified_timestamp: isoDate(REFERENCE_MS - random.int(2, 300) * DAY),
    });
  }
  return programs;
}

const PATHWAY_ROLES: readonly string[] = [
  "Data Engineer", "Data Analyst", "Cloud Architect", "Product Manager", "Financial Analyst",
  "Security Engineer", "Public Health Officer", "Machine Learning Engineer", "Marketing Lead",
];

function generatePathways(random: Random, courses: readonly GeneratedCourse[], programs: readonly ProgramRow[]): PathwayRow[] {
  const count = courses.length === 0 ? 0 : Math.max(1, Math.round(courses.length / 100));
  const pathways: PathwayRow[] = [];
  for (let index = 0; index < count; index++) {
    const steps: PathwayStepRow[] = [];
    for (let step = random.int(1, 3); step > 0; step--) {
      const stepCourses = random.sample(courses, Math.min(courses.length, random.int(1, 3)));
      const stepPrograms = programs.length > 0 && random.chance(0.4) ? [random.pick(programs).uuid] : [];
      steps.push({
        uuid: random.uuid(),
        min_requirement: random.int(1, Math.max(1, stepCourses.length + stepPrograms.length)),
        courses: stepCourses.map((course) => course.row.key),
        programs: stepPrograms,
      });
    }
    const topic = (courses.find((course) => course.row.key === steps[0]?.courses[0]) as GeneratedCourse).topic;
    const role = random.pick(PATHWAY_ROLES);
    const uuid = random.uuid();
    pathways.push({
      uuid,
      title: `${role} Pathway ${index + 1}`,
      status: random.chance(0.8) ? "active" : "inactive",
      partner: "edx",
      overview: `Pathway for a ${role.toLowerCase()}.`,
      visible_via_association: random.chance(0.7),
      created: isoDate(REFERENCE_MS - random.int(30, 900) * DAY),
      skills: [{ name: topic, description: `Knowledge of ${topic.toLowerCase()}.` }],
      banner_image_url: `${CDN}/media/learner_pathway/banner_images/${uuid}.jpg`,
      card_image_url: `${CDN}/media/learner_pathway/card_images/${uuid}.jpg`,
      steps,
    });
  }
  return pathways;
}

const GOALS: readonly string[] = ["changecareers", "jobadvancement", "valuableskills", "learnforfun"];

/** Outcome-survey reviews for about two courses in five. */
function generateReviews(random: Random, courses: readonly GeneratedCourse[]): CourseReviewRow[] {
  const reviews: CourseReviewRow[] = [];
  for (const course of courses) {
    if (!random.chance(0.4)) continue;
    reviews.push({
      course_key: course.row.key,
      reviews_count: random.int(5, 2_000),
      avg_course_rating: (3 + random.int(0, 2_000_000) / 1_000_000).toFixed(6),
      confident_learners_percentage: (50 + random.int(0, 49_000_000) / 1_000_000).toFixed(6),
      most_common_goal: random.pick(GOALS),
      most_common_goal_learners_percentage: (25 + random.int(0, 50_000_000) / 1_000_000).toFixed(6),
      total_enrollments: random.int(100, 90_000),
    });
  }
  return reviews.sort((a, b) => (a.course_key < b.course_key ? -1 : a.course_key > b.course_key ? 1 : 0));
}

// ---------------------------------------------------------------------------------------------
// Dates

/** Terms are thirds of a year: 1T starts in January, 2T in May, 3T in September. */
function termOf(ms: number): number {
  const date = new Date(ms);
  return date.getUTCFullYear() * 3 + Math.floor(date.getUTCMonth() / 4);
}

function termStart(term: number): number {
  return Date.UTC(Math.floor(term / 3), (term % 3) * 4, 1);
}

function termName(term: number): string {
  return `${(term % 3) + 1}T${Math.floor(term / 3)}`;
}

/** Discovery's `YYYY-MM-DDTHH:MM:SSZ`. */
function isoDate(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 19)}Z`;
}

function isoDateOrNull(ms: number | null): string | null {
  return ms === null ? null : isoDate(ms);
}
