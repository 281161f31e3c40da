/**
 * The containment rule answered by the memory reader (which evaluates `src/content/containment.ts`
 * directly) and by the Postgres reader (which runs `adapters/postgres/containment_sql.ts`) must be
 * the same answer: over generated corpora, memberships, restricted runs, catalogs and keys, every
 * reader question that applies the rule, under every match kind, asked concurrently so that the
 * Postgres batches mix, and the `/api/v2` listing; and the containment read model (decision 0018)
 * answers the containment questions the same from memory.
 */
import { randomUUID } from "node:crypto";
import fc from "fast-check";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { MemoryCatalogStore } from "../../adapters/memory/memory_catalog_store.ts";
import { MemoryContentReader } from "../../adapters/memory/memory_content_reader.ts";
import { MemoryContentStore } from "../../adapters/memory/memory_content_store.ts";
import { MemoryDatabase } from "../../adapters/memory/memory_database.ts";
import { PostgresContentReader } from "../../adapters/postgres/postgres_content_reader.ts";
import type { EnterpriseCatalog } from "../../src/catalog/catalog.ts";
import { contentFilterFromValue } from "../../src/catalog/content_filter.ts";
import { type ContentRecord, contentRecordFromDiscovery, jsonFingerprint } from "../../src/content/content_metadata.ts";
import { MATCH_KINDS, type MatchKind } from "../../src/content/containment.ts";
import { RESTRICTION_FOR_B2B, type RestrictedRunRecord } from "../../src/content/restricted_runs.ts";
import type { JsonObject, JsonValue } from "../../src/json.ts";
import type { CatalogStore } from "../../src/ports/catalog_store.ts";
import type { ContentReader } from "../../src/ports/content_reader.ts";
import type { ContentStore } from "../../src/ports/content_store.ts";
import { type ModelReaderHarness, modelReaderHarness } from "../helpers/read_model.ts";
import { postgresHarness, type StoreHarness } from "../helpers/store_harness.ts";

const T0 = new Date("2026-01-01T00:00:00.000Z");
const KINDS = Object.keys(MATCH_KINDS) as MatchKind[];
const CUSTOMERS = ["0f8f1a3e-6a8e-4c43-9b1f-5a0c3f0c1a01", "0f8f1a3e-6a8e-4c43-9b1f-5a0c3f0c1a02"];

/** One generated run of a course: stored as a row (with which parent) or not, listed in the course's record or not. */
interface RunSpec {
  readonly suffix: string;
  readonly row: "none" | "own course" | "other course" | "no parent";
  readonly listed: boolean;
}

/** A generated course and its runs. */
interface CourseSpec {
  readonly org: string;
  readonly number: string;
  readonly runs: readonly RunSpec[];
  /** Entries of `course_runs` that name no run, and a `course_runs` that is no list. */
  readonly noise: "none" | "entries" | "not a list";
}

/** Everything one case writes and asks. */
interface Corpus {
  readonly courses: readonly CourseSpec[];
  /** Rows that are neither courses nor runs of generated courses: programs, runs with keys of another shape. */
  readonly others: readonly JsonObject[];
  /** Per query, which stored keys it holds (indexes into the stored keys, taken modulo their number). */
  readonly memberships: readonly (readonly number[])[];
  /**
   * Per query, restricted runs it allows: of the course (an index into the courses) and active or
   * not; kept only when the query holds that course, as a refresh keeps them.
   */
  readonly restricted: readonly (readonly { readonly course: number; readonly suffix: string; readonly active: boolean }[])[];
  /** Per catalog: customer index, query index, created offset (ties on purpose). */
  readonly catalogs: readonly { readonly customer: number; readonly query: number; readonly created: number }[];
  /** Keys to ask: picks among every key the corpus knows (stored or not), or arbitrary text. */
  readonly asked: readonly ({ readonly known: number } | { readonly text: string })[];
}

const ODD = fc.constantFrom("MITx", "edX", "Ünï", "a b", "x%_y", "😀", "O'Neil", "back\\slash", "dot.ted", "q\"uote", "tab\tbed", "ا");
const corpusArbitrary: fc.Arbitrary<Corpus> = fc.record({
  courses: fc.array(fc.record({
    org: ODD,
    number: fc.constantFrom("101", "CS50", "6.00x", "é", "1"),
    runs: fc.array(fc.record({
      suffix: fc.constantFrom("1T2026", "2T2026", "3T", "Ω", "x y"),
      row: fc.constantFrom("none", "own course", "other course", "no parent"),
      listed: fc.boolean(),
    }), { maxLength: 4 }),
    noise: fc.constantFrom("none", "entries", "not a list"),
  }), { minLength: 1, maxLength: 5 }),
  others: fc.array(fc.oneof(
    fc.uuid().map((uuid): JsonObject => ({ content_type: "program", uuid, title: "Program" })),
    fc.tuple(ODD, ODD).map(([a, b]): JsonObject => ({ content_type: "courserun", key: `${a}/${b}/run`, aggregation_key: `courserun:${a}+${b}` })),
  ), { maxLength: 3 }),
  memberships: fc.array(fc.array(fc.nat(), { maxLength: 12 }), { minLength: 1, maxLength: 4 }),
  restricted: fc.array(fc.array(fc.record({ course: fc.nat(), suffix: fc.constantFrom("1T2026", "B2B", "Ω"), active: fc.boolean() }), { maxLength: 3 }), { maxLength: 4 }),
  catalogs: fc.array(fc.record({ customer: fc.nat(1), query: fc.nat(), created: fc.nat(2) }), { minLength: 1, maxLength: 5 }),
  asked: fc.array(fc.oneof(
    { weight: 5, arbitrary: fc.record({ known: fc.nat() }) },
    { weight: 1, arbitrary: fc.record({ text: fc.string({ unit: "grapheme", maxLength: 12 }).filter((text) => !text.includes("\u0000")) }) },
  ), { minLength: 1, maxLength: 8 }),
});

/**
 * A case that reaches every way of matching, checked on every run besides the generated ones: a
 * catalog holding a course only, asked for the course, its run that has a row, and its run that
 * only its record lists.
 */
const EVERY_WAY: Corpus = {
  courses: [{
    org: "MITx", number: "101", noise: "none",
    runs: [{ suffix: "1T2026", row: "own course", listed: true }, { suffix: "2T2026", row: "none", listed: true }],
  }],
  others: [],
  memberships: [[0]],
  restricted: [[{ course: 0, suffix: "B2B", active: true }]],
  catalogs: [{ customer: 0, query: 0, created: 0 }],
  // knownKeys: the course, three made-up runs, then the two runs, then the restricted one (see materialize).
  asked: [{ known: 0 }, { known: 4 }, { known: 5 }, { known: 6 }],
};

/**
 * A run with a row of its own under another course, also listed by the course its key names, which
 * the catalog holds: the row wins, so the run is not in the catalog through the listing.
 */
const ROW_WINS: Corpus = {
  courses: [
    { org: "MITx", number: "101", noise: "none", runs: [{ suffix: "1T2026", row: "other course", listed: true }] },
    { org: "HarvardX", number: "CS50", noise: "none", runs: [] },
  ],
  others: [],
  memberships: [[0]],
  restricted: [],
  catalogs: [{ customer: 0, query: 0, created: 0 }],
  // knownKeys: the course, three made-up runs, then its run.
  asked: [{ known: 0 }, { known: 4 }],
};

/** The records a corpus stores, and every key it knows of (stored, listed only, or made up for a stored course). */
function materialize(corpus: Corpus): { records: ContentRecord[]; knownKeys: string[] } {
  const raw: JsonObject[] = [];
  const knownKeys: string[] = [];
  for (const [i, course] of corpus.courses.entries()) {
    const courseKey = `${course.org}+${course.number}`;
    const runKey = (run: RunSpec) => `course-v1:${courseKey}+${run.suffix}`;
    const entries: JsonValue[] = course.runs.filter((run) => run.listed).map((run) => ({ key: runKey(run), status: "published" }));
    if (course.noise === "entries") entries.push("course-v1:stray+entry+1T", { key: 7 }, {}, [{ key: runKey({ suffix: "nested", row: "none", listed: true }) }]);
    const courseRuns: JsonValue = course.noise === "not a list" ? { key: runKey({ suffix: "object", row: "none", listed: true }) } : entries;
    raw.push({ content_type: "course", key: courseKey, uuid: `00000000-0000-4000-8000-${String(i).padStart(12, "0")}`, title: courseKey, course_runs: courseRuns });
    knownKeys.push(courseKey, `course-v1:${courseKey}+made-up`, `course-v1:${courseKey}+object`, `course-v1:${courseKey}+nested`);
    for (const run of course.runs) {
      knownKeys.push(runKey(run));
      if (run.row === "none") continue;
      const next = corpus.courses[(i + 1) % corpus.courses.length] as CourseSpec;
      const parent = run.row === "own course" ? courseKey : run.row === "other course" ? `${next.org}+${next.number}` : undefined;
      raw.push({ content_type: "courserun", key: runKey(run), ...(parent === undefined ? {} : { aggregation_key: `courserun:${parent}` }) });
    }
  }
  for (const allowed of corpus.restricted) for (const run of allowed) knownKeys.push(restrictedRunKey(corpus, run));
  raw.push(...corpus.others);
  const byKey = new Map<string, ContentRecord>();
  for (const record of raw.map((item) => contentRecordFromDiscovery(item))) {
    if (record !== undefined && !byKey.has(record.contentKey)) byKey.set(record.contentKey, record);
  }
  knownKeys.push(...byKey.keys());
  return { records: [...byKey.values()], knownKeys: [...new Set(knownKeys)] };
}

/** The course a generated restricted run belongs to, and its key (which may also be a run the course lists, or has a row). */
function restrictedCourseKey(corpus: Corpus, run: Corpus["restricted"][number][number]): string {
  const course = corpus.courses[run.course % corpus.courses.length] as CourseSpec;
  return `${course.org}+${course.number}`;
}

function restrictedRunKey(corpus: Corpus, run: Corpus["restricted"][number][number]): string {
  return `course-v1:${restrictedCourseKey(corpus, run)}+${run.suffix}`;
}

/** The restricted runs query `q` keeps: those of courses it holds, each key once. */
function restrictedRunsOf(corpus: Corpus, q: number, members: ReadonlySet<string>): RestrictedRunRecord[] {
  const runs = new Map<string, RestrictedRunRecord>();
  for (const run of corpus.restricted[q] ?? []) {
    const courseKey = restrictedCourseKey(corpus, run);
    if (!members.has(courseKey)) continue;
    const record: JsonObject = { key: restrictedRunKey(corpus, run), status: "published", is_enrollable: run.active, restriction_type: RESTRICTION_FOR_B2B };
    runs.set(String(record.key), {
      runKey: String(record.key), courseKey, record, fingerprint: jsonFingerprint(record), searchFingerprint: jsonFingerprint({}), enrichedAt: T0,
    });
  }
  return [...runs.values()];
}

/** Writes the corpus through a catalog store and a content store, as refreshes and the API would. */
async function load(corpus: Corpus, records: readonly ContentRecord[], catalogs: CatalogStore, content: ContentStore, catalogUuids: readonly string[]): Promise<string[]> {
  const queries: string[] = [];
  for (const [q, held] of corpus.memberships.entries()) {
    const query = await catalogs.resolveQuery({ contentFilter: contentFilterFromValue({ q }), now: T0 });
    const members = [...new Set(held.map((n) => records[n % records.length]?.contentKey as string))];
    await content.applyContentChange({
      queryUuid: query.uuid, upserts: q === 0 ? records : [], addMembers: members, removeMembers: [], now: T0,
      restrictedRuns: { upserts: restrictedRunsOf(corpus, q, new Set(members)), kept: [] },
    });
    queries.push(query.uuid);
  }
  for (const [n, spec] of corpus.catalogs.entries()) {
    const catalog: EnterpriseCatalog = {
      uuid: catalogUuids[n] as string, title: `Catalog ${n}`, enterpriseCustomerUuid: CUSTOMERS[spec.customer] as string,
      enterpriseCustomerName: "Acme", queryUuid: queries[spec.query % queries.length] as string, enabledCourseModes: [],
      publishAuditEnrollmentUrls: false, created: new Date(T0.getTime() + spec.created), modified: T0,
    };
    await catalogs.insertCatalog(catalog);
  }
  return queries;
}

/** Every question of the reader that applies the rule, asked at once; query uuids (each store makes its own) as their positions. */
async function ask(reader: ContentReader, keys: readonly string[], catalogUuids: readonly string[], queries: readonly string[]) {
  const stranger = "9b3c1f0e-2d4a-4e8b-a6c7-0d1e2f3a4b5c";
  const answers = await Promise.all(KINDS.flatMap((kind) => [
    ...[...CUSTOMERS, stranger].map((customerUuid) => reader.findContainment({ customerUuid }, keys, kind)),
    ...catalogUuids.map((uuid) => reader.findContainment({ catalogUuids: [uuid] }, keys, kind)),
    ...catalogUuids.map((uuid) => reader.findContainment({ catalogUuids: [uuid], customerUuid: CUSTOMERS[0] as string }, keys, kind)),
    reader.findContainment({ catalogUuids }, keys, kind),
    reader.findContainment({ catalogUuids, customerUuid: CUSTOMERS[1] as string }, keys, kind),
    ...queries.map((query) => reader.matchQueryContent(query, keys, kind)),
    ...CUSTOMERS.flatMap((customerUuid) => keys.map((contentKey) => reader.findCustomerContent(customerUuid, { contentKey }, kind))),
  ]));
  const listings = await Promise.all(queries.flatMap((query) => [
    reader.listQueryContent(query, { offset: 0, limit: 100 }, { withRestrictedRuns: true }),
    reader.listQueryContent(query, { offset: 1, limit: 2 }, { withRestrictedRuns: true }),
  ]));
  const restrictedRuns = await Promise.all(queries.map(async (query) =>
    [...await reader.restrictedRuns(query, keys)].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([course, runs]) => [course, [...runs].sort((a, b) => (a.runKey < b.runKey ? -1 : 1))])
  ));
  const renamed = answers.map((answer) =>
    answer !== undefined && "catalog" in answer
      ? { ...answer, catalog: { ...answer.catalog, catalog: { ...answer.catalog.catalog, queryUuid: `query ${queries.indexOf(answer.catalog.catalog.queryUuid)}` } } }
      : answer
  );
  return { rule: renamed, listings, restrictedRuns };
}

describe("containment: the memory and Postgres readers and the read model agree", () => {
  let postgres: StoreHarness;
  let pool: pg.Pool;
  let postgresReader: PostgresContentReader;
  let model: ModelReaderHarness;

  beforeAll(async () => {
    const harness = await postgresHarness();
    postgres = harness;
    pool = new pg.Pool({ connectionString: harness.database.url, max: 4 });
    postgresReader = new PostgresContentReader(pool);
    model = modelReaderHarness(harness.database.url, pool);
  });
  afterAll(async () => {
    model?.close();
    await pool?.end();
    await postgres?.close();
  });

  test("findContainment(), matchQueryContent() and findCustomerContent() give the same answers for every match kind", async () => {
    // Which kinds of match the generated cases reached, so that the property cannot pass on empty answers.
    const seen = { exact: 0, throughRunRow: 0, throughListing: 0, throughRestricted: 0 };
    await fc.assert(fc.asyncProperty(corpusArbitrary, async (corpus) => {
      const { records, knownKeys } = materialize(corpus);
      const keys = corpus.asked.map((pick) => ("known" in pick ? knownKeys[pick.known % knownKeys.length] as string : pick.text));
      const catalogUuids = corpus.catalogs.map(() => randomUUID());

      const db = new MemoryDatabase();
      const memoryQueries = await load(corpus, records, new MemoryCatalogStore(db), new MemoryContentStore(db), catalogUuids);
      await postgres.reset();
      model.reset();
      const postgresQueries = await load(corpus, records, postgres.catalogs, postgres.content, catalogUuids);

      const memoryReader = new MemoryContentReader(db);
      const fromMemory = await ask(memoryReader, keys, catalogUuids, memoryQueries);
      const fromPostgres = await ask(postgresReader, keys, catalogUuids, postgresQueries);
      expect(fromPostgres).toEqual(fromMemory);
      // The read model answers every containment question itself (the strict reader fails one it did not).
      const fromModel = await ask(model.strict, keys, catalogUuids, postgresQueries);
      expect(fromModel).toEqual(fromMemory);

      const stored = new Map(records.map((record) => [record.contentKey, record]));
      const [contains, filter, restricted] = await Promise.all((["contains", "filter", "contains_with_restricted"] as const)
        .map((kind) => memoryReader.findContainment({ catalogUuids }, keys, kind)));
      for (const [key, catalogs] of restricted?.matches ?? []) {
        if (catalogs.some((uuid) => !contains?.matches.get(key)?.includes(uuid))) seen.throughRestricted++;
      }
      for (const [key, catalogs] of contains?.matches ?? []) {
        const throughCourse = catalogs.filter((uuid) => !filter?.matches.get(key)?.includes(uuid)).length;
        if (throughCourse === 0) seen.exact++;
        else if (stored.has(key)) seen.throughRunRow++;
        else seen.throughListing++;
      }
    }), { numRuns: 60, examples: [[EVERY_WAY], [ROW_WINS]] });
    expect(seen.exact).toBeGreaterThan(0);
    expect(seen.throughRunRow).toBeGreaterThan(0);
    expect(seen.throughListing).toBeGreaterThan(0);
    expect(seen.throughRestricted).toBeGreaterThan(0);
  }, 120_000);
});
