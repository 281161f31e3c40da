/**
 * The DiscoveryClient contract: what every adapter must do, whatever it talks to. Each adapter
 * serves the same small generated corpus; the expectations below come from the corpus itself
 * through plain predicates, not from the filter evaluator the local adapter uses.
 */
import { describe, expect, test } from "vitest";
import { type DiscoveryCorpus, generateCorpus } from "../../adapters/discovery_local/corpus.ts";
import { contentFilterFromValue } from "../../src/catalog/content_filter.ts";
import type { JsonObject } from "../../src/json.ts";
import type { DiscoveryClient, DiscoveryRequestEvent } from "../../src/ports/discovery_client.ts";

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
