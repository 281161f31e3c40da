/**
 * A deterministic sample of discovery's `search/all` records: courses with their nested runs,
 * top-level course runs, programs and learner pathways, in the shapes of the reference (§5.1).
 *
 * Everything comes from one seeded PRNG and one fixed reference date, so the same options always
 * give the same records, byte for byte, whatever the clock says.
 */
import type { JsonObject, JsonValue } from "../../src/json.ts";

/** The "now" of the corpus: availability, enrollability and expiry are computed against it. */
export const REFERENCE_DATE = "2026-01-15T00:00:00Z";

/** Where the bundled corpus lives: `generate_corpus.ts` writes it, LocalDiscoveryClient reads it. */
export const BUNDLED_CORPUS_URL: URL = new URL("./corpus.json.gz", import.meta.url);

/** Options of the bundled corpus. */
export const DEFAULT_CORPUS_OPTIONS: Required<GenerateCorpusOptions> = Object.freeze({
  courses: 3000,
  seed: 20260115,
});

/** A generated corpus: every record discovery would know, in no particular order. */
export interface DiscoveryCorpus {
  readonly referenceDate: string;
  readonly seed: number;
  readonly records: readonly JsonObject[];
}

/** How big a corpus to make and from which seed. */
export interface GenerateCorpusOptions {
  /** Number of courses; runs (2–4 each), programs (1 per 20) and pathways (1 per 100) follow. */
  readonly courses?: number;
  /** Any 32-bit integer; the same seed gives the same corpus. */
  readonly seed?: number;
}

/** Generates a corpus of discovery records from a seed. */
export function generateCorpus(options: GenerateCorpusOptions = {}): DiscoveryCorpus {
  const courses = options.courses ?? DEFAULT_CORPUS_OPTIONS.courses;
  const seed = options.seed ?? DEFAULT_CORPUS_OPTIONS.seed;
  if (!Number.isInteger(courses) || courses < 0) {
    throw new RangeError(`Course count must be a non-negative integer: "${courses}"`);
  }
  if (!Number.isInteger(seed)) throw new RangeError(`Seed must be an integer: "${seed}"`);
  const random = new Random(seed);
  const coursePlans = planCourses(random, courses);
  const programPlans = planPrograms(random, coursePlans);
  const pathwayPlans = planPathways(random, coursePlans, programPlans);
  const programTypes = new Map<string, string[]>();
  for (const program of programPlans) {
    for (const course of program.courses) {
      const types = programTypes.get(course.key) ?? [];
      if (!types.includes(program.type)) types.push(program.type);
      programTypes.set(course.key, types);
    }
  }
  const records: JsonObject[] = [];
  for (const course of coursePlans) {
    records.push(courseRecord(course));
    for (const run of course.runs) records.push(courseRunRecord(course, run, programTypes.get(course.key) ?? []));
  }
  for (const program of programPlans) records.push(programRecord(program));
  for (const pathway of pathwayPlans) records.push(pathwayRecord(pathway));
  return { referenceDate: REFERENCE_DATE, seed, records };
}

/** Writes a corpus as JSON text, one record per line, so that equal corpora give equal text. */
export function serializeCorpus(corpus: DiscoveryCorpus): string {
  const lines = corpus.records.map((record) => JSON.stringify(record));
  const head = `{"referenceDate":${JSON.stringify(corpus.referenceDate)},"seed":${corpus.seed},"records":[`;
  return `${head}\n${lines.join(",\n")}\n]}\n`;
}

/** Reads the text `serializeCorpus` writes; throws TypeError when it is not a corpus. */
export function parseCorpus(text: string): DiscoveryCorpus {
  const value: unknown = JSON.parse(text);
  if (
    typeof value !== "object" || value === null || !("records" in value) || !Array.isArray(value.records) ||
    !("referenceDate" in value) || typeof value.referenceDate !== "string" ||
    !("seed" in value) || typeof value.seed !== "number"
  ) {
    throw new TypeError("Discovery corpus must be an object with referenceDate, seed and records");
  }
  return { referenceDate: value.referenceDate, seed: value.seed, records: value.records as JsonObject[] };
}

// ---------------------------------------------------------------------------------------------
// Seeded PRNG: sfc32 seeded through splitmix32

class Random {
  #a: number;
  #b: number;
  #c: number;
  #d: number;

  constructor(seed: number) {
    let state = seed | 0;
    const split = (): number => {
      state = (state + 0x9e3779b9) | 0;
      let z = state;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.#a = split();
    this.#b = split();
    this.#c = split();
    this.#d = split();
    for (let i = 0; i < 12; i++) this.uint32();
  }

  uint32(): number {
    const t = (((this.#a + this.#b) | 0) + this.#d) | 0;
    this.#d = (this.#d + 1) | 0;
    this.#a = this.#b ^ (this.#b >>> 9);
    this.#b = (this.#c + (this.#c << 3)) | 0;
    this.#c = (this.#c << 21) | (this.#c >>> 11);
    this.#c = (this.#c + t) | 0;
    return t >>> 0;
  }

  /** A float in [0, 1). */
  next(): number {
    return this.uint32() / 4_294_967_296;
  }

  /** An integer in [min, max], both included. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(probability: number): boolean {
    return this.next() < probability;
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)] as T;
  }

  weighted(weights: readonly number[]): number {
    let total = 0;
    for (const weight of weights) total += weight;
    let roll = this.next() * total;
    for (let i = 0; i < weights.length; i++) {
      roll -= weights[i] as number;
      if (roll < 0) return i;
    }
    return weights.length - 1;
  }

  /** `count` distinct items, in the order drawn. */
  sample<T>(items: readonly T[], count: number): T[] {
    const chosen = new Set<number>();
    const out: T[] = [];
    while (out.length < count && chosen.size < items.length) {
      const index = Math.floor(this.next() * items.length);
      if (chosen.has(index)) continue;
      chosen.add(index);
      out.push(items[index] as T);
    }
    return out;
  }

  hex(length: number): string {
    let out = "";
    while (out.length < length) out += this.uint32().toString(16).padStart(8, "0");
    return out.slice(0, length);
  }

  /** A version-4-shaped uuid. */
  uuid(): string {
    const hex = this.hex(32);
    const variant = "89ab"[Number.parseInt(hex[16] as string, 16) & 3] as string;
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
  }
}

// ---------------------------------------------------------------------------------------------
// Fixed vocabulary

interface Organization {
  readonly key: string;
  readonly name: string;
  readonly partner: string;
  readonly weight: number;
  readonly execEd: boolean;
  readonly languages: readonly string[];
}

const ORGANIZATIONS: readonly Organization[] = [
  org("HarvardX", "Harvard University", 12),
  org("MITx", "Massachusetts Institute of Technology", 12),
  org("edX", "edX", 5),
  org("BerkeleyX", "University of California, Berkeley", 8),
  org("DelftX", "Delft University of Technology", 7),
  org("UQx", "The University of Queensland", 5),
  org("IBM", "IBM", 8),
  org("LinuxFoundationX", "The Linux Foundation", 5),
  org("MichiganX", "University of Michigan", 6),
  org("UPValenciaX", "Universitat Politècnica de València", 5, { languages: ["Spanish", "Spanish", "English"] }),
  org("TsinghuaX", "Tsinghua University 清华大学", 4, { languages: ["Chinese - Mandarin", "English"] }),
  org("Wharton", "The Wharton School of the University of Pennsylvania", 4, { partner: "2u", execEd: true }),
  org("CambridgeJBS", "Cambridge Judge Business School", 3, { partner: "2u", execEd: true }),
  org("OpenCraftX", "OpenCraft", 2, { partner: "openedx" }),
];

function org(
  key: string,
  name: string,
  weight: number,
  extra: { partner?: string; execEd?: boolean; languages?: readonly string[] } = {},
): Organization {
  return {
    key,
    name,
    weight,
    partner: extra.partner ?? "edx",
    execEd: extra.execEd ?? false,
    languages: extra.languages ?? ["English", "English", "English", "English", "Spanish", "French", "Arabic", "Portuguese", "Hindi"],
  };
}

const ORGANIZATION_UUIDS = new Map(ORGANIZATIONS.map((item) => [item.key, stableUuid(`org:${item.key}`)]));

interface Subject {
  readonly prefix: string;
  readonly name: string;
  readonly slug: string;
  readonly topics: readonly string[];
}

const SUBJECTS: readonly Subject[] = [
  subject("CS", "Computer Science", ["Programming", "Algorithms", "Web Development", "Cybersecurity", "Cloud Computing", "Python"]),
  subject("DS", "Data Analysis & Statistics", ["Data Science", "Machine Learning", "Statistics", "Data Visualization", "SQL"]),
  subject("BUS", "Business & Management", ["Leadership", "Strategy", "Marketing", "Negotiation", "Project Management"]),
  subject("ECON", "Economics & Finance", ["Microeconomics", "Macroeconomics", "Corporate Finance", "Financial Markets"]),
  subject("ENG", "Engineering", ["Circuits", "Robotics", "Thermodynamics", "Materials Science"]),
  subject("BIO", "Biology & Life Sciences", ["Genetics", "Neuroscience", "Molecular Biology", "Ecology"]),
  subject("MED", "Medicine", ["Public Health", "Epidemiology", "Global Health", "Nutrition"]),
  subject("HUM", "Humanities", ["Philosophy", "World History", "Literature", "Ethics"]),
  subject("MATH", "Math", ["Calculus", "Linear Algebra", "Probability", "Discrete Mathematics"]),
  subject("LANG", "Language", ["English Grammar", "Academic Writing", "Business English", "Spanish for Beginners"]),
];

function subject(prefix: string, name: string, topics: readonly string[]): Subject {
  return { prefix, name, slug: slugify(name), topics };
}

const SUBJECT_UUIDS = new Map(SUBJECTS.map((item) => [item.prefix, stableUuid(`subject:${item.prefix}`)]));

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

/** Course types with their seat and run type; weights out of 100 for non-exec-ed organizations. */
interface CourseTypeSpec {
  readonly courseType: string | null;
  readonly weight: number;
  readonly runType: string;
  readonly paidSeat: string | null;
  readonly audit: boolean;
  readonly prices: readonly number[];
  readonly productSource: string;
}

const COURSE_TYPES: readonly CourseTypeSpec[] = [
  courseType("verified-audit", 52, "verified-audit", "verified", true, [49, 50, 99, 149, 199, 249, 299, 399]),
  courseType("verified", 8, "verified", "verified", false, [49, 99, 150, 199, 300]),
  courseType("audit", 8, "audit", null, true, []),
  courseType("professional", 10, "professional", "professional", false, [199, 450, 750, 995, 1250]),
  courseType("credit-verified-audit", 3, "credit-verified-audit", "credit", true, [299, 600, 1000]),
  courseType("honor", 2, "honor", null, false, []),
  courseType("executive-education-2u", 12, "paid-executive-education", "paid-executive-education", false,
    [1800, 2250, 2800, 3200, 4500], "2u"),
  courseType("bootcamp-2u", 2, "paid-bootcamp", "paid-bootcamp", false, [12995, 14995], "2u"),
  courseType(null, 2, "audit", null, true, []),
  courseType("verified-audit", 1, "verified-audit", "verified", true, [99], "shorelight"),
];

function courseType(
  type: string | null,
  weight: number,
  runType: string,
  paidSeat: string | null,
  audit: boolean,
  prices: readonly number[],
  productSource = "edx",
): CourseTypeSpec {
  return { courseType: type, weight, runType, paidSeat, audit, prices, productSource };
}

const EXEC_ED = COURSE_TYPES.find((spec) => spec.courseType === "executive-education-2u") as CourseTypeSpec;
const VERIFIED_AUDIT = COURSE_TYPES[0] as CourseTypeSpec;
const AUDIT = COURSE_TYPES.find((spec) => spec.courseType === "audit") as CourseTypeSpec;

const PROGRAM_TYPES: readonly string[] = [
  "Professional Certificate", "Professional Certificate", "XSeries", "MicroMasters", "MicroBachelors",
];

const DAY = 86_400_000;
const REFERENCE_MS = Date.parse(REFERENCE_DATE);

// ---------------------------------------------------------------------------------------------
// Plans: the facts a record is written from

interface CoursePlan {
  readonly key: string;
  readonly uuid: string;
  readonly title: string;
  readonly org: Organization;
  readonly subject: Subject;
  readonly topic: string;
  readonly number: string;
  readonly level: string;
  readonly language: string;
  readonly pacing: "self_paced" | "instructor_paced";
  readonly type: CourseTypeSpec;
  readonly price: number | null;
  readonly subscription: boolean;
  readonly sentence: string;
  readonly effort: readonly [number, number];
  readonly weeks: number;
  readonly marketingUrl: string;
  readonly runs: RunPlan[];
}

interface RunPlan {
  readonly key: string;
  readonly start: number;
  readonly end: number;
  readonly enrollmentStart: number | null;
  readonly enrollmentEnd: number | null;
  readonly published: boolean;
  readonly sku: string;
  readonly modified: number;
}

/** Courses every filter example of the reference (§4.3) can name. */
const WELL_KNOWN_COURSES: readonly { key: string; title: string; archived?: boolean }[] = [
  { key: "edX+DemoX", title: "edX Demonstration Course" },
  { key: "MITx+6.00.1x", title: "Introduction to Computer Science and Programming Using Python" },
  { key: "HarvardX+CS50x", title: "CS50's Introduction to Computer Science" },
  { key: "MITx+OLD101x", title: "An Old Course Nobody Should Take", archived: true },
];

function planCourses(random: Random, count: number): CoursePlan[] {
  const plans: CoursePlan[] = [];
  const numbers = new Map<string, number>();
  const weights = ORGANIZATIONS.map((item) => item.weight);
  const typeWeights = COURSE_TYPES.map((spec) => spec.weight);
  for (let index = 0; index < count; index++) {
    const known = WELL_KNOWN_COURSES[index];
    const organization = known
      ? ORGANIZATIONS.find((item) => known.key.startsWith(`${item.key}+`)) as Organization
      : ORGANIZATIONS[random.weighted(weights)] as Organization;
    const courseSubject = random.pick(SUBJECTS);
    const topic = random.pick(courseSubject.topics);
    let number: string;
    if (known) {
      number = known.key.slice(known.key.indexOf("+") + 1);
    } else {
      const counterKey = `${organization.key}+${courseSubject.prefix}`;
      const next = (numbers.get(counterKey) ?? 100) + random.int(1, 3);
      numbers.set(counterKey, next);
      number = `${courseSubject.prefix}${next}x`;
    }
    let type: CourseTypeSpec;
    if (known) type = known.key === "edX+DemoX" ? AUDIT : VERIFIED_AUDIT;
    else if (organization.execEd) type = EXEC_ED;
    else type = COURSE_TYPES[random.weighted(typeWeights)] as CourseTypeSpec;
    const price = type.prices.length > 0 ? random.pick(type.prices) : null;
    const pacing = type === EXEC_ED || random.chance(0.35) ? "instructor_paced" : "self_paced";
    const key = known?.key ?? `${organization.key}+${number}`;
    const title = known?.title ?? random.pick(TITLE_PATTERNS)(topic);
    const plan: CoursePlan = {
      key,
      uuid: random.uuid(),
      title,
      org: organization,
      subject: courseSubject,
      topic,
      number,
      level: random.pick(LEVELS),
      language: known ? "English" : random.pick(organization.languages),
      pacing,
      type,
      price,
      subscription: type.productSource === "edx" && type.courseType !== "professional" && random.chance(0.85),
      sentence: random.pick(SENTENCES),
      effort: [random.int(2, 4), random.int(5, 10)],
      weeks: random.int(4, 14),
      marketingUrl: `https://www.edx.org/learn/${courseSubject.slug}/${slugify(organization.key)}-${slugify(title)}`,
      runs: [],
    };
    plan.runs.push(...planRuns(random, plan, known ? (known.archived ? "archived" : "current") : undefined));
    plans.push(plan);
  }
  return plans;
}

/**
 * Runs of one course, one per term going back from the latest. The latest run decides whether the
 * course is current, starting soon, upcoming, or inactive (every run ended or unpublished).
 */
function planRuns(random: Random, course: CoursePlan, fixed?: "archived" | "current"): RunPlan[] {
  const selfPaced = course.pacing === "self_paced";
  const duration = (): number => (selfPaced ? random.int(180, 400) : random.int(42, 110)) * DAY;
  const draw = random.next();
  const roll = fixed === "archived" ? 0 : fixed === "current" ? 0.3 : draw;
  const inactive = roll < 0.12;
  const latestDuration = duration();
  let latestStart: number;
  let latestUnpublished = false;
  if (inactive) latestStart = REFERENCE_MS - latestDuration - random.int(5, 300) * DAY;
  else if (roll < 0.15) {
    latestStart = REFERENCE_MS + random.int(20, 200) * DAY;
    latestUnpublished = true;
  } else if (roll < 0.6) latestStart = REFERENCE_MS - Math.floor(random.next() * (latestDuration - 7 * DAY) / DAY) * DAY;
  else if (roll < 0.75) latestStart = REFERENCE_MS + random.int(1, 59) * DAY;
  else latestStart = REFERENCE_MS + random.int(60, 300) * DAY;
  const latestTerm = termOf(latestStart);
  const count = random.int(2, 4);
  const runs: RunPlan[] = [];
  for (let back = count - 1; back >= 0; back--) {
    const term = latestTerm - back;
    const start = back === 0 ? latestStart : termStart(term) + random.int(0, 30) * DAY;
    let end = start + (back === 0 ? latestDuration : duration());
    // Every run of an inactive course is over, however long a self-paced run would have lasted.
    if (inactive) end = Math.min(end, REFERENCE_MS - random.int(1, 40) * DAY);
    const enrollmentStart = random.chance(0.15) ? null : start - random.int(30, 90) * DAY;
    const enrollmentEnd = selfPaced ? (random.chance(0.7) ? null : end - 14 * DAY) : start + random.int(7, 21) * DAY;
    const published = back === 0 ? !latestUnpublished && (random.chance(0.96) || inactive || fixed !== undefined) : true;
    runs.push({
      key: `course-v1:${course.key}+${termName(term)}`,
      start,
      end,
      enrollmentStart,
      enrollmentEnd,
      published,
      sku: random.hex(7).toUpperCase(),
      modified: Math.min(REFERENCE_MS - DAY, start - random.int(1, 60) * DAY + random.int(0, 400) * DAY),
    });
  }
  return runs;
}

interface ProgramPlan {
  readonly uuid: string;
  readonly title: string;
  readonly type: string;
  readonly status: string;
  readonly hidden: boolean;
  readonly org: Organization;
  readonly courses: readonly CoursePlan[];
  readonly weeks: readonly [number, number];
}

const WELL_KNOWN_PROGRAM_UUID = "a3951294-926b-4247-8c3c-51c1e4347a15";

function planPrograms(random: Random, courses: readonly CoursePlan[]): ProgramPlan[] {
  const count = Math.round(courses.length / 20);
  const byOrg = new Map<string, CoursePlan[]>();
  for (const course of courses) {
    const list = byOrg.get(course.org.key) ?? [];
    list.push(course);
    byOrg.set(course.org.key, list);
  }
  const orgs = ORGANIZATIONS.filter((item) => (byOrg.get(item.key)?.length ?? 0) > 0);
  const weights = orgs.map((item) => item.weight);
  const plans: ProgramPlan[] = [];
  for (let index = 0; index < count; index++) {
    const well = index === 0 && courses.some((course) => course.key === "MITx+6.00.1x");
    const organization = well
      ? ORGANIZATIONS.find((item) => item.key === "MITx") as Organization
      : orgs[random.weighted(weights)] as Organization;
    const pool = byOrg.get(organization.key) as CoursePlan[];
    const chosen = random.sample(pool, Math.min(pool.length, random.int(3, 6)));
    if (well) {
      const demo = courses.find((course) => course.key === "edX+DemoX");
      const python = courses.find((course) => course.key === "MITx+6.00.1x") as CoursePlan;
      for (const course of [python, demo]) {
        if (course && !chosen.includes(course)) chosen.unshift(course);
      }
    }
    const roll = random.next();
    const first = chosen[0] as CoursePlan;
    const type = random.pick(PROGRAM_TYPES);
    plans.push({
      uuid: well ? WELL_KNOWN_PROGRAM_UUID : random.uuid(),
      title: well ? "Data Science Essentials" : `${type} in ${first.topic}`,
      type,
      status: well || roll < 0.85 ? "active" : roll < 0.93 ? "retired" : "unpublished",
      hidden: !well && random.chance(0.05),
      org: organization,
      courses: chosen,
      weeks: [random.int(8, 16), random.int(17, 40)],
    });
  }
  return plans;
}

interface PathwayPlan {
  readonly uuid: string;
  readonly title: string;
  readonly status: string;
  readonly visible: boolean;
  readonly created: number;
  readonly skills: readonly string[];
  readonly steps: readonly { uuid: string; minRequirement: number; courses: readonly CoursePlan[]; programs: readonly ProgramPlan[] }[];
}

const PATHWAY_ROLES: readonly string[] = [
  "Data Engineer", "Data Analyst", "Cloud Architect", "Product Manager", "Financial Analyst",
  "Security Engineer", "Public Health Officer", "Machine Learning Engineer", "Marketing Lead",
];

function planPathways(random: Random, courses: readonly CoursePlan[], programs: readonly ProgramPlan[]): PathwayPlan[] {
  const count = courses.length === 0 ? 0 : Math.max(1, Math.round(courses.length / 100));
  const plans: PathwayPlan[] = [];
  for (let index = 0; index < count; index++) {
    const steps = [];
    const stepCount = random.int(1, 3);
    for (let step = 0; step < stepCount; step++) {
      const stepCourses = random.sample(courses, Math.min(courses.length, random.int(1, 3)));
      const stepPrograms = programs.length > 0 && random.chance(0.4) ? [random.pick(programs)] : [];
      steps.push({
        uuid: random.uuid(),
        minRequirement: random.int(1, Math.max(1, stepCourses.length + stepPrograms.length)),
        courses: stepCourses,
        programs: stepPrograms,
      });
    }
    const first = steps[0]?.courses[0] as CoursePlan;
    plans.push({
      uuid: random.uuid(),
      title: `${random.pick(PATHWAY_ROLES)} Pathway ${index + 1}`,
      status: random.chance(0.8) ? "active" : "inactive",
      visible: random.chance(0.7),
      created: REFERENCE_MS - random.int(30, 900) * DAY,
      skills: [first.topic],
      steps,
    });
  }
  return plans;
}

// ---------------------------------------------------------------------------------------------
// Records

function courseRecord(course: CoursePlan): JsonObject {
  const active = course.runs.filter((run) => run.end > REFERENCE_MS);
  const advertised = advertisedRun(course);
  const endDate = Math.max(...course.runs.map((run) => run.end));
  const urls = imageUrls(course);
  return {
    aggregation_key: `course:${course.key}`,
    content_type: "course",
    key: course.key,
    uuid: course.uuid,
    title: course.title,
    short_description: `<p>${course.sentence}</p>`,
    full_description: `<p>${course.title}. ${course.sentence}</p>`,
    marketing_url: course.marketingUrl,
    card_image_url: urls.card,
    image_url: urls.image,
    partner: course.org.partner,
    org: course.org.key,
    organizations: [`${course.org.key}: ${course.org.name}`],
    level_type: course.level,
    // With exclude_expired_course_run, discovery leaves out runs that have ended (§5.1).
    course_runs: active.map((run) => nestedRun(course, run)),
    advertised_course_run_key: advertised?.key ?? null,
    seat_types: seatTypes(course, active.length > 0),
    skill_names: [course.topic],
    skills: [{ name: course.topic, description: `Knowledge of ${course.topic.toLowerCase()}.` }],
    end_date: isoDate(endDate),
    course_ends: endDate > REFERENCE_MS ? "Future" : "Past",
    subjects: [course.subject.name],
    languages: active.length > 0 ? [course.language] : [],
    course_type: course.type.courseType,
    course_length: course.weeks <= 6 ? "short" : course.weeks <= 10 ? "medium" : "long",
    enterprise_subscription_inclusion: course.subscription,
    external_course_marketing_type: course.type === EXEC_ED ? "short_course" : null,
    product_source: course.type.productSource,
  };
}

function nestedRun(course: CoursePlan, run: RunPlan): JsonObject {
  const price = paidPrice(course);
  return {
    key: run.key,
    enrollment_start: isoDateOrNull(run.enrollmentStart),
    enrollment_end: isoDateOrNull(run.enrollmentEnd),
    go_live_date: null,
    start: isoDate(run.start),
    end: isoDate(run.end),
    modified: isoDate(run.modified),
    availability: availability(run),
    status: run.published ? "published" : "unpublished",
    pacing_type: course.pacing,
    enrollment_mode: course.type.paidSeat ?? (course.type.audit ? "audit" : "honor"),
    min_effort: course.effort[0],
    max_effort: course.effort[1],
    weeks_to_complete: course.weeks,
    estimated_hours: course.weeks * course.effort[1],
    // The search serializer writes `price or 0.0`: a free run shows 0 here, null at top level.
    first_enrollable_paid_seat_price: price ?? 0,
    is_enrollable: isEnrollable(run),
    is_marketable: run.published,
    is_marketable_external: run.published && course.type.productSource === "2u",
    seats: seats(course, run),
    seat_types: seatTypes(course, true),
    restriction_type: null,
    fixed_price_usd: course.type === EXEC_ED && price !== null ? price.toFixed(2) : null,
  };
}

function courseRunRecord(course: CoursePlan, run: RunPlan, programTypes: readonly string[]): JsonObject {
  const price = paidPrice(course);
  const urls = imageUrls(course);
  return {
    aggregation_key: `courserun:${course.key}`,
    content_type: "courserun",
    key: run.key,
    title: course.title,
    authoring_organization_uuids: [ORGANIZATION_UUIDS.get(course.org.key) as string],
    availability: availability(run),
    start: isoDate(run.start),
    end: isoDate(run.end),
    enrollment_start: isoDateOrNull(run.enrollmentStart),
    enrollment_end: isoDateOrNull(run.enrollmentEnd),
    first_enrollable_paid_seat_sku: price === null ? null : run.sku,
    first_enrollable_paid_seat_price: price,
    full_description: `<p>${course.title}. ${course.sentence}</p>`,
    go_live_date: null,
    has_enrollable_seats: run.published && isEnrollable(run),
    image_url: urls.image,
    is_enrollable: isEnrollable(run),
    language: course.language,
    level_type: course.level,
    logo_image_urls: [`https://prod-discovery.edx-cdn.org/organization/logos/${slugify(course.org.key)}.png`],
    marketing_url: `${course.marketingUrl}?course_run_key=${encodeURIComponent(run.key)}`,
    max_effort: course.effort[1],
    min_effort: course.effort[0],
    mobile_available: course.type.productSource === "edx",
    number: course.number,
    org: course.org.key,
    pacing_type: course.pacing,
    partner: course.org.partner,
    program_types: [...programTypes],
    published: run.published,
    status: run.published ? "published" : "unpublished",
    seat_types: seatTypes(course, true),
    skill_names: [course.topic],
    skills: [],
    short_description: `<p>${course.sentence}</p>`,
    staff_uuids: [],
    subject_uuids: [SUBJECT_UUIDS.get(course.subject.prefix) as string],
    transcript_languages: [course.language],
    type: course.type.runType,
    weeks_to_complete: course.weeks,
    restriction_type: null,
    fixed_price_usd: course.type === EXEC_ED && price !== null ? price.toFixed(2) : null,
    product_source: course.type.productSource,
    enterprise_subscription_inclusion: course.subscription,
    modified: isoDate(run.modified),
  };
}

function programRecord(program: ProgramPlan): JsonObject {
  const orgUuid = ORGANIZATION_UUIDS.get(program.org.key) as string;
  const languages = [...new Set(program.courses.map((course) => course.language))];
  const slug = slugify(program.title);
  return {
    aggregation_key: `program:${program.uuid}`,
    content_type: "program",
    uuid: program.uuid,
    title: program.title,
    subtitle: `Master ${program.courses[0]?.topic.toLowerCase() ?? "a new field"} in ${program.courses.length} courses.`,
    type: program.type,
    status: program.status,
    published: program.status === "active",
    partner: program.org.partner,
    language: languages,
    marketing_url: `https://www.edx.org/${slugify(program.type)}/${slugify(program.org.key)}-${slug}`,
    card_image_url: `https://prod-discovery.edx-cdn.org/media/programs/card_images/${program.uuid}.jpg`,
    hidden: program.hidden,
    authoring_organization_uuids: [orgUuid],
    authoring_organizations: [{
      uuid: orgUuid,
      key: program.org.key,
      name: program.org.name,
      logo_image_url: `https://prod-discovery.edx-cdn.org/organization/logos/${slugify(program.org.key)}.png`,
      certificate_logo_image_url: null,
    }],
    is_program_eligible_for_one_click_purchase: program.status === "active",
    max_hours_effort_per_week: Math.max(...program.courses.map((course) => course.effort[1])),
    min_hours_effort_per_week: Math.min(...program.courses.map((course) => course.effort[0])),
    staff_uuids: [],
    subject_uuids: [...new Set(program.courses.map((course) => SUBJECT_UUIDS.get(course.subject.prefix) as string))],
    skill_names: [...new Set(program.courses.map((course) => course.topic))],
    skills: [],
    weeks_to_complete_max: program.weeks[1],
    weeks_to_complete_min: program.weeks[0],
    search_card_display: [`${program.courses.length} courses`],
    is_2u_degree_program: false,
    excluded_from_search: false,
    excluded_from_seo: false,
    courses: program.courses.map((course) => ({ key: course.key, uuid: course.uuid, title: course.title })),
  };
}

function pathwayRecord(pathway: PathwayPlan): JsonObject {
  return {
    aggregation_key: `learnerpathway:${pathway.uuid}`,
    content_type: "learnerpathway",
    uuid: pathway.uuid,
    title: pathway.title,
    status: pathway.status,
    published: pathway.status === "active",
    overview: `Pathway for a ${pathway.title.replace(/ Pathway \d+$/, "").toLowerCase()}.`,
    partner: "edx",
    visible_via_association: pathway.visible,
    created: isoDate(pathway.created),
    skill_names: [...pathway.skills],
    skills: pathway.skills.map((name) => ({ name, description: `Knowledge of ${name.toLowerCase()}.` })),
    banner_image: {
      large: { url: `https://prod-discovery.edx-cdn.org/media/learner_pathway/banner/${pathway.uuid}.jpg`, width: 1440, height: 480 },
    },
    card_image: {
      card: { url: `https://prod-discovery.edx-cdn.org/media/learner_pathway/card/${pathway.uuid}.jpg`, width: 378, height: 225 },
    },
    steps: pathway.steps.map((step) => ({
      uuid: step.uuid,
      min_requirement: step.minRequirement,
      courses: step.courses.map((course) => ({
        key: course.key,
        course_runs: course.runs.filter((run) => run.end > REFERENCE_MS).map((run) => ({ key: run.key })),
        title: course.title,
        short_description: `<p>${course.sentence}</p>`,
        card_image_url: imageUrls(course).card,
        content_type: "course",
      })),
      programs: step.programs.map((program) => ({
        uuid: program.uuid,
        title: program.title,
        short_description: `${program.courses.length} courses`,
        card_image_url: `https://prod-discovery.edx-cdn.org/media/programs/card_images/${program.uuid}.jpg`,
        content_type: "program",
        courses: program.courses.map((course) => course.key),
      })),
    })),
  };
}

// ---------------------------------------------------------------------------------------------
// Derived facts

/** Discovery's availability: Archived once ended, Current once started, Starting Soon within 60 days. */
function availability(run: RunPlan): string {
  if (run.end < REFERENCE_MS) return "Archived";
  if (run.start <= REFERENCE_MS) return "Current";
  if (run.start < REFERENCE_MS + 60 * DAY) return "Starting Soon";
  return "Upcoming";
}

function isEnrollable(run: RunPlan): boolean {
  return run.published && run.end > REFERENCE_MS &&
    (run.enrollmentStart === null || run.enrollmentStart <= REFERENCE_MS) &&
    (run.enrollmentEnd === null || run.enrollmentEnd > REFERENCE_MS);
}

/** The run a marketing page would show: the first enrollable one, else the next to start. */
function advertisedRun(course: CoursePlan): RunPlan | undefined {
  const open = course.runs.filter((run) => run.published && run.end > REFERENCE_MS);
  return open.find(isEnrollable) ?? open.find((run) => run.start > REFERENCE_MS);
}

function paidPrice(course: CoursePlan): number | null {
  return course.type.paidSeat === null ? null : course.price;
}

function seatTypes(course: CoursePlan, any: boolean): JsonValue[] {
  if (!any) return [];
  const types: string[] = [];
  if (course.type.audit) types.push("audit");
  if (course.type.courseType === "honor") types.push("honor");
  if (course.type.paidSeat !== null) types.push(course.type.paidSeat);
  return types;
}

function seats(course: CoursePlan, run: RunPlan): JsonValue[] {
  const list: JsonValue[] = [];
  if (course.type.audit) list.push(seat("audit", 0, null, `A${run.sku.slice(1)}`));
  if (course.type.courseType === "honor") list.push(seat("honor", 0, null, `H${run.sku.slice(1)}`));
  if (course.type.paidSeat !== null && course.price !== null) {
    const deadline = course.type.paidSeat === "verified" ? isoDate(run.end - 10 * DAY) : null;
    list.push(seat(course.type.paidSeat, course.price, deadline, run.sku));
  }
  return list;
}

function seat(type: string, price: number, upgradeDeadline: string | null, sku: string): JsonObject {
  return { type, price: price.toFixed(2), currency: "USD", upgrade_deadline: upgradeDeadline, credit_provider: null, credit_hours: null, sku };
}

function imageUrls(course: CoursePlan): { card: string; image: string } {
  return {
    card: `https://prod-discovery.edx-cdn.org/media/course/image/${course.uuid}-card.jpg`,
    image: `https://prod-discovery.edx-cdn.org/media/course/image/${course.uuid}.jpg`,
  };
}

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

const ISO_DATES = new Map<number, string>();

/** Discovery's `YYYY-MM-DDTHH:MM:SSZ`; memoised because every date here falls on one of a few days. */
function isoDate(ms: number): string {
  let text = ISO_DATES.get(ms);
  if (text === undefined) {
    text = `${new Date(ms).toISOString().slice(0, 19)}Z`;
    ISO_DATES.set(ms, text);
  }
  return text;
}

function isoDateOrNull(ms: number | null): string | null {
  return ms === null ? null : isoDate(ms);
}

function slugify(text: string): string {
  return text.normalize("NFKD").replace(/[^\w\s-]/g, "").trim().toLowerCase().replace(/[\s_-]+/g, "-");
}

/** A uuid that depends only on its name, for things that must not move with the seed. */
function stableUuid(name: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) hash = Math.imul(hash ^ name.charCodeAt(i), 0x01000193);
  return new Random(hash).uuid();
}
