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
import { course, courseRun, program, ScriptedDiscovery } from "../helpers/scripted_discovery.ts";

const CUSTOMER = "a94412c9-f91c-4d0d-87cb-1ca1c0d11457";
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
  const { query } = await t.catalogService.createCatalog({ title: "Catalog", enterpriseCustomerUuid: CUSTOMER, contentFilter: filter });
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
    expect(run).toMatchObject({ outcome: "succeeded", added: 3, removed: 0, updated: 0, unchanged: 0, discoveryRequests: 1 });
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
    expect(new Set((await t.content.memberFingerprints(query.uuid)).keys())).toEqual(new Set(["MITx+A", "MITx+C", "MITx+D"]));
  });

  it("leaves the previous content exactly as it was when discovery fails, and records the failed run", async () => {
    const t = setup();
    const query = await catalogWithQuery(t);
    t.discovery.answer(FILTER, courses(10));
    await t.refresh.refreshQuery(query.uuid, { trigger: "on_demand" });
    const members = await t.content.memberFingerprints(query.uuid);

    t.discovery.fail(FILTER);
    await expect(t.refresh.refreshQuery(query.uuid, { trigger: "on_demand" })).rejects.toThrow(UpstreamUnavailableError);
    expect(await t.content.memberFingerprints(query.uuid)).toEqual(members);
    const [last] = await t.refresh.recentRuns(query.uuid, 1);
    expect(last).toMatchObject({ outcome: "failed", discoveryRequests: 2 });
    expect(last?.message).toMatch(/503/);
    expect((await t.catalogs.getQuery(query.uuid))?.refresh.lastRefreshOutcome).toBe("failed");
  });

  it("fails, changing nothing, when the records received disagree with discovery's count", async () => {
    const t = setup();
    const query = await catalogWithQuery(t);
    t.discovery.answer(FILTER, courses(5)).miscount(FILTER);
    await expect(t.refresh.refreshQuery(query.uuid, { trigger: "on_demand" })).rejects.toThrow(/reported 12 results but sent 5/);
    expect((await t.content.memberFingerprints(query.uuid)).size).toBe(0);
  });

  it("holds a result that shrinks by more than 80 % of over 50 items, and applies it when forced", async () => {
    const t = setup();
    const query = await catalogWithQuery(t);
    t.discovery.answer(FILTER, courses(60));
    await t.refresh.refreshQuery(query.uuid, { trigger: "on_demand" });
    t.discovery.answer(FILTER, courses(10));
    const held = await t.refresh.refreshQuery(query.uuid, { trigger: "sweep" });
    expect(held.outcome).toBe("held");
    expect(held.message).toMatch(/shrank from 60 to 10/);
    expect((await t.content.memberFingerprints(query.uuid)).size).toBe(60);
    const forced = await t.refresh.refreshQuery(query.uuid, { trigger: "on_demand", force: true });
    expect(forced).toMatchObject({ outcome: "succeeded", removed: 50 });
    expect((await t.content.memberFingerprints(query.uuid)).size).toBe(10);
  });

  it("does not hold a shrink of exactly 80 %, nor one of a small query", async () => {
    const t = setup();
    const big = await catalogWithQuery(t);
    t.discovery.answer(FILTER, courses(100));
    await t.refresh.refreshQuery(big.uuid, { trigger: "on_demand" });
    t.discovery.answer(FILTER, courses(20));
    expect((await t.refresh.refreshQuery(big.uuid, { trigger: "on_demand" })).outcome).toBe("succeeded");

    const smallFilter = contentFilterFromValue({ content_type: "course", org: "HarvardX" });
    const small = await catalogWithQuery(t, smallFilter);
    t.discovery.answer(smallFilter, courses(50, "HarvardX+C"));
    await t.refresh.refreshQuery(small.uuid, { trigger: "on_demand" });
    t.discovery.answer(smallFilter, []);
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
