/**
 * `npm run bench:enroll [-- --pairs 10000 --concurrency 1]`: enrolls the same learner-course pairs
 * twice, each time on a fresh database of a throwaway embedded PostgreSQL, with content refreshed
 * from the bundled corpus:
 *
 * - bulk: one in-process `EnrollmentService.enrollLearnersInCourses` call (what `src/mod.ts` offers);
 * - REST: one `POST /api/v1/enterprise-customer/{uuid}/enroll_learners_in_courses/` per pair,
 *   against a running service (a child process) with an enterprise admin's JWT.
 *
 * Each side runs in its own child process, which counts the SQL statements it sends (MikroORM's
 * `onQuery`, and the read pool's named statements, which answer containment) and reports its peak memory (`process.resourceUsage().maxRSS`, sampled heap). Reports
 * wall times, their ratio, statements (all, and containment lookups) and memory, and fails when
 * the bulk call makes more than one containment lookup or the two end states differ.
 */
import { type ChildProcess, fork } from "node:child_process";
import { randomBytes, randomUUID } from "node:crypto";
import { rm } from "node:fs/promises";
import { cpus, totalmem } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import pg from "pg";
import { pino } from "pino";
import { type AppConfig, loadConfig } from "../../adapters/config.ts";
import { openRuntime } from "../../adapters/composition.ts";
import { LocalDiscoveryClient } from "../../adapters/discovery_local/local_discovery_client.ts";
import { freePort, startEmbeddedPostgres } from "../../adapters/embedded_postgres/embedded_postgres.ts";
import { mintToken } from "../../adapters/http/jwt.ts";
import { startServer } from "../../adapters/server.ts";
import { contentFilterFromValue } from "../../src/catalog/content_filter.ts";
import type { BulkEnrollmentItem } from "../../src/enrollment/bulk_request.ts";
import type { JsonObject } from "../../src/json.ts";

const CUSTOMER = "a94412c9-f91c-4d0d-87cb-1ca1c0d11457";
const FILTER: JsonObject = { content_type: ["course", "courserun"], org: ["MITx", "HarvardX"] };
const RUNS = 4;

/** What a child reports about its side. */
interface SideReport {
  readonly wallMs: number;
  readonly statements: number;
  readonly containmentStatements: number;
  /** RSS when the measured work started, and its peak while it ran (sampled every 10 ms). */
  readonly rssBeforeMb: number;
  readonly rssPeakMb: number;
  /** JS heap in use when the work started, and its peak while it ran. */
  readonly heapBeforeMb: number;
  readonly heapPeakMb: number;
  /** The process's peak RSS over its whole life, setup (corpus, refresh) included. */
  readonly maxRssMb: number;
  readonly enrollments: number;
  readonly pending: number;
  readonly outcome: string;
}

type Message =
  | { type: "ready"; port?: number; authorization?: string }
  | { type: "report"; report: SideReport }
  | { type: "measure" }
  | { type: "finish" };

/** The pairs both sides enroll: 80 % known learners (half by user id, half by email), 20 % unknown emails (pending). */
async function workload(pairs: number) {
  const { records } = await new LocalDiscoveryClient().searchAll(contentFilterFromValue({ ...FILTER, content_type: "courserun" }));
  const runs = records
    .filter((run) => run.is_enrollable === true && run.enrollment_end === null && run.enrollment_start === null &&
      Array.isArray(run.seat_types) && run.seat_types.includes("verified"))
    .map((run) => run.key as string)
    .slice(0, RUNS);
  if (runs.length < RUNS) throw new Error(`The corpus has only ${runs.length} always-open runs for ${JSON.stringify(FILTER)}`);
  const knownPairs = Math.round(pairs * 0.8);
  const learners = Array.from({ length: Math.ceil(knownPairs / RUNS) }, (_, i) => ({ userId: 1000 + i, email: `learner.${i}@bench.example.com` }));
  const items: BulkEnrollmentItem[] = [];
  for (let i = 0; i < knownPairs; i++) {
    const learner = learners[Math.floor(i / RUNS)] as { userId: number; email: string };
    const courseRunKey = runs[i % RUNS] as string;
    items.push(i % 2 === 0 ? { userId: learner.userId, courseRunKey, licenseUuid: randomUUID() } : { email: learner.email, courseRunKey, transactionId: `tx-${i}` });
  }
  for (let i = 0; items.length < pairs; i++) {
    items.push({ email: `unknown.${Math.floor(i / 2)}@bench.example.com`, courseRunKey: runs[i % 2] as string, licenseUuid: randomUUID() });
  }
  return { learners, items, expected: { enrollments: knownPairs, pending: pairs - knownPairs } };
}

function itemToWire(item: BulkEnrollmentItem): JsonObject {
  const wire: JsonObject = { course_run_key: item.courseRunKey as string };
  if (item.userId !== undefined) wire.user_id = item.userId;
  if (item.email !== undefined) wire.email = item.email;
  if (item.licenseUuid !== undefined) wire.license_uuid = item.licenseUuid;
  if (item.transactionId !== undefined) wire.transaction_id = item.transactionId;
  return wire;
}

// ---------------------------------------------------------------------------------------------
// Child: one side, on its own database

async function child(side: "bulk" | "rest", databaseUrl: string, pairs: number): Promise<void> {
  const send = (message: Message) => process.send?.(message);
  const config = loadConfig({ DATABASE_URL: databaseUrl, LOG_LEVEL: "warn", PORT: "0", HOST: "127.0.0.1", JWT_SECRET_KEY: randomBytes(32).toString("base64url") });
  const { learners, items } = await workload(pairs);
  await prepare(config, learners);
  // Bulk enrollment is the in-process use of the README; the REST side is an API process.
  const runtime = await openRuntime(config, { role: side === "bulk" ? "in-process" : "serve", logger: pino({ level: "warn" }) });

  let statements = 0;
  let containmentStatements = 0;
  const original = runtime.orm.config.get("onQuery");
  runtime.orm.config.set("onQuery", (sql: string, params: readonly unknown[]) => {
    statements++;
    return original(sql, params);
  });
  // Containment is answered by PostgresContentReader on its own pool, with named statements.
  const poolQuery = pg.Pool.prototype.query;
  pg.Pool.prototype.query = function (this: pg.Pool, ...args: unknown[]) {
    const name = (args[0] as { name?: unknown } | undefined)?.name;
    if (typeof name === "string" && name.startsWith("reader_")) {
      statements++;
      if (name.includes("contain")) containmentStatements++;
    }
    return (poolQuery as (...forwarded: unknown[]) => unknown).apply(this, args);
  } as typeof poolQuery;
  let before = process.memoryUsage();
  let peak = { rss: 0, heapUsed: 0 };
  const sample = () => {
    const now = process.memoryUsage();
    peak = { rss: Math.max(peak.rss, now.rss), heapUsed: Math.max(peak.heapUsed, now.heapUsed) };
  };
  const startMeasuring = () => {
    statements = 0;
    containmentStatements = 0;
    before = process.memoryUsage();
    peak = { rss: before.rss, heapUsed: before.heapUsed };
  };
  const sampler = setInterval(sample, 10);
  const report = async (wallMs: number, outcome: string): Promise<SideReport> => {
    sample();
    clearInterval(sampler);
    const measured = { statements, containmentStatements };
    const rows = await runtime.orm.em.fork().getConnection().execute<{ enrollments: string; pending: string }[]>(
      "select (select count(*) from enrollment) as enrollments, (select count(*) from pending_enrollment) as pending");
    return {
      wallMs, ...measured, outcome,
      rssBeforeMb: before.rss / 2 ** 20, rssPeakMb: peak.rss / 2 ** 20, heapBeforeMb: before.heapUsed / 2 ** 20, heapPeakMb: peak.heapUsed / 2 ** 20,
      maxRssMb: process.resourceUsage().maxRSS / 1024,
      enrollments: Number(rows[0]?.enrollments), pending: Number(rows[0]?.pending),
    };
  };

  if (side === "bulk") {
    startMeasuring();
    const started = performance.now();
    const result = await runtime.withServices(({ enrollment }) => enrollment.enrollLearnersInCourses(CUSTOMER, items));
    const wallMs = performance.now() - started;
    const outcome = `${result.successes.length} successes, ${result.pending.length} pending, ${result.failures.length} failures`;
    send({ type: "report", report: await report(wallMs, outcome) });
    await runtime.close({ graceful: false, timeoutMs: 5000 });
    process.disconnect();
    return;
  }

  const server = await startServer(runtime, { port: 0 });
  const token = await mintToken(config.jwt, { roles: [`enterprise_admin:${CUSTOMER}`], subject: "bench-admin", ttlSeconds: 3600 });
  let started = 0;
  process.on("message", async (message: Message) => {
    if (message.type === "measure") {
      startMeasuring();
      started = performance.now();
    } else if (message.type === "finish") {
      const wallMs = performance.now() - started;
      send({ type: "report", report: await report(wallMs, "see the client") });
      await server.stop({ timeoutMs: 5000 });
      process.disconnect();
    }
  });
  send({ type: "ready", port: server.port, authorization: `JWT ${token}` });
}

/**
 * The customer's catalog, its content (one refresh, run directly) and the known learners, written
 * by a runtime of the worker's role (whose statements may run long), closed before measuring.
 */
async function prepare(config: AppConfig, learners: readonly { userId: number; email: string }[]): Promise<void> {
  const runtime = await openRuntime(config, { role: "worker", logger: pino({ level: "warn" }), discovery: new LocalDiscoveryClient() });
  try {
    const { query } = await runtime.withServices(({ catalogs }) => catalogs.createCatalog({
      title: "Bench catalog", enterpriseCustomerUuid: CUSTOMER, contentFilter: FILTER,
    }, { actor: "bench:enroll" }));
    await runtime.withServices(({ refresh }) => refresh.refreshQuery(query.uuid, { trigger: "on_demand" }));
    for (let start = 0; start < learners.length; start += 10_000) {
      await runtime.withServices(({ enrollment }) => enrollment.registerLearners(learners.slice(start, start + 10_000)));
    }
  } finally {
    await runtime.close({ graceful: false });
  }
}

// ---------------------------------------------------------------------------------------------
// Parent: database server, the two sides, the REST client, the report

function startChild(side: "bulk" | "rest", databaseUrl: string, pairs: number): { process: ChildProcess; next(): Promise<Message> } {
  const proc = fork(fileURLToPath(import.meta.url), ["--child", side, "--database", databaseUrl, "--pairs", String(pairs)], { stdio: "inherit" });
  const inbox: Message[] = [];
  let waiting: ((message: Message) => void) | undefined;
  let failed: Error | undefined;
  proc.on("message", (message: Message) => {
    if (waiting) {
      const resolve = waiting;
      waiting = undefined;
      resolve(message);
    } else inbox.push(message);
  });
  proc.on("exit", (code) => {
    if (code !== 0 && code !== null) failed = new Error(`The ${side} side exited with code ${code}`);
  });
  return {
    process: proc,
    next: () => new Promise<Message>((resolve, reject) => {
      const queued = inbox.shift();
      if (queued !== undefined) return resolve(queued);
      if (failed) return reject(failed);
      waiting = resolve;
      proc.once("exit", () => failed && reject(failed));
    }),
  };
}

async function expectMessage<T extends Message["type"]>(next: () => Promise<Message>, type: T): Promise<Extract<Message, { type: T }>> {
  const message = await next();
  if (message.type !== type) throw new Error(`Expected "${type}" from a child, got "${message.type}"`);
  return message as Extract<Message, { type: T }>;
}

/** Sends one REST call per pair, `concurrency` at a time; returns the status counts. */
async function restCalls(baseUrl: string, authorization: string, items: readonly BulkEnrollmentItem[], concurrency: number): Promise<Record<string, number>> {
  const statuses: Record<string, number> = {};
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const item = items[next++] as BulkEnrollmentItem;
      const response = await fetch(`${baseUrl}/api/v1/enterprise-customer/${CUSTOMER}/enroll_learners_in_courses/`, {
        method: "POST",
        headers: { authorization, "content-type": "application/json" },
        body: JSON.stringify({ enrollments_info: [itemToWire(item)] }),
      });
      await response.arrayBuffer();
      statuses[response.status] = (statuses[response.status] ?? 0) + 1;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return statuses;
}

async function parent(pairs: number, concurrency: number): Promise<void> {
  const dir = resolve(".data", `bench-enroll-${process.pid}`);
  const postgres = await startEmbeddedPostgres({ dataDir: join(dir, "pg"), port: await freePort(), persistent: false });
  try {
    const admin = new pg.Client({ connectionString: postgres.url });
    await admin.connect();
    const databaseUrl = async (name: string) => {
      await admin.query(`create database ${admin.escapeIdentifier(name)}`);
      const url = new URL(postgres.url);
      url.pathname = `/${name}`;
      return url.toString();
    };
    const { items, expected } = await workload(pairs);

    const bulk = startChild("bulk", await databaseUrl("bench_bulk"), pairs);
    const bulkReport = (await expectMessage(bulk.next, "report")).report;

    const rest = startChild("rest", await databaseUrl("bench_rest"), pairs);
    const ready = await expectMessage(rest.next, "ready");
    rest.process.send({ type: "measure" } satisfies Message);
    const clientStarted = performance.now();
    const statuses = await restCalls(`http://127.0.0.1:${ready.port}`, ready.authorization as string, items, concurrency);
    const clientMs = performance.now() - clientStarted;
    rest.process.send({ type: "finish" } satisfies Message);
    const restReport = (await expectMessage(rest.next, "report")).report;
    // The REST side closes its pools after reporting; stopping the database first would cut them.
    if (rest.process.exitCode === null) await new Promise((resolve) => rest.process.once("exit", resolve));
    await admin.end();

    const restOutcome = Object.entries(statuses).map(([status, count]) => `${count} × ${status}`).join(", ");
    const mb = (value: number) => `${value.toFixed(0)} MB`;
    const rows: [string, string, string][] = [
      ["wall time", `${(bulkReport.wallMs / 1000).toFixed(2)} s`, `${(clientMs / 1000).toFixed(2)} s`],
      ["pairs per second", `${Math.round(pairs / (bulkReport.wallMs / 1000))}`, `${Math.round(pairs / (clientMs / 1000))}`],
      ["SQL statements", String(bulkReport.statements), String(restReport.statements)],
      ["containment lookups (catalog queries)", String(bulkReport.containmentStatements), String(restReport.containmentStatements)],
      ["RSS before → peak during the work", `${mb(bulkReport.rssBeforeMb)} → ${mb(bulkReport.rssPeakMb)}`, `${mb(restReport.rssBeforeMb)} → ${mb(restReport.rssPeakMb)}`],
      ["JS heap before → peak during the work", `${mb(bulkReport.heapBeforeMb)} → ${mb(bulkReport.heapPeakMb)}`, `${mb(restReport.heapBeforeMb)} → ${mb(restReport.heapPeakMb)}`],
      ["process maxRSS (setup included)", mb(bulkReport.maxRssMb), mb(restReport.maxRssMb)],
      ["outcome", bulkReport.outcome, restOutcome],
      ["rows: enrollments / pending", `${bulkReport.enrollments} / ${bulkReport.pending}`, `${restReport.enrollments} / ${restReport.pending}`],
    ];
    console.log(`\n## bench:enroll (${new Date().toISOString()}, ${cpus().length} cores, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version})\n`);
    console.log(`${pairs} learner–course pairs (${expected.enrollments} for known learners, ${expected.pending} pending), ${RUNS} course runs, REST concurrency ${concurrency}\n`);
    console.log("| measure | one bulk in-process call | one REST call per pair |\n|---|---|---|");
    for (const [name, bulkValue, restValue] of rows) console.log(`| ${name} | ${bulkValue} | ${restValue} |`);
    console.log(`\nREST / bulk wall time: ${(clientMs / bulkReport.wallMs).toFixed(1)}×; statements: ${(restReport.statements / Math.max(1, bulkReport.statements)).toFixed(0)}×`);
    const sameState = bulkReport.enrollments === expected.enrollments && bulkReport.pending === expected.pending &&
      restReport.enrollments === expected.enrollments && restReport.pending === expected.pending;
    const ok = bulkReport.containmentStatements === 1 && sameState;
    console.log(ok ? "\nall targets met" : `\nTARGET MISSED (bulk containment lookups ${bulkReport.containmentStatements}, same end state ${sameState})`);
    process.exitCode = ok ? 0 : 1;
  } finally {
    await postgres.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

const { values } = parseArgs({
  options: {
    child: { type: "string" },
    database: { type: "string" },
    pairs: { type: "string", default: "10000" },
    concurrency: { type: "string", default: "1" },
  },
});
const pairs = Number(values.pairs);
const concurrency = Number(values.concurrency);
if (!Number.isSafeInteger(pairs) || pairs < 1 || !Number.isSafeInteger(concurrency) || concurrency < 1) {
  console.error("--pairs and --concurrency must be positive integers");
  process.exit(2);
}
if (values.child === "bulk" || values.child === "rest") await child(values.child, values.database as string, pairs);
else await parent(pairs, concurrency);
