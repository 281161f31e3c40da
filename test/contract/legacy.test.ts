/**
 * Contract: the legacy edx-enterprise mount `/enterprise/api/v1/` (legacy-api.md §1.2–§1.8),
 * answered from the service's own content, loaded through the real refresh path.
 */
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { JsonObject } from "../../src/json.ts";
import { CUST, keyOf, learnerOf, OTHER, pick, type ReadFixture, startReadFixture, orgOf } from "./read_fixture.ts";

let f: ReadFixture;
beforeAll(async () => {
  f = await startReadFixture();
});
afterAll(async () => {
  await f?.stop();
});

const NO_CATALOG = "No EnterpriseCustomerCatalog matches the given query.";
const MISSING = "You must provide at least one of the following query parameters: course_run_ids, program_uuids.";
const LEGACY_FIELDS = ["uuid", "title", "enterprise_customer", "enterprise_catalog_query", "created", "modified", "catalog_query_uuid"];
const LMS = "http://localhost:18000";

const base = "/enterprise/api/v1";
const adminOf = (customer: string) => f.service.authorization({ roles: [`enterprise_admin:${customer}`] });

describe("GET enterprise_catalogs/ (list, §1.2)", () => {
  it("answers the edx pagination envelope with the legacy catalog fields, oldest first", async () => {
    const response = await f.service.call("listLegacyEnterpriseCatalogs", "GET", `${base}/enterprise_catalogs/?enterprise_customer=${CUST}&page_size=2`);
    expect(response.status).toBe(200);
    expect(Object.keys(response.body)).toEqual(["next", "previous", "count", "num_pages", "current_page", "start", "results"]);
    expect(response.body).toMatchObject({ count: 4, num_pages: 2, current_page: 1, start: 0, previous: null });
    expect(new URL(response.body.next).searchParams.get("page")).toBe("2");
    const [first] = response.body.results as JsonObject[];
    expect(Object.keys(first ?? {})).toEqual(LEGACY_FIELDS);
    expect(first).toMatchObject({ enterprise_customer: CUST, enterprise_catalog_query: null, catalog_query_uuid: f.catalogs.CAT.queryUuid });
  });

  it("takes the legacy filters and ?ordering=, ignoring unknown ordering fields", async () => {
    const list = (query: string) => f.service.call("listLegacyEnterpriseCatalogs", "GET", `${base}/enterprise_catalogs/?enterprise_customer=${CUST}&${query}`);
    const titles = (response: { body: { results: JsonObject[] } }) => response.body.results.map((catalog) => catalog.title);
    const oldestFirst = titles(await list("page_size=100"));
    const byTitle = [...oldestFirst].sort((a, b) => (String(a) < String(b) ? 1 : -1));
    expect(titles(await list("ordering=-title&page_size=100"))).toEqual(byTitle);
    expect(titles(await list("ordering=nonsense,-title&page_size=100"))).toEqual(byTitle);
    expect(titles(await list("ordering=-created"))).toEqual([...oldestFirst].reverse());
    const one = await list(`title=${encodeURIComponent(f.catalogs.CAT2.title)}`);
    expect(one.body.results.map((catalog: JsonObject) => catalog.uuid)).toEqual([f.catalogs.CAT2.uuid]);
    const byUuid = await list(`uuid=${f.catalogs.RUNS.uuid}`);
    expect(byUuid.body).toMatchObject({ count: 1, results: [{ uuid: f.catalogs.RUNS.uuid }] });
    const created = String(byUuid.body.results[0].created);
    expect((await list(`created=${encodeURIComponent(created)}`)).body.results.map((catalog: JsonObject) => catalog.uuid)).toEqual([f.catalogs.RUNS.uuid]);
    const badDate = await list("modified=yesterday");
    expect(badDate.status).toBe(400);
    expect(badDate.body.errors).toEqual([{ field: "modified", message: "Enter a valid date/time." }]);
    expect((await list("enterprise_catalog_query=12")).status).toBe(400);
  });

  it("shows an administrator only their own enterprise's catalogs", async () => {
    const response = await f.service.call("listLegacyEnterpriseCatalogs", "GET", `${base}/enterprise_catalogs/`, { headers: { authorization: await adminOf(OTHER) } });
    expect((response.body.results as JsonObject[]).map((catalog) => catalog.uuid)).toEqual([f.catalogs.ALIEN.uuid]);
  });
});

describe("GET enterprise_catalogs/{uuid}/ (retrieve with content, §1.3)", () => {
  it("puts the catalog fields first, then count, previous, next and results, with legacy links", async () => {
    const response = await f.service.call("getLegacyEnterpriseCatalog", "GET", `${base}/enterprise_catalogs/${f.catalogs.CAT.uuid}/?page_size=5`);
    expect(response.status).toBe(200);
    expect(Object.keys(response.body)).toEqual([...LEGACY_FIELDS, "count", "previous", "next", "results"]);
    expect(response.body.previous).toBeNull();
    // The legacy view sorts the query string and keeps page=1 explicit.
    expect(response.body.next).toMatch(/\?page=2&page_size=5$/);
    const second = await f.service.call("getLegacyEnterpriseCatalog", "GET", `${base}/enterprise_catalogs/${f.catalogs.CAT.uuid}/?page=2&page_size=5`);
    expect(second.body.previous).toMatch(/\?page=1&page_size=5$/);
  });

  it("adds the legacy fields to each item and drops what the legacy view drops", async () => {
    const all = await f.service.call("getLegacyEnterpriseCatalog", "GET", `${base}/enterprise_catalogs/${f.catalogs.CAT.uuid}/?page_size=100`);
    const items = all.body.results as JsonObject[];
    expect(items.length).toBeGreaterThan(0);
    for (const item of items) {
      expect(["course", "courserun"]).toContain(item.content_type);
      if (item.content_type === "courserun") expect(item.has_enrollable_seats).toBe(true);
      if (item.content_type === "course") {
        expect(typeof item.active).toBe("boolean");
        expect(item).toHaveProperty("end_date");
      }
      expect(item.enrollment_url).toBe(`${LMS}/enterprise/${CUST}/course/${item.key}/enroll/?catalog=${f.catalogs.CAT.uuid}&utm_medium=enterprise&utm_source=acme-corp`);
    }
  });

  it("answers 404 with the legacy text for an unknown catalog and for another enterprise's catalog", async () => {
    const unknown = await f.service.call("getLegacyEnterpriseCatalog", "GET", `${base}/enterprise_catalogs/${randomUUID()}/`);
    expect(unknown.status).toBe(404);
    expect(unknown.body.detail).toBe(NO_CATALOG);
    const foreign = await f.service.call("getLegacyEnterpriseCatalog", "GET", `${base}/enterprise_catalogs/${f.catalogs.CAT.uuid}/`, { headers: { authorization: await adminOf(OTHER) } });
    expect(foreign.status).toBe(404);
    expect(foreign.body.detail).toBe(NO_CATALOG);
  });
});

describe("GET enterprise_catalogs/{uuid}/contains_content_items/ (§1.4)", () => {
  const contains = (catalog: string, query: string) =>
    f.service.call("legacyCatalogContainsContentItems", "GET", `${base}/enterprise_catalogs/${catalog}/contains_content_items/${query}`);

  it("is true only when every key is in the catalog (ALL, unlike /api/v1's ANY)", async () => {
    const runs = f.catalogs.CAT.records.filter((r) => r.content_type === "courserun").slice(0, 2).map(keyOf);
    const out = keyOf(pick(f.catalogs.ALIEN.records, (r) => orgOf(r) === "DelftX"));
    const ids = (keys: string[]) => `?${keys.map((key) => `course_run_ids=${encodeURIComponent(key)}`).join("&")}`;
    expect((await contains(f.catalogs.CAT.uuid, ids(runs))).body).toEqual({ contains_content_items: true });
    expect((await contains(f.catalogs.CAT.uuid, ids([...runs, out]))).body).toEqual({ contains_content_items: false });
    const both = `${ids(runs)}&program_uuids=${randomUUID()}`;
    expect((await contains(f.catalogs.CAT.uuid, both)).body).toEqual({ contains_content_items: false });
  });

  it("answers 400 with the legacy text without ids, and 404 with the legacy text for an unknown catalog", async () => {
    const missing = await contains(f.catalogs.CAT.uuid, "");
    expect(missing.status).toBe(400);
    expect(missing.body.detail).toBe(MISSING);
    const unknown = await contains(randomUUID(), "?course_run_ids=edX+DemoX");
    expect(unknown.status).toBe(404);
    expect(unknown.body.detail).toBe(NO_CATALOG);
  });
});

describe("GET enterprise-customer/{uuid}/contains_content_items/ (§1.5)", () => {
  const contains = (customer: string, query: string, headers?: Record<string, string>) =>
    f.service.call("legacyCustomerContainsContentItems", "GET", `${base}/enterprise-customer/${customer}/contains_content_items/${query}`, { headers });

  it("needs one catalog holding every key: a union across catalogs does not count; catalog_list is never added", async () => {
    const run = keyOf(pick(f.catalogs.CAT.records, (r) => r.content_type === "courserun"));
    const program = keyOf(pick(f.catalogs.CAT2.records, () => true));
    expect((await contains(CUST, `?course_run_ids=${encodeURIComponent(run)}&get_catalog_list=true`)).body).toEqual({ contains_content_items: true });
    expect((await contains(CUST, `?course_run_ids=${encodeURIComponent(run)}&program_uuids=${program}`)).body).toEqual({ contains_content_items: false });
    expect((await contains(randomUUID(), `?course_run_ids=${encodeURIComponent(run)}`)).body).toEqual({ contains_content_items: false });
  });

  it("answers 403 to a learner, who has no catalog admin role", async () => {
    const response = await contains(CUST, "?course_run_ids=edX+DemoX", { authorization: await learnerOf(f.service, CUST) });
    expect(response.status).toBe(403);
  });
});

describe("item details under a catalog (§1.6)", () => {
  const get = (operation: string, path: string) => f.service.call(operation, "GET", `${base}/enterprise_catalogs/${path}`);

  it("shows a course with legacy enrollment URLs on it and its runs; 'Not found.' for a course the catalog lacks", async () => {
    const course = pick(f.catalogs.COURSES.records, (r) => Array.isArray(r.course_runs) && r.course_runs.length > 0);
    const response = await get("getLegacyCatalogCourse", `${f.catalogs.COURSES.uuid}/courses/${keyOf(course)}/`);
    expect(response.status).toBe(200);
    expect(response.body.key).toBe(keyOf(course));
    expect(response.body.enrollment_url).toContain(`/enterprise/${CUST}/course/${keyOf(course)}/enroll/?catalog=${f.catalogs.COURSES.uuid}`);
    for (const run of response.body.course_runs as JsonObject[]) expect(run.enrollment_url).toContain(`/course/${run.key}/enroll/`);
    const missing = await get("getLegacyCatalogCourse", `${f.catalogs.CAT.uuid}/courses/${keyOf(course)}/`);
    expect(missing.status).toBe(404);
    expect(missing.body.detail).toBe("Not found.");
    const unknown = await get("getLegacyCatalogCourse", `${randomUUID()}/courses/${keyOf(course)}/`);
    expect(unknown.body.detail).toBe(NO_CATALOG);
  });

  it("shows a run the catalog holds, also one stored only inside its course in a course-level catalog", async () => {
    const run = pick(f.catalogs.CAT.records, (r) => r.content_type === "courserun");
    const held = await get("getLegacyCatalogCourseRun", `${f.catalogs.CAT.uuid}/course_runs/${keyOf(run)}/`);
    expect(held.status).toBe(200);
    expect(held.body.enrollment_url).toContain(`/course/${keyOf(run)}/enroll/`);
    // A course-only catalog of an org no other catalog stores runs of.
    const org = orgOf(pick(f.corpus, (r) => r.content_type === "course" && !["MITx", "HarvardX", "edX", "DelftX"].includes(orgOf(r)) && Array.isArray(r.course_runs) && r.course_runs.length > 0));
    const catalog = await f.createCatalog({ content_type: "course", org });
    const course = pick(catalog.records, (r) => Array.isArray(r.course_runs) && r.course_runs.length > 0);
    const nested = (course.course_runs as JsonObject[])[0] as JsonObject;
    const response = await get("getLegacyCatalogCourseRun", `${catalog.uuid}/course_runs/${String(nested.key)}/`);
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ key: nested.key, course: keyOf(course) });
    expect(response.body.enrollment_url).toContain(`/course/${String(nested.key)}/enroll/?catalog=${catalog.uuid}`);
  });

  it("shows a program with the program enrollment URL form", async () => {
    const program = pick(f.catalogs.CAT2.records, () => true);
    const response = await get("getLegacyCatalogProgram", `${f.catalogs.CAT2.uuid}/programs/${keyOf(program)}/`);
    expect(response.status).toBe(200);
    expect(response.body.enrollment_url).toBe(`${LMS}/enterprise/${CUST}/program/${keyOf(program)}/enroll/?catalog=${f.catalogs.CAT2.uuid}&utm_medium=enterprise&utm_source=acme-corp`);
    const absent = await get("getLegacyCatalogProgram", `${f.catalogs.CAT2.uuid}/programs/${randomUUID()}/`);
    expect(absent.status).toBe(404);
    expect(absent.body.detail).toBe("Not found.");
  });
});
