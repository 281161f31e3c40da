/**
 * Contract: the `/api/v2` reads (enterprise-catalog-ida.md §2.1 v2-a, v2-b, v2-c; §2.11) and
 * restricted ("custom B2B") runs (§1.4, §3.3 step 7; decision 0016), on the real service whose
 * catalogs were loaded by the real refresh (pg-boss worker, the bundled discovery with its
 * restricted runs). Restricted runs show in v2, only in the catalogs whose query allows them, and
 * never in v1: every v1 and foreign answer is searched for their keys.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LocalDiscoveryClient } from "../../adapters/discovery_local/local_discovery_client.ts";
import type { CourseRow } from "../../adapters/discovery_local/discovery_database.ts";
import { isActiveCourseRun } from "../../src/content/listing.ts";
import { RESTRICTION_FOR_B2B } from "../../src/content/restricted_runs.ts";
import type { JsonObject } from "../../src/json.ts";
import { generateDiscoveryDatabase } from "../../tools/discovery_corpus/generate_database.ts";
import { CUST, type FixtureCatalog, learnerOf, OTHER, type ReadFixture, startReadFixture } from "./read_fixture.ts";

/** The fixture's database (read_fixture.ts generates the same one), for what discovery holds. */
const DATABASE = generateDiscoveryDatabase({ courses: 200 });
const discovery = new LocalDiscoveryClient({ database: DATABASE });
const B2B = { includeRestricted: [RESTRICTION_FOR_B2B] };

/** The first course of the database's partner with a run of this restriction type that the predicate accepts. */
function courseWith(type: string, predicate: (course: CourseRow) => boolean = () => true): { course: CourseRow; runKey: string } {
  const course = DATABASE.courses.find((row) => row.partner === "edx" && row.type !== "bootcamp-2u" && predicate(row) &&
    row.course_runs.some((run) => run.restriction_type === type));
  if (course === undefined) throw new Error(`The fixture corpus has no course with a ${type} run`);
  return { course, runKey: (course.course_runs.find((run) => run.restriction_type === type) as { key: string }).key };
}

const orgOf = (course: CourseRow) => course.key.split("+")[0] as string;

let f: ReadFixture;
/** Courses the test allows restricted runs of: an exec-ed one, an edX one, and one discovery calls inactive without it. */
let execEd: { course: CourseRow; runKey: string };
let edx: { course: CourseRow; runKey: string };
let inactive: { course: CourseRow; runKey: string };
/** A course with a custom-B2C run, allowed by key: include_restricted never asks for that type. */
let b2c: { course: CourseRow; runKey: string };
/** Allows the B2B runs (and the B2C one, and a run discovery does not know). */
let allowing: FixtureCatalog;
/** The same courses, allowing nothing, of the same customer. */
let plain: FixtureCatalog;
/** The plain filter's catalog of another customer. */
let foreign: FixtureCatalog;
let allRestrictedKeys: string[];

beforeAll(async () => {
  f = await startReadFixture();
  // Whether discovery's record (no restricted runs) has an active run, for each course with a B2B run.
  const withB2B = DATABASE.courses.filter((course) => course.partner === "edx" && course.type !== "bootcamp-2u" &&
    course.course_runs.some((run) => run.restriction_type === RESTRICTION_FOR_B2B));
  const records = new Map((await discovery.fetchCourses(withB2B.map((course) => course.key))).records.map((record) => [record.key, record]));
  const isActive = (course: CourseRow) => (records.get(course.key)?.course_runs as JsonObject[]).some(isActiveCourseRun);
  const pick = (predicate: (course: CourseRow) => boolean) => {
    const course = withB2B.find(predicate);
    if (course === undefined) throw new Error("The fixture corpus has no course with a B2B run the test needs");
    return { course, runKey: (course.course_runs.find((run) => run.restriction_type === RESTRICTION_FOR_B2B) as { key: string }).key };
  };
  execEd = pick((course) => course.type === "executive-education-2u");
  edx = pick((course) => course.type !== "executive-education-2u" && isActive(course));
  inactive = pick((course) => course.type !== "executive-education-2u" && !isActive(course));
  b2c = courseWith("custom-b2c");
  const courses = [execEd, edx, inactive, b2c].map((item) => item.course);
  const base = { content_type: "course", org: [...new Set(courses.map(orgOf))] };
  const restricted_runs_allowed = {
    [`course:${execEd.course.key}`]: [execEd.runKey],
    [`course:${edx.course.key}`]: [edx.runKey, `course-v1:${edx.course.key}+NoSuchRun`],
    [`course:${inactive.course.key}`]: [inactive.runKey],
    [`course:${b2c.course.key}`]: [b2c.runKey],
  };
  allRestrictedKeys = DATABASE.courses.flatMap((course) => course.course_runs.filter((run) => run.restriction_type !== null).map((run) => run.key));
  allowing = await f.createCatalog({ ...base, restricted_runs_allowed });
  plain = await f.createCatalog(base);
  foreign = await f.createCatalog(base, { customer: OTHER });
}, 120_000);
afterAll(async () => {
  await f?.stop();
});

function containsPath(version: "v1" | "v2", catalog: string, keys: readonly string[]): string {
  return `/api/${version}/enterprise-catalogs/${catalog}/contains_content_items/?${keys.map((key) => `course_run_ids=${encodeURIComponent(key)}`).join("&")}`;
}

async function contains(version: "v1" | "v2", catalog: string, keys: readonly string[]): Promise<boolean> {
  const response = await f.service.call(version === "v1" ? "catalogContainsContentItems" : "catalogContainsContentItemsV2", "GET", containsPath(version, catalog, keys));
  expect(response.status).toBe(200);
  return response.body.contains_content_items as boolean;
}

async function everything(version: "v1" | "v2", catalog: string, query = ""): Promise<JsonObject> {
  const response = await f.service.call(version === "v1" ? "getCatalogContentMetadata" : "getCatalogContentMetadataV2", "GET",
    `/api/${version}/enterprise-catalogs/${catalog}/get_content_metadata/?traverse_pagination=1${query}`);
  expect(response.status).toBe(200);
  return response.body as JsonObject;
}

async function customerItem(version: "v1" | "v2", identifier: string, query = ""): Promise<{ status: number; body: JsonObject }> {
  const response = await f.service.call(version === "v1" ? "getCustomerContentMetadata" : "getCustomerContentMetadataV2", "GET",
    `/api/${version}/enterprise-customer/${CUST}/content-metadata/${encodeURIComponent(identifier)}/${query}`);
  return { status: response.status, body: response.body as JsonObject };
}

function runKeysOf(item: JsonObject | undefined): string[] {
  return ((item?.course_runs ?? []) as JsonObject[]).map((run) => String(run.key));
}

/** The restricted run keys an answer's text mentions. */
function leaked(body: unknown): string[] {
  const text = JSON.stringify(body);
  return allRestrictedKeys.filter((key) => text.includes(key));
}

describe("v2-a contains_content_items", () => {
  it("contains an allowed B2B run in the catalog whose query allows it, and nothing else restricted", async () => {
    for (const allowed of [execEd, edx, inactive]) {
      expect(await contains("v2", allowing.uuid, [allowed.runKey]), allowed.runKey).toBe(true);
      expect(await contains("v1", allowing.uuid, [allowed.runKey]), allowed.runKey).toBe(false);
      expect(await contains("v2", plain.uuid, [allowed.runKey]), allowed.runKey).toBe(false);
    }
    // Allowed by key, but not of the type include_restricted asks for, or unknown to discovery.
    expect(await contains("v2", allowing.uuid, [b2c.runKey])).toBe(false);
    expect(await contains("v2", allowing.uuid, [`course-v1:${edx.course.key}+NoSuchRun`])).toBe(false);
    // Everything v1 contains, v2 contains.
    expect(await contains("v2", allowing.uuid, [edx.course.key])).toBe(true);
  });

  it("keeps v1's contract: the reference's 400 without keys and 404 for an unknown catalog, in the same shape", async () => {
    const missing = await f.service.call("catalogContainsContentItemsV2", "GET", `/api/v2/enterprise-catalogs/${allowing.uuid}/contains_content_items/`);
    expect(missing.status).toBe(400);
    expect(missing.body.detail).toBe("You must provide at least one of the following query parameters: course_run_ids, program_uuids.");
    const unknown = await f.service.call("catalogContainsContentItemsV2", "GET", containsPath("v2", "6f3c5a3e-0000-4000-8000-000000000000", ["x"]));
    expect(unknown.status).toBe(404);
    expect(unknown.body.detail).toBe("No EnterpriseCatalog matches the given query.");
    const stranger = await f.service.call("catalogContainsContentItemsV2", "GET", containsPath("v2", allowing.uuid, [edx.runKey]), {
      headers: { authorization: await learnerOf(f.service, OTHER) },
    });
    expect(stranger.status).toBe(404);
  });
});

describe("v2-b get_content_metadata", () => {
  it("shows each course with the restricted runs its query allows, recomputed as the reference does; v1 and other catalogs show none", async () => {
    const v2 = await everything("v2", allowing.uuid);
    const course = (v2.results as JsonObject[]).find((item) => item.key === edx.course.key);
    const [withRestricted] = (await discovery.fetchCourses([edx.course.key], B2B)).records;
    const entry = (withRestricted?.course_runs as JsonObject[]).find((run) => run.key === edx.runKey);
    expect(runKeysOf(course).at(-1)).toBe(edx.runKey);
    expect((course?.course_runs as JsonObject[]).at(-1)).toMatchObject({ ...entry, parent_content_key: edx.course.key, enrollment_url: expect.stringContaining(edx.runKey) });
    expect(course?.course_run_keys).toEqual(runKeysOf(course));
    expect(Object.keys(course?.normalized_metadata_by_run as JsonObject)).toContain(edx.runKey);
    expect(course?.course_run_statuses).toEqual([...new Set((course?.course_runs as JsonObject[]).map((run) => run.status))].sort());

    expect(leaked(await everything("v1", allowing.uuid))).toEqual([]);
    expect(leaked(await everything("v2", plain.uuid))).toEqual([]);
    expect(leaked(await everything("v2", foreign.uuid))).toEqual([]);
    expect(leaked(v2).sort()).toEqual([execEd.runKey, edx.runKey, inactive.runKey].sort());
  });

  it("lists, and calls active, a course whose only active run is an allowed restricted one", async () => {
    const v1 = await everything("v1", allowing.uuid);
    const v2 = await everything("v2", allowing.uuid);
    const keys = (page: JsonObject) => (page.results as JsonObject[]).map((item) => String(item.key));
    expect(keys(v1)).not.toContain(inactive.course.key);
    expect(keys(v2)).toContain(inactive.course.key);
    expect((v2.results as JsonObject[]).find((item) => item.key === inactive.course.key)?.active).toBe(true);
    expect(v2.count).toBeGreaterThan(v1.count as number);
    const [v1Item] = ((await everything("v1", allowing.uuid, `&content_keys=${encodeURIComponent(inactive.course.key)}`)).results as JsonObject[]);
    expect(v1Item?.active).toBe(false);
  });

  it("answers content_keys naming an allowed restricted run with its course, and pages as v1 does", async () => {
    const keyed = await everything("v2", allowing.uuid, `&content_keys=${encodeURIComponent(edx.runKey)}`);
    expect((keyed.results as JsonObject[]).map((item) => item.key)).toEqual([edx.course.key]);
    expect((await everything("v1", allowing.uuid, `&content_keys=${encodeURIComponent(edx.runKey)}`)).results).toEqual([]);
    const page = async (version: "v1" | "v2") => (await f.service.call(version === "v1" ? "getCatalogContentMetadata" : "getCatalogContentMetadataV2", "GET",
      `/api/${version}/enterprise-catalogs/${plain.uuid}/get_content_metadata/?page=2&page_size=2`)).body as JsonObject;
    const [one, two] = [await page("v1"), await page("v2")];
    expect(Object.keys(two)).toEqual(Object.keys(one));
    expect(two.next).toBe(String(one.next).replace("/api/v1/", "/api/v2/"));
    expect(two.results).toEqual(one.results);
  });
});

describe("v2-c enterprise-customer", () => {
  it("contains_content_items lists only the catalogs whose query allows a requested restricted run; v1 none", async () => {
    const ask = async (version: "v1" | "v2") => (await f.service.call(version === "v1" ? "customerContainsContentItems" : "customerContainsContentItemsV2", "GET",
      `/api/${version}/enterprise-customer/${CUST}/contains_content_items/?course_run_ids=${encodeURIComponent(edx.runKey)}&get_catalog_list=1`)).body;
    expect(await ask("v2")).toEqual({ contains_content_items: true, catalog_list: [allowing.uuid] });
    expect(await ask("v1")).toEqual({ contains_content_items: false, catalog_list: [] });
  });

  it("filter_content_items answers as v1: a restricted run is never held as itself", async () => {
    const body = { content_keys: [edx.runKey, edx.course.key, inactive.runKey] };
    const v2 = await f.service.call("customerFilterContentItemsV2", "POST", `/api/v2/enterprise-customer/${CUST}/filter_content_items/`, { body });
    const v1 = await f.service.call("customerFilterContentItems", "POST", `/api/v1/enterprise-customer/${CUST}/filter_content_items/`, { body });
    expect(v2.status).toBe(200);
    expect(v2.body).toEqual({ filtered_content_keys: [edx.course.key] });
    expect(v2.body).toEqual(v1.body);
  });

  it("content-metadata finds an allowed restricted run's course shown with it; v1 answers 404", async () => {
    const found = await customerItem("v2", edx.runKey);
    expect(found.status).toBe(200);
    expect(found.body).toMatchObject({ key: edx.course.key, enrollment_url: expect.stringContaining(`catalog=${allowing.uuid}`) });
    expect(runKeysOf(found.body)).toContain(edx.runKey);
    const v1 = await customerItem("v1", edx.runKey);
    expect(v1.status).toBe(404);
    expect(v1.body.detail).toBe("No matching content in any catalog for this customer");
    const other = await f.service.call("getCustomerContentMetadataV2", "GET", `/api/v2/enterprise-customer/${OTHER}/content-metadata/${encodeURIComponent(edx.runKey)}/`);
    expect(other.status).toBe(404);
  });

  it("content-metadata resolves a uuid to its content's key first, and leaves enrollment URLs out with skip_customer_fetch", async () => {
    const byUuid = await customerItem("v2", edx.course.uuid);
    expect(byUuid.status).toBe(200);
    expect(byUuid.body.key).toBe(edx.course.key);
    expect(byUuid.body).toEqual((await customerItem("v2", edx.course.key)).body);
    expect((await customerItem("v2", edx.course.key, "?skip_customer_fetch=1")).body.enrollment_url).toBeNull();
  });
});

describe("every other answer", () => {
  it("never shows a restricted run: the legacy API, catalog-less lookups, the catalog's query and customer reads of v1", async () => {
    const keys = [edx.runKey, execEd.runKey, inactive.runKey];
    const query = keys.map((key) => `course_run_ids=${encodeURIComponent(key)}`).join("&");
    const legacy = await f.service.call("legacyCatalogContainsContentItems", "GET", `/enterprise/api/v1/enterprise_catalogs/${allowing.uuid}/contains_content_items/?${query}`);
    expect(legacy.status).toBe(200);
    expect(legacy.body).toMatchObject({ contains_content_items: false });
    const legacyCustomer = await f.service.call("legacyCustomerContainsContentItems", "GET", `/enterprise/api/v1/enterprise-customer/${CUST}/contains_content_items/?${query}`);
    expect(legacyCustomer.body).toMatchObject({ contains_content_items: false });
    for (const key of keys) {
      const detail = await f.service.call("getLegacyCatalogCourseRun", "GET", `/enterprise/api/v1/enterprise_catalogs/${allowing.uuid}/course_runs/${encodeURIComponent(key)}/`);
      expect(detail.status, key).toBe(404);
      expect((await f.service.call("getContentMetadata", "GET", `/api/v1/content-metadata/${encodeURIComponent(key)}/`)).status, key).toBe(404);
    }
    const lookups = await f.service.call("listContentMetadata", "GET", `/api/v1/content-metadata/?${keys.map((key) => `content_identifiers=${encodeURIComponent(key)}`).join("&")}&content_identifiers=${encodeURIComponent(edx.course.key)}`);
    expect(lookups.body.count).toBe(1);
    expect(leaked(lookups.body)).toEqual([]);
    const legacyCatalog = await f.service.call("getLegacyEnterpriseCatalog", "GET", `/enterprise/api/v1/enterprise_catalogs/${allowing.uuid}/?page_size=100`);
    expect(legacyCatalog.status).toBe(200);
    expect(leaked(legacyCatalog.body)).toEqual([]);
    expect(leaked((await customerItem("v1", edx.course.key)).body)).toEqual([]);
  });
});

/**
 * What redemption reads from a course's content metadata (enterprise-access and enterprise-subsidy
 * through the v2 customer content-metadata and get_content_metadata): each field as discovery's full
 * record (`/courses`) has it, stored by the refresh once per item (decision 0010).
 */
describe("the fields redemption reads, as the refresh stored them", () => {
  async function both(key: string) {
    const item = await customerItem("v2", key);
    expect(item.status).toBe(200);
    const [record] = (await discovery.fetchCourses([String(item.body.key)])).records;
    return { item: item.body, record: record as JsonObject };
  }
  const advertised = (course: JsonObject) => (course.course_runs as JsonObject[]).find((run) => run.uuid === course.advertised_course_run_uuid);

  it("entitlements: discovery's, mode, price, currency and sku", async () => {
    const { item, record } = await both(execEd.course.key);
    expect((record.entitlements as JsonObject[]).length).toBeGreaterThan(0);
    expect(item.entitlements).toEqual(record.entitlements);
  });

  it("advertised_course_run_uuid: discovery's, naming a run the item lists", async () => {
    const { item, record } = await both(edx.course.key);
    expect(item.advertised_course_run_uuid).toBe(record.advertised_course_run_uuid);
    expect(advertised(item)).toBeDefined();
  });

  it("course_runs[].uuid: every run's, restricted ones included", async () => {
    const { item } = await both(edx.runKey);
    const [withRestricted] = (await discovery.fetchCourses([edx.course.key], B2B)).records;
    const uuids = new Map((withRestricted?.course_runs as JsonObject[]).map((run) => [run.key, run.uuid]));
    for (const run of item.course_runs as JsonObject[]) expect(run.uuid, String(run.key)).toBe(uuids.get(run.key));
  });

  it("course_runs[].variant_id: an exec-ed run's GEAG variant, restricted run included", async () => {
    const { item } = await both(execEd.runKey);
    const runs = item.course_runs as JsonObject[];
    const restricted = runs.find((run) => run.key === execEd.runKey);
    expect(restricted?.variant_id).toBe(DATABASE.courses.flatMap((course) => course.course_runs).find((run) => run.key === execEd.runKey)?.variant_id);
    expect(typeof restricted?.variant_id).toBe("string");
  });

  it("additional_metadata.variant_id: the exec-ed course's deprecated variant", async () => {
    const { item, record } = await both(execEd.course.key);
    expect((item.additional_metadata as JsonObject).variant_id).toBe((record.additional_metadata as JsonObject).variant_id);
  });

  it("product_source: an object whose slug tells the mode (2u: executive-education)", async () => {
    expect((await both(execEd.course.key)).item.product_source).toMatchObject({ slug: "2u" });
    expect((await both(edx.course.key)).item.product_source).toMatchObject({ slug: "edx" });
  });

  it("exec-ed prices: each run's fixed_price_usd, and the normalized content_price from it", async () => {
    const { item } = await both(execEd.runKey);
    const restricted = (item.course_runs as JsonObject[]).find((run) => run.key === execEd.runKey) as JsonObject;
    expect(Number(restricted.fixed_price_usd)).toBeGreaterThan(0);
    expect((item.normalized_metadata_by_run as JsonObject)[execEd.runKey]).toMatchObject({ content_price: Number(restricted.fixed_price_usd) });
  });

  it("normalized_metadata: the advertised run's dates and price", async () => {
    const { item } = await both(edx.course.key);
    const run = advertised(item) as JsonObject;
    expect(item.normalized_metadata).toMatchObject({ start_date: run.start, end_date: run.end, enroll_start_date: run.enrollment_start });
    expect(typeof (item.normalized_metadata as JsonObject).content_price).toBe("number");
  });

  it("normalized_metadata_by_run: one entry per listed run, restricted ones included, with their seat prices", async () => {
    const { item } = await both(edx.runKey);
    expect(Object.keys(item.normalized_metadata_by_run as JsonObject).sort()).toEqual(runKeysOf(item).sort());
    const restricted = (item.course_runs as JsonObject[]).find((run) => run.key === edx.runKey) as JsonObject;
    expect((item.normalized_metadata_by_run as JsonObject)[edx.runKey]).toMatchObject({
      start_date: restricted.start, content_price: restricted.first_enrollable_paid_seat_price,
    });
  });

  it("course_runs[].seats: the upgrade deadlines an enroll-by date is read from", async () => {
    const { item, record } = await both(edx.course.key);
    const seats = new Map((record.course_runs as JsonObject[]).map((run) => [run.key, run.seats]));
    for (const run of item.course_runs as JsonObject[]) expect(run.seats, String(run.key)).toEqual(seats.get(run.key));
  });

  it("the same fields arrive through v2 get_content_metadata with content_keys, as enterprise-access asks", async () => {
    const page = await everything("v2", allowing.uuid, `&content_keys=${encodeURIComponent(execEd.runKey)}`);
    const [item] = page.results as JsonObject[];
    const { item: customer } = await both(execEd.runKey);
    for (const field of ["entitlements", "normalized_metadata", "normalized_metadata_by_run", "course_runs", "additional_metadata", "product_source"]) {
      expect(item?.[field], field).toEqual(customer[field]);
    }
  });
});
