import { describe, expect, test } from "vitest";
import {
  compileFilter,
  matchesFilter,
  searchDocument,
  standardTokens,
} from "../../adapters/discovery_local/filter_evaluator.ts";
import type { JsonObject } from "../../src/json.ts";

const COURSE: JsonObject = {
  aggregation_key: "course:edX+DemoX",
  content_type: "course",
  key: "edX+DemoX",
  uuid: "11111111-1111-1111-1111-111111111111",
  title: "edX Demonstration Course",
  short_description: "<p>Learn how to take an edX course.</p>",
  partner: "edx",
  org: "edX",
  organizations: ["edX: edX"],
  level_type: "Introductory",
  languages: ["English"],
  course_type: "verified-audit",
  product_source: "edx",
  enterprise_subscription_inclusion: true,
  course_runs: [
    {
      key: "course-v1:edX+DemoX+2T2025",
      start: "2025-04-01T00:00:00Z",
      end: "2026-04-01T00:00:00Z",
      availability: "Current",
      status: "published",
      first_enrollable_paid_seat_price: 49,
      is_enrollable: true,
    },
    {
      key: "course-v1:edX+DemoX+1T2026",
      start: "2026-02-01T00:00:00Z",
      end: "2026-09-01T00:00:00Z",
      availability: "Starting Soon",
      status: "unpublished",
      first_enrollable_paid_seat_price: 99,
      is_enrollable: false,
    },
  ],
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
  is_enrollable: true,
  language: "English",
  level_type: "Introductory",
  org: "edX",
  partner: "edx",
  pacing_type: "self_paced",
  published: true,
  status: "published",
  type: "verified",
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
  authoring_organizations: [{ uuid: "2b7c", key: "MITx", name: "Massachusetts Institute of Technology" }],
};

const PATHWAY: JsonObject = {
  aggregation_key: "learnerpathway:6f0e",
  content_type: "learnerpathway",
  uuid: "6f0e",
  title: "Data Engineer",
  status: "active",
  partner: "edx",
};

function matches(record: JsonObject, filter: JsonObject): boolean {
  return matchesFilter(record, filter);
}

describe("matchesFilter()", () => {
  test("an empty filter matches every record, learner pathways included", () => {
    for (const record of [COURSE, RUN, PROGRAM, PATHWAY]) expect(matches(record, {})).toBe(true);
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

  test("an empty list, a blank string or null leaves the key out, as discovery drops blank parameters", () => {
    expect(matches(RUN, { org: [] })).toBe(true);
    expect(matches(RUN, { org: "  " })).toBe(true);
    expect(matches(RUN, { org: null })).toBe(true);
  });

  test("__exclude is NOT IN: every listed value is excluded", () => {
    expect(matches(COURSE, { course_type__exclude: "executive-education-2u" })).toBe(true);
    expect(matches(COURSE, { course_type__exclude: ["executive-education-2u", "verified-audit"] })).toBe(false);
    expect(matches(COURSE, { aggregation_key__exclude: "course:edX+DemoX" })).toBe(false);
    expect(matches(COURSE, { aggregation_key__exclude: "course:MITx+OLD101x__course:edX+DemoX" })).toBe(false);
  });

  test("__exclude on a field the record lacks excludes nothing", () => {
    expect(matches(PROGRAM, { course_type__exclude: "executive-education-2u" })).toBe(true);
  });

  test("a term on a field the record lacks does not match", () => {
    expect(matches(PROGRAM, { availability: "Current" })).toBe(false);
    expect(matches(COURSE, { published: true })).toBe(false);
  });

  test("__gt/__gte/__lt/__lte compare numbers, and string numbers numerically", () => {
    expect(matches(RUN, { first_enrollable_paid_seat_price__lte: "199" })).toBe(true);
    expect(matches(RUN, { first_enrollable_paid_seat_price__lte: "49" })).toBe(true);
    expect(matches(RUN, { first_enrollable_paid_seat_price__lt: "49" })).toBe(false);
    expect(matches(RUN, { first_enrollable_paid_seat_price__gt: 48.5 })).toBe(true);
    expect(matches(RUN, { first_enrollable_paid_seat_price__gte: "100" })).toBe(false);
    // "1000" < "199" as text, but not as numbers.
    expect(matches({ ...RUN, first_enrollable_paid_seat_price: 1000 }, { first_enrollable_paid_seat_price__lte: "199" }))
      .toBe(false);
  });

  test("range lookups with a list require every bound", () => {
    expect(matches(RUN, { first_enrollable_paid_seat_price__gte: ["10", "40"] })).toBe(true);
    expect(matches(RUN, { first_enrollable_paid_seat_price__gte: ["10", "50"] })).toBe(false);
  });

  test("__range takes low__high", () => {
    expect(matches(RUN, { first_enrollable_paid_seat_price__range: "40__60" })).toBe(true);
    expect(matches(RUN, { first_enrollable_paid_seat_price__range: "50__60" })).toBe(false);
  });

  test("a price range never matches a run without a paid seat", () => {
    expect(matches({ ...RUN, first_enrollable_paid_seat_price: null }, { first_enrollable_paid_seat_price__lte: "199" }))
      .toBe(false);
  });

  test("date ranges compare ISO dates and date-times", () => {
    expect(matches(RUN, { start__gte: "2025-04-01" })).toBe(true);
    expect(matches(RUN, { start__gt: "2025-04-01" })).toBe(false);
    expect(matches(RUN, { start__lt: "2025-04-01T00:00:01Z" })).toBe(true);
    expect(matches(RUN, { end__gt: "2026-03-31T23:59:59" })).toBe(true);
    expect(matches(RUN, { end__lte: "2026-03-31" })).toBe(false);
  });

  test("a course's start, end, availability and status are those of its runs (any run)", () => {
    expect(matches(COURSE, { availability: "Starting Soon" })).toBe(true);
    expect(matches(COURSE, { availability: "Archived" })).toBe(false);
    expect(matches(COURSE, { status: "unpublished" })).toBe(true);
    expect(matches(COURSE, { start__gte: "2026-01-01" })).toBe(true);
    expect(matches(COURSE, { end__lt: "2026-01-01" })).toBe(false);
  });

  test("a course's runs given as top-level records replace its nested runs", () => {
    const archived: JsonObject = { ...RUN, key: "course-v1:edX+DemoX+1T2020", availability: "Archived", language: "French" };
    expect(matchesFilter(COURSE, { availability: "Archived" }, { courseRuns: [archived] })).toBe(true);
    expect(matchesFilter(COURSE, { languages: "French" }, { courseRuns: [archived] })).toBe(true);
    expect(matchesFilter(COURSE, { availability: "Current" }, { courseRuns: [archived] })).toBe(false);
  });

  test("a course's first_enrollable_paid_seat_price is that of its earliest enrollable paid run", () => {
    expect(matches(COURSE, { first_enrollable_paid_seat_price: 49 })).toBe(true);
    expect(matches(COURSE, { first_enrollable_paid_seat_price__gte: 99 })).toBe(false);
  });

  test("org and partner match case-insensitively", () => {
    expect(matches(RUN, { org: "EDX" })).toBe(true);
    expect(matches(RUN, { org: ["mitx", "edx"] })).toBe(true);
    expect(matches(RUN, { partner: "EdX" })).toBe(true);
    expect(matches(RUN, { org__exclude: "EDX" })).toBe(false);
  });

  test("other keyword fields match case-sensitively", () => {
    expect(matches(RUN, { availability: "current" })).toBe(false);
    expect(matches(RUN, { level_type: "introductory" })).toBe(false);
  });

  test("type matches program and run types case-insensitively", () => {
    expect(matches(PROGRAM, { type: "professional certificate" })).toBe(true);
    expect(matches(RUN, { type: "Verified" })).toBe(true);
  });

  test("authoring_organizations matches a program's organizations as \"key: name\"", () => {
    expect(matches(PROGRAM, { authoring_organizations: "mitx: massachusetts institute of technology" })).toBe(true);
    expect(matches(COURSE, { authoring_organizations: "edX: edX" })).toBe(false);
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

  test("booleans match True/False strings and JSON booleans", () => {
    for (const value of [true, "True", "true", "1"]) expect(matches(RUN, { published: value })).toBe(true);
    for (const value of [false, "False", "false", "0"]) expect(matches(RUN, { published: value })).toBe(false);
    expect(matches(COURSE, { enterprise_subscription_inclusion: "True" })).toBe(true);
    expect(matches(PROGRAM, { hidden: false })).toBe(true);
  });

  test("numbers in a filter match string and number fields alike", () => {
    expect(matches(RUN, { first_enrollable_paid_seat_price: "49" })).toBe(true);
    expect(matches(RUN, { first_enrollable_paid_seat_price: 49.0 })).toBe(true);
    expect(matches({ ...RUN, number: "101" }, { number: 101 })).toBe(true);
  });

  test("unknown keys, ECS-only keys and unknown lookups are ignored", () => {
    expect(matches(RUN, {
      restricted_runs_allowed: { "course:edX+FUN": ["course-v1:edX+FUN+3T2024"] },
      enterprise_force_include_aggregation_keys: ["edX+UnlistedX"],
      no_such_field: "anything",
      org__startswith: "zzz",
      uuid: "not-this-one",
    })).toBe(true);
  });

  test("the production typos of aggregation_key and org__exclude are corrected", () => {
    expect(matches(COURSE, { aggregration__key: ["course:MITx+6.00.1x"] })).toBe(false);
    expect(matches(COURSE, { aggregation__key: "course:edX+DemoX" })).toBe(true);
    expect(matches(COURSE, { aggregation__key: "course:MITx+6.00.1x" })).toBe(false);
    expect(matches(RUN, { org__exempt: "edX" })).toBe(false);
    expect(matches(RUN, { org__exempt: "MITx" })).toBe(true);
  });

  test("q is a phrase match over key, title and short description", () => {
    expect(matches(COURSE, { q: "demonstration course" })).toBe(true);
    expect(matches(COURSE, { q: "take an edX" })).toBe(true);
    expect(matches(COURSE, { q: "course demonstration" })).toBe(false);
  });

  test("keys of Object.prototype are unknown keys, not fields", () => {
    expect(matches(RUN, { constructor: "x", toString: "y", __proto__: "z" })).toBe(true);
  });
});

describe("compileFilter()", () => {
  test("reports the content types and aggregation keys a filter allows, for indexing", () => {
    const compiled = compileFilter({ content_type: ["course", "program"], aggregation_key: "course:edX+DemoX" });
    expect([...compiled.contentTypes ?? []]).toEqual(["course", "program"]);
    expect([...compiled.aggregationKeys ?? []]).toEqual(["course:edX+DemoX"]);
    expect(compiled.matches(searchDocument(COURSE))).toBe(true);
  });

  test("an excluded content type does not narrow the candidates", () => {
    expect(compileFilter({ content_type__exclude: "course" }).contentTypes).toBeNull();
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
