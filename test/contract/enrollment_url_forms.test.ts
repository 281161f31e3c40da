/**
 * Contract: which form an item's `enrollment_url` takes (enterprise-catalog-ida.md §2.4, feature 24),
 * decided per customer by its LMS record (`enable_learner_portal`, `slug`), and the record's
 * `modified` in `content_last_modified` and `date_updated`, on the real service. See
 * docs/decisions/0004 and 0015.
 */
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MemoryCustomerDirectory } from "../../adapters/memory/memory_customer_directory.ts";
import { execEdEntitlementSku } from "../../src/content/content_metadata.ts";
import type { JsonObject } from "../../src/json.ts";
import { CUST, type FixtureCatalog, keyOf, type ReadFixture, startReadFixture } from "./read_fixture.ts";

const LMS = "http://localhost:18000";
const PORTAL = "http://localhost:8734";
const ECOMMERCE = "http://localhost:18130";
const UTM = "utm_medium=enterprise&utm_source=acme-corp";
/** A customer with the learner portal on, one with it off, one the LMS does not know. */
const PORTAL_CUSTOMER = CUST;
const LMS_CUSTOMER = "c2a4c1d6-7f51-4a0e-9b7d-3e2c1f0a9b8c";
const UNKNOWN_CUSTOMER = "d3b5d2e7-8a62-4b1f-8c8e-4f3d2a1b0c9d";
const MODIFIED = new Date(Date.now() + 86_400_000);

const directory = new MemoryCustomerDirectory([
  { uuid: PORTAL_CUSTOMER, name: "Acme Corp", slug: "acme-lp", learnerPortalEnabled: true, modified: MODIFIED },
  { uuid: LMS_CUSTOMER, name: "Acme Corp", slug: "acme-lms", learnerPortalEnabled: false, modified: null },
]);
let f: ReadFixture;
let portalCourses: FixtureCatalog;
let lmsCourses: FixtureCatalog;
let portalExecEd: FixtureCatalog;
let lmsExecEd: FixtureCatalog;
const EXEC_ED = { content_type: "course", course_type: "executive-education-2u" };

beforeAll(async () => {
  // Records are trusted for a second here (an hour by default), so a test can watch one change.
  f = await startReadFixture({ customers: directory, env: { LMS_CUSTOMER_MAX_AGE_SECONDS: "1" } });
  const filter = { content_type: ["course", "courserun"], org: "MITx" };
  portalCourses = f.catalogs.CAT;
  lmsCourses = await f.createCatalog(filter, { customer: LMS_CUSTOMER });
  portalExecEd = await f.createCatalog(EXEC_ED);
  lmsExecEd = await f.createCatalog(EXEC_ED, { customer: LMS_CUSTOMER });
});
afterAll(async () => {
  await f?.stop();
});

async function items(catalog: string): Promise<JsonObject[]> {
  const response = await f.service.call("getCatalogContentMetadata", "GET", `/api/v1/enterprise-catalogs/${catalog}/get_content_metadata/?traverse_pagination=1`);
  expect(response.status).toBe(200);
  return response.body.results as JsonObject[];
}

const isExecEd = (item: JsonObject) => item.course_type === "executive-education-2u";
const courseOf = (list: JsonObject[], predicate: (item: JsonObject) => boolean) => {
  const found = list.find((item) => item.content_type === "course" && predicate(item));
  if (found === undefined) throw new Error("The fixture corpus has no such course");
  return found;
};

describe("enrollment_url forms", () => {
  it("learner portal on: {LP}/{LMS slug}/course/{course key} for courses, with course_run_key for runs, nested runs alike", async () => {
    const list = await items(portalCourses.uuid);
    const course = courseOf(list, (item) => !isExecEd(item) && Array.isArray(item.course_runs) && item.course_runs.length > 0);
    expect(course.enrollment_url).toBe(`${PORTAL}/acme-lp/course/${course.key}?${UTM}`);
    const run = list.find((item) => item.content_type === "courserun") as JsonObject;
    expect(run.enrollment_url).toBe(`${PORTAL}/acme-lp/course/${run.parent_content_key}?course_run_key=${encodeURIComponent(String(run.key))}&${UTM}`);
    for (const nested of course.course_runs as JsonObject[]) {
      expect(nested.enrollment_url).toBe(`${PORTAL}/acme-lp/course/${course.key}?course_run_key=${encodeURIComponent(String(nested.key))}&${UTM}`);
    }
  });

  it("learner portal on: exec-ed courses take the learner portal's exec-ed form", async () => {
    const course = courseOf(await items(portalExecEd.uuid), isExecEd);
    expect(course.enrollment_url).toBe(`${PORTAL}/acme-lp/executive-education-2u/course/${course.key}?${UTM}`);
  });

  it("learner portal on, audit published: audit=true before course_run_key", async () => {
    const audit = await f.createCatalog({ content_type: "courserun", org: "UQx" }, { publishAudit: true });
    const [run] = await items(audit.uuid);
    expect(run?.enrollment_url).toBe(`${PORTAL}/acme-lp/course/${run?.parent_content_key}?audit=true&course_run_key=${encodeURIComponent(String(run?.key))}&${UTM}`);
  });

  it("learner portal off: the LMS form with the catalog, and exec-ed courses the proxy login to their checkout with the LMS slug", async () => {
    const list = await items(lmsCourses.uuid);
    const run = list.find((item) => item.content_type === "courserun") as JsonObject;
    expect(run.enrollment_url).toBe(`${LMS}/enterprise/${LMS_CUSTOMER}/course/${run.key}/enroll/?catalog=${lmsCourses.uuid}&${UTM}`);
    for (const execEd of await items(lmsExecEd.uuid)) {
      const sku = execEdEntitlementSku(lmsExecEd.records.find((item) => keyOf(item) === execEd.key) as JsonObject);
      expect(sku).not.toBeNull();
      expect(execEd.enrollment_url).toBe(`${LMS}/enterprise/proxy-login/?enterprise_slug=acme-lms&next=${ECOMMERCE}/executive-education-2u/checkout?sku=${sku}&${UTM}`);
    }
  });

  it("a customer the LMS does not know: the LMS form, slug from the catalog's name", async () => {
    const unknown = await f.createCatalog({ content_type: "course", org: "MITx" }, { customer: UNKNOWN_CUSTOMER });
    const course = courseOf(await items(unknown.uuid), (item) => !isExecEd(item));
    expect(String(course.enrollment_url)).toMatch(new RegExp(`^${LMS}/enterprise/${UNKNOWN_CUSTOMER}/course/.+/enroll/\\?catalog=${unknown.uuid}&${UTM}$`));
    const execEd = await f.createCatalog(EXEC_ED, { customer: UNKNOWN_CUSTOMER });
    for (const item of await items(execEd.uuid)) expect(String(item.enrollment_url)).toContain("/enterprise/proxy-login/?enterprise_slug=acme-corp&next=");
  });

  it("the customer record's modified joins content_last_modified, date_updated and Last-Modified", async () => {
    const list = await items(portalCourses.uuid);
    expect(new Set(list.map((item) => item.content_last_modified))).toEqual(new Set([MODIFIED.toISOString()]));
    const key = String(list[0]?.key);
    const diff = await f.service.call("postCatalogContentDiff", "POST", `/api/v1/enterprise-catalogs/${portalCourses.uuid}/generate_diff`, { body: { content_keys: [key] } });
    expect(diff.body.items_found).toEqual([{ content_key: key, date_updated: MODIFIED.toISOString() }]);
    const page = await f.service.call("getCatalogContentMetadata", "GET", `/api/v1/enterprise-catalogs/${portalCourses.uuid}/get_content_metadata/`);
    expect(page.headers.get("last-modified")).toBe(MODIFIED.toUTCString());
  });

  it("skip_customer_fetch leaves the LMS out of the customer lookup: null URLs and the item's own dates", async () => {
    const key = String((await items(portalCourses.uuid)).find((item) => item.content_type === "course" && !isExecEd(item))?.key);
    const path = `/api/v1/enterprise-customer/${PORTAL_CUSTOMER}/content-metadata/${encodeURIComponent(key)}/`;
    const full = await f.service.call("getCustomerContentMetadata", "GET", path);
    expect(full.body.enrollment_url).toBe(`${PORTAL}/acme-lp/course/${key}?${UTM}`);
    const skipped = await f.service.call("getCustomerContentMetadata", "GET", `${path}?skip_customer_fetch=1`);
    expect(skipped.body.enrollment_url).toBeNull();
    expect(skipped.body.content_last_modified).not.toBe(MODIFIED.toISOString());
  });

  it("a change of the LMS record reaches the URLs and the ETag once the record is refreshed", async () => {
    const customer = randomUUID();
    directory.put({ uuid: customer, name: "Acme Corp", slug: "before", learnerPortalEnabled: true, modified: null });
    const catalog = await f.createCatalog({ content_type: "courserun", org: "MITx" }, { customer });
    const first = await f.service.call("getCatalogContentMetadata", "GET", `/api/v1/enterprise-catalogs/${catalog.uuid}/get_content_metadata/?page_size=1`);
    expect(String(first.body.results[0].enrollment_url)).toContain("/before/course/");
    // Within LMS_CUSTOMER_MAX_AGE_SECONDS the record held is used; after it, the changed one.
    directory.put({ uuid: customer, name: "Acme Corp", slug: "after", learnerPortalEnabled: false, modified: null });
    const path = `/api/v1/enterprise-catalogs/${catalog.uuid}/get_content_metadata/?page_size=1`;
    const etag = String(first.headers.get("etag"));
    expect((await f.service.call("getCatalogContentMetadata", "GET", path, { headers: { "if-none-match": etag } })).status).toBe(304);
    await expect.poll(async () => {
      const response = await f.service.call("getCatalogContentMetadata", "GET", path, { headers: { "if-none-match": etag } });
      return response.status === 200 ? String(response.body.results[0].enrollment_url) : "";
    }, { timeout: 5000, interval: 250 }).toMatch(new RegExp(`^${LMS}/enterprise/${customer}/course/`));
  });
});
