/**
 * Two serving processes on one database, each with its containment read model (decision 0018):
 * a refresh, a catalog moved to another customer and a catalog deleted on one are answered new by
 * the other at once (the first question after the write is acknowledged), and its model serves the
 * new state from memory.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { contentFilterFromValue } from "../../src/catalog/content_filter.ts";
import type { CatalogScope } from "../../src/ports/content_reader.ts";
import type { JsonObject } from "../../src/json.ts";
import { course, courseRun, ScriptedDiscovery } from "../helpers/scripted_discovery.ts";
import { type PostgresTestService, startTestService } from "../helpers/service.ts";

const FIRST = "5d7e3c61-8f3a-4d51-9a4c-0c7b0a6f1e01";
const SECOND = "5d7e3c61-8f3a-4d51-9a4c-0c7b0a6f1e02";
const FILTER = { content_type: ["course", "courserun"], org: "TwoX" };
const discovery = new ScriptedDiscovery();
let writer: PostgresTestService;
let other: PostgresTestService;

beforeAll(async () => {
  writer = await startTestService({ discovery, worker: true });
  other = await startTestService({ discovery, databaseUrl: writer.runtime.database.url });
});
afterAll(async () => {
  await other?.stop();
  await writer?.stop();
});

function content(...courses: string[]): JsonObject[] {
  return courses.flatMap((key) => [course(key), courseRun(key, "1T2026")]);
}

/** The other process's model, which must exist for the test to mean anything. */
function model() {
  const held = other.runtime.readModel;
  if (held === undefined) throw new Error("The serving process holds no read model");
  return held;
}

async function catalogContains(service: PostgresTestService, catalog: string, key: string, customer: string) {
  const headers = { authorization: await service.authorization({ roles: [`enterprise_learner:${customer}`] }) };
  return await service.call("catalogContainsContentItems", "GET",
    `/api/v1/enterprise-catalogs/${catalog}/contains_content_items/?course_run_ids=${encodeURIComponent(key)}`, { headers });
}

async function customerContains(service: PostgresTestService, customer: string, key: string) {
  const headers = { authorization: await service.authorization({ roles: [`enterprise_learner:${customer}`] }) };
  return await service.call("customerContainsContentItems", "GET",
    `/api/v1/enterprise-customer/${customer}/contains_content_items/?course_run_ids=${encodeURIComponent(key)}&get_catalog_list=true`, { headers });
}

/** Loads what the scope needs into the other process's model, then runs `ask` and checks that the model answered it. */
async function fromMemory<T>(scope: CatalogScope, ask: () => Promise<T>): Promise<T> {
  expect(await model().prepare(scope)).toBe(true);
  const before = model().stats();
  const answer = await ask();
  const after = model().stats();
  expect(after.misses).toBe(before.misses);
  expect(after.hits).toBeGreaterThan(before.hits);
  return answer;
}

describe("the read model on two serving processes", () => {
  let catalog: string;
  let query: string;

  it("answers a catalog refreshed on the other process", async () => {
    discovery.answer(contentFilterFromValue(FILTER), content("TwoX+Old"));
    const created = await writer.call("createEnterpriseCatalog", "POST", "/api/v1/enterprise-catalogs/", {
      body: { title: "Two", enterprise_customer: FIRST, content_filter: FILTER },
    });
    expect(created.status).toBe(201);
    catalog = created.body.uuid;
    query = created.body.catalog_query_uuid;
    expect((await writer.nextRefresh(query)).outcome).toBe("succeeded");

    const old = await fromMemory({ catalogUuids: [catalog] }, () => catalogContains(other, catalog, "course-v1:TwoX+Old+1T2026", FIRST));
    expect(old.body).toEqual({ contains_content_items: true });

    discovery.answer(contentFilterFromValue(FILTER), content("TwoX+New"));
    const refresh = await writer.call("refreshEnterpriseCatalogMetadata", "POST", `/api/v1/enterprise-catalogs/${catalog}/refresh_metadata/`);
    expect(refresh.status).toBe(200);
    expect((await writer.nextRefresh(query)).outcome).toBe("succeeded");

    // The first question after the refresh committed already sees it, whoever answers it ...
    expect((await catalogContains(other, catalog, "TwoX+New", FIRST)).body).toEqual({ contains_content_items: true });
    expect((await catalogContains(other, catalog, "TwoX+Old", FIRST)).body).toEqual({ contains_content_items: false });
    // ... and the model, reloaded, serves the new content from memory.
    const fresh = await fromMemory({ catalogUuids: [catalog] }, () => catalogContains(other, catalog, "course-v1:TwoX+New+1T2026", FIRST));
    expect(fresh.body).toEqual({ contains_content_items: true });
    const gone = await fromMemory({ catalogUuids: [catalog] }, () => catalogContains(other, catalog, "TwoX+Old", FIRST));
    expect(gone.body).toEqual({ contains_content_items: false });
  });

  it("refuses a catalog moved to another customer on the other process at once", async () => {
    const before = await fromMemory({ customerUuid: FIRST }, () => customerContains(other, FIRST, "TwoX+New"));
    expect(before.body).toMatchObject({ contains_content_items: true, catalog_list: [catalog] });

    const moved = await writer.call("updateEnterpriseCatalog", "PATCH", `/api/v1/enterprise-catalogs/${catalog}/`, {
      body: { enterprise_customer: SECOND },
    });
    expect(moved.status).toBe(200);

    expect((await catalogContains(other, catalog, "TwoX+New", FIRST)).status).toBeGreaterThanOrEqual(403);
    expect((await customerContains(other, FIRST, "TwoX+New")).body).toMatchObject({ contains_content_items: false });
    const now = await fromMemory({ customerUuid: SECOND }, () => customerContains(other, SECOND, "TwoX+New"));
    expect(now.body).toMatchObject({ contains_content_items: true, catalog_list: [catalog] });
    const refused = await fromMemory({ catalogUuids: [catalog], customerUuid: FIRST }, () => catalogContains(other, catalog, "TwoX+New", FIRST));
    expect([403, 404]).toContain(refused.status);
    expect((await catalogContains(other, catalog, "TwoX+New", SECOND)).body).toEqual({ contains_content_items: true });
  });

  it("answers a catalog deleted on the other process as missing at once", async () => {
    const deleted = await writer.call("deleteEnterpriseCatalog", "DELETE", `/api/v1/enterprise-catalogs/${catalog}/`);
    expect(deleted.status).toBe(204);

    expect((await catalogContains(other, catalog, "TwoX+New", SECOND)).status).toBe(404);
    const empty = await fromMemory({ customerUuid: SECOND }, () => customerContains(other, SECOND, "TwoX+New"));
    expect(empty.body).toMatchObject({ contains_content_items: false });
  });
});
