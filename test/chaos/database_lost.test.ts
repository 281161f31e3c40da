/**
 * The service while its PostgreSQL is stopped (connections refused) or frozen (processes stopped,
 * sockets open): reads and writes answer 503 problem+json with Retry-After within a bound, `/ready`
 * turns not-ready within its own timeout, `/health` stays up, and once the database is back the
 * API and the refresh worker serve again with no restart and no acknowledged write lost.
 *
 * The database is this file's own embedded PostgreSQL, never the shared test server. The service
 * runs with the default timeouts, so the times measured are the documented ones.
 */
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../adapters/config.ts";
import { LocalDiscoveryClient } from "../../adapters/discovery_local/local_discovery_client.ts";
import { contentFilterFromValue } from "../../src/catalog/content_filter.ts";
import { generateDiscoveryDatabase } from "../../tools/discovery_corpus/generate_database.ts";
import { DATABASE_RETRY_AFTER_SECONDS } from "../../adapters/http/problem.ts";
import { CLIENT_GRACE_MS } from "../../adapters/postgres/bounded_pool.ts";
import { type FaultyPostgres, startFaultyPostgres } from "../helpers/faulty_postgres.ts";
import { type PostgresTestService, startTestService, type TestResponse } from "../helpers/service.ts";

const A = "a94412c9-f91c-4d0d-87cb-1ca1c0d11457";
const DEFAULTS = loadConfig({}).databaseTimeouts;
/** The longest a request may wait on a frozen database: a connection, then one statement's answer. */
const REQUEST_BOUND_MS = DEFAULTS.connectMs + DEFAULTS.statementMs + CLIENT_GRACE_MS;

let postgres: FaultyPostgres;
let service: PostgresTestService;
let catalog: { uuid: string; runKey: string };
beforeAll(async () => {
  postgres = await startFaultyPostgres("database-outage");
  const discovery = new LocalDiscoveryClient({ database: generateDiscoveryDatabase({ courses: 20, seed: 23 }) });
  service = await startTestService({ databaseUrl: postgres.url, worker: true, discovery });
  const created = await createCatalog("Written before the outage");
  expect(created.status).toBe(201);
  const refreshed = await service.nextRefresh(created.body.catalog_query_uuid);
  expect(refreshed.outcome).toBe("succeeded");
  const { records } = await discovery.searchAll(contentFilterFromValue({ content_type: "courserun" }));
  const run = records[0];
  catalog = { uuid: created.body.uuid, runKey: String(run?.key) };
});
afterAll(async () => {
  await postgres?.thaw();
  await service?.stop();
  await postgres?.remove();
});

function createCatalog(title: string): Promise<TestResponse> {
  return service.call("createEnterpriseCatalog", "POST", "/api/v1/enterprise-catalogs/", {
    body: { title, enterprise_customer: A, content_filter: { content_type: ["course", "courserun"], outage: randomUUID() } },
  });
}

/** One request of each path to the database: the read pool (containment, listing) and the ORM (a list, a write). */
const databaseRequests = {
  contains: () => service.call("catalogContainsContentItems", "GET", `/api/v1/enterprise-catalogs/${catalog.uuid}/contains_content_items/?course_run_ids=${encodeURIComponent(catalog.runKey)}`),
  listing: () => service.call("getCatalogContentMetadata", "GET", `/api/v1/enterprise-catalogs/${catalog.uuid}/get_content_metadata/?page_size=5`),
  catalogs: () => service.call("listEnterpriseCatalogs", "GET", "/api/v1/enterprise-catalogs/"),
  write: () => createCatalog("Written during the outage"),
};

async function timed<T>(work: () => Promise<T>): Promise<{ result: T; ms: number }> {
  const started = performance.now();
  const result = await work();
  return { result, ms: Math.round(performance.now() - started) };
}

/** Every path at once, each answer with how long it took. */
async function askEveryPath() {
  const entries = await Promise.all(Object.entries(databaseRequests).map(async ([name, request]) => [name, await timed(request)] as const));
  return Object.fromEntries(entries);
}

function expectUnavailable(name: string, response: TestResponse): void {
  expect({ name, status: response.status, retryAfter: response.headers.get("retry-after"), type: response.headers.get("content-type") })
    .toEqual({ name, status: 503, retryAfter: String(DATABASE_RETRY_AFTER_SECONDS), type: "application/problem+json" });
  expect(response.body).toMatchObject({ status: 503, title: "Service Unavailable", type: "/problems/service-unavailable" });
  // Nothing of the cause: no error code, host, port or statement.
  expect(JSON.stringify(response.body)).not.toMatch(/ECONN|timeout|terminated|127\.0\.0\.1|postgres|select|57P01/i);
}

/** Everything answers again, the earlier write is there, and a new write's refresh runs on the worker. */
async function expectRecovered(): Promise<void> {
  await expect.poll(async () => (await service.call("getReady", "GET", "/ready", { anonymous: true })).status, { timeout: 10_000, interval: 100 }).toBe(200);
  const answers = await askEveryPath();
  expect(Object.fromEntries(Object.entries(answers).map(([name, { result }]) => [name, result.status])))
    .toEqual({ contains: 200, listing: 200, catalogs: 200, write: 201 });
  expect(answers.contains?.result.body).toEqual({ contains_content_items: true });
  const titles = (answers.catalogs?.result.body.results as { title: string }[]).map((entry) => entry.title);
  expect(titles).toContain("Written before the outage");
  const refreshed = await service.nextRefresh(answers.write?.result.body.catalog_query_uuid);
  expect(refreshed.outcome).toBe("succeeded");
}

describe("with PostgreSQL stopped", () => {
  it("answers every database path 503 with Retry-After at once, /ready 503 and /health 200, then recovers by itself", async () => {
    await postgres.stop();
    try {
      const answers = await askEveryPath();
      for (const [name, { result, ms }] of Object.entries(answers)) {
        expectUnavailable(name, result);
        expect(ms, name).toBeLessThan(1000);
      }
      const ready = await timed(() => service.call("getReady", "GET", "/ready", { anonymous: true }));
      expect(ready.result).toMatchObject({ status: 503, body: { status: "unavailable", checks: { database: "unreachable" } } });
      expect((await service.call("getHealth", "GET", "/health", { anonymous: true })).status).toBe(200);
      console.info(`refused: ${Object.entries(answers).map(([name, { ms }]) => `${name} ${ms} ms`).join(", ")}, /ready ${ready.ms} ms`);
    } finally {
      await postgres.start();
    }
    await expectRecovered();
  });
});

describe("with PostgreSQL frozen", () => {
  it("answers every database path 503 within the bound, turns /ready within its timeout, keeps /health, and serves at once after the thaw", async () => {
    // Idle connections in every pool, so that the freeze catches them mid-session: the read pool's
    // from a round of requests, the ORM's opened here (three: the write and the other ORM users).
    await askEveryPath();
    const ormPool = await service.runtime.orm.em.getConnection().getNativeClient();
    const warm = await Promise.all([1, 2, 3].map(() => ormPool.connect()));
    for (const connection of warm) connection.release();
    await postgres.freeze();
    try {
      // The write first, so that its transaction begins on an open connection (and times out there).
      const { write, ...reads } = databaseRequests;
      const writing = timed(write);
      await expect.poll(() => ormPool.idleCount, { timeout: 2000, interval: 5 }).toBe(2);
      const [written, answered, ready, health] = await Promise.all([
        writing,
        Promise.all(Object.entries(reads).map(async ([name, request]) => [name, await timed(request)] as const)),
        timed(() => service.call("getReady", "GET", "/ready", { anonymous: true })),
        timed(() => service.call("getHealth", "GET", "/health", { anonymous: true })),
      ]);
      const answers = { ...Object.fromEntries(answered), write: written };
      for (const [name, { result, ms }] of Object.entries(answers)) {
        expectUnavailable(name, result);
        expect(ms, name).toBeLessThan(REQUEST_BOUND_MS + 500);
      }
      expect(ready.result).toMatchObject({ status: 503, body: { checks: { database: "unreachable" } } });
      expect(ready.ms).toBeLessThan(DEFAULTS.readyMs + 500);
      expect(health.result.status).toBe(200);
      expect(health.ms).toBeLessThan(500);
      // The connections that timed out are gone (none back in the pool behind an answer that may
      // never come, none kept by a transaction whose begin failed), and nothing waits for one.
      await expect.poll(() => ({ total: ormPool.totalCount, waiting: ormPool.waitingCount }), { timeout: 2000, interval: 20 }).toEqual({ total: 0, waiting: 0 });
      console.info(`frozen: ${Object.entries(answers).map(([name, { ms }]) => `${name} ${ms} ms`).join(", ")}, /ready ${ready.ms} ms, /health ${health.ms} ms`);
    } finally {
      await postgres.thaw();
    }
    await expectRecovered();
  });
});
