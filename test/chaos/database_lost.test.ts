/**
 * Fault scenario 2, the database lost and back: under a light, steady load of reads and writes the
 * service's PostgreSQL stops for about 20 s, then returns; and, apart, it freezes (processes
 * stopped, sockets open). Meanwhile reads and writes answer 503 problem+json with Retry-After
 * within a bound (none hangs, none answers 500), `/ready` is not ready and `/health` stays up;
 * once the database is back the API, the refresh workers and the sweep serve again with no
 * restart, and every write that was acknowledged is there.
 *
 * The database is this file's own embedded PostgreSQL, never the shared test server. The service
 * runs with the default timeouts, so the times measured are the documented ones.
 */
import { randomUUID } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../adapters/config.ts";
import { LocalDiscoveryClient } from "../../adapters/discovery_local/local_discovery_client.ts";
import { contentFilterFromValue } from "../../src/catalog/content_filter.ts";
import type { DiscoveryClient } from "../../src/ports/discovery_client.ts";
import { generateDiscoveryDatabase } from "../../tools/discovery_corpus/generate_database.ts";
import { DATABASE_RETRY_AFTER_SECONDS } from "../../adapters/http/problem.ts";
import { SWEEP_QUEUE } from "../../adapters/pg_boss/pg_boss_refresh_scheduler.ts";
import { CLIENT_GRACE_MS } from "../../adapters/postgres/bounded_pool.ts";
import { type FaultyPostgres, startFaultyPostgres } from "../helpers/faulty_postgres.ts";
import { type PostgresTestService, startTestService, type TestResponse } from "../helpers/service.ts";

const A = "a94412c9-f91c-4d0d-87cb-1ca1c0d11457";
const DEFAULTS = loadConfig({}).databaseTimeouts;
/** The longest a request may wait on a frozen database: a connection, then one statement's answer. */
const REQUEST_BOUND_MS = DEFAULTS.connectMs + DEFAULTS.statementMs + CLIENT_GRACE_MS;
/** How long the database stays stopped under load. */
const OUTAGE_MS = 20_000;
/** One request every this many milliseconds, whatever the answers take (an open loop: 10 per second). */
const LOAD_INTERVAL_MS = 100;
/** A request still unanswered after this long counts as hung. */
const HUNG_MS = 15_000;
/** Filters of the catalogs written under load: real discovery fields, a few queries shared by many catalogs. */
const WRITE_FILTERS = [{ content_type: "course" }, { content_type: "courserun" }, { content_type: ["course", "courserun"], level_type: "Introductory" }] as const;
/** Filters no other write uses, one per write of `databaseRequests`: each of those writes makes a query of its own, whose refresh the recovery checks follow. */
const NEW_QUERY_FILTERS = [
  { content_type: "course", level_type: "Advanced" }, { content_type: "courserun", level_type: "Advanced" },
  { content_type: ["course", "courserun"], level_type: "Advanced" }, { content_type: "course", level_type: "Intermediate" },
  { content_type: "courserun", level_type: "Intermediate" }, { content_type: ["course", "courserun"], level_type: "Intermediate" },
] as const;
let newQueries = 0;

/** The local discovery, whose next search of a filter can be held until the test lets it go. */
function holdingDiscovery(local: LocalDiscoveryClient): DiscoveryClient & { holdNextSearch(filter: object): { arrived: Promise<void>; release(): void } } {
  let hold: { hash: string; arrive(): void; released: Promise<void> } | undefined;
  return {
    async searchAll(filter, options) {
      const held = hold?.hash === filter.hash ? hold : undefined;
      if (held !== undefined) {
        hold = undefined;
        held.arrive();
        await held.released;
      }
      return await local.searchAll(filter, options);
    },
    fetchCourses: (keys, options) => local.fetchCourses(keys, options),
    fetchPrograms: (uuids, options) => local.fetchPrograms(uuids, options),
    fetchCourseReviews: (options) => local.fetchCourseReviews(options),
    holdNextSearch(filter) {
      let arrive: () => void = () => {};
      let release: () => void = () => {};
      const arrived = new Promise<void>((resolve) => (arrive = resolve));
      hold = { hash: contentFilterFromValue(filter).hash, arrive, released: new Promise<void>((resolve) => (release = resolve)) };
      return { arrived, release };
    },
  };
}

let postgres: FaultyPostgres;
let service: PostgresTestService;
let catalog: { uuid: string; runKey: string };
let discovery: ReturnType<typeof holdingDiscovery>;
beforeAll(async () => {
  postgres = await startFaultyPostgres("database-outage");
  discovery = holdingDiscovery(new LocalDiscoveryClient({ database: generateDiscoveryDatabase({ courses: 20, seed: 23 }) }));
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

function createCatalog(title: string, options: { uuid?: string; contentFilter?: object } = {}): Promise<TestResponse> {
  return service.call("createEnterpriseCatalog", "POST", "/api/v1/enterprise-catalogs/", {
    body: { title, enterprise_customer: A, content_filter: options.contentFilter ?? { content_type: ["course", "courserun"] }, ...(options.uuid === undefined ? {} : { uuid: options.uuid }) },
  });
}

/** One request of each path to the database: the read pool (containment, listing) and the ORM (a list, a write). */
const databaseRequests = {
  contains: () => service.call("catalogContainsContentItems", "GET", `/api/v1/enterprise-catalogs/${catalog.uuid}/contains_content_items/?course_run_ids=${encodeURIComponent(catalog.runKey)}`),
  listing: () => service.call("getCatalogContentMetadata", "GET", `/api/v1/enterprise-catalogs/${catalog.uuid}/get_content_metadata/?page_size=5`),
  catalogs: () => service.call("listEnterpriseCatalogs", "GET", "/api/v1/enterprise-catalogs/"),
  write: () => createCatalog("Written during the outage", { contentFilter: NEW_QUERY_FILTERS[newQueries++ % NEW_QUERY_FILTERS.length] }),
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

/** One request of the load, as the client saw it. */
interface LoadAnswer {
  readonly kind: string;
  /** `performance.now()` when it was sent. */
  readonly sentAt: number;
  readonly ms: number;
  /** 0 when it hung or the connection failed. */
  readonly status: number;
  readonly response?: TestResponse;
  readonly uuid?: string;
  readonly error?: string;
}

/** The load's mix: every database path, the probes, and a write (a new catalog with a uuid of the client's) in every five. */
const LOAD_MIX = ["contains", "write", "listing", "ready", "catalogs", "contains", "write", "listing", "health", "catalogs"] as const;

/** Sends one request of the load; never throws. */
async function loadRequest(kind: (typeof LOAD_MIX)[number], n: number): Promise<LoadAnswer> {
  const sentAt = performance.now();
  const uuid = kind === "write" ? randomUUID() : undefined;
  const send = (): Promise<TestResponse> => {
    if (kind === "ready") return service.call("getReady", "GET", "/ready", { anonymous: true });
    if (kind === "health") return service.call("getHealth", "GET", "/health", { anonymous: true });
    if (kind === "write") return createCatalog(`Written under load ${n}`, { uuid, contentFilter: WRITE_FILTERS[n % WRITE_FILTERS.length] });
    return databaseRequests[kind]();
  };
  let timer: NodeJS.Timeout | undefined;
  const hung = new Promise<never>((_resolve, reject) => (timer = setTimeout(() => reject(new Error("hung")), HUNG_MS)));
  try {
    const response = await Promise.race([send(), hung]);
    return { kind, sentAt, ms: Math.round(performance.now() - sentAt), status: response.status, response, uuid };
  } catch (error) {
    return { kind, sentAt, ms: Math.round(performance.now() - sentAt), status: 0, uuid, error: error instanceof Error ? error.message : String(error) };
  } finally {
    clearTimeout(timer);
  }
}

/** Sends the load's requests one every `LOAD_INTERVAL_MS` until `stop` resolves; resolves with every answer. */
async function steadyLoad(stop: Promise<void>): Promise<LoadAnswer[]> {
  const pending: Promise<LoadAnswer>[] = [];
  let stopped = false;
  void stop.then(() => (stopped = true));
  for (let n = 0; !stopped; n++) {
    pending.push(loadRequest(LOAD_MIX[n % LOAD_MIX.length]!, n));
    await new Promise((resolve) => setTimeout(resolve, LOAD_INTERVAL_MS));
  }
  return await Promise.all(pending);
}

describe("with PostgreSQL stopped for 20 s under load", () => {
  it("answers 503 with Retry-After at once, keeps /health, loses no acknowledged write, and recovers API, workers and sweep by itself", { timeout: 120_000 }, async () => {
    let endLoad: () => void = () => {};
    const loadEnded = new Promise<void>((resolve) => (endLoad = resolve));
    const load = steadyLoad(loadEnded);
    // A refresh that is running, held in its search, as the database goes away.
    const held = discovery.holdNextSearch({ content_type: "program" });
    const inFlight = await createCatalog("Refreshing as the database goes", { contentFilter: { content_type: "program" } });
    expect(inFlight.status).toBe(201);
    await held.arrived;
    await new Promise((resolve) => setTimeout(resolve, 2000));
    const stopping = performance.now();
    await postgres.stop();
    const down = performance.now();
    held.release();
    await new Promise((resolve) => setTimeout(resolve, OUTAGE_MS - (down - stopping)));
    const starting = performance.now();
    await postgres.start();
    const up = performance.now();
    // Back: the first /ready 200, then the load goes on for a while.
    await expect.poll(async () => (await service.call("getReady", "GET", "/ready", { anonymous: true })).status, { timeout: 30_000, interval: 50 }).toBe(200);
    const readyAgain = performance.now();
    await new Promise((resolve) => setTimeout(resolve, 8000));
    endLoad();
    const answers = await load;

    const during = answers.filter((answer) => answer.sentAt >= down && answer.sentAt + answer.ms <= starting);
    const after = answers.filter((answer) => answer.sentAt >= readyAgain + 1000);
    const databaseKinds = new Set(["contains", "listing", "catalogs", "write", "ready"]);
    // No request hung or broke its connection; every answer is one of the three the contract allows here.
    expect(answers.filter((answer) => answer.status === 0).map((answer) => `${answer.kind}: ${answer.error}`)).toEqual([]);
    expect(answers.filter((answer) => ![200, 201, 503].includes(answer.status)).map((answer) => `${answer.kind}: ${answer.status}`)).toEqual([]);
    // While it was down: every database path 503 at once, /health 200.
    expect(during.length).toBeGreaterThan(100);
    for (const answer of during) {
      if (answer.kind === "health") {
        expect(answer.status).toBe(200);
        continue;
      }
      if (answer.kind === "ready") {
        expect(answer.response?.body).toMatchObject({ status: "unavailable", checks: { database: "unreachable" } });
        continue;
      }
      expectUnavailable(answer.kind, answer.response!);
    }
    const unavailable = answers.filter((answer) => answer.status === 503 && answer.kind !== "ready");
    const slowest503 = Math.max(...unavailable.map((answer) => answer.ms));
    expect(slowest503).toBeLessThan(REQUEST_BOUND_MS + 500);
    expect(answers.filter((answer) => answer.kind === "health").every((answer) => answer.status === 200)).toBe(true);
    // Once back: everything answers as before, with no restart.
    expect(after.filter((answer) => databaseKinds.has(answer.kind) && answer.status >= 500).map((answer) => `${answer.kind}: ${answer.status}`)).toEqual([]);

    // The refresh cut off by the outage is retried and completes: no job is left active.
    const client = new pg.Client({ connectionString: postgres.url });
    await client.connect();
    const inFlightJob = async () => (await client.query<{ state: string; retry_count: number }>(
      "select state, retry_count from pgboss.job where name = 'catalog-query-refresh' and data->>'queryUuid' = $1", [inFlight.body.catalog_query_uuid],
    )).rows;
    await expect.poll(inFlightJob, { timeout: 90_000, interval: 250 }).toMatchObject([{ state: "completed" }]);
    const inFlightCompletedAfterMs = Math.round(performance.now() - up);
    const [cutOff] = await inFlightJob();
    expect(cutOff?.retry_count).toBeGreaterThanOrEqual(1);
    expect(inFlightCompletedAfterMs, "the cut-off refresh completed within a minute of the database's return").toBeLessThan(60_000);

    // Every acknowledged write is there; a write that answered 503 may or may not be.
    const acknowledged = answers.filter((answer) => answer.kind === "write" && answer.status === 201).map((answer) => answer.uuid!);
    const refused = answers.filter((answer) => answer.kind === "write" && answer.status === 503).map((answer) => answer.uuid!);
    let stored: Set<string>;
    try {
      stored = new Set((await client.query<{ uuid: string }>("select uuid::text as uuid from enterprise_catalog")).rows.map((row) => row.uuid));
    } finally {
      await client.end();
    }
    expect(acknowledged.filter((uuid) => !stored.has(uuid))).toEqual([]);
    expect(acknowledged.length).toBeGreaterThan(10);

    // The workers and the sweep run again: a refresh queued now completes, and so does a sweep.
    await expectRecovered();
    const sweep = await service.runtime.boss.send(SWEEP_QUEUE, {});
    expect(sweep).not.toBeNull();
    await expect.poll(async () => (await service.runtime.boss.findJobs(SWEEP_QUEUE, { id: sweep! }))[0]?.state, { timeout: 30_000, interval: 100 }).toBe("completed");

    const ms = (from: number, to: number) => Math.round(to - from);
    console.info(JSON.stringify({
      scenario: "database_lost",
      outageMs: ms(stopping, up),
      requests: answers.length,
      duringOutage: during.length,
      status: Object.fromEntries(Object.entries(Object.groupBy(answers, (answer) => String(answer.status))).map(([status, list]) => [status, list?.length ?? 0])),
      slowest503Ms: slowest503,
      median503Ms: unavailable.map((answer) => answer.ms).sort((a, b) => a - b)[Math.floor(unavailable.length / 2)],
      writes: { acknowledged: acknowledged.length, acknowledgedLost: acknowledged.filter((uuid) => !stored.has(uuid)).length, refused: refused.length, refusedButStored: refused.filter((uuid) => stored.has(uuid)).length },
      readyAfterStartMs: ms(up, readyAgain),
      cutOffRefresh: { completedAfterStartMs: inFlightCompletedAfterMs, retries: cutOff?.retry_count },
      startMs: ms(starting, up),
    }));
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
      console.info(JSON.stringify({ scenario: "database_frozen", answeredMs: Object.fromEntries(Object.entries(answers).map(([name, { ms }]) => [name, ms])), readyMs: ready.ms, healthMs: health.ms }));
    } finally {
      await postgres.thaw();
    }
    await expectRecovered();
  });
});
