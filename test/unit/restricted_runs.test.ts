/**
 * Restricted runs in the core over the memory adapters (decision 0016): what the filter allows,
 * what a refresh fetches and stores per query (all or nothing, nothing fetched again on an unchanged
 * pass, no shared row rewritten), and what `/api/v1` and `/api/v2` reads show of them.
 */
import { describe, expect, it } from "vitest";
import { MemoryCatalogStore } from "../../adapters/memory/memory_catalog_store.ts";
import { MemoryContentReader } from "../../adapters/memory/memory_content_reader.ts";
import { MemoryContentStore } from "../../adapters/memory/memory_content_store.ts";
import { MemoryCustomerDirectory } from "../../adapters/memory/memory_customer_directory.ts";
import { MemoryDatabase } from "../../adapters/memory/memory_database.ts";
import { MemoryRefreshScheduler } from "../../adapters/memory/memory_refresh_scheduler.ts";
import { CatalogService } from "../../src/catalog/catalog_service.ts";
import { type ContentFilter, contentFilterFromValue } from "../../src/catalog/content_filter.ts";
import { CatalogContentService } from "../../src/content/catalog_content_service.ts";
import type { ContentMetadata } from "../../src/content/content_metadata.ts";
import { courseWithRestrictedRuns } from "../../src/content/course_with_restricted_runs.ts";
import { isActiveRestrictedRun, RESTRICTION_FOR_B2B } from "../../src/content/restricted_runs.ts";
import { CustomerDetails } from "../../src/customers/customer_details.ts";
import { NotFoundError } from "../../src/errors.ts";
import type { JsonObject } from "../../src/json.ts";
import { RefreshService } from "../../src/refresh/refresh_service.ts";
import { restrictedRunsAllowed } from "../../src/refresh/restricted_runs.ts";
import { course, courseRun, fullCourse, ScriptedDiscovery } from "../helpers/scripted_discovery.ts";

const CUSTOMER = "a94412c9-f91c-4d0d-87cb-1ca1c0d11457";
const HOUR = 3600_000;
const RUN_A = "course-v1:MITx+A+2T2026_B2B";
const RUN_A2 = "course-v1:MITx+A+3T2026_B2B";
const RUN_U = "course-v1:MITx+U+2T2026_B2B";

/** A restricted run as `/courses` with `include_restricted` nests it: published, enrollable, never marketable. */
function restrictedEntry(key: string, extra: JsonObject = {}): JsonObject {
  return {
    key, uuid: `7e57${key.length.toString(16).padStart(4, "0")}-0000-4000-8000-${Buffer.from(key).toString("hex").slice(-12).padStart(12, "0")}`,
    status: "published", availability: "Current", is_enrollable: true, is_marketable: false, is_marketable_external: false,
    restriction_type: RESTRICTION_FOR_B2B, start: "2026-10-01T00:00:00Z", end: "2027-03-01T00:00:00Z",
    enrollment_start: null, enrollment_end: "2026-12-01T00:00:00Z", fixed_price_usd: null, first_enrollable_paid_seat_price: 99,
    variant_id: null, seats: [{ type: "verified", price: "99.00", upgrade_deadline: "2026-11-15T00:00:00Z", upgrade_deadline_override: null, sku: "R1" }],
    ...extra,
  };
}

/** The search/all record of a restricted run. */
function restrictedSearchRun(key: string, extra: JsonObject = {}): JsonObject {
  const [courseKey, run] = [key.slice("course-v1:".length, key.lastIndexOf("+")), key.slice(key.lastIndexOf("+") + 1)];
  return courseRun(courseKey, run, { restriction_type: RESTRICTION_FOR_B2B, ...extra });
}

/** A course whose own runs have all closed. */
function closedCourse(key: string): JsonObject {
  const full = fullCourse(key);
  return { ...full, advertised_course_run_uuid: null, course_runs: (full.course_runs as JsonObject[]).map((run) => ({ ...run, is_enrollable: false })) };
}

function allowing(runs: Readonly<Record<string, readonly string[]>>): ContentFilter {
  return contentFilterFromValue({ content_type: "course", org: "MITx", restricted_runs_allowed: runs });
}

function setup() {
  const db = new MemoryDatabase();
  const catalogs = new MemoryCatalogStore(db);
  const content = new MemoryContentStore(db);
  const scheduler = new MemoryRefreshScheduler();
  const discovery = new ScriptedDiscovery();
  let now = new Date("2026-11-01T00:00:00Z").getTime();
  const clock = { now: () => new Date(now) };
  let id = 0;
  const ids = { uuid: () => `00000000-0000-4000-8000-${String(++id).padStart(12, "0")}` };
  const catalogService = new CatalogService({ catalogs, scheduler, clock, ids });
  const refresh = new RefreshService({ catalogs, content, discovery, scheduler, clock, ids });
  const read = new CatalogContentService({
    reader: new MemoryContentReader(db),
    enrollment: { lmsBaseUrl: "http://lms", learnerPortalBaseUrl: "http://lp", ecommerceBaseUrl: "http://ecommerce" },
    customers: new CustomerDetails({ directory: new MemoryCustomerDirectory(), clock }),
  });
  const catalogFor = async (filter: ContentFilter) => {
    const created = await catalogService.createCatalog({ title: "Catalog", enterpriseCustomerUuid: CUSTOMER, contentFilter: filter }, { actor: "test" });
    return { catalog: created.catalog, query: created.query };
  };
  return { db, catalogs, content, discovery, refresh, read, catalogFor, advance: (ms: number) => void (now += ms) };
}

/** Course MITx+A with RUN_A and RUN_A2 restricted, and MITx+B, as the search and `/courses` give them. */
function withCourses(t: ReturnType<typeof setup>, filters: readonly ContentFilter[]): void {
  for (const filter of filters) t.discovery.answer(filter, [course("MITx+A"), course("MITx+B")]);
  const a = fullCourse("MITx+A");
  t.discovery.fullCourses(a, fullCourse("MITx+B")).restricted({
    courses: [{ ...a, course_runs: [...(a.course_runs as JsonObject[]), restrictedEntry(RUN_A), restrictedEntry(RUN_A2)] }],
    runs: [restrictedSearchRun(RUN_A), restrictedSearchRun(RUN_A2)],
  });
}

function runKeysOf(item: JsonObject | undefined): string[] {
  return ((item?.course_runs ?? []) as JsonObject[]).map((run) => String(run.key));
}

describe("restrictedRunsAllowed()", () => {
  it("maps each course (its course: prefix removed) to the run keys allowed of it, and ignores what is no list of keys", () => {
    expect(restrictedRunsAllowed({ restricted_runs_allowed: { "course:edX+FUN": ["course-v1:edX+FUN+3T2024"], "edX+Two": ["r1", 7, "r2", "r1"] } }))
      .toEqual(new Map([["edX+FUN", ["course-v1:edX+FUN+3T2024"]], ["edX+Two", ["r1", "r2"]]]));
    expect(restrictedRunsAllowed({ restricted_runs_allowed: { "course:edX+FUN": "course-v1:edX+FUN+3T2024", "course:": ["x"] } })).toEqual(new Map());
    expect(restrictedRunsAllowed({ restricted_runs_allowed: ["course-v1:edX+FUN+3T2024"] })).toEqual(new Map());
    expect(restrictedRunsAllowed({ content_type: "course" })).toEqual(new Map());
  });
});

describe("a refresh with restricted runs", () => {
  it("stores the allowed runs of the courses the query holds for that query alone; v1 never shows them, v2 only in its own catalogs", async () => {
    const t = setup();
    const allowingA = allowing({ "course:MITx+A": [RUN_A] });
    const plain = contentFilterFromValue({ content_type: "course", org: "MITx" });
    withCourses(t, [allowingA, plain]);
    const one = await t.catalogFor(allowingA);
    const other = await t.catalogFor(plain);
    await t.refresh.refreshQuery(one.query.uuid, { trigger: "on_demand" });
    await t.refresh.refreshQuery(other.query.uuid, { trigger: "on_demand" });

    expect([...(await t.content.restrictedRunStates(one.query.uuid)).keys()]).toEqual([RUN_A]);
    expect((await t.content.restrictedRunStates(other.query.uuid)).size).toBe(0);
    const [row] = await t.content.getContent(["MITx+A"]);
    expect(runKeysOf(row?.jsonMetadata)).toEqual(["course-v1:MITx+A+1T2026"]);
    expect(await t.content.getContent([RUN_A])).toEqual([]);

    const v2 = { withRestrictedRuns: true };
    expect(await t.read.catalogContains(one.catalog.uuid, [RUN_A])).toBe(false);
    expect(await t.read.catalogContains(one.catalog.uuid, [RUN_A], v2)).toBe(true);
    expect(await t.read.catalogContains(other.catalog.uuid, [RUN_A], v2)).toBe(false);
    expect(await t.read.catalogContains(one.catalog.uuid, [RUN_A2], v2)).toBe(false);
    expect(await t.read.customerContains(CUSTOMER, [RUN_A])).toEqual({ contains: false, catalogUuids: [] });
    expect(await t.read.customerContains(CUSTOMER, [RUN_A], v2)).toEqual({ contains: true, catalogUuids: [one.catalog.uuid] });
    expect(await t.read.filterContentItems(CUSTOMER, [RUN_A, "MITx+A"])).toEqual(["MITx+A"]);

    const snapshotOne = await t.read.getCatalogSnapshot(one.catalog.uuid);
    const keyed = await t.read.catalogContent(snapshotOne, { contentKeys: [RUN_A], ...v2 });
    expect(keyed.items.map((item) => item.key)).toEqual(["MITx+A"]);
    expect(runKeysOf(keyed.items[0])).toEqual(["course-v1:MITx+A+1T2026", RUN_A]);
    expect(Object.keys(keyed.items[0]?.normalized_metadata_by_run as JsonObject)).toEqual(["course-v1:MITx+A+1T2026", RUN_A]);
    expect((await t.read.catalogContent(snapshotOne, { contentKeys: [RUN_A] })).items).toEqual([]);
    const listedV1 = await t.read.catalogContent(snapshotOne, {});
    expect(listedV1.items.flatMap(runKeysOf)).not.toContain(RUN_A);
    const snapshotOther = await t.read.getCatalogSnapshot(other.catalog.uuid);
    expect((await t.read.catalogContent(snapshotOther, { contentKeys: [RUN_A], ...v2 })).items).toEqual([]);
    expect((await t.read.catalogContent(snapshotOther, v2)).items.flatMap(runKeysOf)).not.toContain(RUN_A);

    const item = await t.read.customerContent(CUSTOMER, RUN_A, v2);
    expect(item).toMatchObject({ key: "MITx+A", enrollment_url: expect.stringContaining(`catalog=${one.catalog.uuid}`) });
    expect(runKeysOf(item)).toContain(RUN_A);
    await expect(t.read.customerContent(CUSTOMER, RUN_A)).rejects.toBeInstanceOf(NotFoundError);
    // Another catalog of the customer holds the course first; by its key, v2 shows it as that catalog's query allows.
    const byCourse = await t.read.customerContent(CUSTOMER, "MITx+A", v2);
    expect(runKeysOf(byCourse)).toEqual(["course-v1:MITx+A+1T2026", RUN_A]);
  });

  it("asks discovery nothing restricted when the filter allows no run of a course the query holds", async () => {
    const t = setup();
    const elsewhere = allowing({ "course:HarvardX+Z": ["course-v1:HarvardX+Z+1T2026_B2B"] });
    withCourses(t, [elsewhere]);
    const { query } = await t.catalogFor(elsewhere);
    const run = await t.refresh.refreshQuery(query.uuid, { trigger: "on_demand" });
    expect(run.outcome).toBe("succeeded");
    expect(t.discovery.restrictedSearches).toBe(0);
    expect(t.discovery.restrictedFetches).toEqual([]);
  });

  it("fetches no full record on an unchanged pass, and fetches a run again when its search record changes or its copy ages", async () => {
    const t = setup();
    const filter = allowing({ "course:MITx+A": [RUN_A] });
    withCourses(t, [filter]);
    const { query } = await t.catalogFor(filter);
    await t.refresh.refreshQuery(query.uuid, { trigger: "on_demand" });
    expect(t.discovery.restrictedFetches).toEqual(["MITx+A"]);
    const version = (await t.catalogs.getQuery(query.uuid))?.refresh.contentVersion;

    t.advance(HOUR);
    const unchanged = await t.refresh.refreshQuery(query.uuid, { trigger: "sweep" });
    // The search and the restricted search, nothing else.
    expect(unchanged).toMatchObject({ outcome: "succeeded", discoveryRequests: 2 });
    expect(t.discovery.restrictedFetches).toEqual(["MITx+A"]);
    expect(t.discovery.fetched.courses).toEqual(["MITx+A", "MITx+B"]);
    expect((await t.catalogs.getQuery(query.uuid))?.refresh.contentVersion).toBe(version);

    t.discovery.restricted({ runs: [restrictedSearchRun(RUN_A, { title: "Renamed" })] });
    await t.refresh.refreshQuery(query.uuid, { trigger: "sweep" });
    expect(t.discovery.restrictedFetches).toEqual(["MITx+A", "MITx+A"]);

    t.advance(2 * HOUR + 1);
    await t.refresh.refreshQuery(query.uuid, { trigger: "sweep" });
    expect(t.discovery.restrictedFetches).toEqual(["MITx+A", "MITx+A", "MITx+A"]);
  });

  it("bumps the content version when only the allowed run changed, and shows the change", async () => {
    const t = setup();
    const filter = allowing({ "course:MITx+A": [RUN_A] });
    withCourses(t, [filter]);
    const { catalog, query } = await t.catalogFor(filter);
    await t.refresh.refreshQuery(query.uuid, { trigger: "on_demand" });
    const before = await t.catalogs.getQuery(query.uuid);
    const a = fullCourse("MITx+A");
    t.discovery.restricted({
      courses: [{ ...a, course_runs: [...(a.course_runs as JsonObject[]), restrictedEntry(RUN_A, { first_enrollable_paid_seat_price: 120 })] }],
      runs: [restrictedSearchRun(RUN_A, { first_enrollable_paid_seat_price: 120 })],
    });
    t.advance(60_000);
    await t.refresh.refreshQuery(query.uuid, { trigger: "sweep" });
    const after = await t.catalogs.getQuery(query.uuid);
    expect(after?.refresh.contentVersion).toBe((before?.refresh.contentVersion ?? 0) + 1);
    expect(after?.refresh.contentLastModified?.getTime()).toBeGreaterThan(before?.refresh.contentLastModified?.getTime() ?? 0);
    const item = await t.read.customerContent(CUSTOMER, RUN_A, { withRestrictedRuns: true });
    expect((item.normalized_metadata_by_run as JsonObject)[RUN_A]).toMatchObject({ content_price: 120 });
    expect(item.content_last_modified).toBe(after?.refresh.contentLastModified?.toISOString());
    expect(catalog.uuid).toBeDefined();
  });

  it("fails the whole refresh in the restricted stage, and changes nothing", async () => {
    const t = setup();
    const filter = allowing({ "course:MITx+A": [RUN_A] });
    withCourses(t, [filter]);
    const { query } = await t.catalogFor(filter);
    await t.refresh.refreshQuery(query.uuid, { trigger: "on_demand" });
    const members = await t.content.memberSearchFingerprints(query.uuid);
    t.discovery.answer(filter, [course("MITx+A"), course("MITx+B"), courseRun("MITx+C", "1T2026")]).restricted({ failing: true });
    await expect(t.refresh.refreshQuery(query.uuid, { trigger: "sweep" })).rejects.toThrow("HTTP 503");
    const [failed] = await t.content.listRefreshRuns(query.uuid, 1);
    expect(failed).toMatchObject({ outcome: "failed", stage: "restricted" });
    expect(await t.content.memberSearchFingerprints(query.uuid)).toEqual(members);
    expect([...(await t.content.restrictedRunStates(query.uuid)).keys()]).toEqual([RUN_A]);
  });

  it("takes a course's restricted runs along when the course leaves the query, and drops a run /courses does not list", async () => {
    const t = setup();
    const filter = allowing({ "course:MITx+A": [RUN_A, RUN_A2] });
    withCourses(t, [filter]);
    const a = fullCourse("MITx+A");
    t.discovery.restricted({ courses: [{ ...a, course_runs: [...(a.course_runs as JsonObject[]), restrictedEntry(RUN_A)] }] });
    const { catalog, query } = await t.catalogFor(filter);
    await t.refresh.refreshQuery(query.uuid, { trigger: "on_demand" });
    expect([...(await t.content.restrictedRunStates(query.uuid)).keys()]).toEqual([RUN_A]);

    t.discovery.answer(filter, [course("MITx+B")]);
    await t.refresh.refreshQuery(query.uuid, { trigger: "sweep" });
    expect((await t.content.restrictedRunStates(query.uuid)).size).toBe(0);
    expect(await t.read.catalogContains(catalog.uuid, [RUN_A], { withRestrictedRuns: true })).toBe(false);
  });

  it("rewrites no shared row while two queries that allow different runs of one course refresh in turn", async () => {
    const t = setup();
    const allowingA = allowing({ "course:MITx+A": [RUN_A] });
    const allowingA2 = allowing({ "course:MITx+A": [RUN_A2] });
    withCourses(t, [allowingA, allowingA2]);
    const one = await t.catalogFor(allowingA);
    const two = await t.catalogFor(allowingA2);
    await t.refresh.refreshQuery(one.query.uuid, { trigger: "on_demand" });
    await t.refresh.refreshQuery(two.query.uuid, { trigger: "on_demand" });
    const [row] = await t.content.getContent(["MITx+A"]);
    for (let pass = 0; pass < 3; pass++) {
      t.advance(60_000);
      expect(await t.refresh.refreshQuery(one.query.uuid, { trigger: "sweep" })).toMatchObject({ updated: 0, unchanged: 2 });
      expect(await t.refresh.refreshQuery(two.query.uuid, { trigger: "sweep" })).toMatchObject({ updated: 0, unchanged: 2 });
    }
    expect(await t.content.getContent(["MITx+A"])).toEqual([row]);
    const shown = async (uuid: string) => runKeysOf((await t.read.catalogContent(await t.read.getCatalogSnapshot(uuid), { contentKeys: ["MITx+A"], withRestrictedRuns: true })).items[0]);
    expect(await shown(one.catalog.uuid)).toEqual(["course-v1:MITx+A+1T2026", RUN_A]);
    expect(await shown(two.catalog.uuid)).toEqual(["course-v1:MITx+A+1T2026", RUN_A2]);
  });

  it("lists and calls active in v2 a course whose only open run is an allowed restricted one; v1 leaves it out", async () => {
    const t = setup();
    const filter = allowing({ "course:MITx+U": [RUN_U] });
    t.discovery.answer(filter, [course("MITx+A"), course("MITx+U")]);
    const u = closedCourse("MITx+U");
    t.discovery.fullCourses(fullCourse("MITx+A"), u).restricted({
      courses: [{ ...u, course_runs: [...(u.course_runs as JsonObject[]), restrictedEntry(RUN_U)] }],
      runs: [restrictedSearchRun(RUN_U)],
    });
    const { catalog, query } = await t.catalogFor(filter);
    await t.refresh.refreshQuery(query.uuid, { trigger: "on_demand" });
    const snapshot = await t.read.getCatalogSnapshot(catalog.uuid);
    const v1 = await t.read.catalogContent(snapshot, {});
    expect(v1.items.map((item) => item.key)).toEqual(["MITx+A"]);
    const v2 = await t.read.catalogContent(snapshot, { withRestrictedRuns: true });
    expect(v2.count).toBe(2);
    expect(v2.items.map((item) => [item.key, item.active])).toEqual([["MITx+A", true], ["MITx+U", true]]);
    const keyedV1 = await t.read.catalogContent(snapshot, { contentKeys: ["MITx+U"] });
    expect(keyedV1.items[0]?.active).toBe(false);
    const page = await t.read.catalogContent(snapshot, { withRestrictedRuns: true, page: { page: 2, pageSize: 1 } });
    expect(page.items.map((item) => item.key)).toEqual(["MITx+U"]);
  });
});

describe("courseWithRestrictedRuns()", () => {
  const T0 = new Date("2026-01-01T00:00:00Z");
  const T1 = new Date("2026-02-01T00:00:00Z");
  const full = fullCourse("MITx+A", { course_run_keys: ["course-v1:MITx+A+1T2026"], course_run_statuses: ["published"] });
  const base: ContentMetadata = {
    contentKey: "MITx+A", contentType: "course", contentUuid: null, parentContentKey: null, fingerprint: "f", modified: T0,
    jsonMetadata: { ...full, normalized_metadata_by_run: { "course-v1:MITx+A+1T2026": { content_price: 49 } } },
  };

  it("adds the runs after the course's own (by start), recomputing keys, statuses, price and normalized metadata as the reference does", () => {
    const late = { runKey: RUN_A2, courseKey: "MITx+A", record: restrictedEntry(RUN_A2, { start: "2026-12-01T00:00:00Z", status: "unpublished" }), modified: T1 };
    const early = { runKey: RUN_A, courseKey: "MITx+A", record: restrictedEntry(RUN_A), modified: T0 };
    const shown = courseWithRestrictedRuns(base, [late, early]);
    expect(runKeysOf(shown.jsonMetadata)).toEqual(["course-v1:MITx+A+1T2026", RUN_A, RUN_A2]);
    expect(shown.jsonMetadata.course_run_keys).toEqual(["course-v1:MITx+A+1T2026", RUN_A, RUN_A2]);
    expect(shown.jsonMetadata.course_run_statuses).toEqual(["published", "unpublished"]);
    // The advertised run's price first.
    expect(shown.jsonMetadata.first_enrollable_paid_seat_price).toBe(49);
    expect(shown.jsonMetadata.normalized_metadata_by_run).toEqual({
      "course-v1:MITx+A+1T2026": { content_price: 49 },
      [RUN_A]: { start_date: "2026-10-01T00:00:00Z", end_date: "2027-03-01T00:00:00Z", enroll_by_date: "2026-11-15T00:00:00Z", enroll_start_date: null, content_price: 99 },
      [RUN_A2]: { start_date: "2026-12-01T00:00:00Z", end_date: "2027-03-01T00:00:00Z", enroll_by_date: "2026-11-15T00:00:00Z", enroll_start_date: null, content_price: 99 },
    });
    expect(shown.modified).toEqual(T1);
    expect(base.jsonMetadata.course_run_keys).toEqual(["course-v1:MITx+A+1T2026"]);
  });

  it("takes an active run's price when the course advertises none, and returns the course as it is without runs", () => {
    const closed: ContentMetadata = { ...base, jsonMetadata: closedCourse("MITx+A") };
    const shown = courseWithRestrictedRuns(closed, [{ runKey: RUN_A, courseKey: "MITx+A", record: restrictedEntry(RUN_A, { is_marketable: true }), modified: T0 }]);
    expect(shown.jsonMetadata.first_enrollable_paid_seat_price).toBe(99);
    expect(courseWithRestrictedRuns(base, [])).toBe(base);
  });

  it("isActiveRestrictedRun() wants a published, enrollable B2B run, marketable or not", () => {
    expect(isActiveRestrictedRun(restrictedEntry(RUN_A))).toBe(true);
    expect(isActiveRestrictedRun(restrictedEntry(RUN_A, { is_enrollable: false }))).toBe(false);
    expect(isActiveRestrictedRun(restrictedEntry(RUN_A, { status: "unpublished" }))).toBe(false);
    expect(isActiveRestrictedRun(restrictedEntry(RUN_A, { restriction_type: "custom-b2c" }))).toBe(false);
    expect(isActiveRestrictedRun(restrictedEntry(RUN_A, { restriction_type: null }))).toBe(false);
  });
});
