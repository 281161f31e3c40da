/** The `CurationStore` contract, run against every adapter of the port. */
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, beforeEach, describe, expect, test } from "vitest";
import type { CurationConfig, HighlightedContent, HighlightSet } from "../../src/curation/curation.ts";
import { ConflictError, NotFoundError } from "../../src/errors.ts";
import type { CurationStore } from "../../src/ports/curation_store.ts";
import type { StoreHarness } from "../helpers/store_harness.ts";

const T0 = new Date("2026-01-01T00:00:00.000Z");
const CUSTOMER_A = "aaaaaaaa-0000-4000-8000-000000000001";
const CUSTOMER_B = "bbbbbbbb-0000-4000-8000-000000000002";

/** Registers the suite; `setup` runs once, the harness is reset before every test. */
export function describeCurationStoreContract(name: string, setup: () => Promise<StoreHarness>): void {
  describe(`CurationStore contract: ${name}`, () => {
    let harness: StoreHarness;
    let store: CurationStore;

    beforeAll(async () => {
      harness = await setup();
      store = harness.curations;
    });
    afterAll(async () => {
      await harness?.close();
    });
    beforeEach(async () => {
      await harness.reset();
    });

    function curation(fields: Partial<CurationConfig> = {}): CurationConfig {
      return {
        uuid: randomUUID(), enterpriseCustomerUuid: CUSTOMER_A, title: "Highlights", isHighlightFeatureActive: true,
        canOnlyViewHighlightSets: false, created: T0, modified: T0, ...fields,
      };
    }

    function setOf(owner: CurationConfig, fields: Partial<HighlightSet> = {}): HighlightSet {
      return {
        uuid: randomUUID(), curationUuid: owner.uuid, enterpriseCustomerUuid: owner.enterpriseCustomerUuid, title: "Set",
        isPublished: false, created: T0, modified: T0, ...fields,
      };
    }

    function highlightOf(set: HighlightSet, contentKey: string, position: number, fields: Partial<HighlightedContent> = {}): HighlightedContent {
      return { uuid: randomUUID(), highlightSetUuid: set.uuid, contentKey, isFavorite: false, position, created: T0, modified: T0, ...fields };
    }

    const at = (minutes: number) => new Date(T0.getTime() + minutes * 60_000);

    describe("curation configs", () => {
      test("insertCuration() then getCuration() and getCustomerCuration() return an equal config; absent and malformed uuids find nothing", async () => {
        const written = curation({ title: "Ünïcode “highlights”", canOnlyViewHighlightSets: true });
        await store.insertCuration(written);
        expect(await store.getCuration(written.uuid)).toEqual(written);
        expect(await store.getCuration(written.uuid.toUpperCase())).toEqual(written);
        expect(await store.getCustomerCuration(CUSTOMER_A)).toEqual(written);
        expect(await store.getCustomerCuration(CUSTOMER_B)).toBeUndefined();
        expect(await store.getCuration(randomUUID())).toBeUndefined();
        expect(await store.getCuration("not-a-uuid")).toBeUndefined();
        expect(await store.getCustomerCuration("not-a-uuid")).toBeUndefined();
      });

      test("insertCuration() of a second config for the same customer throws ConflictError and keeps the first", async () => {
        const first = curation();
        await store.insertCuration(first);
        await expect(store.insertCuration(curation({ title: "Second" }))).rejects.toBeInstanceOf(ConflictError);
        expect(await store.getCustomerCuration(CUSTOMER_A)).toEqual(first);
      });

      test("updateCuration() changes title, flags and modified, never customer or creation time; a missing one throws NotFoundError", async () => {
        const written = curation();
        await store.insertCuration(written);
        await store.updateCuration({ ...written, title: "Renamed", isHighlightFeatureActive: false, canOnlyViewHighlightSets: true, enterpriseCustomerUuid: CUSTOMER_B, created: at(9), modified: at(5) });
        expect(await store.getCuration(written.uuid)).toEqual({ ...written, title: "Renamed", isHighlightFeatureActive: false, canOnlyViewHighlightSets: true, modified: at(5) });
        await expect(store.updateCuration(curation())).rejects.toBeInstanceOf(NotFoundError);
      });

      test("listCurations() lists newest first, filters by customer and visible customers, and pages", async () => {
        const a = curation({ created: at(1) });
        const b = curation({ enterpriseCustomerUuid: CUSTOMER_B, created: at(2) });
        await store.insertCuration(a);
        await store.insertCuration(b);
        expect(await store.listCurations({}, { page: 1, pageSize: 10 })).toEqual({ count: 2, items: [b, a] });
        expect(await store.listCurations({}, { page: 2, pageSize: 1 })).toEqual({ count: 2, items: [a] });
        expect(await store.listCurations({ enterpriseCustomerUuid: CUSTOMER_A.toUpperCase() }, { page: 1, pageSize: 10 })).toEqual({ count: 1, items: [a] });
        expect(await store.listCurations({ visibleCustomerUuids: [CUSTOMER_B] }, { page: 1, pageSize: 10 })).toEqual({ count: 1, items: [b] });
        expect(await store.listCurations({ enterpriseCustomerUuid: CUSTOMER_A, visibleCustomerUuids: [CUSTOMER_B] }, { page: 1, pageSize: 10 })).toEqual({ count: 0, items: [] });
        expect(await store.listCurations({ visibleCustomerUuids: [] }, { page: 1, pageSize: 10 })).toEqual({ count: 0, items: [] });
        expect(await store.listCurations({ enterpriseCustomerUuid: "nope" }, { page: 1, pageSize: 10 })).toEqual({ count: 0, items: [] });
      });

      test("deleteCuration() deletes its sets and their content too, once", async () => {
        const owner = curation();
        await store.insertCuration(owner);
        const set = setOf(owner);
        await store.insertHighlightSet(set);
        const highlight = highlightOf(set, "edX+A", 1);
        await store.insertHighlights([highlight]);
        expect(await store.deleteCuration(owner.uuid)).toBe(true);
        expect(await store.deleteCuration(owner.uuid)).toBe(false);
        expect(await store.getHighlightSet(set.uuid)).toBeUndefined();
        expect(await store.getHighlight(highlight.uuid)).toBeUndefined();
        expect(await store.deleteCuration("not-a-uuid")).toBe(false);
      });
    });

    describe("highlight sets", () => {
      test("insertHighlightSet() then getHighlightSet() returns an equal set; a set of a missing curation throws NotFoundError", async () => {
        const owner = curation();
        await store.insertCuration(owner);
        const set = setOf(owner, { title: "Data science", isPublished: true });
        await store.insertHighlightSet(set);
        expect(await store.getHighlightSet(set.uuid)).toEqual(set);
        expect(await store.getHighlightSet("not-a-uuid")).toBeUndefined();
        await expect(store.insertHighlightSet(setOf(curation()))).rejects.toBeInstanceOf(NotFoundError);
        await expect(store.insertHighlightSet(set)).rejects.toBeInstanceOf(ConflictError);
      });

      test("updateHighlightSet() changes title, publication and modified only; deleteHighlightSet() deletes it with its content", async () => {
        const owner = curation();
        await store.insertCuration(owner);
        const set = setOf(owner);
        await store.insertHighlightSet(set);
        await store.updateHighlightSet({ ...set, title: "Renamed", isPublished: true, curationUuid: randomUUID(), created: at(7), modified: at(3) });
        expect(await store.getHighlightSet(set.uuid)).toEqual({ ...set, title: "Renamed", isPublished: true, modified: at(3) });
        await expect(store.updateHighlightSet(setOf(owner))).rejects.toBeInstanceOf(NotFoundError);
        const highlight = highlightOf(set, "edX+A", 1);
        await store.insertHighlights([highlight]);
        expect(await store.deleteHighlightSet(set.uuid)).toBe(true);
        expect(await store.deleteHighlightSet(set.uuid)).toBe(false);
        expect(await store.getHighlight(highlight.uuid)).toBeUndefined();
        expect(await store.getCuration(owner.uuid)).toEqual(owner);
      });

      test("highlightSetsOf() groups every set by curation, newest first; listHighlightSets() filters customers and hides unpublished sets outside unpublishedOf", async () => {
        const a = curation();
        const b = curation({ enterpriseCustomerUuid: CUSTOMER_B });
        await store.insertCuration(a);
        await store.insertCuration(b);
        const old = setOf(a, { created: at(1), isPublished: true });
        const draft = setOf(a, { created: at(2) });
        const other = setOf(b, { created: at(3) });
        for (const set of [old, draft, other]) await store.insertHighlightSet(set);
        const grouped = await store.highlightSetsOf([a.uuid, b.uuid, randomUUID(), "nope"]);
        expect([...grouped.keys()].sort()).toEqual([a.uuid, b.uuid].sort());
        expect(grouped.get(a.uuid)).toEqual([draft, old]);
        const page = { page: 1, pageSize: 10 };
        expect(await store.listHighlightSets({}, page)).toEqual({ count: 3, items: [other, draft, old] });
        expect(await store.listHighlightSets({ enterpriseCustomerUuid: CUSTOMER_A }, page)).toEqual({ count: 2, items: [draft, old] });
        expect(await store.listHighlightSets({ unpublishedOf: [] }, page)).toEqual({ count: 1, items: [old] });
        expect(await store.listHighlightSets({ unpublishedOf: [CUSTOMER_B] }, page)).toEqual({ count: 2, items: [other, old] });
        expect(await store.listHighlightSets({ visibleCustomerUuids: [CUSTOMER_A], unpublishedOf: [CUSTOMER_B] }, { page: 1, pageSize: 1 })).toEqual({ count: 1, items: [old] });
      });
    });

    describe("highlighted content", () => {
      test("insertHighlights() then highlightsOf() lists each set's content in position order; getHighlight() finds one", async () => {
        const owner = curation();
        await store.insertCuration(owner);
        const [one, two] = [setOf(owner), setOf(owner)] as const;
        await store.insertHighlightSet(one);
        await store.insertHighlightSet(two);
        const later = highlightOf(one, "edX+B", 5, { isFavorite: true });
        const earlier = highlightOf(one, "course-v1:edX+A+1T2026", 2);
        const elsewhere = highlightOf(two, "edX+B", 1);
        await store.insertHighlights([later, earlier, elsewhere]);
        const bySet = await store.highlightsOf([one.uuid, two.uuid, randomUUID()]);
        expect(bySet.get(one.uuid)).toEqual([earlier, later]);
        expect(bySet.get(two.uuid)).toEqual([elsewhere]);
        expect(bySet.size).toBe(2);
        expect(await store.getHighlight(later.uuid)).toEqual(later);
        expect(await store.getHighlight("nope")).toBeUndefined();
      });

      test("insertHighlights() of a key the set holds throws ConflictError, of a missing set NotFoundError; nothing of the batch lands inside a failed transaction", async () => {
        const owner = curation();
        await store.insertCuration(owner);
        const set = setOf(owner);
        await store.insertHighlightSet(set);
        await store.insertHighlights([highlightOf(set, "edX+A", 1)]);
        await expect(store.insertHighlights([highlightOf(set, "edX+A", 2)])).rejects.toBeInstanceOf(ConflictError);
        await expect(store.insertHighlights([highlightOf(setOf(owner), "edX+A", 1)])).rejects.toBeInstanceOf(NotFoundError);
        await expect(store.transaction(async (tx) => {
          await tx.insertHighlights([highlightOf(set, "edX+C", 3)]);
          await tx.insertHighlights([highlightOf(set, "edX+A", 4)]);
        })).rejects.toBeInstanceOf(ConflictError);
        expect((await store.highlightsOf([set.uuid])).get(set.uuid)?.map((highlight) => highlight.contentKey)).toEqual(["edX+A"]);
      });

      test("updateHighlight() changes the favorite and modified only; deleteHighlights() deletes those named and counts them", async () => {
        const owner = curation();
        await store.insertCuration(owner);
        const set = setOf(owner);
        await store.insertHighlightSet(set);
        const [a, b] = [highlightOf(set, "edX+A", 1), highlightOf(set, "edX+B", 2)];
        await store.insertHighlights([a, b]);
        await store.updateHighlight({ ...a, isFavorite: true, contentKey: "edX+Z", position: 9, modified: at(4) });
        expect(await store.getHighlight(a.uuid)).toEqual({ ...a, isFavorite: true, modified: at(4) });
        await expect(store.updateHighlight(highlightOf(set, "edX+Q", 3))).rejects.toBeInstanceOf(NotFoundError);
        expect(await store.deleteHighlights([a.uuid, randomUUID(), "nope"])).toBe(1);
        expect((await store.highlightsOf([set.uuid])).get(set.uuid)).toEqual([b]);
        expect(await store.deleteHighlights([])).toBe(0);
      });
    });

    describe("transactions and locks", () => {
      test("transaction() lands every write or none", async () => {
        const owner = curation();
        await expect(store.transaction(async (tx) => {
          await tx.insertCuration(owner);
          await tx.insertHighlightSet(setOf(owner));
          throw new Error("boom");
        })).rejects.toThrow("boom");
        expect(await store.getCuration(owner.uuid)).toBeUndefined();
        expect(await store.listHighlightSets({}, { page: 1, pageSize: 10 })).toEqual({ count: 0, items: [] });
      });

      test("lockCuration() throws TypeError outside a transaction and serialises writers inside", async () => {
        const owner = curation();
        await store.insertCuration(owner);
        await expect(store.lockCuration(owner.uuid)).rejects.toBeInstanceOf(TypeError);
        // Two writers each count the sets and add one when there is none: under the lock only one may add.
        const addIfNone = () => store.transaction(async (tx) => {
          await tx.lockCuration(owner.uuid);
          const sets = (await tx.highlightSetsOf([owner.uuid])).get(owner.uuid) ?? [];
          await new Promise((resolve) => setTimeout(resolve, 50));
          if (sets.length === 0) await tx.insertHighlightSet(setOf(owner));
        });
        await Promise.all([addIfNone(), addIfNone()]);
        expect((await store.highlightSetsOf([owner.uuid])).get(owner.uuid)).toHaveLength(1);
      });
    });
  });
}
