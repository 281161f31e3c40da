/** The `ContentStore` contract, run against every adapter of the port. */
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, beforeEach, describe, expect, test } from "vitest";
import type { CatalogQuery } from "../../src/catalog/catalog.ts";
import { contentFilterFromValue } from "../../src/catalog/content_filter.ts";
import { type ContentMetadata, type ContentRecord, contentRecordFromDiscovery } from "../../src/content/content_metadata.ts";
import { NotFoundError } from "../../src/errors.ts";
import type { JsonObject } from "../../src/json.ts";
import { jsonFingerprint } from "../../src/content/content_metadata.ts";
import { RESTRICTION_FOR_B2B, type RestrictedRunRecord } from "../../src/content/restricted_runs.ts";
import type { ContentChange, ContentStore, RefreshRun } from "../../src/ports/content_store.ts";
import type { StoreHarness } from "../helpers/store_harness.ts";

const T0 = new Date("2026-01-01T00:00:00.000Z");
const T1 = new Date("2026-01-02T00:00:00.000Z");
const T2 = new Date("2026-01-03T00:00:00.000Z");

/** A course record as discovery would send it. */
export function course(key: string, extra: JsonObject = {}): ContentRecord {
  return record({ content_type: "course", key, uuid: uuidFor(key), title: `Course ${key}`, ...extra });
}

/** A course-run record of `courseKey`. */
export function courseRun(key: string, courseKey: string, extra: JsonObject = {}): ContentRecord {
  return record({
    content_type: "courserun", key, uuid: uuidFor(key), aggregation_key: `courserun:${courseKey}`, ...extra,
  });
}

function record(raw: JsonObject): ContentRecord {
  const mapped = contentRecordFromDiscovery(raw);
  if (mapped === undefined) throw new TypeError(`Not a content record: ${JSON.stringify(raw)}`);
  return mapped;
}

/** member key → its row's fingerprint: what a query holds and in which version. */
async function memberFingerprints(store: ContentStore, queryUuid: string): Promise<Map<string, string>> {
  const members = await store.memberSearchFingerprints(queryUuid);
  const states = await store.contentStates([...members.keys()]);
  return new Map([...members.keys()].map((key) => [key, states.get(key)?.fingerprint ?? "no row"]));
}

/** The row a record is stored as: the record without its sources' bookkeeping. */
function storedAs(record: ContentRecord, modified: Date): ContentMetadata {
  const { searchFingerprint: _search, enrichedAt: _enriched, ...content } = record;
  return { ...content, modified };
}

/** A restricted run of `courseKey` as a refresh hands it to the store. */
function restrictedRun(runKey: string, courseKey: string, extra: JsonObject = {}, enrichedAt = T0): RestrictedRunRecord {
  const record: JsonObject = { key: runKey, status: "published", is_enrollable: true, restriction_type: RESTRICTION_FOR_B2B, ...extra };
  return { runKey, courseKey, record, fingerprint: jsonFingerprint(record), searchFingerprint: jsonFingerprint({ key: runKey, ...extra }), enrichedAt };
}

/** A stable uuid per key, so that a record rebuilt with the same key is the same content. */
function uuidFor(key: string): string {
  let hash = 0;
  for (const char of key) hash = (hash * 31 + char.charCodeAt(0)) >>> 0;
  return `00000000-0000-4000-8000-${hash.toString(16).padStart(12, "0")}`;
}

/** Registers the suite; `setup` runs once, the harness is reset before every test. */
export function describeContentStoreContract(name: string, setup: () => Promise<StoreHarness>): void {
  describe(`ContentStore contract: ${name}`, () => {
    let harness: StoreHarness;
    let store: ContentStore;

    beforeAll(async () => {
      harness = await setup();
      store = harness.content;
    });
    afterAll(async () => {
      await harness?.close();
    });
    beforeEach(async () => {
      await harness.reset();
    });

    async function newQuery(): Promise<CatalogQuery> {
      return await harness.catalogs.resolveQuery({
        contentFilter: contentFilterFromValue({ content_type: "course", n: randomUUID() }),
        now: T0,
      });
    }

    async function refreshState(query: CatalogQuery): Promise<CatalogQuery["refresh"]> {
      const read = await harness.catalogs.getQuery(query.uuid);
      if (read === undefined) throw new Error(`Query ${query.uuid} vanished`);
      return read.refresh;
    }

    function change(query: CatalogQuery, fields: Partial<ContentChange>): ContentChange {
      return { queryUuid: query.uuid, upserts: [], addMembers: [], removeMembers: [], now: T0, ...fields };
    }

    function run(query: CatalogQuery, fields: Partial<RefreshRun> = {}): RefreshRun {
      return {
        uuid: randomUUID(), queryUuid: query.uuid, trigger: "on_demand", startedAt: T0,
        finishedAt: new Date(T0.getTime() + 1500), outcome: "succeeded", added: 1, removed: 2, updated: 3,
        unchanged: 4, discoveryRequests: 5, stage: null, message: null, ...fields,
      };
    }

    describe("applyContentChange()", () => {
      test("adds new content and members, stamps them and counts them", async () => {
        const query = await newQuery();
        const records = [course("course-a"), courseRun("run-a1", "course-a"), courseRun("run-a2", "course-a")];
        await store.applyContentChange(change(query, {
          upserts: records, addMembers: records.map((r) => r.contentKey), now: T1,
        }));

        expect(await memberFingerprints(store, query.uuid))
          .toEqual(new Map(records.map((r) => [r.contentKey, r.fingerprint])));
        expect(await store.getContent(records.map((r) => r.contentKey)))
          .toEqual(records.map((r) => storedAs(r, T1)));
        expect(await refreshState(query)).toMatchObject({ contentVersion: 1, itemCount: 3, contentLastModified: T1 });
      });

      test("updates changed rows, removes and adds members, and leaves unchanged rows alone", async () => {
        const query = await newQuery();
        const a = course("course-a");
        const b = course("course-b");
        const c = course("course-c");
        await store.applyContentChange(change(query, { upserts: [a, b, c], addMembers: ["course-a", "course-b", "course-c"], now: T0 }));

        const b2 = course("course-b", { title: "Renamed" });
        const d = course("course-d");
        await store.applyContentChange(change(query, {
          upserts: [b2, d], addMembers: ["course-d"], removeMembers: ["course-c"], now: T1,
        }));

        expect(await memberFingerprints(store, query.uuid)).toEqual(new Map([
          ["course-a", a.fingerprint], ["course-b", b2.fingerprint], ["course-d", d.fingerprint],
        ]));
        const stored = await store.getContent(["course-a", "course-b", "course-c", "course-d"]);
        expect(stored.map((row) => [row.contentKey, row.fingerprint, row.modified])).toEqual([
          ["course-a", a.fingerprint, T0],
          ["course-b", b2.fingerprint, T1],
          // Left the query but stays stored until orphan clean-up.
          ["course-c", c.fingerprint, T0],
          ["course-d", d.fingerprint, T1],
        ]);
        expect(await refreshState(query)).toMatchObject({ contentVersion: 2, itemCount: 3, contentLastModified: T1 });
      });

      test("an upsert whose content is unchanged writes nothing and bumps nothing", async () => {
        const query = await newQuery();
        const a = course("course-a");
        await store.applyContentChange(change(query, { upserts: [a], addMembers: ["course-a"], now: T0 }));
        await store.applyContentChange(change(query, { upserts: [course("course-a")], addMembers: ["course-a"], now: T1 }));
        await store.applyContentChange(change(query, { now: T2 }));

        expect((await store.getContent(["course-a"]))[0]?.modified).toEqual(T0);
        expect(await refreshState(query)).toMatchObject({ contentVersion: 1, itemCount: 1, contentLastModified: T0 });
      });

      test("bumps, once, every other query holding an upserted row", async () => {
        const mine = await newQuery();
        const sibling = await newQuery();
        const bystander = await newQuery();
        const shared = [course("shared-1"), course("shared-2")];
        await store.applyContentChange(change(sibling, { upserts: shared, addMembers: ["shared-1", "shared-2"], now: T0 }));
        await store.applyContentChange(change(bystander, { upserts: [course("own")], addMembers: ["own"], now: T0 }));
        await store.applyContentChange(change(mine, { addMembers: ["shared-1"], now: T0 }));
        const before = await refreshState(sibling);
        expect(before.contentVersion).toBe(1);

        const changed = [course("shared-1", { title: "New" }), course("shared-2", { title: "New" })];
        await store.applyContentChange(change(mine, { upserts: changed, now: T1 }));

        expect(await refreshState(sibling)).toMatchObject({ contentVersion: 2, itemCount: 2, contentLastModified: T1 });
        expect(await refreshState(bystander)).toMatchObject({ contentVersion: 1, contentLastModified: T0 });
        expect(await refreshState(mine)).toMatchObject({ contentVersion: 2, itemCount: 1, contentLastModified: T1 });
        expect(await memberFingerprints(store, sibling.uuid))
          .toEqual(new Map(changed.map((r) => [r.contentKey, r.fingerprint])));
      });

      test("a run moved to another course keeps its new parent", async () => {
        const query = await newQuery();
        await store.applyContentChange(change(query, {
          upserts: [course("course-a"), course("course-b"), courseRun("run-1", "course-a")],
          addMembers: ["course-a", "course-b", "run-1"],
        }));
        await store.applyContentChange(change(query, { upserts: [courseRun("run-1", "course-b")], now: T1 }));
        expect((await store.getContent(["run-1"]))[0]).toMatchObject({ parentContentKey: "course-b", modified: T1 });
      });

      test("recomputes the last modification when the newest member leaves, and empties to null", async () => {
        const query = await newQuery();
        await store.applyContentChange(change(query, { upserts: [course("old")], addMembers: ["old"], now: T0 }));
        await store.applyContentChange(change(query, { upserts: [course("new")], addMembers: ["new"], now: T1 }));
        expect(await refreshState(query)).toMatchObject({ contentLastModified: T1, itemCount: 2, contentVersion: 2 });

        await store.applyContentChange(change(query, { removeMembers: ["new"], now: T2 }));
        expect(await refreshState(query)).toMatchObject({ contentLastModified: T0, itemCount: 1, contentVersion: 3 });
        await store.applyContentChange(change(query, { removeMembers: ["old", "never-there"], now: T2 }));
        expect(await refreshState(query)).toMatchObject({ contentLastModified: null, itemCount: 0, contentVersion: 4 });
      });

      test("adding a member without a content row fails and changes nothing", async () => {
        const query = await newQuery();
        await expect(store.applyContentChange(change(query, {
          upserts: [course("course-a")], addMembers: ["course-a", "no-such-row"], now: T1,
        }))).rejects.toBeInstanceOf(TypeError);
        expect((await store.memberSearchFingerprints(query.uuid)).size).toBe(0);
        expect(await store.getContent(["course-a"])).toEqual([]);
        expect((await refreshState(query)).contentVersion).toBe(0);
      });

      test("applying to a missing query throws NotFoundError", async () => {
        await expect(store.applyContentChange({
          queryUuid: randomUUID(), upserts: [], addMembers: [], removeMembers: [], now: T0,
        })).rejects.toBeInstanceOf(NotFoundError);
      });
    });

    describe("restricted runs", () => {
      test("applyContentChange() stores a query's restricted runs for it alone, and restrictedRunStates() tells what they were built from", async () => {
        const query = await newQuery();
        const other = await newQuery();
        const a = course("course-a");
        await store.applyContentChange(change(other, { upserts: [a], addMembers: ["course-a"], now: T0 }));
        const run = restrictedRun("run-r", "course-a");
        await store.applyContentChange(change(query, { addMembers: ["course-a"], restrictedRuns: { upserts: [run], kept: [] }, now: T1 }));

        expect(await store.restrictedRunStates(query.uuid)).toEqual(new Map([
          ["run-r", { courseKey: "course-a", fingerprint: run.fingerprint, searchFingerprint: run.searchFingerprint, enrichedAt: T0 }],
        ]));
        expect((await store.restrictedRunStates(other.uuid)).size).toBe(0);
        expect(await store.getContent(["run-r"])).toEqual([]);
        expect(await refreshState(query)).toMatchObject({ contentVersion: 1, itemCount: 1, contentLastModified: T1 });
        expect(await refreshState(other)).toMatchObject({ contentVersion: 1, itemCount: 1, contentLastModified: T0 });
      });

      test("keeps, rewrites, restamps and removes runs: only a changed record counts as a change", async () => {
        const query = await newQuery();
        const a = course("course-a");
        const [r1, r2, r3] = [restrictedRun("run-1", "course-a"), restrictedRun("run-2", "course-a"), restrictedRun("run-3", "course-a")];
        await store.applyContentChange(change(query, { upserts: [a], addMembers: ["course-a"], restrictedRuns: { upserts: [r1, r2, r3], kept: [] }, now: T0 }));

        // Same records, new bookkeeping: no change.
        const restamped = { ...r2, searchFingerprint: jsonFingerprint("new search"), enrichedAt: T1 };
        await store.applyContentChange(change(query, { restrictedRuns: { upserts: [restamped], kept: ["run-1", "run-3"] }, now: T1 }));
        expect(await refreshState(query)).toMatchObject({ contentVersion: 1, contentLastModified: T0 });
        expect((await store.restrictedRunStates(query.uuid)).get("run-2")).toMatchObject({ searchFingerprint: restamped.searchFingerprint, enrichedAt: T1 });

        // One run changed, one removed (neither kept nor written).
        const changed = restrictedRun("run-1", "course-a", { is_enrollable: false });
        await store.applyContentChange(change(query, { restrictedRuns: { upserts: [changed], kept: ["run-2"] }, now: T2 }));
        expect([...(await store.restrictedRunStates(query.uuid)).keys()].sort()).toEqual(["run-1", "run-2"]);
        expect(await refreshState(query)).toMatchObject({ contentVersion: 2, contentLastModified: T2 });

        // No restricted runs named: the query allows none.
        await store.applyContentChange(change(query, { now: T2 }));
        expect((await store.restrictedRunStates(query.uuid)).size).toBe(0);
        expect(await refreshState(query)).toMatchObject({ contentVersion: 3 });
      });

      test("refuses a run whose course the query does not hold, and keeping a run that is not stored, changing nothing", async () => {
        const query = await newQuery();
        const a = course("course-a");
        const b = course("course-b");
        const kept = restrictedRun("run-a", "course-a");
        await store.applyContentChange(change(query, { upserts: [a, b], addMembers: ["course-a", "course-b"], restrictedRuns: { upserts: [kept], kept: [] }, now: T0 }));

        await expect(store.applyContentChange(change(query, { restrictedRuns: { upserts: [restrictedRun("run-x", "course-x")], kept: ["run-a"] } })))
          .rejects.toThrow(TypeError);
        await expect(store.applyContentChange(change(query, { restrictedRuns: { upserts: [], kept: ["run-gone"] } }))).rejects.toThrow(TypeError);
        // The course leaves while its run would be kept.
        await expect(store.applyContentChange(change(query, { removeMembers: ["course-a"], restrictedRuns: { upserts: [], kept: ["run-a"] } })))
          .rejects.toThrow(TypeError);
        expect([...(await store.restrictedRunStates(query.uuid)).keys()]).toEqual(["run-a"]);
        expect([...(await store.memberSearchFingerprints(query.uuid)).keys()].sort()).toEqual(["course-a", "course-b"]);
        expect(await refreshState(query)).toMatchObject({ contentVersion: 1 });
      });
    });

    describe("what content was built from", () => {
      test("applyContentChange() keeps each member's search fingerprint and each row's search fingerprint and enrichment time", async () => {
        const query = await newQuery();
        const a = { ...course("course-a"), enrichedAt: T1 };
        const b = course("course-b");
        await store.applyContentChange(change(query, {
          upserts: [a, b], addMembers: ["course-a", "course-b"], memberSearchFingerprints: new Map([["course-a", "f".repeat(32)]]), now: T1,
        }));
        expect(await store.memberSearchFingerprints(query.uuid)).toEqual(new Map([["course-a", "f".repeat(32)], ["course-b", null]]));
        expect(await store.contentStates(["course-a", "course-b"])).toEqual(new Map([
          ["course-a", { fingerprint: a.fingerprint, searchFingerprint: a.searchFingerprint, enrichedAt: T1 }],
          ["course-b", { fingerprint: b.fingerprint, searchFingerprint: b.searchFingerprint, enrichedAt: null }],
        ]));
      });

      test("a row whose content is equal takes its new sources without a new modified time or version", async () => {
        const query = await newQuery();
        const sibling = await newQuery();
        const a = { ...course("course-a"), enrichedAt: T0 };
        await store.applyContentChange(change(query, { upserts: [a], addMembers: ["course-a"], now: T0 }));
        await store.applyContentChange(change(sibling, { addMembers: ["course-a"], now: T0 }));
        const versions = [(await refreshState(query)).contentVersion, (await refreshState(sibling)).contentVersion];

        await store.applyContentChange(change(query, {
          upserts: [{ ...a, enrichedAt: T2, searchFingerprint: "0".repeat(32) }],
          memberSearchFingerprints: new Map([["course-a", "1".repeat(32)]]),
          now: T2,
        }));

        expect(await store.contentStates(["course-a"])).toEqual(new Map([
          ["course-a", { fingerprint: a.fingerprint, searchFingerprint: "0".repeat(32), enrichedAt: T2 }],
        ]));
        expect(await store.memberSearchFingerprints(query.uuid)).toEqual(new Map([["course-a", "1".repeat(32)]]));
        expect((await store.getContent(["course-a"]))[0]?.modified).toEqual(T0);
        expect([(await refreshState(query)).contentVersion, (await refreshState(sibling)).contentVersion]).toEqual(versions);
      });

      test("a member that leaves and comes back has no search fingerprint left over", async () => {
        const query = await newQuery();
        await store.applyContentChange(change(query, {
          upserts: [course("course-a")], addMembers: ["course-a"], memberSearchFingerprints: new Map([["course-a", "2".repeat(32)]]),
        }));
        await store.applyContentChange(change(query, { removeMembers: ["course-a"], now: T1 }));
        await store.applyContentChange(change(query, { addMembers: ["course-a"], now: T2 }));
        expect(await store.memberSearchFingerprints(query.uuid)).toEqual(new Map([["course-a", null]]));
      });
    });

    describe("reads", () => {
      test("contentStates() and getContent() find stored rows whichever query holds them", async () => {
        const query = await newQuery();
        const a = course("course-a");
        const b = course("course-b");
        await store.applyContentChange(change(query, { upserts: [a, b], addMembers: ["course-a"], now: T1 }));
        const states = await store.contentStates(["course-b", "missing", "course-a"]);
        expect(new Map([...states].map(([key, state]) => [key, state.fingerprint])))
          .toEqual(new Map([["course-a", a.fingerprint], ["course-b", b.fingerprint]]));
        expect((await store.getContent(["course-b", "missing", "course-a", "course-b"])).map((r) => r.contentKey))
          .toEqual(["course-b", "course-a"]);
        expect((await store.contentStates([])).size).toBe(0);
        expect(await store.getContent([])).toEqual([]);
        expect((await store.memberSearchFingerprints(randomUUID())).size).toBe(0);
      });

      test("getContent() returns copies", async () => {
        const query = await newQuery();
        await store.applyContentChange(change(query, { upserts: [course("course-a")], addMembers: ["course-a"] }));
        const [read] = await store.getContent(["course-a"]);
        (read?.jsonMetadata as JsonObject).title = "Changed by the caller";
        expect((await store.getContent(["course-a"]))[0]?.jsonMetadata.title).toBe("Course course-a");
      });
    });

    describe("transactions and locks", () => {
      test("transaction() that throws leaves content, members and versions as they were", async () => {
        const query = await newQuery();
        await store.applyContentChange(change(query, { upserts: [course("course-a")], addMembers: ["course-a"] }));
        const failure = new Error("boom");
        await expect(store.transaction(async (tx) => {
          await tx.lockQuery(query.uuid);
          await tx.applyContentChange(change(query, {
            upserts: [course("course-a", { title: "New" }), course("course-b")],
            addMembers: ["course-b"], removeMembers: ["course-a"], now: T1,
          }));
          await tx.recordRefreshRun(run(query, { startedAt: T1 }));
          throw failure;
        })).rejects.toBe(failure);

        expect(await memberFingerprints(store, query.uuid)).toEqual(new Map([["course-a", course("course-a").fingerprint]]));
        expect(await store.getContent(["course-b"])).toEqual([]);
        expect(await refreshState(query)).toMatchObject({ contentVersion: 1, itemCount: 1, lastRefreshedAt: null });
        expect(await store.listRefreshRuns(query.uuid, 10)).toEqual([]);
      });

      test("lockQuery() outside a transaction throws TypeError", async () => {
        const query = await newQuery();
        await expect(store.lockQuery(query.uuid)).rejects.toBeInstanceOf(TypeError);
      });

      test("lockQuery() makes a second transaction on the query wait for the first", async () => {
        const query = await newQuery();
        const events: string[] = [];
        let locked!: () => void;
        const firstHoldsLock = new Promise<void>((resolve) => {
          locked = resolve;
        });
        const first = store.transaction(async (tx) => {
          await tx.lockQuery(query.uuid);
          events.push("first locked");
          locked();
          await new Promise((resolve) => setTimeout(resolve, 150));
          await tx.applyContentChange(change(query, { upserts: [course("course-a")], addMembers: ["course-a"] }));
          events.push("first done");
        });
        await firstHoldsLock;
        const second = store.transaction(async (tx) => {
          await tx.lockQuery(query.uuid);
          events.push("second locked");
          return await tx.memberSearchFingerprints(query.uuid);
        });
        const [, seen] = await Promise.all([first, second]);
        expect(events).toEqual(["first locked", "first done", "second locked"]);
        expect([...seen.keys()]).toEqual(["course-a"]);
      });
    });

    describe("refresh runs", () => {
      test("recordRefreshRun() stores the run and sets the query's refresh state", async () => {
        const query = await newQuery();
        const succeeded = run(query, { startedAt: T1, finishedAt: new Date(T1.getTime() + 900) });
        await store.recordRefreshRun(succeeded);
        expect(await refreshState(query)).toMatchObject({
          lastRefreshedAt: T1, lastRefreshAttemptAt: T1, lastRefreshOutcome: "succeeded",
        });

        const failed = run(query, { startedAt: T2, outcome: "failed", message: "Discovery is down", trigger: "sweep" });
        await store.recordRefreshRun(failed);
        expect(await refreshState(query)).toMatchObject({
          lastRefreshedAt: T1, lastRefreshAttemptAt: T2, lastRefreshOutcome: "failed",
        });
        expect(await store.listRefreshRuns(query.uuid, 10)).toEqual([failed, succeeded]);
      });

      test("listRefreshRuns() returns the query's latest runs, newest first, up to the limit", async () => {
        const query = await newQuery();
        const other = await newQuery();
        const runs = [T1, T0, T2].map((startedAt) => run(query, { startedAt, finishedAt: startedAt }));
        for (const item of runs) await store.recordRefreshRun(item);
        await store.recordRefreshRun(run(other, { startedAt: T2 }));
        expect(await store.listRefreshRuns(query.uuid, 2)).toEqual([runs[2], runs[0]]);
        expect((await store.listRefreshRuns(query.uuid, 10)).map((item) => item.startedAt)).toEqual([T2, T1, T0]);
        expect(await store.listRefreshRuns(randomUUID(), 10)).toEqual([]);
      });

      test("recordRefreshRun() for a missing query throws NotFoundError and leaves a transaction usable", async () => {
        await expect(store.recordRefreshRun(run({ uuid: randomUUID() } as CatalogQuery))).rejects.toBeInstanceOf(NotFoundError);
        const query = await newQuery();
        const kept = run(query);
        await store.transaction(async (tx) => {
          await expect(tx.recordRefreshRun(run({ uuid: randomUUID() } as CatalogQuery))).rejects.toBeInstanceOf(NotFoundError);
          await tx.recordRefreshRun(kept);
        });
        expect(await store.listRefreshRuns(query.uuid, 10)).toEqual([kept]);
      });
    });

    describe("deleteOrphanContent()", () => {
      test("deletes the rows no query holds and reports how many", async () => {
        const q1 = await newQuery();
        const q2 = await newQuery();
        await store.applyContentChange(change(q1, {
          upserts: [course("held"), course("dropped"), course("never-held")], addMembers: ["held", "dropped"],
        }));
        await store.applyContentChange(change(q2, { upserts: [course("other")], addMembers: ["other"] }));
        await store.applyContentChange(change(q1, { removeMembers: ["dropped"] }));

        expect(await store.deleteOrphanContent()).toBe(2);
        expect((await store.getContent(["held", "dropped", "never-held", "other"])).map((row) => row.contentKey))
          .toEqual(["held", "other"]);
        expect(await store.deleteOrphanContent()).toBe(0);
      });
    });
  });
}
