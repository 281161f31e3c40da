/**
 * Scenario 3, discovery misbehaves: the real service (PostgreSQL, pg-boss, HTTP) refreshes a
 * catalog from a discovery over HTTP that hangs, drips, breaks its JSON, answers HTML, lies about
 * its records or counts, or floods, in the search and in the enrichment stages. Each refresh must
 * end within its bound as a failed run naming its stage and a clear reason, nothing stored may
 * change, and reads served meanwhile must succeed with the old content.
 */
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { HttpDiscoveryClient } from "../../adapters/discovery_http/http_discovery_client.ts";
import { createLocalDiscoveryServer } from "../../adapters/discovery_local/local_discovery_server.ts";
import { REFRESH_QUEUE } from "../../adapters/pg_boss/pg_boss_refresh_scheduler.ts";
import { generateDiscoveryDatabase } from "../../tools/discovery_corpus/generate_database.ts";
import { type PostgresTestService, startTestService } from "../helpers/service.ts";
import { type DiscoveryPath, type HostileDiscovery, type Misbehaviour, startHostileDiscovery } from "./support/hostile_discovery.ts";
import { reportFigures, startReadProbe } from "./support/read_probe.ts";

const CUSTOMER = "a94412c9-f91c-4d0d-87cb-1ca1c0d11457";
/** The client's limits here: each request 1.5 s, 2 attempts, a few ms of backoff, 25 records a search page. */
const CLIENT = { timeoutMs: 1500, maxAttempts: 2, backoff: { baseMs: 5, maxMs: 20 }, pageSize: 25 } as const;
/**
 * The longest a refresh run may take to fail here (its own `started_at` to `finished_at`): a hanging
 * page costs attempts × timeout (3 s), and an enrichment stage runs after a search of a few pages;
 * the rest is slack for a shared machine. The wait for pg-boss to hand the job out comes before the
 * run and is reported beside it (`failedInMs` counts from the request).
 */
const REFRESH_BOUND_MS = 20_000;
/**
 * Written while refreshes fail: the failed runs, the jobs that ran them, and the query's last
 * attempt and its outcome (`catalog_query` is compared without those two columns).
 */
const BOOKKEEPING = new Set(["refresh_run", "pgboss.job", "catalog_query"]);

let discovery: HostileDiscovery;
let service: PostgresTestService;
let catalog: { uuid: string; queryUuid: string; listing: string; someKey: string };
let authorization: string;

beforeAll(async () => {
  discovery = await startHostileDiscovery(createLocalDiscoveryServer({ database: generateDiscoveryDatabase({ courses: 60, seed: 29 }) }));
  service = await startTestService({
    worker: true,
    discovery: new HttpDiscoveryClient({ baseUrl: discovery.url, ...CLIENT }),
    // No sweep may queue refreshes in the middle of a case (the default runs at every full hour).
    env: { CATALOG_SWEEP_CRON: "0 0 1 1 *" },
  });
  authorization = await service.authorization({ roles: [`enterprise_catalog_admin:${CUSTOMER}`] });
  const created = await service.call("createEnterpriseCatalog", "POST", "/api/v1/enterprise-catalogs/", {
    body: { title: "Misbehaving discovery", enterprise_customer: CUSTOMER, content_filter: { content_type: ["course", "courserun", "program"], chaos: randomUUID() } },
  });
  const first = await service.nextRefresh(created.body.catalog_query_uuid);
  expect(first.outcome).toBe("succeeded");
  // More than one search page, and courses and programs to enrich: every case below has something to break.
  expect(first.run?.added).toBeGreaterThan(2 * CLIENT.pageSize);
  const listing = await listingOf(created.body.uuid);
  const results = (JSON.parse(listing) as { results: { content_type: string; key: string }[] }).results;
  expect(results.some((item) => item.content_type === "program")).toBe(true);
  const someKey = results.find((item) => item.content_type === "courserun")?.key;
  if (someKey === undefined) throw new TypeError("The corpus has no course run");
  catalog = { uuid: created.body.uuid, queryUuid: created.body.catalog_query_uuid, listing, someKey };
});
afterAll(async () => {
  await service?.stop();
  await discovery?.close();
});

async function listingOf(catalogUuid: string): Promise<string> {
  const response = await fetch(`${service.baseUrl}/api/v1/enterprise-catalogs/${catalogUuid}/get_content_metadata/?traverse_pagination=1`, { headers: { authorization } });
  if (response.status !== 200) throw new Error(`Listing answered ${response.status}`);
  return await response.text();
}

/** A listing equal to the one before the fault, and containment of one of its runs. */
async function readsOldContent(): Promise<{ ok: boolean; detail?: string }> {
  const listing = await listingOf(catalog.uuid);
  if (listing !== catalog.listing) return { ok: false, detail: "the listing changed" };
  const contains = await fetch(
    `${service.baseUrl}/api/v1/enterprise-catalogs/${catalog.uuid}/contains_content_items/?course_run_ids=${encodeURIComponent(catalog.someKey)}`,
    { headers: { authorization } },
  );
  const body = await contains.json() as { contains_content_items?: boolean };
  return body.contains_content_items === true ? { ok: true } : { ok: false, detail: `containment answered ${contains.status} ${JSON.stringify(body)}` };
}

/** Every stored row but the bookkeeping of failed refreshes. */
async function storedContent(): Promise<Record<string, unknown>> {
  const queries = await service.runtime.orm.em.getConnection().execute(
    `select uuid, client_uuid, title, content_filter, content_filter_hash, created, content_version, content_last_modified,
            last_refreshed_at, item_count
       from catalog_query order by uuid`,
  );
  return { ...Object.fromEntries(Object.entries(await service.storedState()).filter(([table]) => !BOOKKEEPING.has(table))), catalog_query: queries };
}

interface Case {
  readonly path: DiscoveryPath;
  readonly misbehaviour: Misbehaviour;
  /** The stage the failed run must name. */
  readonly stage: string;
  /** What the failed run's message must say. */
  readonly reason: RegExp;
  /** Change the search answer so that the enrichment stages must fetch full records again. */
  readonly revise?: boolean;
}

const CASES: readonly Case[] = [
  { path: "search", misbehaviour: "hang", stage: "search", reason: /Discovery search failed on page 1 after 2 attempts: timed out/ },
  { path: "search", misbehaviour: "drip", stage: "search", reason: /Discovery search failed on page 1 after 2 attempts: timed out/ },
  { path: "search", misbehaviour: "invalid-json", stage: "search", reason: /Discovery search failed on page 1 after 2 attempts: the answer is not JSON/ },
  { path: "search", misbehaviour: "html", stage: "search", reason: /Discovery search failed on page 1 after 2 attempts: the answer is not JSON/ },
  { path: "search", misbehaviour: "unavailable-from-page-2", stage: "search", reason: /Discovery search failed on page 2 after 2 attempts: status 503/ },
  { path: "search", misbehaviour: "record-without-key", stage: "search", reason: /Discovery sent a record without key or uuid \(result 1 of \d+\)/ },
  { path: "search", misbehaviour: "record-without-content-type", stage: "search", reason: /Discovery sent a record without content_type \(result 1 of \d+\)/ },
  { path: "search", misbehaviour: "duplicate-across-pages", stage: "search", reason: /Discovery sent ".+" twice during the search/ },
  { path: "search", misbehaviour: "repeat-within-page", stage: "search", reason: /Discovery sent ".+" twice during the search/ },
  { path: "search", misbehaviour: "count-changes", stage: "search", reason: /Discovery changed during the search: page 2 counts \d+ records, page 1 counted \d+/ },
  { path: "courses", misbehaviour: "hang", stage: "courses", reason: /Discovery courses failed on batch 1 page 1 after 2 attempts: timed out/, revise: true },
  { path: "courses", misbehaviour: "invalid-json", stage: "courses", reason: /Discovery courses failed on batch 1 page 1 after 2 attempts: the answer is not JSON/, revise: true },
  { path: "programs", misbehaviour: "hang", stage: "programs", reason: /Discovery programs failed on batch 1 page 1 after 2 attempts: timed out/, revise: true },
  { path: "programs", misbehaviour: "invalid-json", stage: "programs", reason: /Discovery programs failed on batch 1 page 1 after 2 attempts: the answer is not JSON/, revise: true },
];

/** Refreshes the catalog with `path` misbehaving; returns the failed run and the figures. */
async function failingRefresh(path: DiscoveryPath, misbehaviour: Misbehaviour, options: { revise?: boolean } = {}) {
  const before = await storedContent();
  discovery.misbehave(path, misbehaviour);
  discovery.reviseTitles(options.revise ? " (revised)" : undefined);
  const probe = startReadProbe(readsOldContent, { concurrency: 2, pauseMs: 20 });
  const started = performance.now();
  try {
    const finished = service.nextRefresh(catalog.queryUuid);
    const queued = await service.call("refreshEnterpriseCatalogMetadata", "POST", `/api/v1/enterprise-catalogs/${catalog.uuid}/refresh_metadata/`);
    expect(queued.status).toBe(200);
    const event = await finished;
    const ms = Math.round(performance.now() - started);
    const reads = await probe.stop();
    const requests = { ...discovery.requests };
    discovery.misbehave(undefined);
    discovery.reviseTitles(undefined);
    // pg-boss would retry the job 10 to 20 s later, while another case runs: this one is over.
    await service.runtime.boss.cancel(REFRESH_QUEUE, event.jobId);
    expect(event.outcome).toBe("error");
    const query = await service.call("getCatalogQuery", "GET", `/api/v1/catalog-queries/${catalog.queryUuid}/`);
    const run = query.body.last_runs[0] as { outcome: string; stage: string; message: string; started_at: string; finished_at: string };
    const runMs = Date.parse(run.finished_at) - Date.parse(run.started_at);
    return { run, ms, runMs, reads, requests, before, after: await storedContent() };
  } finally {
    await probe.stop();
    discovery.misbehave(undefined);
    discovery.reviseTitles(undefined);
  }
}

describe("a refresh from a misbehaving discovery", () => {
  it.each(CASES)("$path $misbehaviour: fails the refresh in $stage, changes nothing stored and serves the old content meanwhile", async ({ path, misbehaviour, stage, reason, revise }) => {
    const failed = await failingRefresh(path, misbehaviour, { revise });
    reportFigures("discovery misbehaves", {
      endpoint: path, misbehaviour, failedInMs: failed.ms, runMs: failed.runMs, stage: failed.run.stage, message: failed.run.message,
      discoveryRequests: failed.requests, readsTried: failed.reads.tried, readsFailed: failed.reads.failed,
      readP50Ms: failed.reads.p50Ms, readMaxMs: failed.reads.maxMs,
    });
    expect(failed.run).toMatchObject({ outcome: "failed", stage });
    expect(failed.run.message).toMatch(reason);
    expect(failed.runMs).toBeLessThan(REFRESH_BOUND_MS);
    expect(failed.after).toEqual(failed.before);
    expect(failed.reads.tried).toBeGreaterThan(0);
    expect(failed.reads.failures).toEqual([]);
    if (path !== "search") expect(failed.requests[path]).toBeGreaterThan(0);
  });

  it("endless answer: stops reading at the size limit, fails the refresh, and keeps the process's memory near its baseline", async () => {
    globalThis.gc?.();
    const rssBefore = process.memoryUsage().rss;
    const failed = await failingRefresh("search", "endless");
    const rssAfter = process.memoryUsage().rss;
    reportFigures("discovery misbehaves", {
      endpoint: "search", misbehaviour: "endless", failedInMs: failed.ms, runMs: failed.runMs, stage: failed.run.stage, message: failed.run.message,
      readsTried: failed.reads.tried, readsFailed: failed.reads.failed, readMaxMs: failed.reads.maxMs,
      rssBeforeMb: Math.round(rssBefore / 2 ** 20), rssAfterMb: Math.round(rssAfter / 2 ** 20),
    });
    expect(failed.run).toMatchObject({ outcome: "failed", stage: "search" });
    expect(failed.run.message).toMatch(/the answer is larger than 33554432 bytes/);
    expect(failed.runMs).toBeLessThan(REFRESH_BOUND_MS);
    expect(failed.after).toEqual(failed.before);
    expect(failed.reads.failures).toEqual([]);
    expect(rssAfter - rssBefore).toBeLessThan(128 * 2 ** 20);
  });
});
