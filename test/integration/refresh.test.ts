import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pino } from "pino";
import { loadConfig } from "../../adapters/config.ts";
import { openRuntime } from "../../adapters/composition.ts";
import type { RefreshJobEvent } from "../../adapters/refresh_jobs.ts";
import { startWorkers } from "../../adapters/server.ts";
import { contentFilterFromValue } from "../../src/catalog/content_filter.ts";
import type { JsonObject } from "../../src/json.ts";
import { course, courseRun, ScriptedDiscovery } from "../helpers/scripted_discovery.ts";
import { type PostgresTestService, startTestService } from "../helpers/service.ts";

const CUSTOMER = "a94412c9-f91c-4d0d-87cb-1ca1c0d11457";
const discovery = new ScriptedDiscovery();
let service: PostgresTestService;

beforeAll(async () => {
  service = await startTestService({ discovery, worker: true });
});
afterAll(async () => {
  await service?.stop();
});

function records(prefix: string, count: number): JsonObject[] {
  return Array.from({ length: count }, (_, i) => [course(`${prefix}+C${i}`), courseRun(`${prefix}+C${i}`, "1T2026")]).flat();
}

async function createCatalog(filter: JsonObject, customer = CUSTOMER) {
  const response = await service.call("createEnterpriseCatalog", "POST", "/api/v1/enterprise-catalogs/", {
    body: { title: "Catalog", enterprise_customer: customer, content_filter: filter },
  });
  expect(response.status).toBe(201);
  return response.body as { uuid: string; catalog_query_uuid: string };
}

async function memberKeys(queryUuid: string): Promise<string[]> {
  const rows = await service.runtime.orm.em.getConnection().execute<{ content_key: string }[]>(
    "select content_key from query_content where query_uuid = ? order by content_key", [queryUuid]);
  return rows.map((row) => row.content_key);
}

describe("refresh through pg-boss", () => {
  it("makes a new catalog's content appear without any manual step", async () => {
    const filter = { content_type: ["course", "courserun"], org: "AppearX" };
    discovery.answer(contentFilterFromValue(filter), records("AppearX", 5));
    const catalog = await createCatalog(filter);
    const event = await service.nextRefresh(catalog.catalog_query_uuid);
    expect(event.outcome).toBe("succeeded");
    expect(await memberKeys(catalog.catalog_query_uuid)).toHaveLength(10);
    const read = await service.call("getEnterpriseCatalog", "GET", `/api/v1/enterprise-catalogs/${catalog.uuid}/`);
    expect(read.body.content_last_refreshed).not.toBeNull();
    const query = await service.call("getCatalogQuery", "GET", `/api/v1/catalog-queries/${catalog.catalog_query_uuid}/`);
    expect(query.body).toMatchObject({ item_count: 10, last_refresh_outcome: "succeeded" });
    // One search page, one /courses batch for the five courses, the review table.
    expect(query.body.last_runs[0]).toMatchObject({ outcome: "succeeded", added: 10, trigger: "catalog_saved", discovery_requests: 3 });
  });

  it("keeps the previous content exactly and records a failed run when discovery fails", async () => {
    const filter = contentFilterFromValue({ content_type: ["course", "courserun"], org: "FailX" });
    discovery.answer(filter, records("FailX", 4));
    const catalog = await createCatalog(filter.value);
    await service.nextRefresh(catalog.catalog_query_uuid);
    const before = await memberKeys(catalog.catalog_query_uuid);
    expect(before).toHaveLength(8);

    discovery.fail(filter);
    const response = await service.call("refreshEnterpriseCatalogMetadata", "POST", `/api/v1/enterprise-catalogs/${catalog.uuid}/refresh_metadata`);
    expect(response.status).toBe(200);
    expect(response.body.async_task_id).toEqual(expect.any(String));
    const event = await service.nextRefresh(catalog.catalog_query_uuid);
    expect(event.outcome).toBe("error");
    // Only this job failed, and pg-boss holds it for a retry with backoff.
    await expect.poll(async () => (await service.runtime.boss.getJobById("catalog-query-refresh", response.body.async_task_id))?.state).toBe("retry");
    expect(await memberKeys(catalog.catalog_query_uuid)).toEqual(before);
    const query = await service.call("getCatalogQuery", "GET", `/api/v1/catalog-queries/${catalog.catalog_query_uuid}/`);
    expect(query.body.last_runs[0]).toMatchObject({ outcome: "failed", trigger: "on_demand" });
    expect(query.body.item_count).toBe(8);
    discovery.fail(filter, false);
  });

  it("answers refresh_metadata with 404 for an unknown catalog", async () => {
    const response = await service.call("refreshEnterpriseCatalogMetadata", "POST", `/api/v1/enterprise-catalogs/${randomUUID()}/refresh_metadata/`);
    expect(response.status).toBe(404);
  });
});

describe("one fetch per distinct filter", () => {
  it("queues one job for catalogs that share a filter, and two worker processes never fetch one filter at once", async () => {
    const config = loadConfig({ DATABASE_URL: service.runtime.database.url, LOG_LEVEL: "silent" });
    const other = await openRuntime(config, { role: "worker", logger: pino({ level: "silent" }), discovery });
    try {
      const filter = contentFilterFromValue({ content_type: ["course", "courserun"], org: "SharedX" });
      discovery.answer(filter, records("SharedX", 3)).delay(300);
      const a = await createCatalog(filter.value);
      const b = await createCatalog({ org: "SharedX", content_type: ["course", "courserun"] }, randomUUID());
      expect(b.catalog_query_uuid).toBe(a.catalog_query_uuid);
      await service.nextRefresh(a.catalog_query_uuid);

      const finished: RefreshJobEvent[] = [];
      await startWorkers(other, { pollingIntervalSeconds: 0.5, onRefreshJob: (event) => finished.push(event) });
      const fetchesBefore = discovery.calls.get(filter.hash) ?? 0;
      const ids = new Set<string>();
      for (let i = 0; i < 6; i++) {
        const catalog = i % 2 === 0 ? a : b;
        const response = await service.call("refreshEnterpriseCatalogMetadata", "POST", `/api/v1/enterprise-catalogs/${catalog.uuid}/refresh_metadata/`);
        ids.add(response.body.async_task_id);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      // Stately queue: at most one job waits and one runs per filter, whichever process runs it.
      await expect.poll(async () => (await service.runtime.boss.findJobs("catalog-query-refresh", { key: filter.hash, queued: true })).length, { timeout: 15_000 }).toBe(0);
      await expect.poll(async () => (await service.runtime.boss.getQueue("catalog-query-refresh"))?.activeCount ?? 0, { timeout: 15_000 }).toBe(0);
      expect(discovery.maxConcurrentPerFilter).toBe(1);
      expect((discovery.calls.get(filter.hash) ?? 0) - fetchesBefore).toBeLessThanOrEqual(ids.size);
      expect(ids.size).toBeLessThan(6);
    } finally {
      discovery.delay(0);
      await other.close({ graceful: true, timeoutMs: 5000 });
    }
  });

  it("the sweep queues every query in use that has never been refreshed, once per filter", async () => {
    const swept = await service.runtime.withServices(({ refresh }) => refresh.sweepStale());
    expect(swept.queriesInUse).toBeGreaterThan(0);
    const unique = new Set(swept.queued.map((job) => job.queryUuid));
    expect(unique.size).toBe(swept.queued.length);
  });
});
