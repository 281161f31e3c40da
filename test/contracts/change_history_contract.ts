/**
 * The `ChangeHistory` contract, run against every store that keeps it (the catalog and curation
 * stores) on every adapter: entries in order, newest first, per trail, and in the store's transaction.
 */
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, beforeEach, describe, expect, test } from "vitest";
import type { Change, HistoryTrail } from "../../src/history/change.ts";
import type { ChangeHistory } from "../../src/ports/change_history.ts";
import type { StoreHarness } from "../helpers/store_harness.ts";

const CUSTOMER = "aaaaaaaa-0000-4000-8000-000000000001";
const T0 = new Date("2026-01-01T00:00:00.000Z");

/** A store that keeps the history, with its transaction. */
type HistoryStore = ChangeHistory & { transaction<T>(work: (store: ChangeHistory) => Promise<T>): Promise<T> };

/** Registers the suite for the history kept by `pick(harness)`; `setup` runs once, the harness is reset before every test. */
export function describeChangeHistoryContract(name: string, setup: () => Promise<StoreHarness>, pick: (harness: StoreHarness) => HistoryStore): void {
  describe(`ChangeHistory contract: ${name}`, () => {
    let harness: StoreHarness;
    let history: HistoryStore;

    beforeAll(async () => {
      harness = await setup();
      history = pick(harness);
    });
    afterAll(async () => {
      await harness?.close();
    });
    beforeEach(async () => {
      await harness.reset();
    });

    function change(trail: HistoryTrail, fields: Partial<Change> = {}): Change {
      return {
        trail, enterpriseCustomerUuid: CUSTOMER, recordKind: "enterprise_catalog", recordUuid: trail.uuid, action: "changed",
        actor: "alice", changedAt: T0, before: { title: "Before", nested: { list: [1, "two", null] } }, after: { title: "After", nested: { list: [] } }, ...fields,
      };
    }

    test("listChanges() returns what recordChanges() wrote, newest first: later calls first, and within a call the last one first", async () => {
      const trail: HistoryTrail = { kind: "catalog", uuid: randomUUID() };
      const created = change(trail, { action: "created", before: null, after: { title: "Ünïcode “t”" } });
      const first = change(trail, { changedAt: new Date(T0.getTime() + 1000), actor: "bob" });
      const second = change(trail, { changedAt: new Date(T0.getTime() + 1000), recordKind: "highlight_set", recordUuid: randomUUID(), action: "deleted", after: null });
      await history.recordChanges([created]);
      await history.recordChanges([first, second]);
      expect(await history.listChanges(trail, { page: 1, pageSize: 10 })).toEqual({ count: 3, items: [second, first, created] });
      expect(await history.listChanges(trail, { page: 2, pageSize: 2 })).toEqual({ count: 3, items: [created] });
      expect(await history.listChanges({ kind: "catalog", uuid: trail.uuid.toUpperCase() }, { page: 1, pageSize: 1 })).toEqual({ count: 3, items: [second] });
    });

    test("trails are separate: by uuid and by kind; malformed or unknown uuids find nothing", async () => {
      const uuid = randomUUID();
      await history.recordChanges([change({ kind: "catalog", uuid })]);
      await history.recordChanges([change({ kind: "curation", uuid: randomUUID() }, { recordKind: "enterprise_curation" })]);
      expect((await history.listChanges({ kind: "curation", uuid }, { page: 1, pageSize: 10 })).count).toBe(0);
      expect((await history.listChanges({ kind: "catalog", uuid: randomUUID() }, { page: 1, pageSize: 10 })).count).toBe(0);
      expect(await history.listChanges({ kind: "catalog", uuid: "not-a-uuid" }, { page: 1, pageSize: 10 })).toEqual({ count: 0, items: [] });
      await history.recordChanges([]);
      expect((await history.listChanges({ kind: "catalog", uuid }, { page: 1, pageSize: 10 })).count).toBe(1);
    });

    test("entries recorded in a transaction that fails are gone with it; those of one that succeeds stay", async () => {
      const trail: HistoryTrail = { kind: "curation", uuid: randomUUID() };
      await expect(history.transaction(async (tx) => {
        await tx.recordChanges([change(trail)]);
        throw new Error("boom");
      })).rejects.toThrow("boom");
      expect((await history.listChanges(trail, { page: 1, pageSize: 10 })).count).toBe(0);
      await history.transaction(async (tx) => tx.recordChanges([change(trail)]));
      expect((await history.listChanges(trail, { page: 1, pageSize: 10 })).count).toBe(1);
    });

    test("listChanges() refuses a page that is no positive integer with RangeError", async () => {
      await expect(history.listChanges({ kind: "catalog", uuid: randomUUID() }, { page: 0, pageSize: 10 })).rejects.toBeInstanceOf(RangeError);
    });
  });
}
