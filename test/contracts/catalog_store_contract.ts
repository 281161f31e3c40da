/** The `CatalogStore` contract, run against every adapter of the port. */
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, beforeEach, describe, expect, test } from "vitest";
import { type CatalogQuery, type EnterpriseCatalog, NEVER_REFRESHED } from "../../src/catalog/catalog.ts";
import { contentFilterFromJson, contentFilterFromValue } from "../../src/catalog/content_filter.ts";
import { ConflictError, NotFoundError } from "../../src/errors.ts";
import type { JsonObject } from "../../src/json.ts";
import type { CatalogStore } from "../../src/ports/catalog_store.ts";
import type { StoreHarness } from "../helpers/store_harness.ts";

const T0 = new Date("2026-01-01T00:00:00.000Z");
const CUSTOMER_A = "aaaaaaaa-0000-4000-8000-000000000001";
const CUSTOMER_B = "bbbbbbbb-0000-4000-8000-000000000002";
const CUSTOMER_C = "cccccccc-0000-4000-8000-000000000003";

/** Registers the suite; `setup` runs once, the harness is reset before every test. */
export function describeCatalogStoreContract(name: string, setup: () => Promise<StoreHarness>): void {
  describe(`CatalogStore contract: ${name}`, () => {
    let harness: StoreHarness;
    let store: CatalogStore;

    beforeAll(async () => {
      harness = await setup();
      store = harness.catalogs;
    });
    afterAll(async () => {
      await harness?.close();
    });
    beforeEach(async () => {
      await harness.reset();
    });

    async function newQuery(filter: JsonObject = { content_type: "course", n: randomUUID() }): Promise<CatalogQuery> {
      return await store.resolveQuery({ contentFilter: contentFilterFromValue(filter), now: T0 });
    }

    function catalog(queryUuid: string, fields: Partial<EnterpriseCatalog> = {}): EnterpriseCatalog {
      return {
        uuid: randomUUID(),
        title: "Catalog",
        enterpriseCustomerUuid: CUSTOMER_A,
        enterpriseCustomerName: "Customer A",
        queryUuid,
        enabledCourseModes: ["verified", "audit"],
        publishAuditEnrollmentUrls: false,
        created: T0,
        modified: T0,
        ...fields,
      };
    }

    describe("catalogs", () => {
      test("insertCatalog() then getCatalog() returns an equal catalog", async () => {
        const query = await newQuery();
        const written = catalog(query.uuid, { title: "Ünïcode “title”", publishAuditEnrollmentUrls: true });
        await store.insertCatalog(written);
        expect(await store.getCatalog(written.uuid)).toEqual(written);
        expect(await store.getCatalog(randomUUID())).toBeUndefined();
        expect(await store.getCatalog("not-a-uuid")).toBeUndefined();
      });

      test("getCatalog() returns a copy the caller cannot change the store through", async () => {
        const query = await newQuery();
        const written = catalog(query.uuid);
        await store.insertCatalog(written);
        const read = (await store.getCatalog(written.uuid)) as unknown as { enabledCourseModes: string[]; created: Date };
        read.enabledCourseModes.push("honor");
        read.created.setTime(0);
        expect(await store.getCatalog(written.uuid)).toEqual(written);
      });

      test("insertCatalog() with a taken uuid throws ConflictError and keeps the first", async () => {
        const query = await newQuery();
        const first = catalog(query.uuid, { title: "First" });
        await store.insertCatalog(first);
        await expect(store.insertCatalog({ ...first, title: "Second" })).rejects.toBeInstanceOf(ConflictError);
        expect((await store.getCatalog(first.uuid))?.title).toBe("First");
      });

      test("insertCatalog() conflict inside a transaction leaves the transaction usable", async () => {
        const query = await newQuery();
        const first = catalog(query.uuid);
        const second = catalog(query.uuid);
        await store.transaction(async (tx) => {
          await tx.insertCatalog(first);
          await expect(tx.insertCatalog(first)).rejects.toBeInstanceOf(ConflictError);
          await tx.insertCatalog(second);
        });
        expect(await store.getCatalog(first.uuid)).toEqual(first);
        expect(await store.getCatalog(second.uuid)).toEqual(second);
      });

      test("insertCatalog() with an unknown query throws NotFoundError", async () => {
        await expect(store.insertCatalog(catalog(randomUUID()))).rejects.toBeInstanceOf(NotFoundError);
      });

      test("updateCatalog() changes every field but the creation time", async () => {
        const query = await newQuery();
        const other = await newQuery();
        const written = catalog(query.uuid);
        await store.insertCatalog(written);
        const changed: EnterpriseCatalog = {
          ...written,
          title: "Renamed",
          enterpriseCustomerName: "Customer A (renamed)",
          queryUuid: other.uuid,
          enabledCourseModes: ["honor"],
          publishAuditEnrollmentUrls: true,
          created: new Date("2030-01-01T00:00:00.000Z"),
          modified: new Date("2026-02-01T00:00:00.000Z"),
        };
        await store.updateCatalog(changed);
        expect(await store.getCatalog(written.uuid)).toEqual({ ...changed, created: written.created });
      });

      test("updateCatalog() of a missing catalog throws NotFoundError", async () => {
        const query = await newQuery();
        await expect(store.updateCatalog(catalog(query.uuid))).rejects.toBeInstanceOf(NotFoundError);
        expect(await store.getCatalog(randomUUID())).toBeUndefined();
      });

      test("deleteCatalog() deletes once and reports whether it did", async () => {
        const query = await newQuery();
        const written = catalog(query.uuid);
        await store.insertCatalog(written);
        expect(await store.deleteCatalog(written.uuid)).toBe(true);
        expect(await store.getCatalog(written.uuid)).toBeUndefined();
        expect(await store.deleteCatalog(written.uuid)).toBe(false);
      });

      test("getCatalogs() returns the catalogs found, keyed by uuid, whatever the case asked", async () => {
        const query = await newQuery();
        const a = catalog(query.uuid);
        const b = catalog(query.uuid, { enterpriseCustomerUuid: CUSTOMER_B });
        await store.insertCatalog(a);
        await store.insertCatalog(b);
        const found = await store.getCatalogs([a.uuid, randomUUID(), b.uuid.toUpperCase(), a.uuid, "nope"]);
        expect([...found.keys()].sort()).toEqual([a.uuid, b.uuid].sort());
        expect(found.get(b.uuid)).toEqual(b);
        expect((await store.getCatalogs([])).size).toBe(0);
      });

      test("listCatalogs() orders by creation time then uuid, pages and counts", async () => {
        const query = await newQuery();
        const t1 = new Date(T0.getTime() + 1000);
        const written = [
          catalog(query.uuid, { uuid: "00000000-0000-4000-8000-00000000000c", created: t1 }),
          catalog(query.uuid, { uuid: "00000000-0000-4000-8000-00000000000b", created: T0 }),
          catalog(query.uuid, { uuid: "00000000-0000-4000-8000-00000000000a", created: t1 }),
          catalog(query.uuid, { uuid: "00000000-0000-4000-8000-00000000000d", created: T0 }),
          catalog(query.uuid, { uuid: "00000000-0000-4000-8000-00000000000e", created: new Date(T0.getTime() - 1) }),
        ];
        for (const item of written) await store.insertCatalog(item);
        const expected = ["e", "b", "d", "a", "c"].map((suffix) => `00000000-0000-4000-8000-00000000000${suffix}`);

        const all = await store.listCatalogs({}, { page: 1, pageSize: 10 });
        expect(all.count).toBe(5);
        expect(all.items.map((item) => item.uuid)).toEqual(expected);
        const second = await store.listCatalogs({}, { page: 2, pageSize: 2 });
        expect(second).toEqual({ items: all.items.slice(2, 4), count: 5 });
        const beyond = await store.listCatalogs({}, { page: 4, pageSize: 2 });
        expect(beyond).toEqual({ items: [], count: 5 });
      });

      test("listCatalogs() filters by customer and by visible customers", async () => {
        const query = await newQuery();
        const a = catalog(query.uuid, { enterpriseCustomerUuid: CUSTOMER_A, created: T0 });
        const b = catalog(query.uuid, { enterpriseCustomerUuid: CUSTOMER_B, created: new Date(T0.getTime() + 1) });
        const c = catalog(query.uuid, { enterpriseCustomerUuid: CUSTOMER_C, created: new Date(T0.getTime() + 2) });
        for (const item of [a, b, c]) await store.insertCatalog(item);
        const page = { page: 1, pageSize: 10 };
        const uuids = async (filter: Parameters<CatalogStore["listCatalogs"]>[0]) => {
          const result = await store.listCatalogs(filter, page);
          expect(result.count).toBe(result.items.length);
          return result.items.map((item) => item.uuid);
        };
        expect(await uuids({ enterpriseCustomerUuid: CUSTOMER_B })).toEqual([b.uuid]);
        expect(await uuids({ visibleCustomerUuids: [CUSTOMER_A, CUSTOMER_C] })).toEqual([a.uuid, c.uuid]);
        expect(await uuids({ visibleCustomerUuids: [] })).toEqual([]);
        expect(await uuids({ enterpriseCustomerUuid: CUSTOMER_B, visibleCustomerUuids: [CUSTOMER_A] })).toEqual([]);
        expect(await uuids({ enterpriseCustomerUuid: CUSTOMER_C, visibleCustomerUuids: [CUSTOMER_C] })).toEqual([c.uuid]);
        expect(await uuids({ enterpriseCustomerUuid: randomUUID() })).toEqual([]);
      });

      test("listCatalogs() filters by uuid, exact title and instants, and orders by the keys given, then creation", async () => {
        const query = await newQuery();
        const at = (ms: number) => new Date(T0.getTime() + ms);
        const a = catalog(query.uuid, { title: "beta", enterpriseCustomerUuid: CUSTOMER_B, created: at(0), modified: at(30) });
        const b = catalog(query.uuid, { title: "Zeta", enterpriseCustomerUuid: CUSTOMER_A, created: at(1), modified: at(10) });
        const c = catalog(query.uuid, { title: "beta", enterpriseCustomerUuid: CUSTOMER_A, created: at(2), modified: at(20) });
        for (const item of [a, b, c]) await store.insertCatalog(item);
        const uuids = async (filter: Parameters<CatalogStore["listCatalogs"]>[0]) => (await store.listCatalogs(filter, { page: 1, pageSize: 10 })).items.map((item) => item.uuid);
        expect(await uuids({ uuid: b.uuid.toUpperCase() })).toEqual([b.uuid]);
        expect(await uuids({ uuid: "not-a-uuid" })).toEqual([]);
        expect(await uuids({ title: "beta" })).toEqual([a.uuid, c.uuid]);
        expect(await uuids({ title: "Beta" })).toEqual([]);
        expect(await uuids({ created: at(1) })).toEqual([b.uuid]);
        expect(await uuids({ modified: at(20) })).toEqual([c.uuid]);
        // Code point order: "Z" (0x5a) sorts before "b" (0x62); equal titles fall back to creation.
        expect(await uuids({ ordering: [{ field: "title", descending: false }] })).toEqual([b.uuid, a.uuid, c.uuid]);
        expect(await uuids({ ordering: [{ field: "title", descending: true }] })).toEqual([a.uuid, c.uuid, b.uuid]);
        expect(await uuids({ ordering: [{ field: "modified", descending: true }] })).toEqual([a.uuid, c.uuid, b.uuid]);
        expect(await uuids({ ordering: [{ field: "enterpriseCustomerUuid", descending: false }, { field: "created", descending: true }] })).toEqual([c.uuid, b.uuid, a.uuid]);
      });

      test("listCustomerCatalogs() returns one customer's catalogs oldest first", async () => {
        const query = await newQuery();
        const newer = catalog(query.uuid, { created: new Date(T0.getTime() + 5) });
        const older = catalog(query.uuid, { created: T0 });
        const foreign = catalog(query.uuid, { enterpriseCustomerUuid: CUSTOMER_B });
        for (const item of [newer, older, foreign]) await store.insertCatalog(item);
        expect(await store.listCustomerCatalogs(CUSTOMER_A)).toEqual([older, newer]);
        expect(await store.listCustomerCatalogs(CUSTOMER_C)).toEqual([]);
      });
    });

    describe("queries", () => {
      test("resolveQuery() creates a never-refreshed query that getQuery() and getQueryByHash() find", async () => {
        const filter = contentFilterFromValue({ content_type: ["course", "program"], partner: "edx" });
        const query = await store.resolveQuery({ contentFilter: filter, title: "Courses", now: T0 });
        expect(query).toEqual({ uuid: query.uuid, title: "Courses", contentFilter: filter, created: T0, refresh: NEVER_REFRESHED });
        expect(await store.getQuery(query.uuid)).toEqual(query);
        expect(await store.getQueryByHash(filter.hash)).toEqual(query);
        expect(await store.getQueryByHash("0".repeat(32))).toBeUndefined();
        expect(await store.getQuery(randomUUID())).toBeUndefined();
      });

      test("resolveQuery() keeps a filter's Python-compatible text exactly", async () => {
        const filter = contentFilterFromJson('{"b": [1.0, 2, "é/x"], "a": {"z": 1e-7, "y": null}}');
        const query = await store.resolveQuery({ contentFilter: filter, now: T0 });
        const read = await store.getQuery(query.uuid);
        expect(read?.contentFilter.canonicalJson).toBe(filter.canonicalJson);
        expect(read?.contentFilter.hash).toBe(filter.hash);
        expect(read?.contentFilter.value).toEqual(filter.value);
        expect(read?.title).toBeNull();
      });

      test("resolveQuery() returns the existing query for the same filter in any key order", async () => {
        const first = await store.resolveQuery({
          contentFilter: contentFilterFromValue({ content_type: "course", org: ["MITx", "HarvardX"] }),
          title: "First",
          now: T0,
        });
        const again = await store.resolveQuery({
          contentFilter: contentFilterFromJson('{"org": ["MITx", "HarvardX"], "content_type": "course"}'),
          title: "Second",
          preferredUuid: randomUUID(),
          now: new Date(T0.getTime() + 1000),
        });
        expect(again).toEqual(first);
        const other = await store.resolveQuery({
          contentFilter: contentFilterFromValue({ content_type: "course", org: ["HarvardX", "MITx"] }),
          now: T0,
        });
        expect(other.uuid).not.toBe(first.uuid);
        expect((await store.listQueries({}, { page: 1, pageSize: 10 })).count).toBe(2);
      });

      test("nameQuery() moves a public uuid to another query, and back, leaving every filter and catalog where it was", async () => {
        const clientUuid = randomUUID();
        const old = await store.resolveQuery({ contentFilter: contentFilterFromValue({ n: "old" }), preferredUuid: clientUuid, now: T0 });
        expect(old.uuid).toBe(clientUuid);
        const sibling = catalog(old.uuid, { enterpriseCustomerUuid: CUSTOMER_B });
        await store.insertCatalog(sibling);
        const edited = await store.resolveQuery({ contentFilter: contentFilterFromValue({ n: "edited" }), preferredUuid: clientUuid, now: T0 });
        expect(edited.uuid).not.toBe(clientUuid);
        const named = await store.nameQuery(edited.uuid, clientUuid.toUpperCase());
        expect(named).toEqual({ ...edited, clientUuid });
        expect(await store.getQueryByPublicUuid(clientUuid)).toEqual(named);
        // The query that had the name keeps its filter and its catalog, under a fresh public uuid.
        const renamed = await store.getQuery(old.uuid);
        expect(renamed?.contentFilter.hash).toBe(old.contentFilter.hash);
        expect(renamed?.clientUuid).toMatch(/^[0-9a-f-]{36}$/);
        expect(renamed?.clientUuid).not.toBe(clientUuid);
        expect(await store.getQueryByPublicUuid(renamed?.clientUuid as string)).toEqual(renamed);
        expect((await store.getCatalog(sibling.uuid))?.queryUuid).toBe(old.uuid);
        // Named back: the old query shows its own uuid again, the edited one its own.
        const back = await store.nameQuery(old.uuid, clientUuid);
        expect(back).toEqual({ ...old });
        expect(await store.getQueryByPublicUuid(clientUuid)).toEqual(old);
        expect((await store.getQuery(edited.uuid))?.clientUuid).toBeUndefined();
        expect(await store.getQueryByPublicUuid(edited.uuid)).toMatchObject({ uuid: edited.uuid });
        await expect(store.nameQuery(randomUUID(), clientUuid)).rejects.toBeInstanceOf(NotFoundError);
      });

      test("resolveQuery() uses the preferred uuid only when it is free", async () => {
        const preferred = randomUUID();
        const first = await store.resolveQuery({
          contentFilter: contentFilterFromValue({ n: 1 }),
          preferredUuid: preferred,
          now: T0,
        });
        expect(first.uuid).toBe(preferred);
        const second = await store.resolveQuery({
          contentFilter: contentFilterFromValue({ n: 2 }),
          preferredUuid: preferred,
          now: T0,
        });
        expect(second.uuid).not.toBe(preferred);
        expect(second.contentFilter.hash).toBe(contentFilterFromValue({ n: 2 }).hash);
        expect((await store.getQuery(preferred))?.contentFilter.hash).toBe(first.contentFilter.hash);
      });

      test("resolveQuery() of one new filter at once from many callers makes one query", async () => {
        const filter = { content_type: "courserun", race: randomUUID() };
        const results = await Promise.all(
          Array.from({ length: 8 }, (_, i) => {
            const newQuery = { contentFilter: contentFilterFromValue(filter), preferredUuid: randomUUID(), now: T0 };
            return i % 2 === 0
              ? store.resolveQuery(newQuery)
              : store.transaction((tx) => tx.resolveQuery(newQuery));
          }),
        );
        expect(new Set(results.map((query) => query.uuid)).size).toBe(1);
        expect((await store.listQueries({}, { page: 1, pageSize: 10 })).count).toBe(1);
      });

      test("getQueries() returns the queries found, keyed by uuid", async () => {
        const a = await newQuery();
        const b = await newQuery();
        const found = await store.getQueries([a.uuid, randomUUID(), b.uuid, a.uuid, "nope"]);
        expect([...found.keys()].sort()).toEqual([a.uuid, b.uuid].sort());
        expect(found.get(a.uuid)).toEqual(a);
        expect((await store.getQueries([])).size).toBe(0);
      });

      test("listQueries() orders, pages and filters by the customers using them", async () => {
        const q1 = await store.resolveQuery({ contentFilter: contentFilterFromValue({ n: 1 }), now: T0 });
        const q2 = await store.resolveQuery({ contentFilter: contentFilterFromValue({ n: 2 }), now: new Date(T0.getTime() + 2) });
        const q3 = await store.resolveQuery({ contentFilter: contentFilterFromValue({ n: 3 }), now: new Date(T0.getTime() + 1) });
        await store.insertCatalog(catalog(q1.uuid, { enterpriseCustomerUuid: CUSTOMER_A }));
        await store.insertCatalog(catalog(q1.uuid, { enterpriseCustomerUuid: CUSTOMER_B }));
        await store.insertCatalog(catalog(q2.uuid, { enterpriseCustomerUuid: CUSTOMER_B }));

        const all = await store.listQueries({}, { page: 1, pageSize: 10 });
        expect(all.items.map((query) => query.uuid)).toEqual([q1.uuid, q3.uuid, q2.uuid]);
        expect(await store.listQueries({}, { page: 2, pageSize: 2 })).toEqual({ items: [all.items[2]], count: 3 });
        const usedByB = await store.listQueries({ usedByCustomerUuids: [CUSTOMER_B] }, { page: 1, pageSize: 10 });
        expect(usedByB).toEqual({ items: [q1, q2], count: 2 });
        const usedByA = await store.listQueries({ usedByCustomerUuids: [CUSTOMER_A, CUSTOMER_C] }, { page: 1, pageSize: 10 });
        expect(usedByA).toEqual({ items: [q1], count: 1 });
        expect(await store.listQueries({ usedByCustomerUuids: [] }, { page: 1, pageSize: 10 })).toEqual({ items: [], count: 0 });
      });

      test("catalogsByQuery() lists the catalogs of each query in use, oldest first", async () => {
        const q1 = await newQuery();
        const q2 = await newQuery();
        const unused = await newQuery();
        const c1 = catalog(q1.uuid, { created: new Date(T0.getTime() + 1) });
        const c2 = catalog(q1.uuid, { created: T0 });
        const c3 = catalog(q2.uuid);
        for (const item of [c1, c2, c3]) await store.insertCatalog(item);

        const all = await store.catalogsByQuery();
        expect(new Map(all)).toEqual(new Map([[q1.uuid, [c2.uuid, c1.uuid]], [q2.uuid, [c3.uuid]]]));
        const some = await store.catalogsByQuery([q2.uuid, unused.uuid]);
        expect(new Map(some)).toEqual(new Map([[q2.uuid, [c3.uuid]]]));
        expect((await store.catalogsByQuery([])).size).toBe(0);
      });
    });

    describe("transactions", () => {
      test("transaction() commits and returns what the work returns", async () => {
        const result = await store.transaction(async (tx) => {
          const query = await tx.resolveQuery({ contentFilter: contentFilterFromValue({ n: 1 }), now: T0 });
          await tx.insertCatalog(catalog(query.uuid, { title: "Committed" }));
          return query.uuid;
        });
        const listed = await store.listCatalogs({}, { page: 1, pageSize: 10 });
        expect(listed.items.map((item) => [item.title, item.queryUuid])).toEqual([["Committed", result]]);
      });

      test("transaction() that throws leaves nothing written", async () => {
        const existing = await newQuery();
        const kept = catalog(existing.uuid, { title: "Kept" });
        await store.insertCatalog(kept);
        const filter = contentFilterFromValue({ n: "rolled back" });
        const failure = new Error("boom");
        await expect(store.transaction(async (tx) => {
          const query = await tx.resolveQuery({ contentFilter: filter, now: T0 });
          await tx.insertCatalog(catalog(query.uuid));
          await tx.updateCatalog({ ...kept, title: "Changed" });
          await tx.deleteCatalog(kept.uuid);
          throw failure;
        })).rejects.toBe(failure);
        expect(await store.getQueryByHash(filter.hash)).toBeUndefined();
        expect(await store.listCatalogs({}, { page: 1, pageSize: 10 })).toEqual({ items: [kept], count: 1 });
      });

      test("lockCatalog() holds the catalog: a second transaction's lockCatalog() waits and reads what the first committed", async () => {
        const query = await newQuery();
        const held = catalog(query.uuid, { title: "Before" });
        await store.insertCatalog(held);
        let release!: () => void;
        const released = new Promise<void>((resolve) => (release = resolve));
        let locked!: () => void;
        const lockedOnce = new Promise<void>((resolve) => (locked = resolve));
        const first = store.transaction(async (tx) => {
          expect((await tx.lockCatalog(held.uuid))?.title).toBe("Before");
          locked();
          await released;
          await tx.updateCatalog({ ...held, title: "After" });
        });
        await lockedOnce;
        const second = store.transaction(async (tx) => (await tx.lockCatalog(held.uuid))?.title);
        // The second would read "Before" if it did not wait for the first to commit.
        setTimeout(release, 100);
        await first;
        expect(await second).toBe("After");
        await expect(store.lockCatalog(held.uuid)).rejects.toThrow(TypeError);
        expect(await store.transaction((tx) => tx.lockCatalog(randomUUID()))).toBeUndefined();
      });

      test("transaction() nested in another joins it: the outer failure undoes the inner writes", async () => {
        const query = await newQuery();
        const inner = catalog(query.uuid);
        await expect(store.transaction(async (outer) => {
          await outer.transaction(async (nested) => {
            await nested.insertCatalog(inner);
          });
          expect(await outer.getCatalog(inner.uuid)).toEqual(inner);
          throw new Error("outer fails");
        })).rejects.toThrow("outer fails");
        expect(await store.getCatalog(inner.uuid)).toBeUndefined();
      });
    });
  });
}
