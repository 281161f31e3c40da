/**
 * Fault scenario 1, kill -9 mid-refresh: a large refresh (about 14,000 items, discovery over HTTP)
 * whose process is killed with SIGKILL, first the serving process while the search is half walked,
 * then a separate worker while it writes the content (inside the apply transaction). After each
 * kill the query's content is exactly the version before, byte for byte, with no row added or
 * changed; once a worker is back pg-boss hands the same job out again within a minute (the dead
 * worker's heartbeat stops, a supervisor fails the job, it is retried), it applies exactly the new
 * version, and no job is left active. Real processes, real pg-boss settings.
 */
import { randomBytes } from "node:crypto";
import { createServer, type Server, type ServerResponse } from "node:http";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LocalDiscoveryClient } from "../../adapters/discovery_local/local_discovery_client.ts";
import type { DiscoveryDatabase } from "../../adapters/discovery_local/discovery_database.ts";
import { createLocalDiscoveryServer, type LocalDiscoveryServer } from "../../adapters/discovery_local/local_discovery_server.ts";
import { mintToken } from "../../adapters/http/jwt.ts";
import { contentFilterFromValue } from "../../src/catalog/content_filter.ts";
import { isAllowedContent } from "../../src/refresh/content_policy.ts";
import { generateDiscoveryDatabase } from "../../tools/discovery_corpus/generate_database.ts";
import { type CatalogProcess, startCatalogProcess } from "../helpers/catalog_process.ts";
import { createTestDatabase, type TestDatabase } from "../helpers/database.ts";
import { runCatalog } from "../helpers/run_catalog.ts";

const SECRET = randomBytes(32).toString("base64url");
const A = "a94412c9-f91c-4d0d-87cb-1ca1c0d11457";
/** The promise under test: a worker that is back resumes an interrupted refresh within this time. */
const RESUME_WITHIN_MS = 60_000;
/** Courses of the generated discovery: their runs are about 14,000 items for the filter below. */
const COURSES = 4800;
/** Runs need no full records from discovery, so the refresh's time goes to the search and the apply. */
const FILTER = { content_type: "courserun" } as const;

/** Discovery over HTTP, answering from the current version's database; searches past `holdAfter` wait unanswered. */
interface VersionedDiscovery {
  readonly url: string;
  version: LocalDiscoveryServer;
  /** Lets this many more searches through, then holds every later one; undefined: holds none (and releases the held). */
  holdAfter(searches: number | undefined): void;
  /** Resolves when a search is held. */
  nextHeld(): Promise<void>;
  /** Searches answered since the last `holdAfter`. */
  readonly searchesAnswered: number;
  /** The most requests it ever had in flight at once. */
  readonly maxInFlight: number;
  close(): Promise<void>;
}

async function versionedDiscovery(version: LocalDiscoveryServer): Promise<VersionedDiscovery> {
  const state = { version, allowed: undefined as number | undefined, answered: 0, inFlight: 0, maxInFlight: 0 };
  let heldArrivals: (() => void)[] = [];
  const waiting = new Set<() => void>();
  const answer = async (url: URL, method: string, body: Buffer, response: ServerResponse) => {
    const request = new Request(url, { method, body: method === "GET" ? null : body, headers: { "content-type": "application/json" } });
    const answered = await state.version.handle(request);
    response.writeHead(answered.status, Object.fromEntries(answered.headers));
    response.end(Buffer.from(await answered.arrayBuffer()));
  };
  const server: Server = createServer((request, response) => {
    state.inFlight++;
    state.maxInFlight = Math.max(state.maxInFlight, state.inFlight);
    response.once("close", () => state.inFlight--);
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      const url = new URL(request.url ?? "/", "http://discovery.test");
      const send = () => void answer(url, request.method ?? "GET", Buffer.concat(chunks), response);
      if (!url.pathname.endsWith("/search/all/")) return send();
      if (state.allowed !== undefined && state.answered >= state.allowed) {
        const release = () => {
          waiting.delete(release);
          send();
        };
        waiting.add(release);
        for (const arrived of heldArrivals.splice(0)) arrived();
        return;
      }
      state.answered++;
      send();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  const port = typeof address === "object" && address !== null ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    get version() {
      return state.version;
    },
    set version(next) {
      state.version = next;
    },
    holdAfter(searches) {
      state.allowed = searches;
      state.answered = 0;
      if (searches === undefined) for (const release of [...waiting]) release();
    },
    nextHeld: () => new Promise((resolve) => heldArrivals.push(resolve)),
    get searchesAnswered() {
      return state.answered;
    },
    get maxInFlight() {
      return state.maxInFlight;
    },
    close: () => new Promise<void>((resolve) => {
      heldArrivals = [];
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

let testDatabase: TestDatabase;
let discovery: VersionedDiscovery;
let client: pg.Client;
const processes: CatalogProcess[] = [];

const database = generateDiscoveryDatabase({ courses: COURSES, seed: 11 });
const [first, , ...rest] = database.courses;
/** Version 1: all but the last course. */
const V1 = version({ ...database, courses: database.courses.slice(0, -1) });
/** Version 2, a small upstream change: one title changed, one course gone, one new. */
const V2 = version({ ...database, courses: [{ ...first!, title: `Renamed ${first!.title}` }, ...rest] });
/** Version 3, a change of every record: each run's title changed, so the apply rewrites every row. */
const V3 = version({
  ...database,
  courses: [first!, ...rest].map((course) => ({ ...course, course_runs: course.course_runs.map((run) => ({ ...run, title_override: `${course.title} (2027 edition)` })) })),
});

function version(served: DiscoveryDatabase): LocalDiscoveryServer {
  return createLocalDiscoveryServer({ database: served });
}

beforeAll(async () => {
  testDatabase = await createTestDatabase();
  discovery = await versionedDiscovery(V1);
  client = new pg.Client({ connectionString: testDatabase.url });
  await client.connect();
});
afterAll(async () => {
  for (const running of processes) running.kill();
  await client?.end();
  await discovery?.close();
  await testDatabase?.drop();
});

/** The query's content as key → title. */
async function content(queryUuid: string): Promise<Record<string, string>> {
  const rows = await client.query<{ content_key: string; title: string }>(
    `select qc.content_key, cm.json_metadata->>'title' as title
       from query_content qc join content_metadata cm on cm.content_key = qc.content_key
      where qc.query_uuid = $1 order by qc.content_key collate "C"`,
    [queryUuid],
  );
  return Object.fromEntries(rows.rows.map((row) => [row.content_key, row.title]));
}

/** What `content` shows for a version: the records the catalog may hold, by key. */
async function expected(served: LocalDiscoveryServer): Promise<Record<string, string>> {
  const { records } = await new LocalDiscoveryClient({ server: served }).searchAll(contentFilterFromValue(FILTER));
  const entries = records.filter(isAllowedContent).map((record) => [String(record.key), String(record.title)] as const);
  return Object.fromEntries(entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** Row count and checksum of every content table and the query row: equal means not one row was written. */
async function contentState(): Promise<Record<string, string>> {
  const state: Record<string, string> = {};
  for (const table of ["content_metadata", "query_content", "query_restricted_run", "catalog_query", "refresh_run"]) {
    const row = (await client.query<{ n: string; sum: string | null }>(`select count(*) as n, md5(string_agg(t::text, '|' order by t::text)) as sum from ${table} t`)).rows[0];
    state[table] = `${row?.n}:${row?.sum}`;
  }
  return state;
}

/** Rows that break the store's shape: duplicates, memberships without content, a stale item count. */
async function brokenRows(queryUuid: string): Promise<Record<string, number>> {
  const count = async (sql: string) => Number((await client.query<{ n: string }>(sql, [queryUuid])).rows[0]?.n);
  return {
    duplicateMembers: await count("select count(*) - count(distinct content_key) as n from query_content where query_uuid = $1"),
    membersWithoutContent: await count(
      "select count(*) as n from query_content qc where qc.query_uuid = $1 and not exists (select 1 from content_metadata cm where cm.content_key = qc.content_key)",
    ),
    wrongItemCount: await count("select abs(item_count - (select count(*) from query_content where query_uuid = $1)) as n from catalog_query where uuid = $1"),
    unpositionedListed: await count("select count(*) as n from query_content where query_uuid = $1 and listed and position is null"),
  };
}

async function job(id: string): Promise<{ state: string; retry_count: number } | undefined> {
  return (await client.query<{ state: string; retry_count: number }>("select state, retry_count from pgboss.job where id = $1", [id])).rows[0];
}

async function activeJobs(): Promise<number> {
  return Number((await client.query<{ n: string }>("select count(*) as n from pgboss.job where state = 'active'")).rows[0]?.n);
}

async function outcomes(queryUuid: string): Promise<string[]> {
  return (await client.query<{ outcome: string }>("select outcome from refresh_run where query_uuid = $1 order by started_at", [queryUuid])).rows.map((row) => row.outcome);
}

/** The backend applying a refresh of the query: it holds the query's refresh lock and has written (has a transaction id). */
async function applyingBackend(queryUuid: string): Promise<number | undefined> {
  const rows = await client.query<{ pid: number }>(
    `select l.pid from pg_locks l
       join pg_stat_activity a on a.pid = l.pid,
       (select hashtextextended($1, 0) as h) k
      where l.locktype = 'advisory' and l.granted and l.objsubid = 1
        and l.classid = ((k.h >> 32) & 4294967295)::oid and l.objid = (k.h & 4294967295)::oid
        and a.backend_xid is not null`,
    [`enterprise-catalog:refresh:${queryUuid.toLowerCase()}`],
  );
  return rows.rows[0]?.pid;
}

/** Starts a `catalog worker`; resolves when it runs and the moment it did. */
async function startWorker(env: Record<string, string>): Promise<{ worker: CatalogProcess; backAt: number }> {
  const worker = startCatalogProcess(["worker"], env, (message) => message === "refresh worker running");
  processes.push(worker);
  await worker.ready;
  return { worker, backAt: performance.now() };
}

/** How a killed job came back, in milliseconds from `since`: failed by the supervisor (heartbeat lapsed), started again, completed. */
interface Resumption {
  readonly failedAfterMs: number | undefined;
  /** How long pg-boss's retry delay held it back. */
  readonly retryDelayMs: number | undefined;
  readonly restartedAfterMs: number;
  readonly completedAfterMs: number;
}

/** Follows the job until it ran again and completed. */
async function resumption(jobId: string, since: number): Promise<Resumption> {
  let failedAfterMs: number | undefined;
  let retryDelayMs: number | undefined;
  let restartedAfterMs: number | undefined;
  while (performance.now() - since < RESUME_WITHIN_MS + 90_000) {
    const current = (await client.query<{ state: string; retry_count: number; delay_ms: number }>(
      "select state, retry_count, (extract(epoch from start_after - now()) * 1000)::int as delay_ms from pgboss.job where id = $1",
      [jobId],
    )).rows[0];
    const elapsed = Math.round(performance.now() - since);
    if (current?.state === "retry" && failedAfterMs === undefined) {
      failedAfterMs = elapsed;
      retryDelayMs = current.delay_ms;
    }
    if (current !== undefined && current.retry_count >= 1 && current.state !== "retry") restartedAfterMs ??= elapsed;
    if (current?.state === "completed") return { failedAfterMs, retryDelayMs, restartedAfterMs: restartedAfterMs ?? elapsed, completedAfterMs: elapsed };
    if (current?.state === "failed") throw new Error(`Job "${jobId}" failed`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`Job "${jobId}" did not complete within ${RESUME_WITHIN_MS + 90_000} ms`);
}

describe("a large refresh whose process is killed with SIGKILL", () => {
  it("leaves the previous content exactly, mid-search and mid-apply, and a worker that is back completes the same job within a minute", { timeout: 290_000 }, async () => {
    // The hourly sweep also deletes content no query holds, which would change the tables this test
    // compares across a kill: here it runs only at New Year.
    const env = {
      DATABASE_URL: testDatabase.url, JWT_SECRET_KEY: SECRET, DISCOVERY_URL: discovery.url, PORT: "0", HOST: "127.0.0.1", LOG_LEVEL: "info",
      CATALOG_SWEEP_CRON: "0 0 1 1 *",
    };
    const serving = startCatalogProcess(["serve"], { ...env, CATALOG_IN_PROCESS_WORKER: "true" }, (message) => message.startsWith("listening on"));
    processes.push(serving);
    const port = Number((await serving.ready).port);
    const api = `http://127.0.0.1:${port}/api/v1/enterprise-catalogs/`;
    const headers = { authorization: `JWT ${await mintToken({ secretKey: SECRET, issuer: undefined, audience: undefined }, { roles: ["enterprise_openedx_operator:*"] })}`, "content-type": "application/json" };

    // A catalog refreshed once with version 1.
    const created = await fetch(api, { method: "POST", headers, body: JSON.stringify({ title: "Killed mid-refresh", enterprise_customer: A, content_filter: FILTER }) });
    expect(created.status).toBe(201);
    const { uuid: catalogUuid, catalog_query_uuid: queryUuid } = (await created.json()) as { uuid: string; catalog_query_uuid: string };
    const firstStarted = performance.now();
    await expect.poll(() => outcomes(queryUuid), { timeout: 120_000, interval: 250 }).toEqual(["succeeded"]);
    const firstRefreshMs = Math.round(performance.now() - firstStarted);
    const v1 = await expected(V1);
    const items = Object.keys(v1).length;
    expect(items).toBeGreaterThan(13_000);
    expect(await content(queryUuid)).toEqual(v1);

    // Kill 1: the serving process, its search half walked (each page is 100 records).
    const pages = Math.ceil(items / 100);
    discovery.version = V2;
    discovery.holdAfter(Math.floor(pages / 2));
    const held = discovery.nextHeld();
    const asked = await fetch(`${api}${catalogUuid}/refresh_metadata/`, { method: "POST", headers });
    expect(asked.status).toBe(200);
    const searchJob = ((await asked.json()) as { async_task_id: string }).async_task_id;
    await held;
    const searchesBeforeKill = discovery.searchesAnswered;
    const beforeSearchKill = await contentState();
    serving.child.kill("SIGKILL");
    expect(await serving.exited).toMatchObject({ code: null, signal: "SIGKILL" });
    expect(await contentState()).toEqual(beforeSearchKill);
    expect(await content(queryUuid)).toEqual(v1);
    expect((await job(searchJob))?.state).toBe("active");

    // A worker is back: the same job, retried once, applies version 2 exactly.
    discovery.holdAfter(undefined);
    const firstWorker = await startWorker(env);
    const searchResume = await resumption(searchJob, firstWorker.backAt);
    console.info(JSON.stringify({ searchResume, firstRefreshMs }));
    expect(searchResume.restartedAfterMs).toBeLessThan(RESUME_WITHIN_MS);
    expect((await job(searchJob))?.retry_count).toBe(1);
    expect(await content(queryUuid)).toEqual(await expected(V2));
    expect(await outcomes(queryUuid)).toEqual(["succeeded", "succeeded"]);
    expect(await brokenRows(queryUuid)).toEqual({ duplicateMembers: 0, membersWithoutContent: 0, wrongItemCount: 0, unpositionedListed: 0 });
    expect(await activeJobs()).toBe(0);

    // Kill 2: the worker, while it writes version 3 (every row changes) inside the apply transaction.
    const beforeApply = await contentState();
    discovery.version = V3;
    const refreshAsked = await runCatalog(["refresh", "--catalog", catalogUuid], { ...process.env, ...env });
    expect(refreshAsked.code, refreshAsked.stderr).toBe(0);
    const applyJob = /job (\S+)/.exec(refreshAsked.stdout)?.[1];
    expect(applyJob, refreshAsked.stdout).toBeDefined();
    const askedAt = performance.now();
    let applying: number | undefined;
    while (applying === undefined && performance.now() - askedAt < 120_000) {
      applying = await applyingBackend(queryUuid);
      if (applying === undefined) await new Promise((resolve) => setTimeout(resolve, 5));
    }
    expect(applying, "the refresh reached its apply stage").toBeDefined();
    const applyReachedMs = Math.round(performance.now() - askedAt);
    firstWorker.worker.child.kill("SIGKILL");
    expect(await firstWorker.worker.exited).toMatchObject({ code: null, signal: "SIGKILL" });
    // The server ends the dead client's session, and rolls its transaction back.
    await expect.poll(async () => (await client.query("select 1 from pg_stat_activity where pid = $1", [applying])).rowCount, { timeout: 30_000, interval: 50 }).toBe(0);
    expect(await contentState(), "nothing of the killed apply is left").toEqual(beforeApply);
    expect(await content(queryUuid)).toEqual(await expected(V2));
    expect((await job(applyJob!))?.state).toBe("active");

    const second = await startWorker(env);
    const applyResume = await resumption(applyJob!, second.backAt);
    expect(applyResume.restartedAfterMs).toBeLessThan(RESUME_WITHIN_MS);
    expect((await job(applyJob!))?.retry_count).toBe(1);
    expect(await content(queryUuid)).toEqual(await expected(V3));
    expect(await outcomes(queryUuid)).toEqual(["succeeded", "succeeded", "succeeded"]);
    expect(await brokenRows(queryUuid)).toEqual({ duplicateMembers: 0, membersWithoutContent: 0, wrongItemCount: 0, unpositionedListed: 0 });
    expect(await activeJobs()).toBe(0);
    expect(discovery.maxInFlight).toBe(1);

    second.worker.child.kill("SIGTERM");
    expect(await second.worker.exited).toMatchObject({ code: 0, signal: null });
    expect(second.worker.stderr()).toBe("");
    console.info(JSON.stringify({
      scenario: "killed_refresh", items, firstRefreshMs,
      searchKill: { searchesBeforeKill, pages, ...searchResume },
      applyKill: { applyReachedMs, ...applyResume },
    }));
  });
});
