/**
 * `npm run bench`: the read API under load. A throwaway embedded PostgreSQL gets 1,000 catalogs over
 * 100 distinct queries (50 customers with 20 catalogs each) and at least 100,000 content items from
 * a generated corpus, loaded by the real refresh use case over the local discovery. Then
 * `catalog serve` runs as its own process and autocannon (50 connections, a fresh process per
 * measurement) measures catalog-level contains, customer-level contains with get_catalog_list for a
 * customer with 20 catalogs, and a 100-item get_content_metadata page, each between two
 * measurements of a bare Koa handler (the ceiling), in rounds; the table gives medians and ranges.
 *
 * Environment: BENCH_COURSES (default 30000), BENCH_SECONDS per measurement (default 5),
 * BENCH_ROUNDS (default 5), BENCH_CONNECTIONS (default 50), BENCH_LOG_LEVEL of the served process
 * (default warn). Everything it starts (PostgreSQL, two Node processes) is stopped before it exits.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes, randomUUID } from "node:crypto";
import { rm } from "node:fs/promises";
import { cpus, totalmem, type } from "node:os";
import { join, resolve } from "node:path";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { pino } from "pino";
import { loadConfig } from "../../adapters/config.ts";
import { openRuntime } from "../../adapters/composition.ts";
import { LocalDiscoveryClient } from "../../adapters/discovery_local/local_discovery_client.ts";
import { freePort, startEmbeddedPostgres } from "../../adapters/embedded_postgres/embedded_postgres.ts";
import { mintToken } from "../../adapters/http/jwt.ts";
import type { JsonObject } from "../../src/json.ts";
import { generateDiscoveryDatabase } from "../../tools/discovery_corpus/generate_database.ts";
import type { LoadResult } from "./load.ts";

const COURSES = Number(process.env.BENCH_COURSES ?? 30_000);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const LOG_LEVEL = process.env.BENCH_LOG_LEVEL ?? "warn";
const WARMUP_SECONDS = 2;
const CUSTOMERS = 50;
const CATALOGS_PER_CUSTOMER = 20;
const QUERIES = 100;
/** The issue's targets for contains (a 100-item page: p99 ≤ 50 ms, set on its scenario). */
const CONTAINS_TARGETS = { p99Ms: 10, minRatio: 0.4 };

/** 100 distinct filters: everything, then 14 orgs × 7 shapes (99 more, programs last). */
function distinctFilters(): JsonObject[] {
  const orgs = ["HarvardX", "MITx", "BerkeleyX", "IBM", "DelftX", "MichiganX", "UQx", "edX", "UPValenciaX", "LinuxFoundationX", "TsinghuaX", "Wharton", "CambridgeJBS", "OpenCraftX"];
  const shapes: JsonObject[] = [
    { content_type: ["course", "courserun"] },
    { content_type: "course" },
    { content_type: "courserun" },
    { content_type: "course", level_type: "Introductory" },
    { content_type: "course", level_type: "Advanced" },
    { content_type: ["course", "courserun"], availability: "Current" },
    { content_type: "courserun", availability: ["Current", "Starting Soon"] },
  ];
  const filters: JsonObject[] = [{ content_type: ["course", "courserun", "program", "learnerpathway"] }];
  for (const shape of shapes) for (const org of orgs) filters.push({ ...shape, org });
  filters.push({ content_type: "program" });
  return filters.slice(0, QUERIES);
}

const started = performance.now();
const log = (message: string) => console.error(`[${((performance.now() - started) / 1000).toFixed(1)}s] ${message}`);
const dir = resolve(".data", `bench-read-${process.pid}`);
const children: ChildProcess[] = [];
let stopping = false;
const postgres = await startEmbeddedPostgres({ dataDir: join(dir, "pg"), port: await freePort(), persistent: false });
const cleanUp = async () => {
  if (stopping) return;
  stopping = true;
  await Promise.all(children.map(stopChild));
  await postgres.stop().catch(() => {});
  await rm(dir, { recursive: true, force: true });
};
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => void cleanUp().finally(() => process.exit(130)));
}

try {
  const secret = randomBytes(32).toString("base64url");
  const env = { DATABASE_URL: postgres.url, LOG_LEVEL: "warn", JWT_SECRET_KEY: secret };

  const { catalogs, customers, queries, counts, mitRuns } = await loadData(env);
  // The corpus and the set-up runtime are unreachable now: collect them, so that this process does
  // not spend the measurements collecting a heap of gigabytes on the cores being measured.
  setFlagsFromString("--expose-gc");
  (runInNewContext("gc") as () => void)();

  // ---- What to ask: keys held by the first customer's catalogs, and some nobody holds.
  const customer = customers[0] as string;
  const big = catalogs[0] as (typeof catalogs)[number];
  const present = Array.from({ length: 10 }, (_, i) => mitRuns[(i * 997) % mitRuns.length] as string);
  const absent = Array.from({ length: 10 }, (_, i) => `course-v1:Nobody+N${i}+1T2026`);
  const keys = present.flatMap((key, i) => [key, absent[i] as string]);
  const token = await mintToken({ secretKey: secret, issuer: undefined, audience: undefined }, { roles: [`enterprise_learner:${customer}`], ttlSeconds: 3600 });
  const headers = { authorization: `JWT ${token}` };

  // ---- The service and the bare Koa ceiling, each in a process of its own.
  // Ports the system picks: fixed ones in the ephemeral range collide with outgoing connections.
  const port = await freePort();
  const barePort = await freePort();
  const service = spawn(process.execPath, ["adapters/cli/main.ts", "serve"], {
    env: { ...process.env, ...env, LOG_LEVEL, PORT: String(port), HOST: "127.0.0.1", CATALOG_IN_PROCESS_WORKER: "false" },
    stdio: ["ignore", "ignore", "inherit"],
  });
  const bareKoa = spawn(process.execPath, ["--input-type=module", "-e", `
    import Koa from "koa";
    const app = new Koa();
    app.use((ctx) => { ctx.body = { contains_content_items: true }; });
    app.listen(${barePort}, "127.0.0.1");
  `], { stdio: ["ignore", "ignore", "inherit"] });
  children.push(service, bareKoa);
  await waitFor(`http://127.0.0.1:${port}/health`);
  await waitFor(`http://127.0.0.1:${barePort}/`);
  const base = `http://127.0.0.1:${port}`;
  const first = await (await fetch(`${base}/api/v1/enterprise-catalogs/${big.uuid}/get_content_metadata/?page_size=100`, { headers })).json() as { num_pages: number; count: number };
  const bigPages = first.num_pages;
  log(`the largest catalog lists ${first.count} items (courses with no active run left out): ${bigPages} pages of 100`);

  const customerRequests = keys.map((key) => ({ path: `/api/v1/enterprise-customer/${customer}/contains_content_items/?course_run_ids=${encodeURIComponent(key)}&get_catalog_list=true` }));
  const scenarios: Scenario[] = [
    { name: "bare Koa handler (ceiling)", server: bareKoa, url: `http://127.0.0.1:${barePort}`, requests: [{ path: "/" }], headers: {} },
    {
      name: "catalog contains (1 key, 20 keys rotating)",
      server: service,
      targets: CONTAINS_TARGETS,
      url: base,
      requests: keys.map((key) => ({ path: `/api/v1/enterprise-catalogs/${big.uuid}/contains_content_items/?course_run_ids=${encodeURIComponent(key)}` })),
      headers,
    },
    {
      name: "customer contains, get_catalog_list, 20 catalogs",
      server: service,
      targets: CONTAINS_TARGETS,
      url: base,
      requests: customerRequests,
      headers,
    },
    {
      name: `get_content_metadata, 100 items, pages 1…${bigPages} rotating`,
      server: service,
      targets: { p99Ms: 50 },
      url: base,
      requests: [1, Math.ceil(bigPages / 4), Math.ceil(bigPages / 2), Math.ceil((3 * bigPages) / 4), bigPages].map((page) => ({
        path: `/api/v1/enterprise-catalogs/${big.uuid}/get_content_metadata/?page=${page}&page_size=100`,
      })),
      headers,
    },
  ];

  // Every scenario must answer 200 with the expected shape before it is measured.
  for (const scenario of scenarios) {
    for (const request of scenario.requests) {
      const response = await fetch(`${scenario.url}${request.path}`, { headers: scenario.headers });
      const body = await response.json() as JsonObject;
      if (response.status !== 200) throw new Error(`${scenario.name}: ${request.path} answered ${response.status} ${JSON.stringify(body).slice(0, 300)}`);
      if (request.path.includes("get_content_metadata") && (body.results as unknown[]).length !== 100 && !request.path.includes(`page=${bigPages}&`)) {
        throw new Error(`${scenario.name}: expected 100 items on ${request.path}`);
      }
    }
  }
  const customerAnswer = await (await fetch(`${base}${customerRequests[0]?.path}`, { headers })).json() as { catalog_list: string[] };
  log(`customer contains for a held key lists ${customerAnswer.catalog_list.length} of the customer's 20 catalogs`);

  // A shared machine's speed drifts within minutes (by half, on some), so the ceiling is measured
  // right before and after every scenario, the ratio taken against the mean of those two, and the
  // whole sequence repeated: the table gives each figure's median over the rounds and its range.
  const [ceiling, ...measured] = scenarios as [Scenario, ...Scenario[]];
  const ceilings: Measurement[] = [];
  const runs = measured.map((scenario) => ({ scenario, results: [] as (Measurement & { ratio: number })[] }));
  let before = await measure(ceiling, `round 1/${ROUNDS}`);
  ceilings.push(before);
  for (let round = 1; round <= ROUNDS; round++) {
    for (const { scenario, results } of runs) {
      const result = await measure(scenario, `round ${round}/${ROUNDS}`);
      const after = await measure(ceiling, `round ${round}/${ROUNDS}`);
      ceilings.push(after);
      results.push({ ...result, ratio: result.rps / ((before.rps + after.rps) / 2) });
      before = after;
    }
  }
  const range = (values: number[], format: (value: number) => string) =>
    `${format(median(values))} (${format(Math.min(...values))}–${format(Math.max(...values))})`;
  const integer = (value: number) => Math.round(value).toLocaleString("en-US");
  const percent = (value: number) => `${Math.round(value * 100)} %`;
  const serverCpu = (results: Measurement[]) => {
    const known = results.flatMap((r) => (r.cpuMicros === undefined ? [] : [r.cpuMicros]));
    return known.length === 0 ? "n/a" : integer(median(known));
  };
  const row = (name: string, results: Measurement[], ratio: string) =>
    `| ${name} | ${range(results.map((r) => r.rps), integer)} | ${median(results.map((r) => r.p50))} | ` +
    `${range(results.map((r) => r.p99), String)} | ${ratio} | ${serverCpu(results)} |`;
  const lines = [
    `| scenario | requests/s | p50 ms | p99 ms | vs bare Koa | server CPU µs/request |`,
    `|---|---:|---:|---:|---:|---:|`,
    row(`${ceiling.name}, ${ceilings.length} runs`, ceilings, "100 %"),
    ...runs.map(({ scenario, results }) => row(scenario.name, results, range(results.map((r) => r.ratio), percent))),
  ];
  console.log(`\nRead API, ${CONNECTIONS} connections, ${ROUNDS} rounds of ${SECONDS} s per measurement after ${WARMUP_SECONDS} s warm-up; ` +
    `${counts?.items} content items, ${counts?.members} memberships, ${catalogs.length} catalogs over ${queries.length} queries; ` +
    `served with LOG_LEVEL=${LOG_LEVEL}`);
  console.log(`Machine: ${cpus().length} × ${cpus()[0]?.model.trim()}, ${Math.round(totalmem() / 2 ** 30)} GiB, ${type()}, Node ${process.version}\n`);
  console.log(lines.join("\n"));
  console.log("\nMedian over the rounds, with the range in brackets; each ratio is against the mean of the ceiling measured just before and just after.");

  // The issue's targets, checked on the medians.
  const misses = runs.flatMap(({ scenario, results }) => {
    const p99 = median(results.map((r) => r.p99));
    const ratio = median(results.map((r) => r.ratio));
    const { p99Ms, minRatio } = scenario.targets ?? {};
    return [
      ...(p99Ms !== undefined && p99 > p99Ms ? [`${scenario.name}: p99 ${p99} ms > ${p99Ms} ms`] : []),
      ...(minRatio !== undefined && ratio < minRatio ? [`${scenario.name}: ${percent(ratio)} of bare Koa < ${percent(minRatio)}`] : []),
    ];
  });
  console.log(misses.length === 0 ? "\nEvery target met." : `\nTargets missed:\n${misses.map((miss) => `- ${miss}`).join("\n")}`);
  if (misses.length > 0) process.exitCode = 1;
} finally {
  await cleanUp();
}

/** Creates the catalogs through the catalog use case and loads their content with the real refresh use case. */
async function loadData(env: Record<string, string>) {
  log(`generating a corpus of ${COURSES} courses`);
  const database = generateDiscoveryDatabase({ courses: COURSES });
  // The worker's role: jobs' statements may run long, and no HTTP is served.
  const runtime = await openRuntime(loadConfig(env), { role: "worker", logger: pino({ level: "warn" }), discovery: new LocalDiscoveryClient({ database }) });
  const filters = distinctFilters();
  const customers = Array.from({ length: CUSTOMERS }, () => randomUUID());
  const catalogs: { uuid: string; queryUuid: string; customer: string }[] = [];
  for (let i = 0; i < CUSTOMERS * CATALOGS_PER_CUSTOMER; i++) {
    const customer = customers[Math.floor(i / CATALOGS_PER_CUSTOMER)] as string;
    const written = await runtime.withServices(({ catalogs: service }) => service.createCatalog({
      title: `Catalog ${i}`, enterpriseCustomerUuid: customer, enterpriseCustomerName: `Customer ${Math.floor(i / CATALOGS_PER_CUSTOMER)} Inc`,
      contentFilter: filters[i % QUERIES] as JsonObject,
    }, { actor: "bench:read-api" }));
    catalogs.push({ uuid: written.catalog.uuid, queryUuid: written.query.uuid, customer });
  }
  const queries = [...new Set(catalogs.map((catalog) => catalog.queryUuid))];
  log(`${catalogs.length} catalogs over ${queries.length} distinct queries; refreshing`);
  const refresh = (queryUuid: string) => runtime.withServices(({ refresh: service }) => service.refreshQuery(queryUuid, { trigger: "on_demand" }));
  await refresh(queries[0] as string);
  let next = 1;
  await Promise.all([0, 1].map(async () => {
    while (next < queries.length) await refresh(queries[next++] as string);
  }));
  const sql = <T>(text: string) => runtime.orm.em.getConnection().execute<T[]>(text);
  const [counts] = await sql<{ items: string; members: string; biggest: string }>(
    "select (select count(*) from content_metadata) as items, (select count(*) from query_content) as members, (select max(item_count) from catalog_query) as biggest",
  );
  log(`refreshed: ${counts?.items} content items, ${counts?.members} memberships, largest query ${counts?.biggest} items`);
  if (Number(counts?.items) < 100_000) throw new Error(`Only ${counts?.items} content items: raise BENCH_COURSES`);
  // Measure the steady state, not the write-back of the load: vacuum (visibility, statistics) and checkpoint.
  await sql("vacuum analyze");
  await sql("checkpoint");
  await runtime.close({ graceful: false });
  const mitRuns = database.courses.filter((course) => course.key.startsWith("MITx+")).flatMap((course) => course.course_runs.map((run) => run.key));
  return { catalogs, customers, queries, counts, mitRuns };
}

/** One measurement: what `load.ts` printed, less the error counts that `measure` checks. */
type Measurement = Omit<LoadResult, "non2xx" | "errors">;

/**
 * Warms the scenario up and measures it (throughput, latency, the server's CPU per request) with
 * autocannon in a child process (`load.ts`) that starts with a clean heap.
 */
async function measure(scenario: Scenario, label: string): Promise<Measurement> {
  log(`${label}: ${scenario.name}`);
  const options = {
    url: scenario.url,
    connections: CONNECTIONS,
    duration: SECONDS,
    headers: scenario.headers,
    requests: scenario.requests.map((request) => ({ method: "GET" as const, path: request.path })),
  };
  const child = spawn(process.execPath, [resolve("test/bench/load.ts"), JSON.stringify({ options, warmupSeconds: WARMUP_SECONDS, serverPid: scenario.server.pid })], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  let output = "";
  child.stdout.setEncoding("utf8").on("data", (chunk: string) => (output += chunk));
  const code = await new Promise<number | null>((done) => child.once("exit", done));
  if (code !== 0) throw new Error(`autocannon exited with ${code}`);
  const result = JSON.parse(output) as LoadResult;
  if (result.non2xx > 0 || result.errors > 0) throw new Error(`${scenario.name}: ${result.non2xx} non-2xx answers, ${result.errors} errors`);
  log(`  ${Math.round(result.rps)} requests/s, p50 ${result.p50} ms, p99 ${result.p99} ms, server ${result.cpuMicros?.toFixed(0) ?? "n/a"} µs/request`);
  return { rps: result.rps, p50: result.p50, p99: result.p99, cpuMicros: result.cpuMicros };
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[middle] as number) : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

interface Scenario {
  readonly name: string;
  readonly server: ChildProcess;
  /** Checked on the medians over the rounds; none for the ceiling. */
  readonly targets?: { readonly p99Ms?: number; readonly minRatio?: number };
  readonly url: string;
  readonly requests: readonly { readonly path: string }[];
  readonly headers: Record<string, string>;
}

async function waitFor(url: string): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    try {
      const response = await fetch(url);
      await response.arrayBuffer();
      if (response.status < 500) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`${url} did not answer within 60 s`);
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const force = setTimeout(() => child.kill("SIGKILL"), 10_000);
    child.once("exit", () => {
      clearTimeout(force);
      resolve();
    });
    child.kill("SIGTERM");
  });
}
