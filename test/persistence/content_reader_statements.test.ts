/** What only the Postgres reader can show: one statement per answer, whatever the number of keys or catalogs. */
import { randomUUID } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { createReadPool, PostgresContentReader } from "../../adapters/postgres/postgres_content_reader.ts";
import { contentFilterFromValue } from "../../src/catalog/content_filter.ts";
import { contentRecordFromDiscovery, type ContentRecord } from "../../src/content/content_metadata.ts";
import { postgresHarness, type StoreHarness } from "../helpers/store_harness.ts";

const T0 = new Date("2026-01-01T00:00:00.000Z");

let harness: StoreHarness & { readonly database: { readonly url: string } };
let pool: pg.Pool;
let reader: PostgresContentReader;
const customer = randomUUID();
const catalogUuids: string[] = [];
let bigQuery = "";

/** Counts the statements `work` sends through the reader's pool. */
async function statements(work: () => Promise<unknown>): Promise<number> {
  const original = pool.query.bind(pool);
  let count = 0;
  pool.query = ((...args: unknown[]) => {
    count++;
    return (original as (...a: unknown[]) => unknown)(...args);
  }) as typeof pool.query;
  try {
    await work();
  } finally {
    pool.query = original;
  }
  return count;
}

beforeAll(async () => {
  harness = await postgresHarness();
  pool = createReadPool(harness.database.url, { size: 4 });
  reader = new PostgresContentReader(pool);
  const records: ContentRecord[] = [];
  for (let i = 0; i < 3000; i++) {
    const key = `Org+C${String(i).padStart(4, "0")}`;
    records.push(contentRecordFromDiscovery({ content_type: "course", key, uuid: randomUUID(), course_runs: [{ is_enrollable: true, status: "published", is_marketable: true }] }) as ContentRecord);
    records.push(contentRecordFromDiscovery({ content_type: "courserun", key: `course-v1:${key}+1T`, aggregation_key: `courserun:${key}` }) as ContentRecord);
  }
  for (let i = 0; i < 20; i++) {
    const query = await harness.catalogs.resolveQuery({ contentFilter: contentFilterFromValue({ n: i }), now: T0 });
    const held = i === 0 ? records : records.slice(i * 100, i * 100 + 100);
    await harness.content.applyContentChange({ queryUuid: query.uuid, upserts: held, addMembers: held.map((r) => r.contentKey), removeMembers: [], now: T0 });
    if (i === 0) bigQuery = query.uuid;
    const uuid = randomUUID();
    await harness.catalogs.insertCatalog({
      uuid, title: `Catalog ${i}`, enterpriseCustomerUuid: customer, enterpriseCustomerName: "Acme", queryUuid: query.uuid,
      enabledCourseModes: [], publishAuditEnrollmentUrls: false, created: new Date(T0.getTime() + i), modified: T0,
    });
    catalogUuids.push(uuid);
  }
});
afterAll(async () => {
  await pool?.end();
  await harness?.close();
});

describe("PostgresContentReader statement counts", () => {
  const keys = (n: number) => Array.from({ length: n }, (_, i) => (i % 2 === 0 ? `course-v1:Org+C${String(i).padStart(4, "0")}+1T` : `nobody+${i}`));

  test("containment over a catalog or a customer of 20 catalogs is one statement for 1 or 2,000 keys", async () => {
    for (const n of [1, 2000]) {
      expect(await statements(() => reader.findContainment({ catalogUuids: [catalogUuids[0] as string] }, keys(n), "contains"))).toBe(1);
      expect(await statements(() => reader.findContainment({ customerUuid: customer }, keys(n), "contains"))).toBe(1);
      expect(await statements(() => reader.findContainment({ customerUuid: customer, catalogUuids }, keys(n), "contains"))).toBe(1);
    }
    const found = await reader.findContainment({ customerUuid: customer }, keys(2000), "contains");
    expect(found.catalogUuids).toEqual(catalogUuids);
    expect(found.matches.size).toBe(1000);
  });

  test("concurrent lookups share one statement", async () => {
    const count = await statements(() => Promise.all([
      ...catalogUuids.map((uuid) => reader.getCatalog(uuid)),
      ...catalogUuids.map((uuid) => reader.findContainment({ catalogUuids: [uuid] }, keys(3), "contains")),
      ...catalogUuids.map((uuid) => reader.findContainment({ catalogUuids: [uuid], customerUuid: customer }, keys(3), "contains")),
    ]));
    expect(count).toBe(2);
  });

  test("concurrent customer lookups share one statement and each gets the answer it would get alone", async () => {
    const questions = [keys(4), ["nobody+1"], keys(2)];
    const alone = [];
    for (const asked of questions) alone.push(await reader.findContainment({ customerUuid: customer }, asked, "contains"));
    alone.push(await reader.findContainment({ customerUuid: randomUUID() }, keys(2), "contains"));
    let together: Awaited<ReturnType<typeof reader.findContainment>>[] = [];
    const count = await statements(async () => {
      together = await Promise.all([
        ...questions.map((asked) => reader.findContainment({ customerUuid: customer }, asked, "contains")),
        reader.findContainment({ customerUuid: randomUUID() }, keys(2), "contains"),
      ]);
    });
    expect(count).toBe(1);
    expect(together).toEqual(alone);
    expect(together[0]?.catalogUuids).toEqual(catalogUuids);
    expect(together[0]?.matches.size).toBeGreaterThan(0);
    expect(together[1]?.matches.size).toBe(0);
    expect(together[3]).toEqual({ catalogUuids: [], matches: new Map() });
  });

  test("a listing page is one statement, as deep as at the start; matches, diffs and lookups are one each", async () => {
    expect(await statements(() => reader.listQueryContent(bigQuery, { offset: 0, limit: 100 }))).toBe(1);
    expect(await statements(() => reader.listQueryContent(bigQuery, { offset: 5900, limit: 100 }))).toBe(1);
    expect((await reader.listQueryContent(bigQuery, { offset: 5900, limit: 100 })).items.map((i) => i.contentKey).at(-1)).toBe("course-v1:Org+C2999+1T");
    expect(await statements(() => reader.matchQueryContent(bigQuery, keys(100), "contains"))).toBe(1);
    expect(await statements(() => reader.diffQueryContent(bigQuery, keys(2000)))).toBe(1);
    expect(await statements(() => reader.lookUpContent({ contentKeys: keys(100) }, { page: 1, pageSize: 10 }))).toBe(1);
    expect(await statements(() => reader.findCustomerContent(customer, { contentKey: "Org+C0001" }, "contains"))).toBe(1);
    expect(await statements(() => reader.catalogQueries(catalogUuids))).toBe(1);
  });

  test("a deep page reads by position: only the page's rows, through the position index", async () => {
    const client = await pool.connect();
    try {
      // Planned as in production, on an analyzed table; without statistics the plan would depend on
      // whether autovacuum got there first. Analyzed, PostgreSQL reads the page's hundred rows by a
      // bitmap scan of the position index and sorts them; unanalyzed, it walks that index in order.
      await client.query("analyze query_content");
      const plan = await client.query(`explain select qc.content_key from query_content qc where qc.query_uuid = $1 and qc.position > 5900 and qc.position <= 6000 order by qc.position`, [bigQuery]);
      const text = plan.rows.map((row: Record<string, string>) => row["QUERY PLAN"]).join("\n");
      expect(text).toMatch(/Index (Only )?Scan (using|on) query_content_query_uuid_position_index/);
      expect(text).toMatch(/Index Cond: .*"?position"? > 5900.*"?position"? <= 6000/);
      expect(text).not.toMatch(/Seq Scan|Limit/);
    } finally {
      client.release();
    }
  });
});
