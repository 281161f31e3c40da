import { describe, expect, it } from "vitest";
import { MemoryCatalogStore } from "../../adapters/memory/memory_catalog_store.ts";
import { MemoryContentStore } from "../../adapters/memory/memory_content_store.ts";
import { MemoryDatabase } from "../../adapters/memory/memory_database.ts";
import { MemoryRefreshScheduler } from "../../adapters/memory/memory_refresh_scheduler.ts";
import { CatalogService } from "../../src/catalog/catalog_service.ts";
import { contentFilterFromValue } from "../../src/catalog/content_filter.ts";
import { UpstreamUnavailableError } from "../../src/errors.ts";
import type { JsonObject } from "../../src/json.ts";
import { RefreshService } from "../../src/refresh/refresh_service.ts";
import { course, courseRun, fullCourse, program, ScriptedDiscovery } from "../helpers/scripted_discovery.ts";

const CUSTOMER = "a94412c9-f91c-4d0d-87cb-1ca1c0d11457";
const DAY = 24 * 3600_000;

/** The query's members → their rows' fingerprints. */
async function members(t: ReturnType<typeof setup>, queryUuid: string): Promise<Map<string, string>> {
  const keys = [...(await t.content.memberSearchFingerprints(queryUuid)).keys()];
  const states = await t.content.contentStates(keys);
  return new Map(keys.map((key) => [key, states.get(key)?.fingerprint ?? "no row"]));
}
const FILTER = contentFilterFromValue({ content_type: ["course", "courserun", "program"], org: "MITx" });

function setup(start = new Date("2026-11-01T00:00:00Z")) {
  const db = new MemoryDatabase();
  const catalogs = new MemoryCatalogStore(db);
  const content = new MemoryContentStore(db);
  const scheduler = new MemoryRefreshScheduler();
  const discovery = new ScriptedDiscovery();
  let now = start.getTime();
  const clock = { now: () => new Date(now) };
  let id = 0;
  const ids = { uuid: () => `00000000-0000-4000-8000-${String(++id).padStart(12, "0")}` };
  const catalogService = new CatalogService({ catalogs, scheduler, clock, ids });
  const refresh = new RefreshService({ catalogs, content, discovery, scheduler, clock, ids });
  return {
    catalogs, content, scheduler, discovery, catalogService, refresh,
    advance: (ms: number) => {
      now += ms;
    },
  };
}

async function catalogWithQuery(t: ReturnType<typeof setup>, filter = FILTER) {
  const { query } = await t.catalogService.createCatalog({ title: "Catalog", enterpriseCustomerUuid: CUSTOMER, contentFilter: filter }, { actor: "test" });
  return query;
}

function courses(count: number, prefix = "MITx+C"): JsonObject[] {
  return Array.from({ length: count }, (_, i) => course(`${prefix}${i}`));
}

describe("RefreshService.refreshQuery()", () => {
  it("inserts the whole result set and maps runs to their course", async () => {
    const t = setup();
    const query = await catalogWithQuery(t);
    t.discovery.answer(FILTER, [course("MITx+A"), courseRun("MITx+A", "1T2026"), program("a3951294-926b-4247-8c3c-51c1e4347a15")]);
    const run = await t.refresh.refreshQuery(query.uuid, { trigger: "on_demand" });
    // The search, then the full records of the course and the program, and the reviews.
    expect(run).toMatchObject({ outcome: "succeeded", added: 3, removed: 0, updated: 0, unchanged: 0, discoveryRequests: 4, stage: null });
    const stored = await t.content.getContent(["MITx+A", "course-v1:MITx+A+1T2026", "a3951294-926b-4247-8c3c-51c1e4347a15"]);
    expect(stored.map((item) => [item.contentKey, item.contentType, item.parentContentKey]).sort()).toEqual([
      ["MITx+A", "course", null],
      ["a3951294-926b-4247-8c3c-51c1e4347a15", "program", null],
      ["course-v1:MITx+A+1T2026", "courserun", "MITx+A"],
    ]);
    const after = await t.catalogs.getQuery(query.uuid);
    expect(after?.refresh).toMatchObject({ itemCount: 3, lastRefreshOutcome: "succeeded", contentVersion: 1 });
    expect(after?.refresh.lastRefreshedAt).not.toBeNull();
  });

  it("applies a diff: adds, removes, updates only what changed, and rewrites nothing on an unchanged pass", async () => {
    const t = setup();
    const query = await catalogWithQuery(t);
    t.discovery.answer(FILTER, [course("MITx+A"), course("MITx+B"), course("MITx+C")]);
    await t.refresh.refreshQuery(query.uuid, { trigger: "on_demand" });
    const before = (await t.catalogs.getQuery(query.uuid))?.refresh.contentVersion;

    const unchanged = await t.refresh.refreshQuery(query.uuid, { trigger: "on_demand" });
    expect(unchanged).toMatchObject({ added: 0, removed: 0, updated: 0, unchanged: 3 });
    expect((await t.catalogs.getQuery(query.uuid))?.refresh.contentVersion).toBe(before);

    t.discovery.answer(FILTER, [course("MITx+A", { title: "New title" }), course("MITx+C"), course("MITx+D")]);
    const changed = await t.refresh.refreshQuery(query.uuid, { trigger: "on_demand" });
    expect(changed).toMatchObject({ added: 1, removed: 1, updated: 1, unchanged: 1 });
    const [a] = await t.content.getContent(["MITx+A"]);
    expect(a?.jsonMetadata.title).toBe("New title");
    expect(new Set((await members(t, query.uuid)).keys())).toEqual(new Set(["MITx+A", "MITx+C", "MITx+D"]));
  });

  it("leaves the previous content exactly as it was when discovery fails, and records the failed run", async () => {
    const t = setup();
    const query = await catalogWithQuery(t);
    t.discovery.answer(FILTER, courses(10));
    await t.refresh.refreshQuery(query.uuid, { trigger: "on_demand" });
    const before = await members(t, query.uuid);

    t.discovery.fail(FILTER);
    await expect(t.refresh.refreshQuery(query.uuid, { trigger: "on_demand" })).rejects.toThrow(UpstreamUnavailableError);
    expect(await members(t, query.uuid)).toEqual(before);
    const [last] = await t.refresh.recentRuns(query.uuid, 1);
    expect(last).toMatchObject({ outcome: "failed", stage: "search", discoveryRequests: 2 });
    expect(last?.message).toMatch(/503/);
    expect((await t.catalogs.getQuery(query.uuid))?.refresh.lastRefreshOutcome).toBe("failed");
  });

  it("fails, changing nothing, when the records received disagree with discovery's count", async () => {
    const t = setup();
    const query = await catalogWithQuery(t);
    t.discovery.answer(FILTER, courses(5)).miscount(FILTER);
    await expect(t.refresh.refreshQuery(query.uuid, { trigger: "on_demand" })).rejects.toThrow(/reported 12 results but sent 5/);
    expect((await members(t, query.uuid)).size).toBe(0);
  });

  it("holds a result that shrinks by more than 80 % of over 50 items, and applies it when forced", async () => {
    const t = setup();
    const query = await catalogWithQuery(t);
    t.discovery.answer(FILTER, courses(60));
    await t.refresh.refreshQuery(query.uuid, { trigger: "on_demand" });
    t.advance(DAY);
    t.discovery.answer(FILTER, courses(10));
    const held = await t.refresh.refreshQuery(query.uuid, { trigger: "sweep" });
    expect(held.outcome).toBe("held");
    expect(held.message).toMatch(/shrank from 60 to 10/);
    expect((await members(t, query.uuid)).size).toBe(60);
    const forced = await t.refresh.refreshQuery(query.uuid, { trigger: "on_demand", force: true });
    expect(forced).toMatchObject({ outcome: "succeeded", removed: 50 });
    expect((await members(t, query.uuid)).size).toBe(10);
  });

  it("holds a result that grows by more than 80 % of over 50 items", async () => {
    const t = setup();
    const query = await catalogWithQuery(t);
    t.discovery.answer(FILTER, courses(60));
    await t.refresh.refreshQuery(query.uuid, { trigger: "on_demand" });
    t.advance(DAY);
    t.discovery.answer(FILTER, courses(108));
    expect((await t.refresh.refreshQuery(query.uuid, { trigger: "sweep" })).outcome).toBe("succeeded");
    t.discovery.answer(FILTER, courses(197));
    const held = await t.refresh.refreshQuery(query.uuid, { trigger: "sweep" });
    expect(held).toMatchObject({ outcome: "held", added: 89 });
    expect(held.message).toMatch(/grew from 108 to 197/);
    expect((await members(t, query.uuid)).size).toBe(108);
  });

  it("applies a drastic swing of a query created today, as the reference does for one edited today", async () => {
    const t = setup();
    const query = await catalogWithQuery(t);
    t.discovery.answer(FILTER, courses(60));
    await t.refresh.refreshQuery(query.uuid, { trigger: "on_demand" });
    t.discovery.answer(FILTER, courses(5));
    expect((await t.refresh.refreshQuery(query.uuid, { trigger: "catalog_saved" })).outcome).toBe("succeeded");
  });

  it("holds an empty result for a query that had content, however small, and applies it when forced", async () => {
    const t = setup();
    const query = await catalogWithQuery(t);
    t.discovery.answer(FILTER, courses(3));
    await t.refresh.refreshQuery(query.uuid, { trigger: "on_demand" });
    t.discovery.answer(FILTER, []);
    const held = await t.refresh.refreshQuery(query.uuid, { trigger: "on_demand" });
    expect(held.outcome).toBe("held");
    expect(held.message).toMatch(/returned nothing for a query that held 3 items/);
    expect((await members(t, query.uuid)).size).toBe(3);
    expect(await t.refresh.refreshQuery(query.uuid, { trigger: "on_demand", force: true })).toMatchObject({ outcome: "succeeded", removed: 3 });
  });

  it("does not hold a shrink of exactly 80 %, nor one of a small query", async () => {
    const t = setup();
    const big = await catalogWithQuery(t);
    t.discovery.answer(FILTER, courses(100));
    await t.refresh.refreshQuery(big.uuid, { trigger: "on_demand" });
    t.advance(DAY);
    t.discovery.answer(FILTER, courses(20));
    expect((await t.refresh.refreshQuery(big.uuid, { trigger: "on_demand" })).outcome).toBe("succeeded");

    const smallFilter = contentFilterFromValue({ content_type: "course", org: "HarvardX" });
    const small = await catalogWithQuery(t, smallFilter);
    t.discovery.answer(smallFilter, courses(50, "HarvardX+C"));
    await t.refresh.refreshQuery(small.uuid, { trigger: "on_demand" });
    t.advance(DAY);
    t.discovery.answer(smallFilter, courses(1, "HarvardX+C"));
    expect((await t.refresh.refreshQuery(small.uuid, { trigger: "on_demand" })).outcome).toBe("succeeded");
  });

  it("drops records outside the reference's course-type and product-source allow-lists", async () => {
    const t = setup();
    const query = await catalogWithQuery(t);
    t.discovery.answer(FILTER, [course("MITx+A"), course("MITx+Boot", { course_type: "bootcamp-2u" }), course("MITx+Other", { product_source: "other" }), { content_type: "person", uuid: "x" }]);
    const run = await t.refresh.refreshQuery(query.uuid, { trigger: "on_demand" });
    expect(run.added).toBe(1);
  });
});

describe("RefreshService sweeps", () => {
  it("queues every query in use that is stale or due, once per filter, and nothing that is fresh", async () => {
    const t = setup();
    const fresh = await catalogWithQuery(t);
    const otherFilter = contentFilterFromValue({ content_type: "course", org: "HarvardX" });
    await catalogWithQuery(t, otherFilter);
    await catalogWithQuery(t, otherFilter);
    t.scheduler.take();
    await t.refresh.refreshQuery(fresh.uuid, { trigger: "on_demand" });

    let swept = await t.refresh.sweepStale();
    expect(swept.queriesInUse).toBe(2);
    expect(swept.queued.map((job) => job.queryUuid)).toEqual([expect.not.stringMatching(fresh.uuid)]);
    t.scheduler.take();

    t.advance(21 * 3600_000);
    swept = await t.refresh.sweepStale();
    expect(swept.queued).toHaveLength(2);
    const freshness = await t.refresh.freshness();
    expect(freshness.find((row) => row.query.uuid === fresh.uuid)).toMatchObject({ stale: false, ageMs: 21 * 3600_000 });
    t.advance(4 * 3600_000);
    expect((await t.refresh.freshness()).every((row) => row.stale)).toBe(true);
  });

  it("queues a refresh when a catalog creates a new query, and not again for a refreshed one", async () => {
    const t = setup();
    const query = await catalogWithQuery(t);
    expect(t.scheduler.take().map((job) => job.queryUuid)).toEqual([query.uuid]);
    await t.refresh.refreshQuery(query.uuid, { trigger: "catalog_saved" });
    await catalogWithQuery(t);
    expect(t.scheduler.take()).toEqual([]);
  });

  it("cleans up content no query holds any more", async () => {
    const t = setup();
    const query = await catalogWithQuery(t);
    t.discovery.answer(FILTER, courses(3));
    await t.refresh.refreshQuery(query.uuid, { trigger: "on_demand" });
    t.discovery.answer(FILTER, courses(1));
    await t.refresh.refreshQuery(query.uuid, { trigger: "on_demand" });
    expect((await t.content.getContent(["MITx+C1", "MITx+C2"])).length).toBe(2);
    expect(await t.refresh.cleanUpContent()).toBe(2);
    expect(await t.content.getContent(["MITx+C0", "MITx+C1", "MITx+C2"])).toHaveLength(1);
  });
});

describe("RefreshService enrichment", () => {
  const COURSE_FILTER = contentFilterFromValue({ content_type: "course", org: "MITx" });
  const searchRuns = (...keys: string[]) => keys.map((key) => ({ key, availability: "Current", is_enrollable: true, end: "2026-12-01T00:00:00Z" }));

  it("merges each course's full record over its search record, with normalized metadata, reviews and the advertised run", async () => {
    const t = setup();
    const query = await catalogWithQuery(t, COURSE_FILTER);
    t.discovery.answer(COURSE_FILTER, [course("MITx+A", { course_runs: searchRuns("course-v1:MITx+A+1T2026"), seat_types: ["audit", "verified"] })])
      .fullCourses(fullCourse("MITx+A", { title: "Full title" }))
      .reviews({ course_key: "MITx+A", reviews_count: 12, avg_course_rating: 4.5 }, { course_key: "MITx+Other", reviews_count: 1, avg_course_rating: 1 });
    await t.refresh.refreshQuery(query.uuid, { trigger: "on_demand" });

    const [stored] = await t.content.getContent(["MITx+A"]);
    const json = stored?.jsonMetadata ?? {};
    expect(json).toMatchObject({
      aggregation_key: "course:MITx+A", content_type: "course", seat_types: ["audit", "verified"], title: "Full title",
      reviews_count: 12, avg_course_rating: 4.5,
      normalized_metadata: {
        start_date: "2026-01-01T00:00:00Z", end_date: "2026-12-01T00:00:00Z", enroll_by_date: "2026-11-20T23:59:59Z",
        enroll_start_date: null, content_price: 49,
      },
    });
    expect(Object.keys(json.normalized_metadata_by_run as object)).toEqual(["course-v1:MITx+A+1T2026"]);
    // The runs are the full record's, with seats and marketability, not the search's.
    expect(json.course_runs).toEqual((fullCourse("MITx+A").course_runs));
    expect(t.discovery.fetched).toEqual({ courses: ["MITx+A"], programs: [], reviews: ["*"] });
  });

  it("makes no enrichment request on an unchanged pass, and fetches a course again once its full record is older than half the margin", async () => {
    const t = setup();
    const query = await catalogWithQuery(t, COURSE_FILTER);
    t.discovery.answer(COURSE_FILTER, [course("MITx+A"), course("MITx+B")]).fullCourses(fullCourse("MITx+A"), fullCourse("MITx+B"));
    await t.refresh.refreshQuery(query.uuid, { trigger: "on_demand" });
    const first = structuredClone(t.discovery.fetched);

    t.advance(3600_000);
    const unchanged = await t.refresh.refreshQuery(query.uuid, { trigger: "sweep" });
    expect(unchanged).toMatchObject({ outcome: "succeeded", discoveryRequests: 1, unchanged: 2 });
    expect(t.discovery.fetched).toEqual(first);

    // A change only the full record shows arrives once the record is older than 2 h (half the 4 h margin).
    t.discovery.fullCourses(fullCourse("MITx+A", { title: "Renamed in /courses only" }));
    t.advance(3600_000 + 1);
    const refetched = await t.refresh.refreshQuery(query.uuid, { trigger: "sweep" });
    expect(refetched).toMatchObject({ updated: 1, unchanged: 1 });
    expect((await t.content.getContent(["MITx+A"]))[0]?.jsonMetadata.title).toBe("Renamed in /courses only");
    expect(t.discovery.fetched.courses).toEqual(["MITx+A", "MITx+B", "MITx+A", "MITx+B"]);
  });

  it("fetches a course again at once when its search record changes", async () => {
    const t = setup();
    const query = await catalogWithQuery(t, COURSE_FILTER);
    t.discovery.answer(COURSE_FILTER, [course("MITx+A"), course("MITx+B")]).fullCourses(fullCourse("MITx+A"), fullCourse("MITx+B"));
    await t.refresh.refreshQuery(query.uuid, { trigger: "on_demand" });
    t.discovery.answer(COURSE_FILTER, [course("MITx+A", { short_description: "New" }), course("MITx+B")]);
    await t.refresh.refreshQuery(query.uuid, { trigger: "on_demand" });
    expect(t.discovery.fetched.courses).toEqual(["MITx+A", "MITx+B", "MITx+A"]);
    expect((await t.content.getContent(["MITx+A"]))[0]?.jsonMetadata.short_description).toBe("New");
  });

  it("fetches a course two queries hold once, and alternating refreshes that see different nested runs rewrite nothing", async () => {
    const t = setup();
    const current = contentFilterFromValue({ content_type: "course", org: "MITx" });
    const withArchived = contentFilterFromValue({ content_type: "course", org: "MITx", availability: ["Current", "Archived"] });
    const first = await catalogWithQuery(t, current);
    const second = await catalogWithQuery(t, withArchived);
    // Discovery keeps an expired run in the nested runs when a filter parameter matches it.
    t.discovery.answer(current, [course("MITx+A", { course_runs: searchRuns("course-v1:MITx+A+1T2026") })])
      .answer(withArchived, [course("MITx+A", { course_runs: searchRuns("course-v1:MITx+A+1T2025", "course-v1:MITx+A+1T2026") })])
      .fullCourses(fullCourse("MITx+A"));
    await t.refresh.refreshQuery(first.uuid, { trigger: "on_demand" });
    await t.refresh.refreshQuery(second.uuid, { trigger: "on_demand" });
    expect(t.discovery.fetched.courses).toEqual(["MITx+A"]);
    const [row] = await t.content.getContent(["MITx+A"]);
    const versions = async () => [(await t.catalogs.getQuery(first.uuid))?.refresh.contentVersion, (await t.catalogs.getQuery(second.uuid))?.refresh.contentVersion];
    const before = await versions();

    for (let pass = 0; pass < 3; pass++) {
      t.advance(60_000);
      expect(await t.refresh.refreshQuery(first.uuid, { trigger: "sweep" })).toMatchObject({ updated: 0, unchanged: 1 });
      expect(await t.refresh.refreshQuery(second.uuid, { trigger: "sweep" })).toMatchObject({ updated: 0, unchanged: 1 });
    }
    expect(await t.content.getContent(["MITx+A"])).toEqual([row]);
    expect(await versions()).toEqual(before);
    expect(t.discovery.fetched.courses).toEqual(["MITx+A"]);
  });

  it("merges each program's full record, so the program lists its courses", async () => {
    const t = setup();
    const uuid = "a3951294-926b-4247-8c3c-51c1e4347a15";
    const filter = contentFilterFromValue({ content_type: "program" });
    const query = await catalogWithQuery(t, filter);
    t.discovery.answer(filter, [program(uuid)]).fullPrograms({ uuid, title: "Full program", courses: [{ key: "MITx+A", uuid: "x" }] });
    await t.refresh.refreshQuery(query.uuid, { trigger: "on_demand" });
    expect((await t.content.getContent([uuid]))[0]?.jsonMetadata).toMatchObject({
      aggregation_key: `program:${uuid}`, title: "Full program", courses: [{ key: "MITx+A", uuid: "x" }],
    });
    expect(t.discovery.fetched).toEqual({ courses: [], programs: [uuid], reviews: [] });
  });

  it.each(["courses", "programs", "reviews"] as const)("leaves the content and its version exactly as they were when %s fail, and records the stage", async (endpoint) => {
    const t = setup();
    const query = await catalogWithQuery(t);
    const uuid = "a3951294-926b-4247-8c3c-51c1e4347a15";
    t.discovery.answer(FILTER, [course("MITx+A"), program(uuid)]).fullCourses(fullCourse("MITx+A")).fullPrograms({ uuid, title: "P" });
    await t.refresh.refreshQuery(query.uuid, { trigger: "on_demand" });
    const before = { content: await t.content.getContent(["MITx+A", uuid]), query: await t.catalogs.getQuery(query.uuid) };

    t.advance(DAY);
    t.discovery.answer(FILTER, [course("MITx+A", { short_description: "New" }), program(uuid, { subtitle: "New" }), course("MITx+B")]).failEndpoint(endpoint);
    await expect(t.refresh.refreshQuery(query.uuid, { trigger: "sweep" })).rejects.toThrow(UpstreamUnavailableError);
    expect(await t.content.getContent(["MITx+A", uuid, "MITx+B"])).toEqual(before.content);
    expect((await t.catalogs.getQuery(query.uuid))?.refresh.contentVersion).toBe(before.query?.refresh.contentVersion);
    const [failed] = await t.refresh.recentRuns(query.uuid, 1);
    expect(failed).toMatchObject({ outcome: "failed", stage: endpoint });
    expect(failed?.message).toMatch(new RegExp(`${endpoint} failed`));

    t.discovery.failEndpoint(endpoint, false);
    expect(await t.refresh.refreshQuery(query.uuid, { trigger: "sweep" })).toMatchObject({ outcome: "succeeded", added: 1, updated: 2 });
  });

  it("keeps the search record of a course discovery's /courses does not know, and asks for it again only when it is due", async () => {
    const t = setup();
    const query = await catalogWithQuery(t, COURSE_FILTER);
    t.discovery.answer(COURSE_FILTER, [course("MITx+Gone", { course_runs: searchRuns("course-v1:MITx+Gone+1T2026") })]);
    await t.refresh.refreshQuery(query.uuid, { trigger: "on_demand" });
    expect((await t.content.getContent(["MITx+Gone"]))[0]?.jsonMetadata.course_runs).toEqual(searchRuns("course-v1:MITx+Gone+1T2026"));
    await t.refresh.refreshQuery(query.uuid, { trigger: "on_demand" });
    expect(t.discovery.fetched.courses).toEqual(["MITx+Gone"]);
  });

  it("force-includes the courses a filter names, made visible and tagged, and drops keys discovery does not know", async () => {
    const t = setup();
    const filter = contentFilterFromValue({ content_type: "course", org: "MITx", enterprise_force_include_aggregation_keys: ["edX+Unlisted", "edX+Unknown", "MITx+A"] });
    const query = await catalogWithQuery(t, filter);
    const unlisted = fullCourse("edX+Unlisted");
    (unlisted.course_runs as JsonObject[])[0]!.status = "unpublished";
    t.discovery.answer(filter, [course("MITx+A")]).fullCourses(fullCourse("MITx+A"), unlisted);
    const run = await t.refresh.refreshQuery(query.uuid, { trigger: "on_demand" });
    expect(run).toMatchObject({ added: 2 });
    const [forced] = await t.content.getContent(["edX+Unlisted"]);
    expect(forced).toMatchObject({ contentType: "course", contentUuid: unlisted.uuid });
    expect(forced?.jsonMetadata).toMatchObject({
      aggregation_key: "course:edX+Unlisted", content_type: "course", enterprise_force_included: true,
      course_run_statuses: ["published"], course_runs: [{ status: "published", availability: "Current" }],
    });
    expect((await t.content.getContent(["MITx+A"]))[0]?.jsonMetadata.enterprise_force_included).toBeUndefined();
    expect(t.discovery.fetched.courses.sort()).toEqual(["MITx+A", "edX+Unknown", "edX+Unlisted"]);

    await t.refresh.refreshQuery(query.uuid, { trigger: "on_demand" });
    expect(t.discovery.fetched.courses).toHaveLength(3 + 1); // only the unknown key is asked again
  });

  it("fails, changing nothing, when discovery repeats a key or sends a record it cannot identify", async () => {
    const t = setup();
    const query = await catalogWithQuery(t, COURSE_FILTER);
    t.discovery.answer(COURSE_FILTER, courses(4));
    await t.refresh.refreshQuery(query.uuid, { trigger: "on_demand" });
    const before = await members(t, query.uuid);

    t.discovery.answer(COURSE_FILTER, [...courses(4), ...courses(2)]);
    await expect(t.refresh.refreshQuery(query.uuid, { trigger: "on_demand" })).rejects.toThrow(/sent "MITx\+C0" twice/);
    t.discovery.answer(COURSE_FILTER, [...courses(4), { content_type: "course", title: "No key" }]);
    await expect(t.refresh.refreshQuery(query.uuid, { trigger: "on_demand" })).rejects.toThrow(/without key or uuid \(result 5 of 5\)/);
    t.discovery.answer(COURSE_FILTER, [...courses(4), { key: "MITx+X" }]);
    await expect(t.refresh.refreshQuery(query.uuid, { trigger: "on_demand" })).rejects.toThrow(/without content_type/);
    expect(await members(t, query.uuid)).toEqual(before);
    expect((await t.refresh.recentRuns(query.uuid, 3)).map((run) => [run.outcome, run.stage])).toEqual([
      ["failed", "search"], ["failed", "search"], ["failed", "search"],
    ]);
  });
});
