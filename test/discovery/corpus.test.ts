import { readFile, stat } from "node:fs/promises";
import { gunzipSync } from "node:zlib";
import { describe, expect, test } from "vitest";
import {
  BUNDLED_DATABASE_URL,
  type CourseRow,
  type CourseRunRow,
  parseDiscoveryDatabase,
  serializeDiscoveryDatabase,
} from "../../adapters/discovery_local/discovery_database.ts";
import {
  DEFAULT_DATABASE_OPTIONS,
  generateDiscoveryDatabase,
  REFERENCE_DATE,
  WELL_KNOWN_PROGRAM_UUID,
} from "../../tools/discovery_corpus/generate_database.ts";

const DEFAULT = generateDiscoveryDatabase(DEFAULT_DATABASE_OPTIONS);
const RUNS = DEFAULT.courses.flatMap((course) => course.course_runs);
const NOW = Date.parse(REFERENCE_DATE);
const ended = (run: CourseRunRow) => run.end !== null && Date.parse(run.end) < NOW;

describe("generateDiscoveryDatabase()", () => {
  test("gives the same rows for the same seed and different ones for another seed", () => {
    const small = { courses: 50, seed: 7 };
    expect(serializeDiscoveryDatabase(generateDiscoveryDatabase(small))).toBe(serializeDiscoveryDatabase(generateDiscoveryDatabase(small)));
    expect(serializeDiscoveryDatabase(generateDiscoveryDatabase({ ...small, seed: 8 })))
      .not.toBe(serializeDiscoveryDatabase(generateDiscoveryDatabase(small)));
  });

  test("makes 3,000 courses with 2–4 runs each, 150 programs, 30 pathways and reviews for some courses by default", () => {
    expect(DEFAULT_DATABASE_OPTIONS.courses).toBe(3000);
    expect(DEFAULT.courses).toHaveLength(3000);
    const own = (course: CourseRow) => course.course_runs.filter((run) => run.restriction_type === null);
    for (const course of DEFAULT.courses) expect(own(course).length).toBeGreaterThanOrEqual(2);
    for (const course of DEFAULT.courses) expect(own(course).length).toBeLessThanOrEqual(4);
    expect(DEFAULT.programs).toHaveLength(150);
    expect(DEFAULT.pathways).toHaveLength(30);
    expect(DEFAULT.reviews.length).toBeGreaterThan(900);
    expect(DEFAULT.reviews.length).toBeLessThan(1500);
  });

  test("adds restricted runs after some courses' own: current, enrollable B2B ones (some the only open run of their course) and a few B2C", () => {
    const restricted = DEFAULT.courses.flatMap((course) => course.course_runs.filter((run) => run.restriction_type !== null).map((run) => ({ course, run })));
    const b2b = restricted.filter(({ run }) => run.restriction_type === "custom-b2b-enterprise");
    expect(b2b.length).toBeGreaterThan(150);
    expect(restricted.filter(({ run }) => run.restriction_type === "custom-b2c").length).toBeGreaterThan(40);
    for (const { course, run } of restricted) {
      expect(course.course_runs.at(-1)?.restriction_type, course.key).not.toBeNull();
      expect(run).toMatchObject({ status: "published", hidden: false, slug: "" });
      expect(Date.parse(String(run.start))).toBeLessThan(NOW);
      expect(Date.parse(String(run.enrollment_end))).toBeGreaterThan(NOW);
      expect(run.seats.length).toBeGreaterThan(0);
    }
    const onlyOpenThroughRestricted = b2b.filter(({ course }) => course.course_runs.every((run) => run.restriction_type !== null || ended(run)));
    expect(onlyOpenThroughRestricted.length).toBeGreaterThan(10);
    expect(restricted.some(({ course }) => ["edX+DemoX", "MITx+6.00.1x", "HarvardX+CS50x", "MITx+OLD101x"].includes(course.key))).toBe(false);
  });

  test("gives every course, run, program and pathway a unique key and uuid", () => {
    const unique = (values: readonly string[]) => new Set(values).size === values.length;
    expect(unique(DEFAULT.courses.map((course) => course.key))).toBe(true);
    expect(unique(DEFAULT.courses.map((course) => course.uuid))).toBe(true);
    expect(unique(RUNS.map((run) => run.key))).toBe(true);
    expect(unique(RUNS.map((run) => run.uuid))).toBe(true);
    expect(unique([...DEFAULT.programs.map((program) => program.uuid), ...DEFAULT.pathways.map((pathway) => pathway.uuid)])).toBe(true);
  });

  test("names only rows that exist", () => {
    const has = <T>(rows: readonly T[], key: (row: T) => string) => new Set(rows.map(key));
    const organizations = has(DEFAULT.organizations, (row) => row.key);
    const subjects = has(DEFAULT.subjects, (row) => row.slug);
    const languages = has(DEFAULT.languages, (row) => row.code);
    const runTypes = has(DEFAULT.runTypes, (row) => row.slug);
    const courseTypes = has(DEFAULT.courseTypes, (row) => row.slug);
    const sources = has(DEFAULT.sources, (row) => row.slug);
    const partners = has(DEFAULT.partners, (row) => row.short_code);
    const courses = has(DEFAULT.courses, (row) => row.key);
    const programs = has(DEFAULT.programs, (row) => row.uuid);
    const problems: string[] = [];
    const expectIn = (set: Set<string>, value: string | null, what: string) => {
      if (value !== null && !set.has(value)) problems.push(`${what} "${value}"`);
    };
    for (const course of DEFAULT.courses) {
      expectIn(partners, course.partner, "partner");
      expectIn(courseTypes, course.type, "course type");
      expectIn(sources, course.product_source, "source");
      for (const key of [...course.authoring_organizations, ...course.sponsoring_organizations]) expectIn(organizations, key, "organization");
      for (const slug of course.subjects) expectIn(subjects, slug, "subject");
      for (const run of course.course_runs) {
        expectIn(runTypes, run.type, "run type");
        for (const code of [run.language, ...run.transcript_languages]) expectIn(languages, code, "language");
        if (!run.key.startsWith(`course-v1:${course.key}+`)) problems.push(`run key "${run.key}"`);
      }
    }
    for (const program of DEFAULT.programs) for (const key of program.courses) expectIn(courses, key, "program course");
    for (const pathway of DEFAULT.pathways) {
      for (const step of pathway.steps) {
        for (const key of step.courses) expectIn(courses, key, "pathway course");
        for (const uuid of step.programs) expectIn(programs, uuid, "pathway program");
      }
    }
    for (const review of DEFAULT.reviews) expectIn(courses, review.course_key, "reviewed course");
    expect(problems).toEqual([]);
  });

  test("keeps every run a course ever had: ended, unpublished, reviewed, hidden and seat-less ones", () => {
    expect(RUNS.filter(ended).length).toBeGreaterThan(RUNS.length / 3);
    expect(RUNS.some((run) => run.status === "unpublished")).toBe(true);
    expect(RUNS.some((run) => run.status === "reviewed")).toBe(true);
    expect(RUNS.filter((run) => run.hidden).length).toBeGreaterThan(20);
    expect(RUNS.filter((run) => run.status === "published" && run.seats.length === 0).length).toBeGreaterThan(20);
    const inactive = DEFAULT.courses.filter((course) => course.course_runs.every(ended));
    expect(inactive.length).toBeGreaterThan(100);
    expect(inactive.length).toBeLessThan(DEFAULT.courses.length / 2);
  });

  test("gives runs seats with skus and prices, and verified seats an upgrade deadline before the run ends", () => {
    const seats = RUNS.flatMap((run) => run.seats.map((seat) => ({ run, seat })));
    expect(seats.every(({ seat }) => typeof seat.sku === "string" && /^\d+\.\d\d$/.test(seat.price))).toBe(true);
    const verified = seats.filter(({ seat }) => seat.type === "verified");
    expect(verified.length).toBeGreaterThan(1000);
    for (const { run, seat } of verified) expect(Date.parse(seat.upgrade_deadline as string)).toBeLessThan(Date.parse(run.end as string));
    expect(seats.filter(({ seat }) => seat.type === "audit").every(({ seat }) => seat.price === "0.00")).toBe(true);
  });

  test("spreads courses over types, product sources, partners and organizations", () => {
    const types = new Set(DEFAULT.courses.map((course) => course.type));
    expect([...types].sort()).toEqual([
      "audit", "bootcamp-2u", "credit-verified-audit", "empty", "executive-education-2u", "professional", "verified", "verified-audit",
    ]);
    expect(new Set(DEFAULT.courses.map((course) => course.product_source))).toEqual(new Set(["edx", "2u", "shorelight"]));
    expect(new Set(DEFAULT.courses.map((course) => course.partner))).toEqual(new Set(["edx", "openedx"]));
    expect(new Set(DEFAULT.courses.flatMap((course) => course.authoring_organizations)).size).toBe(DEFAULT.organizations.length);
    expect(DEFAULT.courses.some((course) => course.sponsoring_organizations.length > 0)).toBe(true);
  });

  test("gives executive education a paid-executive-education entitlement with sku and price, and runs a fixed USD price", () => {
    const execEd = DEFAULT.courses.filter((course) => course.type === "executive-education-2u");
    expect(execEd.length).toBeGreaterThan(100);
    for (const course of execEd) {
      expect(course.product_source).toBe("2u");
      expect(course.entitlements).toEqual([expect.objectContaining({ mode: "paid-executive-education", sku: expect.any(String), price: expect.stringMatching(/^\d+\.00$/) })]);
      expect(course.additional_metadata?.external_course_marketing_type).toBe("short_course");
      for (const run of course.course_runs) {
        expect(run.type).toBe("paid-executive-education");
        expect(run.fixed_price_usd).toBe(course.entitlements[0]?.price);
        expect(run.variant_id).toEqual(expect.any(String));
      }
    }
  });

  test("includes the courses and program the reference's example filters name", () => {
    const course = (key: string) => DEFAULT.courses.find((row) => row.key === key) as CourseRow;
    for (const key of ["edX+DemoX", "MITx+6.00.1x", "HarvardX+CS50x", "MITx+OLD101x"]) expect(course(key)).toBeDefined();
    expect(course("MITx+OLD101x").course_runs.every(ended)).toBe(true);
    expect(course("edX+DemoX").course_runs.some((run) => !ended(run))).toBe(true);
    const program = DEFAULT.programs.find((row) => row.uuid === WELL_KNOWN_PROGRAM_UUID);
    expect(program?.status).toBe("active");
    expect(program?.courses).toEqual(expect.arrayContaining(["edX+DemoX", "MITx+6.00.1x"]));
  });

  // Its speed is the read benchmark's concern (it generates this size); a timed test fails on a busy machine.
  test("makes the 30,000 courses the read benchmark asks for", () => {
    const big = generateDiscoveryDatabase({ courses: 30_000, seed: 1 });
    expect(big.courses).toHaveLength(30_000);
    expect(new Set(big.courses.map((course) => course.key)).size).toBe(30_000);
  });

  test("rejects a negative or fractional course count", () => {
    expect(() => generateDiscoveryDatabase({ courses: -1 })).toThrow(RangeError);
    expect(() => generateDiscoveryDatabase({ courses: 1.5 })).toThrow(RangeError);
  });
});

describe("serializeDiscoveryDatabase()", () => {
  test("round-trips through parseDiscoveryDatabase()", () => {
    const database = generateDiscoveryDatabase({ courses: 20, seed: 3 });
    expect(parseDiscoveryDatabase(serializeDiscoveryDatabase(database))).toEqual(database);
  });

  test("parseDiscoveryDatabase() rejects text that is not a database", () => {
    expect(() => parseDiscoveryDatabase("[]")).toThrow(TypeError);
    expect(() => parseDiscoveryDatabase(JSON.stringify({ referenceDate: REFERENCE_DATE, seed: 1 }))).toThrow(/"partners"/);
  });
});

describe("discovery_database.json.gz", () => {
  test("holds exactly what tools/discovery_corpus writes today, so it cannot drift from the generator", async () => {
    const bundled = gunzipSync(await readFile(BUNDLED_DATABASE_URL)).toString("utf8");
    const regenerated = serializeDiscoveryDatabase(DEFAULT);
    // Compared as text, not bytes of the gzip stream, which may change with the zlib version.
    expect(bundled.length).toBe(regenerated.length);
    expect(bundled === regenerated).toBe(true);
  });

  test("stays small", async () => {
    const { size } = await stat(BUNDLED_DATABASE_URL);
    expect(size).toBeLessThan(4 * 1024 * 1024);
  });
});
