import { describe, expect, test } from "vitest";
import { compileFilter, standardTokens } from "../../adapters/discovery_local/filter_evaluator.ts";
import { QueryParameters } from "../../adapters/discovery_local/query_parameters.ts";
import type { JsonObject } from "../../src/json.ts";

/** Search documents as the indexes hold them (search_documents.ts builds them from database rows). */
const COURSE: JsonObject = {
  aggregation_key: "course:edX+DemoX",
  content_type: "course",
  key: "edX+DemoX",
  title: "edX Demonstration Course",
  short_description: "<p>Learn how to take an edX course.</p>",
  partner: "edx",
  org: "edX",
  organizations: ["edX: edX"],
  authoring_organizations: ["edX: edX"],
  level_type: "Introductory",
  languages: ["English"],
  course_type: "verified-audit",
  product_source: "edx",
  enterprise_subscription_inclusion: true,
  availability: ["Current", "Starting Soon"],
  status: ["published", "unpublished"],
  start: ["2025-04-01T00:00:00Z", "2026-02-01T00:00:00Z"],
  end: ["2026-04-01T00:00:00Z", "2026-09-01T00:00:00Z"],
  first_enrollable_paid_seat_price: 49,
};

const RUN: JsonObject = {
  aggregation_key: "courserun:edX+DemoX",
  content_type: "courserun",
  key: "course-v1:edX+DemoX+2T2025",
  title: "edX Demonstration Course",
  availability: "Current",
  start: "2025-04-01T00:00:00Z",
  end: "2026-04-01T00:00:00Z",
  first_enrollable_paid_seat_price: 49,
  has_enrollable_seats: true,
  is_active: true,
  language: "English",
  level_type: "Introductory",
  org: "edX",
  partner: "edx",
  pacing_type: "self_paced",
  published: true,
  hidden: false,
  status: "published",
  type: "verified",
  seat_types: ["audit", "verified"],
  number: "DemoX",
};

const PROGRAM: JsonObject = {
  aggregation_key: "program:a3951294-926b-4247-8c3c-51c1e4347a15",
  content_type: "program",
  uuid: "a3951294-926b-4247-8c3c-51c1e4347a15",
  title: "Data Science Essentials",
  type: "Professional Certificate",
  status: "active",
  published: true,
  partner: "edx",
  hidden: false,
  authoring_organizations: ["MITx: Massachusetts Institute of Technology"],
};

const PATHWAY: JsonObject = {
  aggregation_key: "learnerpathway:6f0e",
  content_type: "learnerpathway",
  uuid: "6f0e",
  title: "Data Engineer",
  status: "active",
  partner: "edx",
};

/** Whether a document matches a filter sent as a JSON body, as discovery merges it into the query. */
function matches(document: JsonObject, filter: JsonObject): boolean {
  return compileFilter(new QueryParameters().withBody(filter)).matches(document);
}

describe("compileFilter()", () => {
  test("an empty filter matches every document, learner pathways included", () => {
    for (const document of [COURSE, RUN, PROGRAM, PATHWAY]) expect(matches(document, {})).toBe(true);
  });

  test("different keys are ANDed", () => {
    expect(matches(RUN, { content_type: "courserun", partner: "edx" })).toBe(true);
    expect(matches(RUN, { content_type: "courserun", partner: "mitpe" })).toBe(false);
    expect(matches(RUN, { content_type: "course", partner: "edx" })).toBe(false);
  });

  test("a list value ORs its values and a one-element list behaves like a scalar", () => {
    expect(matches(RUN, { content_type: ["course", "courserun"] })).toBe(true);
    expect(matches(RUN, { content_type: ["course", "program"] })).toBe(false);
    expect(matches(RUN, { availability: ["Current"] })).toBe(matches(RUN, { availability: "Current" }));
    expect(matches(RUN, { availability: ["Archived"] })).toBe(false);
  });

  test("an empty list or a blank string leaves the key out; null is the value None, which matches nothing", () => {
    expect(matches(RUN, { org: [] })).toBe(true);
    expect(matches(RUN, { org: "  " })).toBe(true);
    expect(matches(RUN, { org: null })).toBe(false);
  });

  test("__exclude drops every listed value", () => {
    expect(matches(COURSE, { course_type__exclude: "executive-education-2u" })).toBe(true);
    expect(matches(COURSE, { course_type__exclude: ["executive-education-2u", "verified-audit"] })).toBe(false);
    expect(matches(COURSE, { aggregation_key__exclude: "course:edX+DemoX" })).toBe(false);
  });

  test("__exclude of one value a__b drops only documents matching both parts, as discovery ORs the negations", () => {
    expect(matches(COURSE, { aggregation_key__exclude: "course:MITx+OLD101x__course:edX+DemoX" })).toBe(true);
    expect(matches(COURSE, { authoring_organizations__exclude: "edX: edX__edx: edx" })).toBe(false);
  });

  test("__exclude on a field the document lacks excludes nothing", () => {
    expect(matches(PROGRAM, { course_type__exclude: "executive-education-2u" })).toBe(true);
  });

  test("a lookup the field does not accept is ignored, like an unknown key", () => {
    expect(matches(COURSE, { content_type__exclude: "course" })).toBe(true);
    expect(matches(RUN, { partner__exclude: "edx" })).toBe(true);
    expect(matches(RUN, { org__startswith: "zzz" })).toBe(true);
    expect(compileFilter(new QueryParameters([["content_type__exclude", "course"]])).contentTypes).toBeNull();
  });

  test("a term on a field the document lacks does not match", () => {
    expect(matches(PROGRAM, { availability: "Current" })).toBe(false);
    expect(matches(COURSE, { published: true })).toBe(false);
  });

  test("__term must match every value, unlike a plain key", () => {
    expect(matches(COURSE, { status__term: ["published", "unpublished"] })).toBe(true);
    expect(matches(RUN, { availability__term: ["Current", "Upcoming"] })).toBe(false);
    expect(matches(RUN, { availability: ["Current", "Upcoming"] })).toBe(true);
  });

  test("__gt/__gte/__lt/__lte compare numbers, and string numbers numerically", () => {
    expect(matches(RUN, { first_enrollable_paid_seat_price__lte: "199" })).toBe(true);
    expect(matches(RUN, { first_enrollable_paid_seat_price__lte: "49" })).toBe(true);
    expect(matches(RUN, { first_enrollable_paid_seat_price__lt: "49" })).toBe(false);
    expect(matches(RUN, { first_enrollable_paid_seat_price__gt: 48.5 })).toBe(true);
    expect(matches(RUN, { first_enrollable_paid_seat_price__gte: "100" })).toBe(false);
    // "1000" < "199" as text, but not as numbers.
    expect(matches({ ...RUN, first_enrollable_paid_seat_price: 1000 }, { first_enrollable_paid_seat_price__lte: "199" })).toBe(false);
  });

  test("range lookups with a list require every bound", () => {
    expect(matches(RUN, { first_enrollable_paid_seat_price__gte: ["10", "40"] })).toBe(true);
    expect(matches(RUN, { first_enrollable_paid_seat_price__gte: ["10", "50"] })).toBe(false);
  });

  test("__range takes low__high, and __in values joined by __", () => {
    expect(matches(RUN, { first_enrollable_paid_seat_price__range: "40__60" })).toBe(true);
    expect(matches(RUN, { first_enrollable_paid_seat_price__range: "50__60" })).toBe(false);
    expect(matches(RUN, { first_enrollable_paid_seat_price__in: "10__49" })).toBe(true);
  });

  test("a price range never matches a run without a paid seat", () => {
    expect(matches({ ...RUN, first_enrollable_paid_seat_price: null }, { first_enrollable_paid_seat_price__lte: "199" })).toBe(false);
  });

  test("date ranges compare ISO dates and date-times; plain dates have no range lookup but gt/gte/lt/lte", () => {
    expect(matches(RUN, { start__gte: "2025-04-01" })).toBe(true);
    expect(matches(RUN, { start__gt: "2025-04-01" })).toBe(false);
    expect(matches(RUN, { start__lt: "2025-04-01T00:00:01Z" })).toBe(true);
    expect(matches(RUN, { end__gt: "2026-03-31T23:59:59" })).toBe(true);
    expect(matches(RUN, { end__lte: "2026-03-31" })).toBe(false);
  });

  test("a course document's lists (availability, status, start, end of its runs) match when any item does", () => {
    expect(matches(COURSE, { availability: "Starting Soon" })).toBe(true);
    expect(matches(COURSE, { availability: "Archived" })).toBe(false);
    expect(matches(COURSE, { status: "unpublished" })).toBe(true);
    expect(matches(COURSE, { start__gte: "2026-01-01" })).toBe(true);
    expect(matches(COURSE, { end__lt: "2026-01-01" })).toBe(false);
  });

  test("org, partner, type and authoring_organizations match case-insensitively", () => {
    expect(matches(RUN, { org: "EDX" })).toBe(true);
    expect(matches(RUN, { org: ["mitx", "edx"] })).toBe(true);
    expect(matches(RUN, { partner: "EdX" })).toBe(true);
    expect(matches(RUN, { org__exclude: "EDX" })).toBe(false);
    expect(matches(PROGRAM, { type: "professional certificate" })).toBe(true);
    expect(matches(RUN, { enrollment_mode: "Verified" })).toBe(true);
    expect(matches(PROGRAM, { authoring_organizations: "mitx: massachusetts institute of technology" })).toBe(true);
  });

  test("other keyword fields match case-sensitively", () => {
    expect(matches(RUN, { availability: "current" })).toBe(false);
    expect(matches(RUN, { level_type: "introductory" })).toBe(false);
  });

  test("key is a phrase match on analysed tokens: a course key also matches its runs", () => {
    expect(matches(COURSE, { key: "edX+DemoX" })).toBe(true);
    expect(matches(RUN, { key: "edX+DemoX" })).toBe(true);
    expect(matches(RUN, { key: "edx demox" })).toBe(true);
    expect(matches(RUN, { key: "DemoX+edX" })).toBe(false);
    expect(matches(RUN, { key: ["MITx+6.00.1x", "edX+DemoX"] })).toBe(true);
    expect(matches(PROGRAM, { key: "edX+DemoX" })).toBe(false);
    expect(matches(RUN, { key: "+" })).toBe(false);
  });

  test("key does not match a longer key that merely starts the same", () => {
    expect(matches({ ...RUN, key: "course-v1:edX+DemoX2+2T2025" }, { key: "edX+DemoX" })).toBe(false);
  });

  test("key.raw is an exact match", () => {
    expect(matches(COURSE, { "key.raw": "edX+DemoX" })).toBe(true);
    expect(matches(RUN, { "key.raw": "edX+DemoX" })).toBe(false);
    expect(matches(RUN, { "key.raw": "course-v1:edX+DemoX+2T2025" })).toBe(true);
    expect(matches(RUN, { "key.raw__exclude": "course-v1:edX+DemoX+2T2025" })).toBe(false);
  });

  test("aggregation_key is exact, with term, terms and exclude", () => {
    expect(matches(COURSE, { aggregation_key: "course:edX+DemoX" })).toBe(true);
    expect(matches(COURSE, { aggregation_key: "course:edx+demox" })).toBe(false);
    expect(matches(RUN, { aggregation_key: "courserun:edX+DemoX" })).toBe(true);
    expect(matches(COURSE, { aggregation_key: ["course:MITx+6.00.1x", "course:edX+DemoX"] })).toBe(true);
    expect(matches(COURSE, { aggregation_key__terms: "course:MITx+6.00.1x__course:edX+DemoX" })).toBe(true);
    expect(matches(PROGRAM, { aggregation_key__exclude: ["course:edX+DemoX"] })).toBe(true);
  });

  test("booleans match True/False strings and JSON booleans; active is the run's is_active", () => {
    for (const value of [true, "True", "true", "1"]) expect(matches(RUN, { published: value })).toBe(true);
    for (const value of [false, "False", "false", "0"]) expect(matches(RUN, { published: value })).toBe(false);
    expect(matches(COURSE, { enterprise_subscription_inclusion: "True" })).toBe(true);
    expect(matches(PROGRAM, { hidden: false })).toBe(true);
    expect(matches(RUN, { active: true })).toBe(true);
    expect(matches({ ...RUN, is_active: false }, { active: true })).toBe(false);
  });

  test("numbers in a filter match string and number fields alike", () => {
    expect(matches(RUN, { first_enrollable_paid_seat_price: "49" })).toBe(true);
    expect(matches(RUN, { first_enrollable_paid_seat_price: 49.0 })).toBe(true);
    expect(matches({ ...RUN, number: "101" }, { number: 101 })).toBe(true);
  });

  test("unknown keys, ECS-only keys and fields discovery does not filter on are ignored", () => {
    expect(matches(RUN, {
      restricted_runs_allowed: { "course:edX+FUN": ["course-v1:edX+FUN+3T2024"] },
      enterprise_force_include_aggregation_keys: ["edX+UnlistedX"],
      no_such_field: "anything",
      seat_types: "professional",
      uuid: "not-this-one",
    })).toBe(true);
  });

  test("the production typos aggregation__key and org__exempt are an unknown field and an unknown lookup", () => {
    expect(matches(COURSE, { aggregration__key: ["course:MITx+6.00.1x"] })).toBe(true);
    expect(matches(COURSE, { aggregation__key: "course:MITx+6.00.1x" })).toBe(true);
    expect(matches(RUN, { org__exempt: "edX" })).toBe(true);
  });

  test("q is a phrase search over key, title and short description; several q values must all match", () => {
    expect(matches(COURSE, { q: "demonstration course" })).toBe(true);
    expect(matches(COURSE, { q: "take an edX" })).toBe(true);
    expect(matches(COURSE, { q: "course demonstration" })).toBe(false);
    expect(matches(COURSE, { q: ["demonstration", "take an edX"] })).toBe(true);
    expect(matches(COURSE, { q: ["demonstration", "nothing like it"] })).toBe(false);
  });

  test("keys of Object.prototype are unknown keys, not fields", () => {
    expect(matches(RUN, { constructor: "x", toString: "y", __proto__: "z" })).toBe(true);
  });

  test("reports the content types and aggregation keys a filter allows, for narrowing", () => {
    const compiled = compileFilter(new QueryParameters().withBody({ content_type: ["course", "program"], aggregation_key: "course:edX+DemoX" }));
    expect([...compiled.contentTypes ?? []]).toEqual(["course", "program"]);
    expect([...compiled.aggregationKeys ?? []]).toEqual(["course:edX+DemoX"]);
    expect(compiled.matches(COURSE)).toBe(true);
  });

  test("gives equal keys to filters that select alike, whatever their order or ignored parameters", () => {
    const key = (pairs: [string, string][]) => compileFilter(new QueryParameters(pairs)).key;
    expect(key([["org", "MITx"], ["content_type", "course"], ["page", "3"]])).toBe(key([["content_type", "course"], ["org", "MITx"]]));
    expect(key([["org", "MITx"]])).not.toBe(key([["org", "HarvardX"]]));
  });
});

describe("QueryParameters.withBody()", () => {
  test("appends a JSON body the way Python's urlencode(doseq=True) and parse_qsl write it", () => {
    const merged = new QueryParameters([["org", "MITx"], ["page", "2"]]).withBody({
      org: ["HarvardX"],
      content_type: ["course", "courserun"],
      published: true,
      price: 199,
      partner: null,
      level_type: "",
      skill_names: [],
      restricted_runs_allowed: { "course:edX+FUN": ["course-v1:edX+FUN+3T2024"] },
      nested: [["a", 1], true],
    });
    expect(Object.fromEntries(merged.entries())).toEqual({
      org: ["MITx", "HarvardX"],
      page: ["2"],
      content_type: ["course", "courserun"],
      published: ["True"],
      price: ["199"],
      partner: ["None"],
      restricted_runs_allowed: ["course:edX+FUN"],
      nested: ["['a', 1]", "True"],
    });
    expect(merged.get("org")).toBe("HarvardX");
  });
});

describe("standardTokens()", () => {
  test("splits keys on punctuation and lower-cases them", () => {
    expect(standardTokens("course-v1:edX+DemoX+2T2025")).toEqual(["course", "v1", "edx", "demox", "2t2025"]);
    expect(standardTokens("MITx+6.00.1x")).toEqual(["mitx", "6.00.1x"]);
    expect(standardTokens("Don't stop CS50's")).toEqual(["don't", "stop", "cs50", "s"]);
    expect(standardTokens("a_b c:d")).toEqual(["a_b", "c:d"]);
    expect(standardTokens("  ")).toEqual([]);
  });
});
