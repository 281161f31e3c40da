import { spawnSync } from "node:child_process";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { EnterpriseCatalog } from "../../src/catalog/catalog.ts";
import { contentRecordFromDiscovery } from "../../src/content/content_metadata.ts";
import { catalogCustomer } from "../../src/customers/catalog_customer.ts";
import {
  enrollmentUrl,
  type EnrollmentUrlSettings,
  quotePlus,
  slugify,
  updateQueryParameters,
  xapiActivityId,
} from "../../src/content/enrollment_urls.ts";
import { compareContentKeys, isCourseActive } from "../../src/content/listing.ts";
import { contentMetadataView } from "../../src/content/metadata_view.ts";

const PYTHON = spawnSync("python3", ["--version"]).status === 0 ? "python3" : undefined;

/** Python's update_query_parameters (enterprise-catalog api/v1/utils.py) over many inputs at once. */
const PYTHON_UPDATE = `
import json, sys
from urllib.parse import parse_qs, quote_plus, urlencode, urlsplit, urlunsplit
out = []
for url, params in json.load(sys.stdin):
    scheme, netloc, path, query, fragment = urlsplit(url)
    current = parse_qs(query)
    current.update(params)
    out.append(urlunsplit((scheme, netloc, path, urlencode(sorted(current.items()), doseq=True), fragment)))
print(json.dumps(out))
`;

const CATALOG: EnterpriseCatalog = {
  uuid: "7467c9d2-433c-4f7e-ba2e-c5c7798527b2",
  title: "All Content",
  enterpriseCustomerUuid: "47130371-0b6d-43f5-01de-71942664de2b",
  enterpriseCustomerName: "Acme Corp",
  queryUuid: "0b7e0f3a-5f3e-4d2e-9a7c-1f0f9d8e7c6b",
  enabledCourseModes: ["verified"],
  publishAuditEnrollmentUrls: false,
  created: new Date("2025-01-01T00:00:00Z"),
  modified: new Date("2025-01-01T00:00:00Z"),
};

const LMS: EnrollmentUrlSettings = {
  lmsBaseUrl: "https://courses.example.com",
  learnerPortalBaseUrl: "https://learner.example.com",
  ecommerceBaseUrl: "https://ecommerce.example.com",
};
/** The customer as the catalog alone names it (the LMS form), and with the learner portal on. */
const asCatalog = (catalog: EnterpriseCatalog) => catalogCustomer(catalog, undefined);
const withPortal = (catalog: EnterpriseCatalog) => ({ ...catalogCustomer(catalog, undefined), learnerPortalEnabled: true });

describe("URL helpers", () => {
  it("slugify() writes Django's slugs", () => {
    expect(slugify("Acme Corp")).toBe("acme-corp");
    expect(slugify("  Ünïcode -- Büro & Co_ ")).toBe("unicode-buro-co");
    expect(slugify("")).toBe("");
  });

  it("quotePlus() escapes as Python's quote_plus", () => {
    expect(quotePlus("course-v1:edX+DemoX+2T2025 a/b~!*'()")).toBe("course-v1%3AedX%2BDemoX%2B2T2025+a%2Fb~%21%2A%27%28%29");
  });

  it.skipIf(PYTHON === undefined)("updateQueryParameters() matches Python's update_query_parameters", () => {
    const text = fc.string({ unit: fc.constantFrom("a", "B", "+", " ", "%", "2", "=", "&", "é", "/", ":", "~", "*") , maxLength: 8 });
    const cases = fc.sample(fc.tuple(
      fc.tuple(fc.constantFrom("https://www.edx.org/course/x", "https://e.org/p?", "http://h/p#frag"),
        fc.array(fc.tuple(text, text), { maxLength: 4 })),
      fc.dictionary(fc.stringMatching(/^[a-z_]{1,6}$/), text, { maxKeys: 3 }),
    ), { numRuns: 300, seed: 4 }).map(([[base, pairs], params]) => {
      const query = pairs.map(([name, value]) => `${name}=${value}`).join("&");
      const url = query === "" ? base : base.includes("#") ? base.replace("#", `?${query}#`) : `${base}${base.includes("?") ? "" : "?"}${query}`;
      return [url, { utm_medium: "enterprise", ...params }] as const;
    });
    const run = spawnSync(PYTHON as string, ["-c", PYTHON_UPDATE], { input: JSON.stringify(cases), encoding: "utf8" });
    if (run.status !== 0) throw new Error(`python3 failed: ${run.stderr}`);
    const expected = JSON.parse(run.stdout) as string[];
    expect(cases.map(([url, params]) => updateQueryParameters(url, params))).toEqual(expected);
  });

  it("compareContentKeys() orders by code point, as Postgres COLLATE \"C\" does", () => {
    const keys = ["é", "z", "a", "B", "\u{1F600}", "\uFFFD", "ab", "a"];
    expect([...keys].sort(compareContentKeys)).toEqual(["B", "a", "a", "ab", "z", "é", "\uFFFD", "\u{1F600}"]);
  });
});

describe("enrollmentUrl()", () => {
  const course = { contentType: "course" as const, contentKey: "edX+DemoX", parentContentKey: null, advertisedRunKey: "course-v1:edX+DemoX+2T2025" };
  const run = { contentType: "courserun" as const, contentKey: "course-v1:edX+DemoX+2T2025", parentContentKey: "edX+DemoX" };

  it("writes the LMS form: advertised run in the path, catalog and UTM parameters sorted", () => {
    expect(enrollmentUrl(course, CATALOG, LMS, asCatalog(CATALOG))).toBe(
      "https://courses.example.com/enterprise/47130371-0b6d-43f5-01de-71942664de2b/course/course-v1:edX+DemoX+2T2025/enroll/" +
        "?catalog=7467c9d2-433c-4f7e-ba2e-c5c7798527b2&utm_medium=enterprise&utm_source=acme-corp",
    );
    expect(enrollmentUrl({ ...course, advertisedRunKey: null }, { ...CATALOG, publishAuditEnrollmentUrls: true }, LMS, asCatalog({ ...CATALOG, publishAuditEnrollmentUrls: true }))).toBe(
      "https://courses.example.com/enterprise/47130371-0b6d-43f5-01de-71942664de2b/course/edX+DemoX/enroll/" +
        "?audit=true&catalog=7467c9d2-433c-4f7e-ba2e-c5c7798527b2&utm_medium=enterprise&utm_source=acme-corp",
    );
  });

  it("writes the learner-portal form with course_run_key for runs", () => {
    expect(enrollmentUrl(course, CATALOG, LMS, withPortal(CATALOG))).toBe("https://learner.example.com/acme-corp/course/edX+DemoX?utm_medium=enterprise&utm_source=acme-corp");
    expect(enrollmentUrl(run, { ...CATALOG, publishAuditEnrollmentUrls: true }, LMS, withPortal({ ...CATALOG, publishAuditEnrollmentUrls: true }))).toBe(
      "https://learner.example.com/acme-corp/course/edX+DemoX?audit=true&course_run_key=course-v1%3AedX%2BDemoX%2B2T2025&utm_medium=enterprise&utm_source=acme-corp",
    );
  });

  it("gives exec-ed courses the learner-portal exec-ed form, or null without the portal; programs null", () => {
    const execEd = { ...course, courseType: "executive-education-2u" };
    expect(enrollmentUrl(execEd, CATALOG, LMS, withPortal(CATALOG))).toBe(
      "https://learner.example.com/acme-corp/executive-education-2u/course/edX+DemoX?utm_medium=enterprise&utm_source=acme-corp",
    );
    expect(enrollmentUrl(execEd, CATALOG, LMS, asCatalog(CATALOG))).toBeNull();
    expect(enrollmentUrl({ contentType: "program", contentKey: "p", parentContentKey: null }, CATALOG, LMS, asCatalog(CATALOG))).toBeNull();
  });

  it("sends exec-ed courses without the portal through the LMS proxy login to the ecommerce checkout of their sku", () => {
    const execEd = { ...course, courseType: "executive-education-2u", execEdSku: "B98A5B2" };
    expect(enrollmentUrl(execEd, { ...CATALOG, publishAuditEnrollmentUrls: true }, LMS, asCatalog({ ...CATALOG, publishAuditEnrollmentUrls: true }))).toBe(
      "https://courses.example.com/enterprise/proxy-login/?enterprise_slug=acme-corp" +
        "&next=https://ecommerce.example.com/executive-education-2u/checkout?audit=true&sku=B98A5B2&utm_medium=enterprise&utm_source=acme-corp",
    );
  });

  it("leaves utm_source out for a customer without a name", () => {
    expect(enrollmentUrl(run, { ...CATALOG, enterpriseCustomerName: "" }, LMS, asCatalog({ ...CATALOG, enterpriseCustomerName: "" }))).toMatch(/\?catalog=[^&]+&utm_medium=enterprise$/);
  });

  it("xapiActivityId() names courses and runs", () => {
    expect(xapiActivityId(run, LMS)).toBe("https://courses.example.com/xapi/activities/courserun/course-v1:edX+DemoX+2T2025");
    expect(xapiActivityId({ contentType: "program", contentKey: "p" }, LMS)).toBeNull();
  });
});

describe("contentMetadataView()", () => {
  const stored = {
    ...contentRecordFromDiscovery({
      content_type: "course", key: "edX+DemoX", uuid: "11111111-1111-1111-1111-111111111111", product_source: "edx",
      marketing_url: "https://www.example.com/course/demo?b=2", advertised_course_run_uuid: "22222222-2222-2222-2222-222222222222",
      course_runs: [{
        key: "course-v1:edX+DemoX+2T2025", uuid: "22222222-2222-2222-2222-222222222222", status: "published", is_enrollable: true,
        is_marketable: true,
      }],
    })!,
    modified: new Date("2025-01-02T00:00:00Z"),
  };

  it("adds the reference's computed fields to a course in a catalog and leaves the stored record alone", () => {
    const before = structuredClone(stored.jsonMetadata);
    const view = contentMetadataView(stored, { catalog: CATALOG, settings: LMS });
    expect(view).toMatchObject({
      key: "edX+DemoX",
      product_source: { name: "edx", slug: null, description: null },
      parent_content_key: null,
      content_last_modified: "2025-01-02T00:00:00.000Z",
      marketing_url: "https://www.example.com/course/demo?b=2&utm_medium=enterprise&utm_source=acme-corp",
      enrollment_url: expect.stringContaining("/course/course-v1:edX+DemoX+2T2025/enroll/?catalog="),
      xapi_activity_id: "https://courses.example.com/xapi/activities/course/edX+DemoX",
      active: true,
      course_runs: [{ key: "course-v1:edX+DemoX+2T2025", parent_content_key: "edX+DemoX", enrollment_url: expect.stringContaining("/enroll/") }],
    });
    expect(stored.jsonMetadata).toEqual(before);
  });

  it("uses the catalog's modification when it is later, skips enrollment URLs on request, and adds none without a catalog", () => {
    const later = { ...CATALOG, modified: new Date("2026-01-01T00:00:00Z") };
    const skipped = contentMetadataView(stored, { catalog: later, settings: LMS, skipEnrollmentUrls: true });
    expect(skipped).toMatchObject({ content_last_modified: "2026-01-01T00:00:00.000Z", enrollment_url: null });
    expect((skipped.course_runs as Record<string, unknown>[])[0]).not.toHaveProperty("enrollment_url");
    const bare = contentMetadataView(stored, { settings: LMS });
    expect(bare).not.toHaveProperty("enrollment_url");
    expect(bare).not.toHaveProperty("xapi_activity_id");
    expect(bare).toMatchObject({ active: true, marketing_url: "https://www.example.com/course/demo?b=2", content_last_modified: "2025-01-02T00:00:00.000Z" });
  });

  it("isCourseActive() needs an enrollable run that is published and marketable, or marketed externally", () => {
    expect(isCourseActive({ course_runs: [{ is_enrollable: true, status: "Published", is_marketable: true }] })).toBe(true);
    expect(isCourseActive({ course_runs: [{ is_enrollable: true, status: "unpublished", is_marketable_external: true }] })).toBe(true);
    expect(isCourseActive({ course_runs: [{ is_enrollable: false, status: "published", is_marketable: true }] })).toBe(false);
    expect(isCourseActive({ course_runs: [] })).toBe(false);
    expect(isCourseActive({})).toBe(false);
  });
});
