import { describe, expect, it } from "vitest";
import type { EnterpriseCatalog } from "../../src/catalog/catalog.ts";
import { contentRecordFromDiscovery, type ContentMetadata } from "../../src/content/content_metadata.ts";
import { containsAllKeys, legacyDetail, legacyEnrollmentUrl, legacyListItem } from "../../src/content/legacy_view.ts";
import type { JsonObject } from "../../src/json.ts";

const LMS = "https://courses.example.com";
const CATALOG: EnterpriseCatalog = {
  uuid: "7467c9d2-433c-4f7e-ba2e-c5c7798527b2", title: "All Content", enterpriseCustomerUuid: "47130371-0b6d-43f5-01de-71942664de2b",
  enterpriseCustomerName: "Acme Corp", queryUuid: "3f1b0f0e-7d2a-4b9c-9a59-2b2f2f9a0c11", enabledCourseModes: ["verified"],
  publishAuditEnrollmentUrls: false, created: new Date(0), modified: new Date(0),
};

function content(record: JsonObject): ContentMetadata {
  const mapped = contentRecordFromDiscovery(record);
  if (mapped === undefined) throw new TypeError("not content");
  return { ...mapped, modified: new Date(0) };
}

describe("legacyEnrollmentUrl()", () => {
  it("writes the legacy LMS forms for courses, runs and programs, parameters sorted", () => {
    expect(legacyEnrollmentUrl({ contentType: "course", contentKey: "edX+DemoX" }, CATALOG, LMS)).toBe(
      "https://courses.example.com/enterprise/47130371-0b6d-43f5-01de-71942664de2b/course/edX+DemoX/enroll/?catalog=7467c9d2-433c-4f7e-ba2e-c5c7798527b2&utm_medium=enterprise&utm_source=acme-corp");
    expect(legacyEnrollmentUrl({ contentType: "courserun", contentKey: "course-v1:edX+DemoX+Demo_Course" }, CATALOG, LMS)).toBe(
      "https://courses.example.com/enterprise/47130371-0b6d-43f5-01de-71942664de2b/course/course-v1:edX+DemoX+Demo_Course/enroll/?catalog=7467c9d2-433c-4f7e-ba2e-c5c7798527b2&utm_medium=enterprise&utm_source=acme-corp");
    expect(legacyEnrollmentUrl({ contentType: "program", contentKey: "3f8b1c70-9a5e-4f0b-9f43-0a3c8f1f8e21" }, CATALOG, LMS)).toBe(
      "https://courses.example.com/enterprise/47130371-0b6d-43f5-01de-71942664de2b/program/3f8b1c70-9a5e-4f0b-9f43-0a3c8f1f8e21/enroll/?catalog=7467c9d2-433c-4f7e-ba2e-c5c7798527b2&utm_medium=enterprise&utm_source=acme-corp");
    expect(legacyEnrollmentUrl({ contentType: "learnerpathway", contentKey: "x" }, CATALOG, LMS)).toBeNull();
  });

  it("puts audit=true first when the catalog publishes audit URLs", () => {
    const url = legacyEnrollmentUrl({ contentType: "course", contentKey: "edX+DemoX" }, { ...CATALOG, publishAuditEnrollmentUrls: true }, LMS);
    expect(url).toMatch(/\/enroll\/\?audit=true&catalog=/);
  });
});

describe("legacyListItem()", () => {
  it("adds enrollment_url, UTM marketing_url, active and end_date to courses", () => {
    const item = legacyListItem(content({
      content_type: "course", key: "edX+DemoX", aggregation_key: "course:edX+DemoX", marketing_url: "https://www.example.com/course/demo",
      course_runs: [
        { key: "course-v1:edX+DemoX+1T2024", availability: "Archived", status: "published", end: "2024-06-01T00:00:00Z" },
        { key: "course-v1:edX+DemoX+2T2024", availability: "Current", status: "published", end: "2024-12-31T00:00:00Z" },
      ],
    }), CATALOG, LMS);
    expect(item).toMatchObject({
      marketing_url: "https://www.example.com/course/demo?utm_medium=enterprise&utm_source=acme-corp",
      active: true, end_date: "2024-12-31T00:00:00Z",
      enrollment_url: expect.stringContaining("/course/edX+DemoX/enroll/"),
    });
    expect(legacyListItem(content({ content_type: "course", key: "edX+Old", course_runs: [] }), CATALOG, LMS)).toMatchObject({ active: false, end_date: null });
  });

  it("drops runs without enrollable seats, programs not eligible for one-click purchase, and pathways", () => {
    const run = { content_type: "courserun", key: "course-v1:edX+DemoX+1T", aggregation_key: "courserun:edX+DemoX" };
    expect(legacyListItem(content({ ...run, has_enrollable_seats: false }), CATALOG, LMS)).toBeUndefined();
    expect(legacyListItem(content({ ...run, has_enrollable_seats: true }), CATALOG, LMS)).toBeDefined();
    const program = { content_type: "program", uuid: "3f8b1c70-9a5e-4f0b-9f43-0a3c8f1f8e21" };
    expect(legacyListItem(content({ ...program, is_program_eligible_for_one_click_purchase: false }), CATALOG, LMS)).toBeUndefined();
    expect(legacyListItem(content({ ...program, is_program_eligible_for_one_click_purchase: true }), CATALOG, LMS)).toBeDefined();
    expect(legacyListItem(content({ content_type: "learnerpathway", uuid: "6f0e0000-0000-4000-8000-000000000000" }), CATALOG, LMS)).toBeUndefined();
  });
});

describe("legacyDetail()", () => {
  it("adds enrollment URLs to a course's runs and to a program's courses and their runs", () => {
    const course = legacyDetail(content({ content_type: "course", key: "edX+DemoX", course_runs: [{ key: "course-v1:edX+DemoX+2T2024" }] }), CATALOG, LMS);
    expect((course.course_runs as JsonObject[])[0]?.enrollment_url).toContain("/course/course-v1:edX+DemoX+2T2024/enroll/");
    const program = legacyDetail(content({
      content_type: "program", uuid: "3f8b1c70-9a5e-4f0b-9f43-0a3c8f1f8e21",
      courses: [{ key: "edX+DemoX", course_runs: [{ key: "course-v1:edX+DemoX+2T2024" }] }],
    }), CATALOG, LMS);
    expect(program.enrollment_url).toContain("/program/3f8b1c70-9a5e-4f0b-9f43-0a3c8f1f8e21/enroll/");
    const [first] = program.courses as JsonObject[];
    expect(first?.enrollment_url).toContain("/course/edX+DemoX/enroll/");
    expect((first?.course_runs as JsonObject[])[0]?.enrollment_url).toContain("/course/course-v1:edX+DemoX+2T2024/enroll/");
  });
});

describe("containsAllKeys()", () => {
  it("is true only when the one catalog matches every key", () => {
    const matches = new Map([["a", ["c1", "c2"]], ["b", ["c2"]]]);
    expect(containsAllKeys(matches, ["a", "b"], "c2")).toBe(true);
    expect(containsAllKeys(matches, ["a", "b"], "c1")).toBe(false);
    expect(containsAllKeys(matches, [], "c1")).toBe(false);
  });
});
