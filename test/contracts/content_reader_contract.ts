/** The `ContentReader` contract, run against every adapter of the port. */
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, beforeEach, describe, expect, test } from "vitest";
import type { CatalogQuery, EnterpriseCatalog } from "../../src/catalog/catalog.ts";
import { contentFilterFromValue } from "../../src/catalog/content_filter.ts";
import { type ContentRecord, contentRecordFromDiscovery } from "../../src/content/content_metadata.ts";
import type { MatchKind } from "../../src/content/containment.ts";
import { jsonFingerprint } from "../../src/content/content_metadata.ts";
import { RESTRICTION_FOR_B2B, type RestrictedRunRecord } from "../../src/content/restricted_runs.ts";
import type { JsonObject } from "../../src/json.ts";
import type { CatalogStore } from "../../src/ports/catalog_store.ts";
import type { ContentReader } from "../../src/ports/content_reader.ts";
import type { ContentStore } from "../../src/ports/content_store.ts";

/** A catalog store, a content store and a reader over the same data. */
export interface ReaderHarness {
  readonly catalogs: CatalogStore;
  readonly content: ContentStore;
  readonly reader: ContentReader;
  reset(): Promise<void>;
  close(): Promise<void>;
}

const T0 = new Date("2026-01-01T00:00:00.000Z");
const T1 = new Date("2026-01-02T00:00:00.000Z");
const T2 = new Date("2026-01-03T00:00:00.000Z");

const ACTIVE_RUN = { key: "r", status: "published", is_enrollable: true, is_marketable: true };
const CLOSED_RUN = { key: "r", status: "published", is_enrollable: false, is_marketable: true };

function record(raw: JsonObject): ContentRecord {
  const mapped = contentRecordFromDiscovery(raw);
  if (mapped === undefined) throw new TypeError(`Not a content record: ${JSON.stringify(raw)}`);
  return mapped;
}

/** A course whose nested runs make it active (listed) or not. */
function course(key: string, active = true, extra: JsonObject = {}): ContentRecord {
  return record({ content_type: "course", key, uuid: uuidFor(key), title: `Course ${key}`, course_runs: [active ? ACTIVE_RUN : CLOSED_RUN], ...extra });
}

function run(key: string, courseKey: string): ContentRecord {
  return record({ content_type: "courserun", key, aggregation_key: `courserun:${courseKey}`, title: `Run ${key}` });
}

function program(uuid: string): ContentRecord {
  return record({ content_type: "program", uuid, title: `Program ${uuid}` });
}

function uuidFor(key: string): string {
  let hash = 7;
  for (const char of key) hash = (hash * 31 + char.charCodeAt(0)) >>> 0;
  return `10000000-0000-4000-8000-${hash.toString(16).padStart(12, "0")}`;
}

/** Registers the suite; `setup` runs once, the harness is reset before every test. */
export function describeContentReaderContract(name: string, setup: () => Promise<ReaderHarness>): void {
  describe(`ContentReader contract: ${name}`, () => {
    let h: ReaderHarness;
    let reader: ContentReader;

    beforeAll(async () => {
      h = await setup();
      reader = h.reader;
    });
    afterAll(async () => {
      await h?.close();
    });
    beforeEach(async () => {
      await h.reset();
    });

    async function newQuery(records: readonly ContentRecord[] = [], now = T0): Promise<CatalogQuery> {
      const query = await h.catalogs.resolveQuery({ contentFilter: contentFilterFromValue({ n: randomUUID() }), now: T0 });
      if (records.length > 0) await setMembers(query, records, now);
      return query;
    }

    /** Makes the query hold exactly these records, as a refresh would. */
    async function setMembers(query: CatalogQuery, records: readonly ContentRecord[], now = T1): Promise<void> {
      const before = await h.content.memberSearchFingerprints(query.uuid);
      const keys = new Set(records.map((item) => item.contentKey));
      await h.content.applyContentChange({
        queryUuid: query.uuid,
        upserts: records,
        addMembers: records.map((item) => item.contentKey).filter((key) => !before.has(key)),
        removeMembers: [...before.keys()].filter((key) => !keys.has(key)),
        now,
      });
    }

    /** Lets the query hold `records` and allow these restricted runs, as a refresh would. */
    async function allowRestricted(query: CatalogQuery, runs: readonly { runKey: string; courseKey: string; active?: boolean }[], now = T1): Promise<void> {
      const upserts: RestrictedRunRecord[] = runs.map(({ runKey, courseKey, active = true }) => {
        const record: JsonObject = { key: runKey, status: "published", is_enrollable: active, restriction_type: RESTRICTION_FOR_B2B };
        return { runKey, courseKey, record, fingerprint: jsonFingerprint(record), searchFingerprint: jsonFingerprint({}), enrichedAt: now };
      });
      await h.content.applyContentChange({ queryUuid: query.uuid, upserts: [], addMembers: [], removeMembers: [], restrictedRuns: { upserts, kept: [] }, now });
    }

    async function newCatalog(query: CatalogQuery, fields: Partial<EnterpriseCatalog> = {}): Promise<EnterpriseCatalog> {
      const catalog: EnterpriseCatalog = {
        uuid: randomUUID(), title: "Catalog", enterpriseCustomerUuid: randomUUID(), enterpriseCustomerName: "Acme Corp",
        queryUuid: query.uuid, enabledCourseModes: ["verified"], publishAuditEnrollmentUrls: false, created: T0, modified: T0,
        ...fields,
      };
      await h.catalogs.insertCatalog(catalog);
      return catalog;
    }

    describe("getCatalog()", () => {
      test("returns the catalog with its query's content version; undefined when absent or malformed", async () => {
        const query = await newQuery([course("edX+A")]);
        const catalog = await newCatalog(query, { title: "Mine", publishAuditEnrollmentUrls: true });
        const snapshot = await reader.getCatalog(catalog.uuid.toUpperCase());
        expect(snapshot).toEqual({ catalog, contentVersion: 1, contentLastModified: T0 });
        expect(await reader.getCatalog(randomUUID())).toBeUndefined();
        expect(await reader.getCatalog("not-a-uuid")).toBeUndefined();
      });
    });

    describe("findContainment()", () => {
      async function seeded() {
        const runs = await newQuery([course("edX+Demo"), run("course-v1:edX+Demo+1T", "edX+Demo"), course("MITx+6"), run("course-v1:MITx+6+2T", "MITx+6")]);
        // `runs` stores every row; the other queries link to some of them.
        await setMembers(runs, [run("course-v1:edX+Demo+1T", "edX+Demo")]);
        const courses = await newQuery([course("MITx+6")]);
        const programs = await newQuery([program("a3951294-926b-4247-8c3c-51c1e4347a15")]);
        const customer = randomUUID();
        const a = await newCatalog(runs, { enterpriseCustomerUuid: customer, created: T1 });
        const b = await newCatalog(courses, { enterpriseCustomerUuid: customer, created: T0 });
        const c = await newCatalog(programs, { enterpriseCustomerUuid: customer, created: T1, uuid: "ffffffff-0000-4000-8000-000000000000" });
        const alien = await newCatalog(courses);
        return { customer, a, b, c, alien };
      }

      test("a catalog contains a key it holds, a course whose run it holds, and (contains rule) a run whose course it holds", async () => {
        const s = await seeded();
        const found = await reader.findContainment({ catalogUuids: [s.a.uuid, s.b.uuid] },
          ["course-v1:edX+Demo+1T", "edX+Demo", "course-v1:MITx+6+2T", "nope"], "contains");
        expect(found.catalogUuids).toEqual([s.b.uuid, s.a.uuid]);
        expect(Object.fromEntries(found.matches)).toEqual({
          "course-v1:edX+Demo+1T": [s.a.uuid],
          "edX+Demo": [s.a.uuid],
          "course-v1:MITx+6+2T": [s.b.uuid],
        });
        const exact = await reader.findContainment({ catalogUuids: [s.b.uuid] }, ["course-v1:MITx+6+2T", "MITx+6"], "filter");
        expect(Object.fromEntries(exact.matches)).toEqual({ "MITx+6": [s.b.uuid] });
      });

      test("a run with no row is contained (contains rule only) through the course its key names, when that course lists it", async () => {
        const listing = course("Nest+1", true, { course_runs: [{ ...ACTIVE_RUN, key: "course-v1:Nest+1+1T" }, { key: "course-v1:Other+2+1T" }] });
        const catalog = await newCatalog(await newQuery([listing]));
        const asked = ["course-v1:Nest+1+1T", "course-v1:Nest+1+9T", "course-v1:Other+2+1T", "Nest+1"];
        const found = await reader.findContainment({ catalogUuids: [catalog.uuid] }, asked, "contains");
        expect(Object.fromEntries(found.matches)).toEqual({ "course-v1:Nest+1+1T": [catalog.uuid], "Nest+1": [catalog.uuid] });
        const filtered = await reader.findContainment({ catalogUuids: [catalog.uuid] }, asked, "filter");
        expect(Object.fromEntries(filtered.matches)).toEqual({ "Nest+1": [catalog.uuid] });
        // Once the run has a row naming another course, its row decides.
        await newQuery([run("course-v1:Nest+1+1T", "Elsewhere+1")]);
        expect((await reader.findContainment({ catalogUuids: [catalog.uuid] }, asked, "contains")).matches.has("course-v1:Nest+1+1T")).toBe(false);
      });

      test("programs match on their own uuid only", async () => {
        const s = await seeded();
        const found = await reader.findContainment({ catalogUuids: [s.c.uuid] }, ["a3951294-926b-4247-8c3c-51c1e4347a15", "edX+Demo", "course-v1:edX+Demo+1T"], "contains");
        expect([...found.matches.keys()]).toEqual(["a3951294-926b-4247-8c3c-51c1e4347a15"]);
      });

      test("a customer scope lists its catalogs oldest first and leaves other customers out", async () => {
        const s = await seeded();
        const found = await reader.findContainment({ customerUuid: s.customer.toUpperCase() }, ["MITx+6", "a3951294-926b-4247-8c3c-51c1e4347a15"], "contains");
        expect(found.catalogUuids).toEqual([s.b.uuid, s.a.uuid, s.c.uuid]);
        expect(Object.fromEntries(found.matches)).toEqual({
          "MITx+6": [s.b.uuid],
          "a3951294-926b-4247-8c3c-51c1e4347a15": [s.c.uuid],
        });
        const both = await reader.findContainment({ customerUuid: s.customer, catalogUuids: [s.c.uuid, s.alien.uuid] }, ["MITx+6"], "contains");
        expect(both).toEqual({ catalogUuids: [s.c.uuid], matches: new Map() });
      });

      test("one catalog asked within a customer is found only when the customer owns it, whatever the case", async () => {
        const s = await seeded();
        const owned = await reader.findContainment({ catalogUuids: [s.b.uuid], customerUuid: s.customer.toUpperCase() }, ["MITx+6"], "contains");
        expect(owned).toEqual({ catalogUuids: [s.b.uuid], matches: new Map([["MITx+6", [s.b.uuid]]]) });
        const foreign = await reader.findContainment({ catalogUuids: [s.alien.uuid], customerUuid: s.customer }, ["MITx+6"], "contains");
        expect(foreign).toEqual({ catalogUuids: [], matches: new Map() });
        // Asked together (one batch), each question keeps its own customer.
        const [mine, theirs] = await Promise.all([
          reader.findContainment({ catalogUuids: [s.b.uuid], customerUuid: s.customer }, ["MITx+6"], "contains"),
          reader.findContainment({ catalogUuids: [s.b.uuid], customerUuid: randomUUID() }, ["MITx+6"], "contains"),
        ]);
        expect(mine.catalogUuids).toEqual([s.b.uuid]);
        expect(theirs.catalogUuids).toEqual([]);
      });

      test("empty keys still list the scope; unknown and malformed scopes are empty", async () => {
        const s = await seeded();
        expect(await reader.findContainment({ catalogUuids: [s.a.uuid] }, [], "contains")).toEqual({ catalogUuids: [s.a.uuid], matches: new Map() });
        expect(await reader.findContainment({ catalogUuids: [randomUUID(), "bad"] }, ["MITx+6"], "contains")).toEqual({ catalogUuids: [], matches: new Map() });
        expect(await reader.findContainment({ customerUuid: "bad" }, ["MITx+6"], "contains")).toEqual({ catalogUuids: [], matches: new Map() });
      });

      test("answers for 2,000 keys at once", async () => {
        const s = await seeded();
        const keys = Array.from({ length: 1999 }, (_, i) => `course-v1:none+${i}+1T`).concat(["course-v1:edX+Demo+1T"]);
        const found = await reader.findContainment({ customerUuid: s.customer }, keys, "contains");
        expect([...found.matches.keys()]).toEqual(["course-v1:edX+Demo+1T"]);
      });
    });

    describe("restricted runs", () => {
      test("contains_with_restricted finds a run the catalog's query allows through its course; contains and filter never do, nor do other queries", async () => {
        const customer = randomUUID();
        const allowing = await newQuery([course("edX+R"), course("edX+S")]);
        await allowRestricted(allowing, [{ runKey: "course-v1:edX+R+B2B", courseKey: "edX+R" }]);
        const plain = await newQuery([course("edX+R")]);
        const mine = await newCatalog(allowing, { enterpriseCustomerUuid: customer, created: T1 });
        const theirs = await newCatalog(plain, { enterpriseCustomerUuid: customer, created: T0 });
        const asked = ["course-v1:edX+R+B2B"];
        const both = { catalogUuids: [mine.uuid, theirs.uuid] };
        expect(Object.fromEntries((await reader.findContainment(both, asked, "contains_with_restricted")).matches)).toEqual({ "course-v1:edX+R+B2B": [mine.uuid] });
        expect((await reader.findContainment(both, asked, "contains")).matches.size).toBe(0);
        expect((await reader.findContainment(both, asked, "filter")).matches.size).toBe(0);
        expect(Object.fromEntries((await reader.findContainment({ customerUuid: customer }, asked, "contains_with_restricted")).matches))
          .toEqual({ "course-v1:edX+R+B2B": [mine.uuid] });
        expect((await reader.matchQueryContent(allowing.uuid, asked, "contains_with_restricted")).map((item) => item.contentKey)).toEqual(["edX+R"]);
        expect(await reader.matchQueryContent(allowing.uuid, asked, "contains")).toEqual([]);
        expect((await reader.findCustomerContent(customer, { contentKey: "course-v1:edX+R+B2B" }, "contains_with_restricted"))?.catalog.catalog.uuid).toBe(mine.uuid);
        expect(await reader.findCustomerContent(customer, { contentKey: "course-v1:edX+R+B2B" }, "contains")).toBeUndefined();
      });

      test("restrictedRuns() gives the runs the query allows of the courses asked about, by course", async () => {
        const query = await newQuery([course("edX+R"), course("edX+S")]);
        await allowRestricted(query, [
          { runKey: "course-v1:edX+R+1", courseKey: "edX+R" }, { runKey: "course-v1:edX+R+2", courseKey: "edX+R" }, { runKey: "course-v1:edX+S+1", courseKey: "edX+S" },
        ], T2);
        const runs = await reader.restrictedRuns(query.uuid, ["edX+R", "nope"]);
        expect([...runs.keys()]).toEqual(["edX+R"]);
        expect([...(runs.get("edX+R") ?? [])].sort((a, b) => (a.runKey < b.runKey ? -1 : 1))).toEqual([
          { runKey: "course-v1:edX+R+1", courseKey: "edX+R", record: expect.objectContaining({ key: "course-v1:edX+R+1" }), modified: T2 },
          { runKey: "course-v1:edX+R+2", courseKey: "edX+R", record: expect.objectContaining({ key: "course-v1:edX+R+2" }), modified: T2 },
        ]);
        expect((await reader.restrictedRuns((await newQuery([course("edX+R")])).uuid, ["edX+R"])).size).toBe(0);
        expect((await reader.restrictedRuns("bad", ["edX+R"])).size).toBe(0);
      });

      test("the listing with restricted runs adds a course with no active run of its own when the query allows an active restricted one", async () => {
        const query = await newQuery([course("a+1"), course("b+2", false), course("c+3", false), course("d+4")]);
        await allowRestricted(query, [{ runKey: "course-v1:b+2+R", courseKey: "b+2" }, { runKey: "course-v1:c+3+R", courseKey: "c+3", active: false }]);
        const keys = (page: { items: readonly { contentKey: string }[] }) => page.items.map((item) => item.contentKey);
        expect(await reader.listQueryContent(query.uuid, { offset: 0, limit: 10 })).toMatchObject({ count: 2 });
        const all = await reader.listQueryContent(query.uuid, { offset: 0, limit: 10 }, { withRestrictedRuns: true });
        expect([all.count, keys(all)]).toEqual([3, ["a+1", "b+2", "d+4"]]);
        const second = await reader.listQueryContent(query.uuid, { offset: 1, limit: 1 }, { withRestrictedRuns: true });
        expect([second.count, keys(second)]).toEqual([3, ["b+2"]]);
        const past = await reader.listQueryContent(query.uuid, { offset: 5, limit: 1 }, { withRestrictedRuns: true });
        expect([past.count, keys(past)]).toEqual([3, []]);
        // Without such a course it is the listing itself.
        const other = await newQuery([course("a+1"), course("b+2", false)]);
        expect(await reader.listQueryContent(other.uuid, { offset: 0, limit: 10 }, { withRestrictedRuns: true }))
          .toEqual(await reader.listQueryContent(other.uuid, { offset: 0, limit: 10 }));
      });
    });

    describe("listQueryContent()", () => {
      const KEYS = ["z+1", "é+1", "B+1", "a+1", "course-v1:a+1+1T", "A+1"];

      test("lists everything but inactive courses, in code point order, a slice at a time with the total", async () => {
        const query = await newQuery([
          ...KEYS.map((key) => course(key)), course("Inactive+1", false), run("run+x", "Inactive+1"),
          program("b1a6e3d4-2f7c-4a7e-8a0e-2d7f7c1e9a10"),
        ]);
        const all = await reader.listQueryContent(query.uuid, { offset: 0, limit: 100 });
        expect(all.count).toBe(8);
        expect(all.items.map((item) => item.contentKey)).toEqual([
          "A+1", "B+1", "a+1", "b1a6e3d4-2f7c-4a7e-8a0e-2d7f7c1e9a10", "course-v1:a+1+1T", "run+x", "z+1", "é+1",
        ]);
        expect(all.items[0]).toMatchObject({ contentType: "course", modified: T0, jsonMetadata: { title: "Course A+1" } });
        const middle = await reader.listQueryContent(query.uuid, { offset: 3, limit: 2 });
        expect(middle).toEqual({ count: 8, items: all.items.slice(3, 5) });
        expect(await reader.listQueryContent(query.uuid, { offset: 8, limit: 10 })).toEqual({ count: 8, items: [] });
        expect(await reader.listQueryContent(randomUUID(), { offset: 0, limit: 10 })).toEqual({ count: 0, items: [] });
      });

      test("follows membership changes and a shared course turning inactive in a sibling's refresh", async () => {
        const shared = course("m+shared");
        const mine = await newQuery([course("m+a"), shared, course("m+c")]);
        const sibling = await newQuery([course("s+a"), shared, course("s+z")]);
        await setMembers(mine, [course("m+a"), shared, course("m+b"), course("m+c")]);
        expect((await reader.listQueryContent(mine.uuid, { offset: 0, limit: 10 })).items.map((i) => i.contentKey))
          .toEqual(["m+a", "m+b", "m+c", "m+shared"]);

        // The sibling's refresh sees the shared course close: it leaves both listings.
        await setMembers(sibling, [course("s+a"), course("m+shared", false), course("s+z")]);
        expect((await reader.listQueryContent(mine.uuid, { offset: 0, limit: 10 })).items.map((i) => i.contentKey))
          .toEqual(["m+a", "m+b", "m+c"]);
        expect(await reader.listQueryContent(sibling.uuid, { offset: 1, limit: 10 }))
          .toMatchObject({ count: 2, items: [{ contentKey: "s+z" }] });

        await setMembers(mine, [course("m+b"), course("m+shared", false)]);
        expect(await reader.listQueryContent(mine.uuid, { offset: 0, limit: 10 })).toMatchObject({ count: 1, items: [{ contentKey: "m+b" }] });
        await setMembers(sibling, [course("s+a"), course("m+shared", true), course("s+z")]);
        expect((await reader.listQueryContent(mine.uuid, { offset: 0, limit: 10 })).items.map((i) => i.contentKey)).toEqual(["m+b", "m+shared"]);
      });
    });

    describe("matchQueryContent()", () => {
      test("matches keys, runs of requested courses and (contains rule) the course of a requested run, inactive kept", async () => {
        const stored = await newQuery([course("C+x", false), run("course-v1:C+x+1T", "C+x"), run("course-v1:C+x+2T", "C+x"), course("D+y"), run("course-v1:D+y+1T", "D+y")]);
        await setMembers(stored, [course("C+x", false), run("course-v1:C+x+2T", "C+x"), course("D+y")]);
        const keysOf = async (keys: string[], kind: MatchKind = "contains") => (await reader.matchQueryContent(stored.uuid, keys, kind)).map((i) => i.contentKey);
        expect(await keysOf(["C+x"])).toEqual(["C+x", "course-v1:C+x+2T"]);
        expect(await keysOf(["course-v1:D+y+1T"])).toEqual(["D+y"]);
        expect(await keysOf(["course-v1:D+y+1T"], "filter")).toEqual([]);
        expect(await keysOf(["course-v1:C+x+1T", "nope"])).toEqual(["C+x"]);
        expect(await keysOf([])).toEqual([]);
      });
    });

    describe("diffQueryContent()", () => {
      test("splits requested keys into held (with modified) and the query's other keys", async () => {
        const query = await newQuery([course("k+1"), course("k+2", false), course("k+3")]);
        await setMembers(query, [course("k+1"), course("k+2", false), course("k+3", true, { title: "New" })], T1);
        const diff = await reader.diffQueryContent(query.uuid, ["k+3", "gone", "k+1"]);
        expect(Object.fromEntries(diff.found)).toEqual({ "k+1": T0, "k+3": T1 });
        expect(diff.notRequested).toEqual(["k+2"]);
      });

      test("splits 100,000 requested keys the same way, a whole integrated channel's catalog", async () => {
        const held = Array.from({ length: 300 }, (_, i) => course(`big+${String(i).padStart(3, "0")}`));
        const query = await newQuery(held);
        const asked = [...Array.from({ length: 99_850 }, (_, i) => `course-v1:absent+${i}+1T`), ...held.slice(0, 150).map((item) => item.contentKey)];
        const diff = await reader.diffQueryContent(query.uuid, asked);
        expect([...diff.found.keys()].sort()).toEqual(held.slice(0, 150).map((item) => item.contentKey));
        expect([...diff.found.values()].every((modified) => modified.getTime() === T0.getTime())).toBe(true);
        expect(diff.notRequested).toEqual(held.slice(150).map((item) => item.contentKey));
      }, 60_000);
    });

    describe("catalogQueries()", () => {
      test("maps existing catalogs to their queries and skips the rest", async () => {
        const query = await newQuery();
        const a = await newCatalog(query);
        expect(Object.fromEntries(await reader.catalogQueries([a.uuid.toUpperCase(), randomUUID(), "bad"]))).toEqual({ [a.uuid]: query.uuid });
      });
    });

    describe("lookUpContent()", () => {
      test("finds by key or uuid, coerces runs to their stored courses, pages in listing order", async () => {
        await newQuery([course("L+a"), run("course-v1:L+a+1T", "L+a"), run("course-v1:Orphan+1T", "Orphan"), course("L+b", false), program("c1a6e3d4-2f7c-4a7e-8a0e-2d7f7c1e9a10")]);
        const keys = async (lookup: Parameters<ContentReader["lookUpContent"]>[0], page = { page: 1, pageSize: 10 }) => {
          const found = await reader.lookUpContent(lookup, page);
          return { count: found.count, keys: found.items.map((i) => i.contentKey) };
        };
        expect(await keys({ contentKeys: ["course-v1:L+a+1T", "L+b", "nope"], contentUuids: ["c1a6e3d4-2f7c-4a7e-8a0e-2d7f7c1e9a10"] }))
          .toEqual({ count: 3, keys: ["L+b", "c1a6e3d4-2f7c-4a7e-8a0e-2d7f7c1e9a10", "course-v1:L+a+1T"] });
        expect(await keys({ contentKeys: ["course-v1:L+a+1T", "course-v1:Orphan+1T", "L+a"], coerceToParentCourse: true }))
          .toEqual({ count: 1, keys: ["L+a"] });
        expect(await keys({ contentUuids: [uuidFor("L+a")] })).toEqual({ count: 1, keys: ["L+a"] });
        expect(await keys({})).toEqual({ count: 5, keys: ["L+a", "L+b", "c1a6e3d4-2f7c-4a7e-8a0e-2d7f7c1e9a10", "course-v1:L+a+1T", "course-v1:Orphan+1T"] });
        expect(await keys({ coerceToParentCourse: true }, { page: 2, pageSize: 2 })).toEqual({ count: 3, keys: ["c1a6e3d4-2f7c-4a7e-8a0e-2d7f7c1e9a10"] });
        expect(await keys({ contentKeys: ["L+a"] }, { page: 3, pageSize: 2 })).toEqual({ count: 1, keys: [] });
        expect(await keys({ contentKeys: [] })).toEqual({ count: 0, keys: [] });
      });
    });

    describe("findCustomerContent()", () => {
      test("the customer's oldest catalog with a match wins; exact keys before a run's course before a course's runs", async () => {
        const customer = randomUUID();
        const older = await newQuery([course("F+a"), run("course-v1:F+a+1T", "F+a")]);
        const newer = await newQuery([course("F+a"), run("course-v1:F+a+1T", "F+a"), course("F+b")]);
        await setMembers(older, [run("course-v1:F+a+1T", "F+a")]);
        const first = await newCatalog(older, { enterpriseCustomerUuid: customer, created: T0 });
        const second = await newCatalog(newer, { enterpriseCustomerUuid: customer, created: T1 });
        await newCatalog(newer);

        const byKey = async (key: string, kind: MatchKind = "contains") => {
          const found = await reader.findCustomerContent(customer, { contentKey: key }, kind);
          return found === undefined ? undefined : [found.catalog.catalog.uuid, found.content.contentKey];
        };
        expect(await byKey("F+a")).toEqual([first.uuid, "course-v1:F+a+1T"]);
        expect(await byKey("course-v1:F+a+1T")).toEqual([first.uuid, "course-v1:F+a+1T"]);
        expect(await byKey("F+b")).toEqual([second.uuid, "F+b"]);
        expect(await byKey("nope")).toBeUndefined();

        const byUuid = await reader.findCustomerContent(customer, { contentUuid: uuidFor("F+b") }, "contains");
        expect(byUuid).toMatchObject({ catalog: { catalog: { uuid: second.uuid }, contentVersion: 1 }, content: { contentKey: "F+b" } });
        expect(await reader.findCustomerContent(randomUUID(), { contentKey: "F+b" }, "contains")).toBeUndefined();
        expect(await reader.findCustomerContent("bad", { contentKey: "F+b" }, "contains")).toBeUndefined();
      });
    });
  });
}
