import { readFile, stat } from "node:fs/promises";
import { gunzipSync } from "node:zlib";
import { describe, expect, test } from "vitest";
import {
  BUNDLED_CORPUS_URL,
  DEFAULT_CORPUS_OPTIONS,
  generateCorpus,
  parseCorpus,
  REFERENCE_DATE,
  serializeCorpus,
} from "../../adapters/discovery_local/corpus.ts";
import type { JsonObject, JsonValue } from "../../src/json.ts";

const DEFAULT = generateCorpus(DEFAULT_CORPUS_OPTIONS);
const BY_TYPE = groupBy(DEFAULT.records, (record) => String(record.content_type));
const COURSES = BY_TYPE.get("course") ?? [];
const RUNS = BY_TYPE.get("courserun") ?? [];
const PROGRAMS = BY_TYPE.get("program") ?? [];
const PATHWAYS = BY_TYPE.get("learnerpathway") ?? [];

describe("generateCorpus()", () => {
  test("gives the same records for the same seed and different ones for another seed", () => {
    const small = { courses: 50, seed: 7 };
    expect(serializeCorpus(generateCorpus(small))).toBe(serializeCorpus(generateCorpus(small)));
    expect(serializeCorpus(generateCorpus({ ...small, seed: 8 }))).not.toBe(serializeCorpus(generateCorpus(small)));
  });

  test("makes a few thousand courses with 2–4 runs each, ~150 programs and ~30 pathways by default", () => {
    expect(DEFAULT_CORPUS_OPTIONS.courses).toBe(3000);
    expect(COURSES).toHaveLength(3000);
    expect(RUNS.length).toBeGreaterThanOrEqual(2 * 3000);
    expect(RUNS.length).toBeLessThanOrEqual(4 * 3000);
    expect(PROGRAMS).toHaveLength(150);
    expect(PATHWAYS).toHaveLength(30);
    expect(BY_TYPE.has("person")).toBe(false);
  });

  test("gives every record a unique aggregation key and content key", () => {
    const keyOf = (record: JsonObject): string =>
      `${String(record.aggregation_key)}|${String(record.key ?? record.uuid)}`;
    expect(new Set(DEFAULT.records.map(keyOf)).size).toBe(DEFAULT.records.length);
    expect(new Set(COURSES.map((course) => course.uuid)).size).toBe(COURSES.length);
  });

  test("writes courses in the search/all shape with nested runs of their own", () => {
    const problems: string[] = [];
    const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
    for (const course of COURSES) {
      const key = String(course.key);
      if (course.aggregation_key !== `course:${key}`) problems.push(`${key}: aggregation_key`);
      if (!/^[A-Za-z0-9]+\+[A-Za-z0-9.]+$/.test(key)) problems.push(`${key}: key`);
      if (!uuid.test(String(course.uuid))) problems.push(`${key}: uuid`);
      for (const field of ["title", "short_description", "marketing_url", "card_image_url", "image_url", "partner", "org"]) {
        if (typeof course[field] !== "string") problems.push(`${key}: ${field}`);
      }
      const runKey = new RegExp(`^course-v1:${escape(key)}\\+[123]T20\\d\\d$`);
      for (const run of course.course_runs as JsonObject[]) {
        if (!runKey.test(String(run.key))) problems.push(`${String(run.key)}: key`);
        if ("uuid" in run) problems.push(`${String(run.key)}: uuid`);
        for (const field of ["start", "end", "availability", "status", "pacing_type", "is_enrollable", "is_marketable", "seats"]) {
          if (!(field in run)) problems.push(`${String(run.key)}: ${field}`);
        }
      }
    }
    expect(problems).toEqual([]);
  });

  test("leaves ended runs out of a course's nested runs, as exclude_expired_course_run does", () => {
    for (const course of COURSES) {
      for (const run of course.course_runs as JsonObject[]) expect(String(run.end) > REFERENCE_DATE).toBe(true);
    }
  });

  test("writes top-level runs pointing at their course through the aggregation key, without a uuid", () => {
    const courseKeys = new Set(COURSES.map((course) => course.key));
    for (const run of RUNS) {
      const parent = String(run.aggregation_key).replace(/^courserun:/, "");
      expect(courseKeys.has(parent)).toBe(true);
      expect(String(run.key).startsWith(`course-v1:${parent}+`)).toBe(true);
      expect(run).not.toHaveProperty("uuid");
      expect(typeof run.published).toBe("boolean");
    }
  });

  test("writes programs without a key and pathways whose steps name known content", () => {
    const courseKeys = new Set(COURSES.map((course) => course.key));
    const programUuids = new Set(PROGRAMS.map((program) => program.uuid));
    for (const program of PROGRAMS) {
      expect(program).not.toHaveProperty("key");
      expect(program.aggregation_key).toBe(`program:${String(program.uuid)}`);
      for (const course of program.courses as JsonObject[]) expect(courseKeys.has(course.key)).toBe(true);
    }
    for (const pathway of PATHWAYS) {
      expect(pathway.aggregation_key).toBe(`learnerpathway:${String(pathway.uuid)}`);
      for (const step of pathway.steps as JsonObject[]) {
        for (const course of step.courses as JsonObject[]) expect(courseKeys.has(course.key)).toBe(true);
        for (const program of step.programs as JsonObject[]) expect(programUuids.has(program.uuid)).toBe(true);
      }
    }
  });

  test("spreads records over partners, organizations, levels, availabilities, prices, languages and types", () => {
    expect(distinct(COURSES, "partner")).toEqual(expect.arrayContaining(["edx", "2u", "openedx"]));
    expect(distinct(COURSES, "org").length).toBeGreaterThanOrEqual(12);
    expect(distinct(COURSES, "org")).toEqual(expect.arrayContaining(["HarvardX", "MITx", "edX"]));
    expect(distinct(RUNS, "level_type").sort()).toEqual(["Advanced", "Intermediate", "Introductory"]);
    expect(distinct(RUNS, "availability").sort()).toEqual(["Archived", "Current", "Starting Soon", "Upcoming"]);
    expect(distinct(RUNS, "language").length).toBeGreaterThanOrEqual(5);
    expect(distinct(COURSES, "course_type")).toEqual(
      expect.arrayContaining(["verified-audit", "audit", "professional", "executive-education-2u", null]),
    );
    const prices = distinct(RUNS, "first_enrollable_paid_seat_price");
    expect(prices).toEqual(expect.arrayContaining([null, 49, 199, 2800]));
    const nestedPrices = COURSES.flatMap((course) => (course.course_runs as JsonObject[]).map((run) => run.first_enrollable_paid_seat_price));
    expect(nestedPrices).toContain(0);
  });

  test("includes inactive courses: no enrollable published run", () => {
    const inactive = COURSES.filter((course) =>
      !(course.course_runs as JsonObject[]).some((run) => run.status === "published" && run.is_enrollable === true)
    );
    expect(inactive.length).toBeGreaterThan(100);
    expect(inactive.length).toBeLessThan(COURSES.length / 2);
  });

  test("includes the courses and program the reference's example filters name", () => {
    const keys = new Set(COURSES.map((course) => course.key));
    for (const key of ["edX+DemoX", "MITx+6.00.1x", "HarvardX+CS50x", "MITx+OLD101x"]) expect(keys.has(key)).toBe(true);
    expect(PROGRAMS.some((program) => program.uuid === "a3951294-926b-4247-8c3c-51c1e4347a15")).toBe(true);
  });

  test("makes a corpus of 100,000+ records in a few seconds", () => {
    const started = performance.now();
    const big = generateCorpus({ courses: 30_000, seed: 1 });
    expect(big.records.length).toBeGreaterThan(100_000);
    expect(performance.now() - started).toBeLessThan(5_000);
  });

  test("rejects a negative course count", () => {
    expect(() => generateCorpus({ courses: -1 })).toThrow(RangeError);
  });
});

describe("serializeCorpus()", () => {
  test("round-trips through parseCorpus()", () => {
    const corpus = generateCorpus({ courses: 20, seed: 3 });
    expect(parseCorpus(serializeCorpus(corpus))).toEqual(corpus);
  });
});

describe("corpus.json.gz", () => {
  test("holds exactly what generate_corpus.ts writes today, so it cannot drift from the script", async () => {
    const bundled = gunzipSync(await readFile(BUNDLED_CORPUS_URL)).toString("utf8");
    const regenerated = serializeCorpus(DEFAULT);
    // Compared as text, not bytes of the gzip stream, which may change with the zlib version.
    expect(bundled.length).toBe(regenerated.length);
    expect(bundled === regenerated).toBe(true);
  });

  test("stays small", async () => {
    const { size } = await stat(BUNDLED_CORPUS_URL);
    expect(size).toBeLessThan(4 * 1024 * 1024);
  });
});

function groupBy(records: readonly JsonObject[], key: (record: JsonObject) => string): Map<string, JsonObject[]> {
  const groups = new Map<string, JsonObject[]>();
  for (const record of records) {
    const list = groups.get(key(record)) ?? [];
    list.push(record);
    groups.set(key(record), list);
  }
  return groups;
}

function distinct(records: readonly JsonObject[], field: string): JsonValue[] {
  return [...new Set(records.map((record) => record[field] ?? null))];
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
