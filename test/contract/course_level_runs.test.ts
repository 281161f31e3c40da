/**
 * Contract: one containment rule on every path (decision 0011). A catalog of a course-level filter
 * stores no rows for runs: a run lives only in its course's stored `course_runs`. Such a run is in
 * the catalog, and a run the course does not list is not, wherever the question is asked.
 */
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MODE_PREFERENCE } from "../../src/enrollment/course_run.ts";
import type { JsonObject } from "../../src/json.ts";
import { CUST, type FixtureCatalog, keyOf, orgOf, pick, type ReadFixture, startReadFixture } from "./read_fixture.ts";

let f: ReadFixture;
/** A course-level catalog of an org whose runs no catalog stores as rows. */
let catalog: FixtureCatalog;
let courseKey: string;
/** A run listed in the stored course record, with no row of its own. */
let nested: string;
/** A run key of the same course that the course does not list. */
let unlisted: string;

beforeAll(async () => {
  f = await startReadFixture();
  const offersAMode = (run: JsonObject) => Array.isArray(run.seats) && run.seats.some((seat) => MODE_PREFERENCE.includes(String((seat as JsonObject).type)));
  const org = orgOf(pick(f.corpus, (r) => r.content_type === "course" && !["MITx", "HarvardX", "edX", "DelftX"].includes(orgOf(r))));
  catalog = await f.createCatalog({ content_type: "course", org });
  const course = pick(catalog.records, (r) => Array.isArray(r.course_runs) && (r.course_runs as JsonObject[]).some(offersAMode));
  courseKey = keyOf(course);
  nested = String((course.course_runs as JsonObject[]).find(offersAMode)?.key);
  unlisted = `course-v1:${courseKey}+9T2099`;
});
afterAll(async () => {
  await f?.stop();
});

const ids = (...keys: string[]) => keys.map((key) => `course_run_ids=${encodeURIComponent(key)}`).join("&");

describe("a run stored only inside its course", () => {
  it("has no row of its own", async () => {
    const response = await f.service.call("getContentMetadata", "GET", `/api/v1/content-metadata/${encodeURIComponent(nested)}/`);
    expect(response.status).toBe(404);
  });

  it("is in the catalog for /api/v1 catalog and customer containment", async () => {
    const catalogContains = (key: string) =>
      f.service.call("catalogContainsContentItems", "GET", `/api/v1/enterprise-catalogs/${catalog.uuid}/contains_content_items/?${ids(key)}`);
    expect((await catalogContains(nested)).body).toEqual({ contains_content_items: true });
    expect((await catalogContains(unlisted)).body).toEqual({ contains_content_items: false });
    const customerContains = (key: string) =>
      f.service.call("customerContainsContentItems", "GET", `/api/v1/enterprise-customer/${CUST}/contains_content_items/?${ids(key)}&get_catalog_list=true`);
    expect((await customerContains(nested)).body).toEqual({ contains_content_items: true, catalog_list: [catalog.uuid] });
    expect((await customerContains(unlisted)).body).toEqual({ contains_content_items: false, catalog_list: [] });
  });

  it("finds its course in get_content_metadata?content_keys= and in the customer content-metadata lookup", async () => {
    const listing = (key: string) =>
      f.service.call("getCatalogContentMetadata", "GET", `/api/v1/enterprise-catalogs/${catalog.uuid}/get_content_metadata/?content_keys=${encodeURIComponent(key)}`);
    expect(((await listing(nested)).body.results as JsonObject[]).map(keyOf)).toEqual([courseKey]);
    expect((await listing(unlisted)).body.results).toEqual([]);
    const lookup = (key: string) => f.service.call("getCustomerContentMetadata", "GET", `/api/v1/enterprise-customer/${CUST}/content-metadata/${encodeURIComponent(key)}/`);
    const found = await lookup(nested);
    expect(found.status).toBe(200);
    expect(found.body.key).toBe(courseKey);
    expect(found.body.enrollment_url).toContain(`catalog=${catalog.uuid}`);
    expect((await lookup(unlisted)).status).toBe(404);
  });

  it("is not kept by filter_content_items, which matches no run through its course", async () => {
    const response = await f.service.call("customerFilterContentItems", "POST", `/api/v1/enterprise-customer/${CUST}/filter_content_items/`, {
      body: { content_keys: [nested, courseKey], catalog_uuids: [catalog.uuid] },
    });
    expect(response.body.filtered_content_keys).toEqual([courseKey]);
  });

  it("is in the catalog for legacy containment (ALL per catalog) and legacy details", async () => {
    const base = "/enterprise/api/v1";
    const catalogContains = (query: string) =>
      f.service.call("legacyCatalogContainsContentItems", "GET", `${base}/enterprise_catalogs/${catalog.uuid}/contains_content_items/?${query}`);
    expect((await catalogContains(ids(nested, courseKey))).body).toEqual({ contains_content_items: true });
    expect((await catalogContains(ids(nested, unlisted))).body).toEqual({ contains_content_items: false });
    const customerContains = (query: string) =>
      f.service.call("legacyCustomerContainsContentItems", "GET", `${base}/enterprise-customer/${CUST}/contains_content_items/?${query}`);
    expect((await customerContains(ids(nested))).body).toEqual({ contains_content_items: true });
    expect((await customerContains(ids(unlisted))).body).toEqual({ contains_content_items: false });
    const detail = (key: string) => f.service.call("getLegacyCatalogCourseRun", "GET", `${base}/enterprise_catalogs/${catalog.uuid}/course_runs/${encodeURIComponent(key)}/`);
    const shown = await detail(nested);
    expect(shown.status).toBe(200);
    expect(shown.body).toMatchObject({ key: nested, course: courseKey });
    const missing = await detail(unlisted);
    expect(missing.status).toBe(404);
    expect(missing.body.detail).toBe("Not found.");
  });

  it("passes bulk enrollment's catalog check; an unlisted run of the course is unknown, another customer's run is outside", async () => {
    const email = `nested.${randomUUID()}@acme.example.com`;
    const outside = keyOf(pick(f.catalogs.ALIEN.records, (r) => r.content_type === "courserun" && orgOf(r) === "DelftX"));
    const response = await f.service.call("enrollLearnersInCourses", "POST", `/api/v1/enterprise-customer/${CUST}/enroll_learners_in_courses/`, {
      body: {
        enrollments_info: [nested, unlisted, outside].map((key) => ({ email, course_run_key: key, license_uuid: randomUUID(), force_enrollment: true })),
      },
    });
    expect(response.status).toBe(409);
    expect(response.body.pending).toEqual([expect.objectContaining({ course_run_key: nested, created: true })]);
    expect(response.body.failures.map((failure: JsonObject) => [failure.course_run_key, failure.reason])).toEqual([
      [unlisted, "unknown_course_run"],
      [outside, "not_in_catalog"],
    ]);
  });
});
