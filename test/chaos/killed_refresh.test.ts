/**
 * A refresh whose worker process is killed (SIGKILL) mid-refresh: the content stays exactly the
 * previous version, and once a worker is back pg-boss hands the job out again within a minute
 * (the dead worker's heartbeat stops, a supervisor fails the job, it is retried), the refresh
 * applies the new version, and no job is left active. Real processes, real pg-boss settings.
 */
import type { ChildProcess } from "node:child_process";
import { randomBytes, randomUUID } from "node:crypto";
import { createServer, type Server, type ServerResponse } from "node:http";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LocalDiscoveryClient } from "../../adapters/discovery_local/local_discovery_client.ts";
import { createLocalDiscoveryServer, type LocalDiscoveryServer } from "../../adapters/discovery_local/local_discovery_server.ts";
import { mintToken } from "../../adapters/http/jwt.ts";
import { contentFilterFromValue } from "../../src/catalog/content_filter.ts";
import { isAllowedContent } from "../../src/refresh/content_policy.ts";
import { generateDiscoveryDatabase } from "../../tools/discovery_corpus/generate_database.ts";
import { createTestDatabase, type TestDatabase } from "../helpers/database.ts";
import { type LogWatcher, spawnCatalog, watchLogs } from "../helpers/run_catalog.ts";

const SECRET = randomBytes(32).toString("base64url");
const A = "a94412c9-f91c-4d0d-87cb-1ca1c0d11457";
/** The promise under test: a worker that is back resumes an interrupted refresh within this time. */
const RESUME_WITHIN_MS = 60_000;

/** Discovery over HTTP, answering from the current version's database; while held, searches wait unanswered. */
interface VersionedDiscovery {
  readonly url: string;
  version: LocalDiscoveryServer;
  held: boolean;
  /** Resolves when the next search arrives. */
  nextSearch(): Promise<void>;
  /** The most requests it ever had in flight at once. */
  readonly maxInFlight: number;
  close(): Promise<void>;
}

async function versionedDiscovery(version: LocalDiscoveryServer): Promise<VersionedDiscovery> {
  const state = { version, held: false, inFlight: 0, maxInFlight: 0 };
  let arrivals: (() => void)[] = [];
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
      for (const arrived of arrivals.splice(0)) arrived();
      if (state.held) {
        const release = () => {
          waiting.delete(release);
          send();
        };
        waiting.add(release);
      } else send();
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
    get held() {
      return state.held;
    },
    set held(hold) {
      state.held = hold;
      if (!hold) for (const release of [...waiting]) release();
    },
    nextSearch: () => new Promise((resolve) => arrivals.push(resolve)),
    get maxInFlight() {
      return state.maxInFlight;
    },
    close: () => new Promise<void>((resolve) => {
      arrivals = [];
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

/** A `catalog` process and its logs; `ready` resolves with the log line it waits for, or rejects when the process exits first. */
function startProcess(args: readonly string[], env: Record<string, string>, readyMessage: (message: string) => boolean) {
  const child = spawnCatalog(args, { ...process.env, ...env });
  let stderr = "";
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on("exit", (code, signal) => resolve({ code, signal })));
  const logs: LogWatcher = watchLogs(child);
  const ready = Promise.race([
    logs.next((line) => readyMessage(String(line.msg))),
    exited.then(({ code }) => {
      throw new Error(`catalog ${args.join(" ")} exited with ${code} before it was ready: ${stderr}`);
    }),
  ]);
  return { child, logs, exited, ready, stderr: () => stderr };
}

let testDatabase: TestDatabase;
let discovery: VersionedDiscovery;
let client: pg.Client;
const children: ChildProcess[] = [];

const FILTER = { content_type: "course" } as const;
const database = generateDiscoveryDatabase({ courses: 9, seed: 11 });
const [first, , ...rest] = database.courses;
const OLD = createLocalDiscoveryServer({ database: { ...database, courses: database.courses.slice(0, -1) } });
/** The upstream change: one title changed, one course gone, one new. */
const NEW = createLocalDiscoveryServer({
  database: { ...database, courses: [{ ...first!, title: `Renamed ${randomUUID()}` }, ...rest] },
});

beforeAll(async () => {
  testDatabase = await createTestDatabase();
  discovery = await versionedDiscovery(OLD);
  client = new pg.Client({ connectionString: testDatabase.url });
  await client.connect();
});
afterAll(async () => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  await client?.end();
  await discovery?.close();
  await testDatabase?.drop();
});

/** The query's content as key → title. */
async function content(queryUuid: string): Promise<Record<string, string>> {
  const rows = await client.query<{ content_key: string; title: string }>(
    `select qc.content_key, cm.json_metadata->>'title' as title
       from query_content qc join content_metadata cm on cm.content_key = qc.content_key
      where qc.query_uuid = $1 order by qc.content_key`,
    [queryUuid],
  );
  return Object.fromEntries(rows.rows.map((row) => [row.content_key, row.title]));
}

/** What `content` shows for a version (rows in the same order): its courses the catalog may hold, by key. */
async function expected(version: LocalDiscoveryServer): Promise<Record<string, string>> {
  const { records } = await new LocalDiscoveryClient({ server: version }).searchAll(contentFilterFromValue(FILTER));
  const entries = records.filter(isAllowedContent).map((record) => [String(record.key), String(record.title)] as const);
  return Object.fromEntries(entries.sort(([a], [b]) => (a < b ? -1 : 1)));
}

async function job(id: string): Promise<{ state: string; retry_count: number } | undefined> {
  return (await client.query<{ state: string; retry_count: number }>("select state, retry_count from pgboss.job where id = $1", [id])).rows[0];
}

describe("a refresh whose worker is killed with SIGKILL", () => {
  it("leaves the previous content exactly, and resumes within a minute of a worker being back, once", { timeout: 150_000 }, async () => {
    const env = { DATABASE_URL: testDatabase.url, JWT_SECRET_KEY: SECRET, DISCOVERY_URL: discovery.url, PORT: "0", HOST: "127.0.0.1", LOG_LEVEL: "info" };
    const serving = startProcess(["serve"], { ...env, CATALOG_IN_PROCESS_WORKER: "true" }, (message) => message.startsWith("listening on"));
    children.push(serving.child);
    const port = Number((await serving.ready).port);
    const api = `http://127.0.0.1:${port}/api/v1/enterprise-catalogs/`;
    const headers = { authorization: `JWT ${await mintToken({ secretKey: SECRET, issuer: undefined, audience: undefined }, { roles: ["enterprise_openedx_operator:*"] })}`, "content-type": "application/json" };

    // A catalog refreshed once with the old version.
    const created = await fetch(api, { method: "POST", headers, body: JSON.stringify({ title: "Killed mid-refresh", enterprise_customer: A, content_filter: { ...FILTER, killed: randomUUID() } }) });
    expect(created.status).toBe(201);
    const { uuid: catalogUuid, catalog_query_uuid: queryUuid } = (await created.json()) as { uuid: string; catalog_query_uuid: string };
    await expect.poll(async () => (await client.query("select outcome from refresh_run where query_uuid = $1", [queryUuid])).rows.map((row) => row.outcome), { timeout: 15_000, interval: 100 })
      .toEqual(["succeeded"]);
    expect(await content(queryUuid)).toEqual(await expected(OLD));

    // Upstream changes; the refresh of it is killed while it fetches.
    discovery.version = NEW;
    discovery.held = true;
    const searching = discovery.nextSearch();
    const asked = await fetch(`${api}${catalogUuid}/refresh_metadata/`, { method: "POST", headers });
    expect(asked.status).toBe(200);
    const jobId = ((await asked.json()) as { async_task_id: string }).async_task_id;
    await searching;
    serving.child.kill("SIGKILL");
    expect(await serving.exited).toEqual({ code: null, signal: "SIGKILL" });
    expect(await content(queryUuid)).toEqual(await expected(OLD));
    expect((await job(jobId))?.state).toBe("active");

    // A worker is back.
    discovery.held = false;
    const worker = startProcess(["worker"], env, (message) => message === "refresh worker running");
    children.push(worker.child);
    await worker.ready;
    const back = performance.now();
    await expect.poll(async () => (await job(jobId))?.state, { timeout: RESUME_WITHIN_MS + 15_000, interval: 250 }).toBe("completed");
    const resumedAfterMs = Math.round(performance.now() - back);
    console.info(`resumed ${resumedAfterMs} ms after the worker was back`);
    expect(resumedAfterMs).toBeLessThan(RESUME_WITHIN_MS);

    // Once, through pg-boss's retry of the job the dead worker held; the new version exactly; nothing left active.
    expect((await job(jobId))?.retry_count).toBe(1);
    expect(await content(queryUuid)).toEqual(await expected(NEW));
    expect((await client.query("select outcome from refresh_run where query_uuid = $1 order by started_at", [queryUuid])).rows.map((row) => row.outcome))
      .toEqual(["succeeded", "succeeded"]);
    expect((await client.query("select count(*)::int as n from pgboss.job where state = 'active'")).rows[0].n).toBe(0);
    expect(discovery.maxInFlight).toBe(1);

    worker.child.kill("SIGTERM");
    expect(await worker.exited).toEqual({ code: 0, signal: null });
    expect(worker.stderr()).toBe("");
  });
});
