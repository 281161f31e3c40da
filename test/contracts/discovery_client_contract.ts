/**
 * The DiscoveryClient contract: what every adapter must do, whatever it talks to. Each adapter
 * serves the same small generated corpus; the search expectations come from the corpus itself
 * through plain predicates, not from the filter evaluator the local adapter uses, and the
 * full-record expectations from the records the discovery behind the adapter holds.
 */
import { describe, expect, test } from "vitest";
import { type DiscoveryCorpus, generateCorpus } from "../../adapters/discovery_local/corpus.ts";
import { contentFilterFromValue } from "../../src/catalog/content_filter.ts";
import type { JsonObject } from "../../src/json.ts";
import type {
  DiscoveryClient,
  DiscoveryEndpoint,
  DiscoveryFetchResult,
  DiscoveryRequestEvent,
} from "../../src/ports/discovery_client.ts";

/** The corpus every adapter under contract serves: a few hundred records, several pages each. */
export const CONTRACT_CORPUS: DiscoveryCorpus = generateCorpus({ courses: 160, seed: 42 });

/** Example filters of the reference (§4.3 A–D) plus edge cases, by name. */
export const CONTRACT_FILTERS: Readonly<Record<string, JsonObject>> = {
  "A: open courses of one partner": {
    content_type: "course",
    partner: "edx",
    level_type: ["Introductory", "Intermediate", "Advanced"],
    availability: ["Current", "Starting Soon", "Upcoming"],
    status: "published",
  },
  "B: curated courses and a program": {
    content_type: ["course", "program"],
    aggregation_key: ["course:edX+DemoX", "course:MITx+6.00.1x", "program:a3951294-926b-4247-8c3c-51c1e4347a15"],
  },
  "C: two organisations without exec-ed and one bad course": {
    content_type: "course",
    partner: "edx",
    org: ["HarvardX", "MITx"],
    course_type__exclude: "executive-education-2u",
    aggregation_key__exclude: "course:MITx+OLD101x",
  },
  "D: cheap running course runs": {
    content_type: "courserun",
    partner: "edx",
    availability: ["Current", "Starting Soon"],
    first_enrollable_paid_seat_price__lte: "199",
    published: true,
  },
  "every course run": { content_type: "courserun" },
  "runs of one course by key": { content_type: "courserun", key: "edX+DemoX" },
  "learner pathways": { content_type: "learnerpathway" },
};

type Expectation = (record: JsonObject, corpus: readonly JsonObject[]) => boolean;

const RUNS_OF = new WeakMap<readonly JsonObject[], Map<string, JsonObject[]>>();

/** Top-level runs per course key: what discovery derives a course's availability and status from. */
function runsOf(course: JsonObject, corpus: readonly JsonObject[]): JsonObject[] {
  let map = RUNS_OF.get(corpus);
  if (map === undefined) {
    map = new Map();
    for (const record of corpus) {
      if (record.content_type !== "courserun") continue;
      const parent = String(record.aggregation_key).slice("courserun:".length);
      map.set(parent, [...(map.get(parent) ?? []), record]);
    }
    RUNS_OF.set(corpus, map);
  }
  return map.get(String(course.key)) ?? [];
}

/** The same filters written out by hand, record by record. */
const EXPECTED: Readonly<Record<string, Expectation>> = {
  "A: open courses of one partner": (record, corpus) =>
    record.content_type === "course" && record.partner === "edx" &&
    ["Introductory", "Intermediate", "Advanced"].includes(String(record.level_type)) &&
    runsOf(record, corpus).some((run) => ["Current", "Starting Soon", "Upcoming"].includes(String(run.availability))) &&
    runsOf(record, corpus).some((run) => run.status === "published"),
  "B: curated courses and a program": (record) =>
    ["course", "program"].includes(String(record.content_type)) &&
    ["course:edX+DemoX", "course:MITx+6.00.1x", "program:a3951294-926b-4247-8c3c-51c1e4347a15"]
      .includes(String(record.aggregation_key)),
  "C: two organisations without exec-ed and one bad course": (record) =>
    record.content_type === "course" && record.partner === "edx" &&
    ["harvardx", "mitx"].includes(String(record.org).toLowerCase()) &&
    record.course_type !== "executive-education-2u" && record.aggregation_key !== "course:MITx+OLD101x",
  "D: cheap running course runs": (record) =>
    record.content_type === "courserun" && record.partner === "edx" &&
    ["Current", "Starting Soon"].includes(String(record.availability)) &&
    typeof record.first_enrollable_paid_seat_price === "number" && record.first_enrollable_paid_seat_price <= 199 &&
    record.published === true,
  "every course run": (record) => record.content_type === "courserun",
  "runs of one course by key": (record) =>
    record.content_type === "courserun" && String(record.key).startsWith("course-v1:edX+DemoX+"),
  "learner pathways": (record) => record.content_type === "learnerpathway",
};

/** Discovery's order: aggregation_key, then start (aggregation keys are unique but for runs). */
function discoveryOrder(a: JsonObject, b: JsonObject): number {
  const ak = String(a.aggregation_key);
  const bk = String(b.aggregation_key);
  if (ak !== bk) return ak < bk ? -1 : 1;
  const as = typeof a.start === "string" ? a.start : "\uffff";
  const bs = typeof b.start === "string" ? b.start : "\uffff";
  return as < bs ? -1 : as > bs ? 1 : 0;
}

function identity(record: JsonObject): string {
  return `${String(record.aggregation_key)}|${String(record.key ?? record.uuid)}`;
}

/**
 * Runs the DiscoveryClient contract against one adapter. `makeClient` gets the corpus the client
 * must answer from (for HTTP: what the fake discovery behind it serves), with discovery's page size.
 */
export function describeDiscoveryClientContract(
  name: string,
  makeClient: (corpus: DiscoveryCorpus) => DiscoveryClient | Promise<DiscoveryClient>,
): void {
  describe(`${name} satisfies the DiscoveryClient contract`, () => {
    const corpus = CONTRACT_CORPUS.records;

    for (const [label, value] of Object.entries(CONTRACT_FILTERS)) {
      test(`searchAll() returns the complete result set across pages for ${label}`, async () => {
        const client = await makeClient(CONTRACT_CORPUS);
        const events: DiscoveryRequestEvent[] = [];
        const result = await client.searchAll(contentFilterFromValue(value), { onRequest: (event) => events.push(event) });
        const expected = corpus.filter((record) => (EXPECTED[label] as Expectation)(record, corpus)).sort(discoveryOrder);
        expect(expected.length, "the corpus should hold matches for every contract filter").toBeGreaterThan(0);
        expect(result.records.map(identity)).toEqual(expected.map(identity));
        expect(result.records).toEqual(expected);
        expect(result.count).toBe(result.records.length);
        const pages = Math.max(1, Math.ceil(result.count / 100));
        expect(result.requests).toBeGreaterThanOrEqual(pages);
        expect(events.filter((event) => event.outcome === "ok")).toHaveLength(pages);
        expect(new Set(events.map((event) => event.endpoint))).toEqual(new Set(["search"]));
      });
    }

    test("searchAll() follows more than one page when the result is larger than a page", async () => {
      const client = await makeClient(CONTRACT_CORPUS);
      const result = await client.searchAll(contentFilterFromValue({ content_type: ["course", "courserun"] }));
      expect(result.count).toBeGreaterThan(300);
      expect(result.records).toHaveLength(result.count);
      expect(new Set(result.records.map(identity)).size).toBe(result.count);
      expect(result.requests).toBeGreaterThanOrEqual(Math.ceil(result.count / 100));
    });

    test("searchAll() returns zero records for a filter matching nothing, after at least one request", async () => {
      const client = await makeClient(CONTRACT_CORPUS);
      const result = await client.searchAll(contentFilterFromValue({ content_type: "course", org: "NoSuchOrgX" }));
      expect(result.records).toEqual([]);
      expect(result.count).toBe(0);
      expect(result.requests).toBeGreaterThanOrEqual(1);
    });

    test("searchAll() rejects with the signal's reason when the signal is already aborted", async () => {
      const client = await makeClient(CONTRACT_CORPUS);
      const reason = new Error("caller gave up");
      await expect(
        client.searchAll(contentFilterFromValue({ content_type: "course" }), { signal: AbortSignal.abort(reason) }),
      ).rejects.toBe(reason);
    });
  });
}

/** What the discovery behind an adapter holds besides its search index: every full record. */
export interface DiscoveryHoldings {
  /** Every `/courses` record, one per course key. */
  readonly courses: readonly JsonObject[];
  /** Every `/programs?extended=True` record, one per uuid. */
  readonly programs: readonly JsonObject[];
  /** The whole `/course_review` table. */
  readonly reviews: readonly JsonObject[];
}

/** Keys and uuids no discovery holds, with the characters course keys use. */
const ABSENT_COURSE_KEYS = ["edX+NoSuchCourseX", "Org/NoSuch/2020", "course-v1:edX+NoSuch+1T2026"];
const ABSENT_PROGRAM_UUIDS = ["00000000-0000-4000-8000-000000000000"];
/** The port's batch: at most this many keys or uuids per request. */
const KEYS_PER_REQUEST = 50;

/** The `field` of every record, sorted: what a set of full records is made of. */
function fieldsOf(records: readonly JsonObject[], field: string): string[] {
  return records.map((record) => String(record[field])).sort();
}

/** Records by their `field`, for comparing whole records whatever their order. */
function byField(records: readonly JsonObject[], field: string): Map<string, JsonObject> {
  return new Map(records.map((record) => [String(record[field]), record]));
}

/** The requests a call reported, as "endpoint:outcome". */
function reported(events: readonly DiscoveryRequestEvent[]): string[] {
  return events.map((event) => `${event.endpoint}:${event.outcome}`);
}

/**
 * Runs the full-record half of the DiscoveryClient contract against one adapter: `makeClient`
 * gives the adapter and what the discovery behind it holds (more than 100 courses, some programs
 * and reviews).
 */
export function describeDiscoveryFetchContract(
  name: string,
  makeClient: () => Promise<{ client: DiscoveryClient; holdings: DiscoveryHoldings }>,
): void {
  describe(`${name} satisfies the DiscoveryClient contract for full records`, () => {
    /** Calls `fetch` with events collected, and checks each names `endpoint`. */
    async function observed(
      endpoint: DiscoveryEndpoint,
      fetch: (options: { onRequest: (event: DiscoveryRequestEvent) => void }) => Promise<DiscoveryFetchResult>,
    ): Promise<DiscoveryFetchResult & { events: DiscoveryRequestEvent[] }> {
      const events: DiscoveryRequestEvent[] = [];
      const result = await fetch({ onRequest: (event) => events.push(event) });
      expect(new Set(events.map((event) => event.endpoint))).toEqual(new Set([endpoint]));
      expect(result.requests).toBe(events.length);
      return { ...result, events };
    }

    test("fetchCourses() returns the full record of every key discovery holds, once, and nothing for the others", async () => {
      const { client, holdings } = await makeClient();
      expect(holdings.courses.length, "the contract needs more than two batches of courses").toBeGreaterThan(2 * KEYS_PER_REQUEST);
      const known = fieldsOf(holdings.courses, "key").slice(0, 2 * KEYS_PER_REQUEST + 7);
      const asked = [...known, ...ABSENT_COURSE_KEYS, known[0] as string];
      const result = await observed("courses", (options) => client.fetchCourses(asked, options));
      expect(fieldsOf(result.records, "key")).toEqual(known);
      const held = byField(holdings.courses, "key");
      for (const record of result.records) expect(record).toEqual(held.get(String(record.key)));
    });

    test("fetchCourses() asks for at most 50 keys a request", async () => {
      const { client, holdings } = await makeClient();
      const keys = fieldsOf(holdings.courses, "key").slice(0, 2 * KEYS_PER_REQUEST + 1);
      const result = await observed("courses", (options) => client.fetchCourses(keys, options));
      expect(reported(result.events).filter((event) => event === "courses:ok").length).toBeGreaterThanOrEqual(3);
    });

    test("fetchCourses() returns nothing for no keys, or for keys discovery does not hold", async () => {
      const { client } = await makeClient();
      expect((await client.fetchCourses([])).records).toEqual([]);
      expect((await client.fetchCourses(ABSENT_COURSE_KEYS)).records).toEqual([]);
    });

    test("fetchPrograms() returns the full record of every uuid discovery holds, at most 50 a request", async () => {
      const { client, holdings } = await makeClient();
      const known = fieldsOf(holdings.programs, "uuid");
      expect(known.length).toBeGreaterThan(0);
      const result = await observed("programs", (options) => client.fetchPrograms([...ABSENT_PROGRAM_UUIDS, ...known], options));
      expect(fieldsOf(result.records, "uuid")).toEqual(known);
      const held = byField(holdings.programs, "uuid");
      for (const record of result.records) expect(record).toEqual(held.get(String(record.uuid)));
      expect(reported(result.events).filter((event) => event === "programs:ok").length)
        .toBeGreaterThanOrEqual(Math.ceil((known.length + 1) / KEYS_PER_REQUEST));
    });

    test("fetchCourseReviews() returns the whole review table", async () => {
      const { client, holdings } = await makeClient();
      expect(holdings.reviews.length).toBeGreaterThan(0);
      const result = await observed("reviews", (options) => client.fetchCourseReviews(options));
      expect(fieldsOf(result.records, "course_key")).toEqual(fieldsOf(holdings.reviews, "course_key"));
      const held = byField(holdings.reviews, "course_key");
      for (const record of result.records) expect(record).toEqual(held.get(String(record.course_key)));
    });

    test("every method rejects with the signal's reason when the signal is already aborted", async () => {
      const { client, holdings } = await makeClient();
      const reason = new Error("caller gave up");
      const signal = AbortSignal.abort(reason);
      await expect(client.fetchCourses(fieldsOf(holdings.courses, "key").slice(0, 3), { signal })).rejects.toBe(reason);
      await expect(client.fetchPrograms(fieldsOf(holdings.programs, "uuid").slice(0, 3), { signal })).rejects.toBe(reason);
      await expect(client.fetchCourseReviews({ signal })).rejects.toBe(reason);
    });
  });
}
