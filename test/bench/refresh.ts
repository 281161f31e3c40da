/**
 * `npm run bench:refresh`: 1,000 catalogs over 100 distinct filters, refreshed through pg-boss from
 * empty and then again unchanged, on a throwaway embedded PostgreSQL and the bundled corpus.
 * Reports discovery requests per endpoint (search pages against the pages the 100 distinct filters
 * need; `/courses`, `/programs` and `/course_review` on the first pass and on the unchanged one,
 * which must make none), full records asked for against the distinct ones, rows written by the
 * unchanged pass, wall times, items and enriched records per second.
 */
import { randomUUID } from "node:crypto";
import { rm } from "node:fs/promises";
import { cpus, totalmem } from "node:os";
import { join, resolve } from "node:path";
import { pino } from "pino";
import { loadConfig } from "../../adapters/config.ts";
import { openRuntime } from "../../adapters/composition.ts";
import { LocalDiscoveryClient } from "../../adapters/discovery_local/local_discovery_client.ts";
import { freePort, startEmbeddedPostgres } from "../../adapters/embedded_postgres/embedded_postgres.ts";
import { startWorkers } from "../../adapters/server.ts";
import { contentFilterFromValue } from "../../src/catalog/content_filter.ts";
import type { JsonObject } from "../../src/json.ts";
import { DISCOVERY_ENDPOINTS } from "../../src/ports/discovery_client.ts";
import { countingDiscovery } from "../helpers/counting_discovery.ts";

const CATALOGS = 1000;
const FILTERS = 100;
const PAGE_SIZE = 100;

/** 100 distinct, realistic filters over the corpus: orgs × content types × availabilities, plus programs. */
function distinctFilters(): JsonObject[] {
  const orgs = ["MITx", "HarvardX", "edX", "BerkeleyX", "DelftX", "UQx", "IBM", "LinuxFoundationX", "GTx", "ColumbiaX", "UCSanDiegoX", "MichiganX", "WhartonX", "IMTx"];
  const types: JsonObject["content_type"][] = ["course", "courserun", ["course", "courserun"]];
  const availability: (JsonObject["availability"] | undefined)[] = [undefined, ["Current", "Starting Soon"], "Upcoming"];
  const filters: JsonObject[] = [];
  for (const org of orgs) {
    for (const contentType of types) {
      for (const avail of availability) {
        const filter: JsonObject = { content_type: contentType as JsonObject[string], org, partner: "edx" };
        if (avail !== undefined) filter.availability = avail as JsonObject[string];
        filters.push(filter);
      }
    }
  }
  filters.unshift({ content_type: "program" }, { content_type: "learnerpathway" }, { content_type: ["course", "program"], level_type: "Advanced" });
  return filters.slice(0, FILTERS);
}

/** Reverses key order, so equal filters arrive differently written. */
function reordered(filter: JsonObject): JsonObject {
  return Object.fromEntries(Object.entries(filter).reverse());
}

const dir = resolve(".data", `bench-refresh-${process.pid}`);
const postgres = await startEmbeddedPostgres({ dataDir: join(dir, "pg"), port: await freePort(), persistent: false });
try {
  const local = new LocalDiscoveryClient();
  const filters = distinctFilters();
  let expectedPages = 0;
  for (const filter of filters) {
    expectedPages += Math.max(1, Math.ceil((await local.searchAll(contentFilterFromValue(filter))).count / PAGE_SIZE));
  }
  const discovery = countingDiscovery(local);
  const config = loadConfig({ DATABASE_URL: postgres.url, LOG_LEVEL: "warn" });
  const runtime = await openRuntime(config, { role: "worker", logger: pino({ level: "warn" }), discovery: discovery.client });
  const sql = <T>(text: string, params: unknown[] = []) => runtime.orm.em.getConnection().execute<T[]>(text, params);
  /** The one row a count or a scalar query returns. */
  const single = async <T>(text: string, params: unknown[] = []): Promise<T> => {
    const [row] = await sql<T>(text, params);
    if (row === undefined) throw new Error(`No row from: ${text}`);
    return row;
  };

  // 1,000 catalogs: 50 customers with 20 catalogs each, every filter used by 10 catalogs.
  const customers = Array.from({ length: 50 }, () => randomUUID());
  let enqueueCalls = 0;
  for (let i = 0; i < CATALOGS; i++) {
    const filter = filters[i % FILTERS] as JsonObject;
    const result = await runtime.withServices(({ catalogs }) => catalogs.createCatalog({
      title: `Catalog ${i}`,
      enterpriseCustomerUuid: customers[i % customers.length] as string,
      enterpriseCustomerName: `Customer ${i % customers.length}`,
      contentFilter: i % 2 === 0 ? filter : reordered(filter),
    }, { actor: "bench:refresh" }));
    if (result.refreshJobId !== null) enqueueCalls++;
  }
  const { queries } = await single<{ queries: string }>("select count(*) as queries from catalog_query");
  // pg-boss's queue stats are refreshed by its monitor; count the job rows themselves.
  const { jobs } = await single<{ jobs: string }>("select count(*) as jobs from pgboss.job where name = 'catalog-query-refresh' and state = 'created'");
  const queuedJobs = Number(jobs);

  /** Runs every queued refresh through the workers and waits until all of them finished. */
  const finished: { outcome: string; items: number }[] = [];
  let waiter: (() => void) | undefined;
  await startWorkers(runtime, {
    concurrency: 2,
    pollingIntervalSeconds: 0.5,
    onRefreshJob: (event) => {
      finished.push({ outcome: event.outcome, items: (event.run?.added ?? 0) + (event.run?.updated ?? 0) + (event.run?.unchanged ?? 0) });
      waiter?.();
    },
  });
  async function drain(jobs: number): Promise<number> {
    const started = performance.now();
    const target = finished.length + jobs;
    while (finished.length < target) await new Promise<void>((resolve) => (waiter = resolve));
    return performance.now() - started;
  }

  discovery.take();
  const firstMs = await drain(queuedJobs);
  const first = discovery.take();
  const firstItems = finished.reduce((sum, run) => sum + run.items, 0);
  const { rows: contentRows } = await single<{ rows: string }>("select count(*) as rows from content_metadata");
  const { rows: memberRows } = await single<{ rows: string }>("select count(*) as rows from query_content");
  const { enrichable } = await single<{ enrichable: string }>(
    "select count(*) as enrichable from content_metadata where content_type in ('course', 'program')",
  );
  const distinctFetched = new Set(first.fetchedKeys).size;

  // Second pass: every query in use again, nothing changed upstream.
  const { xid } = await single<{ xid: string }>("select txid_current()::text as xid");
  const secondStart = new Date();
  const uuids = await runtime.withServices(async ({ refresh }) => (await refresh.freshness()).map((row) => row.query.uuid));
  for (const uuid of uuids) await runtime.withServices(({ refresh }) => refresh.requestQueryRefresh(uuid));
  discovery.take();
  const secondDone = finished.length;
  const secondMs = await drain(uuids.length);
  const second = discovery.take();
  const secondItems = finished.slice(secondDone).reduce((sum, run) => sum + run.items, 0);
  const { rewritten } = await single<{ rewritten: string }>("select count(*) as rewritten from content_metadata where modified >= ?", [secondStart.toISOString()]);
  const { touched } = await single<{ touched: string }>("select count(*) as touched from content_metadata where xmin::text::bigint >= ?::bigint", [xid]);
  const { memberTouched } = await single<{ memberTouched: string }>(`select count(*) as "memberTouched" from query_content where xmin::text::bigint >= ?::bigint`, [xid]);
  const outcomes = finished.reduce<Record<string, number>>((all, run) => ({ ...all, [run.outcome]: (all[run.outcome] ?? 0) + 1 }), {});

  await runtime.close({ graceful: true, timeoutMs: 10_000 });

  const rows: [string, string][] = [
    ["catalogs / distinct filters / catalog queries", `${CATALOGS} / ${filters.length} / ${queries}`],
    ["refreshes asked for by catalog writes / jobs queued", `${enqueueCalls} / ${queuedJobs}`],
    ["content rows / memberships after pass 1", `${contentRows} / ${memberRows}`],
    ["pass 1 (from empty): search requests / pages the distinct filters need", `${first.requests.search} / ${expectedPages}`],
    ["pass 1: /courses, /programs, /course_review requests", `${first.requests.courses}, ${first.requests.programs}, ${first.requests.reviews}`],
    ["pass 1: full records asked for / distinct keys asked for / courses and programs stored", `${first.fetchedKeys.length} / ${distinctFetched} / ${enrichable}`],
    ["pass 1: wall time / items applied / items per second", `${(firstMs / 1000).toFixed(2)} s / ${firstItems} / ${Math.round(firstItems / (firstMs / 1000))}`],
    ["pass 1: full records enriched per second", String(Math.round(first.fetchedKeys.length / (firstMs / 1000)))],
    ["pass 2 (unchanged): search, /courses, /programs, /course_review requests", DISCOVERY_ENDPOINTS.map((endpoint) => second.requests[endpoint]).join(", ")],
    ["pass 2: wall time / items compared / items per second", `${(secondMs / 1000).toFixed(2)} s / ${secondItems} / ${Math.round(secondItems / (secondMs / 1000))}`],
    ["pass 2: metadata rows rewritten (modified) / touched (xmin) / memberships touched", `${rewritten} / ${touched} / ${memberTouched}`],
    ["outcomes", JSON.stringify(outcomes)],
  ];
  console.log(`\n## bench:refresh (${new Date().toISOString()}, ${cpus().length} cores, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version})\n`);
  console.log("| measure | value |\n|---|---|");
  for (const [name, value] of rows) console.log(`| ${name} | ${value} |`);
  const unchangedEnrichment = second.requests.courses + second.requests.programs + second.requests.reviews;
  const ok = first.requests.search === expectedPages && second.requests.search === expectedPages && unchangedEnrichment === 0 &&
    first.fetchedKeys.length === Number(enrichable) && distinctFetched === Number(enrichable) && Number(rewritten) === 0 && Number(touched) === 0 && Number(memberTouched) === 0 &&
    queuedJobs === FILTERS;
  console.log(ok ? "\nall targets met" : "\nTARGET MISSED");
  process.exitCode = ok ? 0 : 1;
} finally {
  await postgres.stop();
  await rm(dir, { recursive: true, force: true });
}
