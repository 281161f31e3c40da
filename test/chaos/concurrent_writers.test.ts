/**
 * Scenario 5, concurrent writers, against the real HTTP app on PostgreSQL: many changes of one
 * catalog at once, many creates of one client-chosen uuid, and creates and changes racing
 * deletes. One winner where one is expected, conflicts as 409 (never a 5xx), a final state equal
 * to the last committed write with a change history that chains (each entry starts where the one
 * before ended: no change was computed from a state another had replaced), no query left behind
 * by a losing write, and refresh jobs only for queries that exist, the final filter's among them.
 */
import { randomUUID } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { REFRESH_QUEUE } from "../../adapters/pg_boss/pg_boss_refresh_scheduler.ts";
import { contentFilterFromValue } from "../../src/catalog/content_filter.ts";
import { type PostgresTestService, startTestService } from "../helpers/service.ts";
import { reportFigures } from "./support/read_probe.ts";

const CUSTOMER = "a94412c9-f91c-4d0d-87cb-1ca1c0d11457";
const CATALOGS = "/api/v1/enterprise-catalogs/";

let service: PostgresTestService;
let authorization: string;
let database: pg.Client;

beforeAll(async () => {
  // No worker: the refresh jobs the writes queue stay queued, to be checked against the final filters.
  service = await startTestService({ env: { CATALOG_SWEEP_CRON: "0 0 1 1 *" } });
  authorization = await service.authorization({ roles: ["enterprise_openedx_operator:*"], subject: "concurrent-writer" });
  database = new pg.Client({ connectionString: service.runtime.config.databaseUrl });
  await database.connect();
});
afterAll(async () => {
  await database?.end();
  await service?.stop();
});

interface Sent {
  readonly status: number;
  readonly body: any;
  /** When the answer arrived, ms since the burst began. */
  readonly at: number;
}

async function send(method: string, path: string, body?: unknown): Promise<Omit<Sent, "at">> {
  const headers: Record<string, string> = { authorization };
  if (body !== undefined) headers["content-type"] = "application/json";
  const response = await fetch(`${service.baseUrl}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await response.text();
  return { status: response.status, body: text === "" ? undefined : JSON.parse(text) };
}

/** Sends every request at once; each answer with its arrival time. */
async function burst(requests: readonly (() => Promise<Omit<Sent, "at">>)[]): Promise<{ answers: Sent[]; ms: number }> {
  const started = performance.now();
  const answers = await Promise.all(requests.map(async (request) => ({ ...(await request()), at: Math.round(performance.now() - started) })));
  return { answers, ms: Math.round(performance.now() - started) };
}

function statuses(answers: readonly Sent[]): Record<number, number> {
  const counts: Record<number, number> = {};
  for (const { status } of answers) counts[status] = (counts[status] ?? 0) + 1;
  return counts;
}

async function create(title: string, filter: Record<string, unknown>, uuid?: string) {
  const created = await send("POST", CATALOGS, { ...(uuid === undefined ? {} : { uuid }), title, enterprise_customer: CUSTOMER, content_filter: filter });
  expect(created.status).toBe(201);
  return created.body as { uuid: string; title: string; content_filter: Record<string, unknown>; catalog_query_uuid: string };
}

/** The catalog's history, oldest first. */
async function history(uuid: string): Promise<{ action: string; changed_at: string; before: any; after: any }[]> {
  const page = await send("GET", `${CATALOGS}${uuid}/history/?page_size=500`);
  expect(page.status).toBe(200);
  return [...(page.body.results as { action: string; changed_at: string; before: any; after: any }[])].reverse();
}

/** The refresh jobs waiting or running, by query uuid. */
async function waitingJobs(): Promise<Map<string, number>> {
  const rows = await database.query<{ query: string; n: string }>(
    "select data->>'queryUuid' as query, count(*) as n from pgboss.job where name = $1 and state in ('created', 'retry', 'active') group by 1",
    [REFRESH_QUEUE],
  );
  return new Map(rows.rows.map((row) => [row.query, Number(row.n)]));
}

async function queryExists(uuid: string): Promise<boolean> {
  return (await send("GET", `/api/v1/catalog-queries/${uuid}/`)).status === 200;
}

describe("concurrent writers", () => {
  it("50 parallel PATCHes of one catalog: all acknowledged, the final state is the last committed write, the history chains", async () => {
    const catalog = await create("Contended", { content_type: "course", org: "Start", run: randomUUID() });
    const filters = new Map<number, Record<string, unknown>>();
    const requests = Array.from({ length: 50 }, (_, i) => {
      // Half change the title, half the filter: a change that wrote back a field read before
      // another change committed would undo an acknowledged write.
      if (i % 2 === 0) return () => send("PATCH", `${CATALOGS}${catalog.uuid}/`, { title: `Title ${i}` });
      const filter = { content_type: "course", org: `Org${i}`, run: randomUUID() };
      filters.set(i, filter);
      return () => send("PATCH", `${CATALOGS}${catalog.uuid}/`, { content_filter: filter });
    });
    const { answers, ms } = await burst(requests);
    const final = await send("GET", `${CATALOGS}${catalog.uuid}/`);
    const finalQuery = await send("GET", `/api/v1/catalog-queries/${final.body.catalog_query_uuid}/`);
    const finalFilter = finalQuery.body.content_filter;
    const entries = await history(catalog.uuid);
    const jobs = await waitingJobs();
    const breaks = entries.slice(1).filter((entry, k) => {
      const previous = entries[k]?.after;
      return entry.before.title !== previous.title || entry.before.catalog_query_uuid !== previous.catalog_query_uuid ||
        JSON.stringify(entry.before.content_filter) !== JSON.stringify(previous.content_filter);
    }).length;
    // When each change says it happened, in the order they happened.
    const backwards = entries.slice(1).filter((entry, k) => Date.parse(entry.changed_at) < Date.parse(entries[k]?.changed_at ?? "")).length;
    const finalHash = contentFilterFromValue(finalFilter).hash;
    const unusedQueriesQueued = [...filters.values()].filter((filter) => contentFilterFromValue(filter).hash !== finalHash).length;
    reportFigures("concurrent writers", {
      case: "50 parallel PATCHes", tried: answers.length, statuses: statuses(answers), burstMs: ms, historyEntries: entries.length,
      historyBreaks: breaks, changedAtBackwards: backwards, refreshJobsWaiting: [...jobs.values()].reduce((a, b) => a + b, 0), supersededFilters: unusedQueriesQueued,
    });

    expect(statuses(answers)).toEqual({ 200: 50 });
    expect(entries.map((entry) => entry.action)).toEqual(["created", ...Array.from({ length: 50 }, () => "changed")]);
    expect(breaks).toBe(0);
    expect(backwards).toBe(0);
    const last = entries.at(-1)?.after;
    expect({ title: final.body.title, query: final.body.catalog_query_uuid, content_filter: finalFilter })
      .toEqual({ title: last.title, query: last.catalog_query_uuid, content_filter: last.content_filter });
    // The last title and the last filter written both stand: neither was undone by a change of the other field.
    const lastTitle = entries.findLast((entry) => entry.before.title !== entry.after.title)?.after.title;
    const lastFilter = entries.findLast((entry) => JSON.stringify(entry.before.content_filter) !== JSON.stringify(entry.after.content_filter))?.after.content_filter;
    expect(final.body.title).toBe(lastTitle);
    expect(finalFilter).toEqual(lastFilter);
    expect([...filters.values()]).toContainEqual(finalFilter);
    // The catalog's query is the one of its final filter, and a refresh of it waits.
    expect(finalQuery.body.content_filter_hash).toBe(finalHash);
    expect(jobs.get(final.body.catalog_query_uuid)).toBe(1);
    for (const queued of jobs.keys()) expect(await queryExists(queued)).toBe(true);
  });

  it("20 parallel creates with one client-chosen uuid: one 201, nineteen 409s, and nothing left of the losers", async () => {
    const uuid = randomUUID();
    const filters = Array.from({ length: 20 }, (_, i) => ({ content_type: "course", org: `Racer${i}`, run: randomUUID() }));
    const jobsBefore = await waitingJobs();
    const { answers, ms } = await burst(filters.map((filter, i) => () =>
      send("POST", CATALOGS, { uuid, title: `Racer ${i}`, enterprise_customer: CUSTOMER, content_filter: filter })));
    const winning = answers.findIndex((answer) => answer.status === 201);
    const winner = answers[winning]?.body;
    const losingFilters = filters.filter((_, i) => i !== winning);
    const leftBehind = (await Promise.all(losingFilters.map((filter) =>
      send("GET", `/api/v1/catalog-queries/get_query_by_hash/?hash=${contentFilterFromValue(filter).hash}`)))).filter((found) => found.status === 200).length;
    const jobs = await waitingJobs();
    const newJobs = [...jobs].filter(([query]) => !jobsBefore.has(query));
    reportFigures("concurrent writers", { case: "20 parallel creates, one uuid", tried: answers.length, statuses: statuses(answers), burstMs: ms, losersQueriesLeft: leftBehind, newRefreshJobs: newJobs.length });

    expect(statuses(answers)).toEqual({ 201: 1, 409: 19 });
    for (const answer of answers.filter((one) => one.status === 409)) {
      expect(answer.body).toMatchObject({ status: 409 });
      expect(String(answer.body.detail)).toContain(uuid);
    }
    const stored = await send("GET", `${CATALOGS}${uuid}/`);
    expect({ title: stored.body.title, query: stored.body.catalog_query_uuid }).toEqual({ title: `Racer ${winning}`, query: winner.catalog_query_uuid });
    const query = await send("GET", `/api/v1/catalog-queries/${winner.catalog_query_uuid}/`);
    expect(query.body.content_filter).toEqual(filters[winning]);
    expect((await history(uuid)).map((entry) => entry.action)).toEqual(["created"]);
    expect(leftBehind).toBe(0);
    expect(newJobs).toEqual([[winner.catalog_query_uuid, 1]]);
  });

  it("creates and changes racing deletes: each a 2xx, or a 404 when the delete came first; never a 5xx; the end state agrees", async () => {
    const rounds = 20;
    const outcomes: Record<string, number> = {};
    const tally = (key: string) => (outcomes[key] = (outcomes[key] ?? 0) + 1);
    const started = performance.now();
    for (let round = 0; round < rounds; round++) {
      const uuid = randomUUID();
      const filter = { content_type: "course", org: `Deleted${round}`, run: randomUUID() };
      // A create racing a delete of the same uuid, the delete sent 0 to 38 ms later so that it
      // lands before, during and after the create's transaction across the rounds.
      const [created, deleted] = await Promise.all([
        send("POST", CATALOGS, { uuid, title: `Doomed ${round}`, enterprise_customer: CUSTOMER, content_filter: filter }),
        new Promise((resolve) => setTimeout(resolve, 2 * round)).then(() => send("DELETE", `${CATALOGS}${uuid}/`)),
      ]);
      tally(`create ${created.status} / delete ${deleted.status}`);
      expect(created.status).toBe(201);
      expect([204, 404]).toContain(deleted.status);
      const afterCreate = await send("GET", `${CATALOGS}${uuid}/`);
      expect(afterCreate.status).toBe(deleted.status === 204 ? 404 : 200);
      expect((await history(uuid)).map((entry) => entry.action)).toEqual(deleted.status === 204 ? ["created", "deleted"] : ["created"]);
      if (afterCreate.status !== 200) continue;
      // A change racing a delete of an existing catalog.
      const [changed, removed] = await Promise.all([
        send("PATCH", `${CATALOGS}${uuid}/`, { title: `Changed ${round}` }),
        send("DELETE", `${CATALOGS}${uuid}/`),
      ]);
      tally(`patch ${changed.status} / delete ${removed.status}`);
      expect([200, 404]).toContain(changed.status);
      expect(removed.status).toBe(204);
      expect((await send("GET", `${CATALOGS}${uuid}/`)).status).toBe(404);
      const entries = await history(uuid);
      expect(entries.map((entry) => entry.action)).toEqual(changed.status === 200 ? ["created", "changed", "deleted"] : ["created", "deleted"]);
      // The deletion recorded the catalog as the change (if any) left it.
      expect(entries.at(-1)?.before.title).toBe(changed.status === 200 ? `Changed ${round}` : `Doomed ${round}`);
    }
    const jobs = await waitingJobs();
    for (const queued of jobs.keys()) expect(await queryExists(queued)).toBe(true);
    reportFigures("concurrent writers", { case: "create and change racing delete", rounds, outcomes, ms: Math.round(performance.now() - started) });
  });
});
