/**
 * Every record the local discovery answers has exactly the fields course-discovery's serializers
 * write, with the JSON types they give (test/fixtures/discovery_fields.json, each list with its
 * source), on every endpoint, and every kind of the lists is met at least once.
 */
import { readFileSync } from "node:fs";
import { beforeAll, describe, expect, test } from "vitest";
import { createLocalDiscoveryServer } from "../../adapters/discovery_local/local_discovery_server.ts";
import type { JsonObject, JsonValue } from "../../src/json.ts";
import { generateDiscoveryDatabase } from "../../tools/discovery_corpus/generate_database.ts";

interface Kind {
  readonly source: string;
  readonly fields: Readonly<Record<string, string>>;
}

const FIXTURE = JSON.parse(readFileSync(new URL("../fixtures/discovery_fields.json", import.meta.url), "utf8")) as {
  kinds: Record<string, Kind>;
};
const KINDS = FIXTURE.kinds;
const server = createLocalDiscoveryServer({ database: generateDiscoveryDatabase({ courses: 400, seed: 17 }) });

/** Checks a value against a kind and, through the naming convention, every object inside it. */
class FieldChecker {
  readonly problems: string[] = [];
  readonly visited = new Set<string>();
  readonly kinds: Readonly<Record<string, Kind>>;

  constructor(kinds: Readonly<Record<string, Kind>>) {
    this.kinds = kinds;
  }

  /** Checks `value` as `kind`, with the fields of `extra` kinds joined; `shallow` leaves nested objects alone. */
  check(kind: string, value: JsonValue, where: string, options: { extra?: readonly string[]; shallow?: boolean } = {}): void {
    const spec = this.kinds[kind];
    if (spec === undefined) {
      this.problems.push(`${where}: no field list "${kind}"`);
      return;
    }
    if (typeof value !== "object" || value === null || Array.isArray(value)) {
      this.problems.push(`${where}: a ${kind} must be an object`);
      return;
    }
    this.visited.add(kind);
    const expected: Record<string, string> = { ...spec.fields };
    for (const name of options.extra ?? []) {
      this.visited.add(name);
      Object.assign(expected, (this.kinds[name] as Kind).fields);
    }
    for (const field of Object.keys(expected)) {
      if (!(field in value)) this.problems.push(`${where}: lacks "${field}" of ${kind}`);
    }
    for (const [field, item] of Object.entries(value)) {
      const types = expected[field];
      if (types === undefined) {
        this.problems.push(`${where}: "${field}" is not a field of ${kind}`);
        continue;
      }
      if (!types.split("|").some((type) => hasType(item, type))) {
        this.problems.push(`${where}.${field}: ${JSON.stringify(item)?.slice(0, 60)} is not ${types}`);
      }
      if (!options.shallow) this.#descend(`${kind}.${field}`, item, `${where}.${field}`);
    }
  }

  #descend(path: string, value: JsonValue, where: string): void {
    if (Array.isArray(value)) {
      value.forEach((item, i) => {
        if (typeof item === "object" && item !== null) this.check(`${path}[]`, item, `${where}[${i}]`);
      });
    } else if (typeof value === "object" && value !== null) {
      this.check(path, value, where);
    }
  }
}

function hasType(value: JsonValue, type: string): boolean {
  switch (type) {
    case "null":
      return value === null;
    case "string":
      return typeof value === "string";
    case "boolean":
      return typeof value === "boolean";
    case "number":
      return typeof value === "number";
    case "integer":
      return typeof value === "number" && Number.isInteger(value);
    case "array":
      return Array.isArray(value);
    case "object":
      return typeof value === "object" && value !== null && !Array.isArray(value);
    default:
      throw new TypeError(`Unknown type in the field lists: "${type}"`);
  }
}

async function get(path: string, init: RequestInit = {}): Promise<JsonObject> {
  const response = await server.fetch(`http://discovery.test${path}`, init);
  expect(response.status, path).toBe(200);
  return await response.json() as JsonObject;
}

function post(path: string, body: JsonObject): Promise<JsonObject> {
  return get(path, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
}

const checker = new FieldChecker(KINDS);

/** Checks an envelope's own fields and each of its results as `kind`. */
function checkPage(envelope: string, page: JsonObject, kindOf: (record: JsonObject) => string, extra: readonly string[] = []): void {
  checker.check(envelope, page, envelope, { shallow: true });
  const results = page.results as JsonObject[];
  expect(results.length, `${envelope} should have results`).toBeGreaterThan(0);
  results.forEach((record, i) => checker.check(kindOf(record), record, `${envelope}.results[${i}]`, { extra }));
}

describe("the local discovery's answers", () => {
  beforeAll(async () => {
    const search = "?page_size=10000&include_learner_pathways=True";
    const searchKind = (record: JsonObject) => `search.${String(record.content_type)}`;
    checkPage("envelope.search_v1", await post(`/api/v1/search/all/${search}&exclude_expired_course_run=True`, {}), searchKind);
    checkPage("envelope.search_v1", await post(`/api/v1/search/all/${search}`, { content_type: "course" }), searchKind);
    checkPage("envelope.search_v2", await post(`/api/v2/search/all/${search}`, {}), searchKind, ["search_v2.additions"]);
    // Restricted runs come in the same shapes, top-level and nested, when asked for.
    const restricted = "&include_restricted=custom-b2b-enterprise,custom-b2c";
    checkPage("envelope.search_v1", await post(`/api/v1/search/all/${search}${restricted}&exclude_expired_course_run=True`, {}), searchKind);
    checkPage("envelope.courses", await get(`/api/v1/courses/?limit=10000${restricted}`), () => "courses.course");
    checkPage("envelope.courses", await get("/api/v1/courses/?limit=10000&include_hidden_course_runs=1"), () => "courses.course");
    checkPage("envelope.courses", await get("/api/v1/courses/?page=1&page_size=10000&exclude_utm=1"), () => "courses.course");
    checkPage("envelope.programs", await get("/api/v1/programs/?limit=10000&extended=True"), () => "programs.program", ["programs.program+extended"]);
    checkPage("envelope.programs", await get("/api/v1/programs/?limit=10000"), () => "programs.program");
    checkPage("envelope.course_review", await get("/api/v1/course_review/?page_size=10000"), () => "course_review.review");
  });

  test("have exactly the fields of their kind, each of a type discovery gives it", () => {
    expect(checker.problems.slice(0, 20)).toEqual([]);
  });

  test("meet every kind of the field lists, so no list goes unchecked", () => {
    expect(Object.keys(KINDS).filter((kind) => !checker.visited.has(kind))).toEqual([]);
  });
});

describe("test/fixtures/discovery_fields.json", () => {
  test("names the source of every field list as path@commit and the serializer", () => {
    for (const [name, kind] of Object.entries(KINDS)) {
      expect(kind.source, name).toMatch(/^\S+\.py@[0-9a-f]{40} \S/);
      expect(Object.keys(kind.fields).length, name).toBeGreaterThan(0);
    }
  });

  test("FieldChecker reports a missing field, an invented one, a wrong type and an object without a list", () => {
    const local = new FieldChecker(KINDS);
    local.check("course_review.review", {
      course_key: "edX+DemoX",
      reviews_count: 3.5,
      avg_course_rating: "4.5",
      confident_learners_percentage: "80.000000",
      most_common_goal: "Learn for fun",
      total_enrollments: 10,
      is_marketable: true,
      extra: { nested: true },
    }, "review");
    expect(local.problems).toEqual([
      'review: lacks "most_common_goal_learners_percentage" of course_review.review',
      "review.reviews_count: 3.5 is not integer",
      'review: "is_marketable" is not a field of course_review.review',
      'review: "extra" is not a field of course_review.review',
    ]);
    local.problems.length = 0;
    const seat = { type: "audit", price: "0.00", currency: "USD", upgrade_deadline: null, upgrade_deadline_override: null,
      credit_provider: null, credit_hours: null, sku: "ABC1234", bulk_sku: null };
    local.check("courses.course.course_runs[].seats[]", seat, "seat");
    expect(local.problems).toEqual([]);
    local.check("courses.course.entitlements[]", { mode: "verified", price: "49.00", currency: "USD", sku: null, expires: { at: "never" } }, "entitlement");
    expect(local.problems).toEqual([
      'entitlement.expires: {"at":"never"} is not null',
      'entitlement.expires: no field list "courses.course.entitlements[].expires"',
    ]);
  });
});
