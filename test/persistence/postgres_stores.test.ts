/** What only the Postgres stores can show: statement counts, untouched rows, real concurrency. */
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, beforeEach, describe, expect, test } from "vitest";
import { createOrm } from "../../adapters/postgres/orm.ts";
import { PostgresCatalogStore } from "../../adapters/postgres/postgres_catalog_store.ts";
import { PostgresContentStore } from "../../adapters/postgres/postgres_content_store.ts";
import type { CatalogQuery } from "../../src/catalog/catalog.ts";
import { contentFilterFromValue } from "../../src/catalog/content_filter.ts";
import { course, courseRun } from "../contracts/content_store_contract.ts";
import { postgresHarness, type StoreHarness } from "../helpers/store_harness.ts";
import type { TestDatabase } from "../helpers/database.ts";

const T0 = new Date("2026-01-01T00:00:00.000Z");
const T1 = new Date("2026-01-02T00:00:00.000Z");

describe("Postgres stores", () => {
  let harness: StoreHarness & { readonly database: TestDatabase };

  beforeAll(async () => {
    harness = await postgresHarness();
  });
  afterAll(async () => {
    await harness?.close();
  });
  beforeEach(async () => {
    await harness.reset();
  });

  function sql<T extends object>(text: string, params: unknown[] = []): Promise<T[]> {
    return harness.database.orm.em.fork().execute<T[]>(text, params);
  }

  async function newQuery(): Promise<CatalogQuery> {
    return await harness.catalogs.resolveQuery({
      contentFilter: contentFilterFromValue({ content_type: "course", n: randomUUID() }),
      now: T0,
    });
  }

  /** Counts the statements `work` sends to the database. */
  async function countStatements(work: () => Promise<void>): Promise<number> {
    const config = harness.database.orm.config;
    const original = config.get("onQuery");
    let count = 0;
    config.set("onQuery", (text: string, params: readonly unknown[]) => {
      count++;
      return original(text, params);
    });
    try {
      await work();
    } finally {
      config.set("onQuery", original);
    }
    return count;
  }

  test("applyContentChange() sends a bounded number of statements whatever the number of rows", async () => {
    const mine = await newQuery();
    const sibling = await newQuery();
    const many = Array.from({ length: 11_000 }, (_, i) => course(`course-${String(i).padStart(5, "0")}`));
    // The sibling holds one row from each end, so the rows that bump it fall in different chunks.
    await harness.content.applyContentChange({
      queryUuid: sibling.uuid, upserts: [many[0]!, many[10_999]!], addMembers: [many[0]!.contentKey, many[10_999]!.contentKey],
      removeMembers: [], now: T0,
    });

    const changed = many.map((record) => course(record.contentKey, { title: "Changed" }));
    const statements = await countStatements(() =>
      harness.content.applyContentChange({
        queryUuid: mine.uuid, upserts: changed, addMembers: changed.map((r) => r.contentKey), removeMembers: [], now: T1,
      })
    );
    // The query check, 3 upserts of at most 5,000 rows, 1 member insert, 1 replacement of the
    // restricted runs, 1 query update, then the read model's notice of the queries' versions and
    // the bump of the content version (begin and commit do not pass through onQuery).
    expect(statements).toBe(9);
    expect((await harness.catalogs.getQuery(mine.uuid))?.refresh).toMatchObject({ itemCount: 11_000, contentVersion: 1 });
    expect((await harness.catalogs.getQuery(sibling.uuid))?.refresh).toMatchObject({ itemCount: 2, contentVersion: 2 });
  });

  test("applyContentChange() rewrites neither unchanged content rows nor existing memberships", async () => {
    const query = await newQuery();
    const records = [course("course-a"), courseRun("run-a1", "course-a"), course("course-b")];
    await harness.content.applyContentChange({
      queryUuid: query.uuid, upserts: records, addMembers: records.map((r) => r.contentKey), removeMembers: [], now: T0,
    });
    const versions = () => sql<{ key: string; version: string }>(
      `select 'content:' || content_key as key, xmin::text as version from content_metadata
       union all select 'member:' || content_key, xmin::text from query_content order by 1`,
    );
    const before = await versions();

    await harness.content.applyContentChange({
      queryUuid: query.uuid, upserts: records, addMembers: records.map((r) => r.contentKey), removeMembers: [], now: T1,
    });
    expect(await versions()).toEqual(before);
    expect((await harness.catalogs.getQuery(query.uuid))?.refresh.contentVersion).toBe(1);
  });

  test("applyContentChange() copies a changed parent key into every membership holding the row", async () => {
    const q1 = await newQuery();
    const q2 = await newQuery();
    const base = [course("course-a"), course("course-b"), courseRun("run-1", "course-a")];
    for (const query of [q1, q2]) {
      await harness.content.applyContentChange({
        queryUuid: query.uuid, upserts: base, addMembers: base.map((r) => r.contentKey), removeMembers: [], now: T0,
      });
    }
    await harness.content.applyContentChange({
      queryUuid: q1.uuid, upserts: [courseRun("run-1", "course-b")], addMembers: [], removeMembers: [], now: T1,
    });
    const rows = await sql<{ query_uuid: string; parent_content_key: string; content_type: string }>(
      "select query_uuid::text, parent_content_key, content_type from query_content where content_key = 'run-1' order by 1",
    );
    expect(rows).toEqual([q1.uuid, q2.uuid].sort().map((uuid) => ({
      query_uuid: uuid, parent_content_key: "course-b", content_type: "courserun",
    })));
  });

  test("lockQuery() on different queries does not make transactions wait", async () => {
    const [a, b] = [await newQuery(), await newQuery()];
    let release!: () => void;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    let locked!: () => void;
    const aLocked = new Promise<void>((resolve) => {
      locked = resolve;
    });
    const first = harness.content.transaction(async (tx) => {
      await tx.lockQuery(a.uuid);
      locked();
      await held;
    });
    await aLocked;
    await harness.content.transaction((tx) => tx.lockQuery(b.uuid));
    release();
    await first;
  });

  test("stores built over an EntityManager in a transaction join it", async () => {
    const em = harness.database.orm.em.fork();
    const filter = contentFilterFromValue({ joined: true });
    await expect(em.transactional(async (tx) => {
      const catalogs = new PostgresCatalogStore(tx);
      const content = new PostgresContentStore(tx);
      const query = await catalogs.resolveQuery({ contentFilter: filter, now: T0 });
      await content.lockQuery(query.uuid);
      await content.applyContentChange({
        queryUuid: query.uuid, upserts: [course("course-a")], addMembers: ["course-a"], removeMembers: [], now: T0,
      });
      throw new Error("roll back");
    })).rejects.toThrow("roll back");
    expect(await harness.catalogs.getQueryByHash(filter.hash)).toBeUndefined();
    expect(await harness.content.getContent(["course-a"])).toEqual([]);
  });

  test("resolveQuery() of one new filter from two processes at once makes one query", async () => {
    const otherProcess = await createOrm({ databaseUrl: harness.database.url, poolSize: 3 });
    try {
      const stores = [harness.catalogs, new PostgresCatalogStore(otherProcess.em)];
      const filter = { race: randomUUID() };
      const results = await Promise.all(Array.from({ length: 6 }, (_, i) =>
        stores[i % 2]!.transaction((tx) =>
          tx.resolveQuery({ contentFilter: contentFilterFromValue(filter), preferredUuid: randomUUID(), now: T0 })
        )
      ));
      expect(new Set(results.map((query) => query.uuid)).size).toBe(1);
    } finally {
      await otherProcess.close(true);
    }
  });
});
