import { describe, expect, test } from "vitest";
import { advertisedCourseRun } from "../../src/content/content_metadata.ts";
import type { JsonObject } from "../../src/json.ts";
import { enrichedCourse, forceIncludedCourseKeys, normalizedMetadata } from "../../src/refresh/enrichment.ts";

function run(fields: JsonObject = {}): JsonObject {
  return {
    key: "course-v1:edX+X+1T2026", uuid: "r1", start: "2026-02-01T00:00:00Z", end: "2026-06-01T00:00:00Z",
    enrollment_start: "2026-01-01T00:00:00Z", enrollment_end: null, fixed_price_usd: null, first_enrollable_paid_seat_price: 99,
    seats: [
      { type: "audit", price: "0.00", upgrade_deadline: null, upgrade_deadline_override: null },
      { type: "verified", price: "99.00", upgrade_deadline: "2026-05-20T23:59:59Z", upgrade_deadline_override: null },
    ],
    ...fields,
  };
}

function courseWith(runs: JsonObject[], fields: JsonObject = {}): JsonObject {
  return { key: "edX+X", course_type: "verified-audit", advertised_course_run_uuid: "r1", entitlements: [], course_runs: runs, ...fields };
}

describe("normalizedMetadata()", () => {
  test("takes dates from the advertised run and the enroll-by date from its best seat's deadline", () => {
    expect(normalizedMetadata(courseWith([run({ uuid: "other" }), run()]))).toEqual({
      start_date: "2026-02-01T00:00:00Z", end_date: "2026-06-01T00:00:00Z", enroll_by_date: "2026-05-20T23:59:59Z",
      enroll_start_date: "2026-01-01T00:00:00Z", content_price: 99,
    });
  });

  test("uses the earlier of the deadline override and the enrollment end", () => {
    const seats = [{ type: "verified", upgrade_deadline: "2026-05-20T23:59:59Z", upgrade_deadline_override: "2026-05-25T00:00:00Z" }];
    expect(normalizedMetadata(courseWith([run({ seats })])).enroll_by_date).toBe("2026-05-25T00:00:00Z");
    expect(normalizedMetadata(courseWith([run({ seats, enrollment_end: "2026-04-01T00:00:00Z" })])).enroll_by_date).toBe("2026-04-01T00:00:00Z");
  });

  test("prices a run by its fixed price first, and an exec-ed course by its entitlement before the seat price", () => {
    expect(normalizedMetadata(courseWith([run({ fixed_price_usd: "2100.00" })])).content_price).toBe(2100);
    const execEd = courseWith([run({ enrollment_end: "2026-01-20T00:00:00Z" })], {
      course_type: "executive-education-2u",
      entitlements: [{ mode: "verified", price: "10.00" }, { mode: "paid-executive-education", price: "2800.00", sku: "E1" }],
    });
    expect(normalizedMetadata(execEd)).toMatchObject({ content_price: 2800, enroll_by_date: "2026-01-20T00:00:00Z" });
  });

  test("gives nulls and a price of 0 when the course advertises no run", () => {
    expect(normalizedMetadata(courseWith([run()], { advertised_course_run_uuid: null }))).toEqual({
      start_date: null, end_date: null, enroll_by_date: null, enroll_start_date: null, content_price: 0,
    });
    expect(advertisedCourseRun(courseWith([run()], { advertised_course_run_uuid: "missing" }))).toBeUndefined();
  });
});

describe("enrichedCourse()", () => {
  test("rebuilds from its sources, so a key that left the full record leaves the stored one", () => {
    const search = { aggregation_key: "course:edX+X", content_type: "course", key: "edX+X", course_runs: [{ key: "nested" }] };
    const first = enrichedCourse("edX+X", { search, full: courseWith([run()], { video: null }) });
    const second = enrichedCourse("edX+X", { search, full: courseWith([run()]) });
    expect(first).toHaveProperty("video");
    expect(second).not.toHaveProperty("video");
    expect(second.course_runs).toEqual([run()]);
    expect(second).not.toHaveProperty("reviews_count");
  });
});

describe("forceIncludedCourseKeys()", () => {
  test("reads a list or a single key, without blanks or repeats", () => {
    expect(forceIncludedCourseKeys({ enterprise_force_include_aggregation_keys: ["a+b", "", "a+b", 3, "c+d"] })).toEqual(["a+b", "c+d"]);
    expect(forceIncludedCourseKeys({ enterprise_force_include_aggregation_keys: "a+b" })).toEqual(["a+b"]);
    expect(forceIncludedCourseKeys({ content_type: "course" })).toEqual([]);
  });
});
