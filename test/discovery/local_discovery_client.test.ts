import { describe, expect, test } from "vitest";
import { LocalDiscoveryClient } from "../../adapters/discovery_local/local_discovery_client.ts";
import {
  createLocalDiscoveryServer,
  type LocalDiscoveryServer,
} from "../../adapters/discovery_local/local_discovery_server.ts";
import { contentFilterFromValue } from "../../src/catalog/content_filter.ts";
import type { JsonObject } from "../../src/json.ts";
import type { DiscoveryRequestEvent } from "../../src/ports/discovery_client.ts";
import { generateDiscoveryDatabase, WELL_KNOWN_PROGRAM_UUID } from "../../tools/discovery_corpus/generate_database.ts";

const DATABASE = generateDiscoveryDatabase({ courses: 150, seed: 11 });
const FILTER_A = contentFilterFromValue({
  content_type: "course",
  partner: "edx",
  level_type: ["Introductory", "Intermediate", "Advanced"],
  availability: ["Current", "Starting Soon", "Upcoming"],
  status: "published",
});

/** What the server answers for a filter in one page, as the client asks (expired runs out, pathways in). */
async function onePage(server: LocalDiscoveryServer, filter: JsonObject): Promise<JsonObject[]> {
  const response = await server.fetch(
    "http://discovery.test/api/v1/search/all/?page_size=10000&exclude_expired_course_run=True&include_learner_pathways=True",
    { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(filter) },
  );
  return (await response.json() as JsonObject).results as JsonObject[];
}

const identity = (record: JsonObject) => `${String(record.content_type)}:${String(record.key ?? record.uuid)}`;
const byIdentity = (records: readonly JsonObject[]) => [...records].sort((a, b) => (identity(a) < identity(b) ? -1 : 1));

describe("LocalDiscoveryClient", () => {
  test("searchAll() gathers across pages exactly the records the server holds for the filter", async () => {
    const server = createLocalDiscoveryServer({ database: DATABASE });
    const client = new LocalDiscoveryClient({ server });
    const events: DiscoveryRequestEvent[] = [];
    const filters: JsonObject[] = [{ content_type: ["course", "courserun"] }, { content_type: "learnerpathway" }, {}];
    for (const value of filters) {
      events.length = 0;
      const result = await client.searchAll(contentFilterFromValue(value), { onRequest: (event) => events.push(event) });
      const expected = await onePage(server, value);
      expect(result.count).toBe(expected.length);
      expect(byIdentity(result.records)).toEqual(byIdentity(expected));
      expect(result.requests).toBe(Math.max(1, Math.ceil(expected.length / 100)));
      expect(events.every((event) => event.endpoint === "search" && event.outcome === "ok" && event.status === 200)).toBe(true);
    }
  });

  test("fetchCourses(), fetchPrograms() and fetchCourseReviews() read the server's /courses, /programs and /course_review", async () => {
    const server = createLocalDiscoveryServer({ database: DATABASE });
    const client = new LocalDiscoveryClient({ server });
    // /courses lists the site partner's courses of types that are not retired.
    const keys = DATABASE.courses.filter((course) => course.partner === "edx" && course.type !== "bootcamp-2u").slice(0, 60).map((course) => course.key);
    const courses = await client.fetchCourses([...keys, "NoSuchX+Course"]);
    expect(courses.records.map((course) => course.key)).toEqual([...keys.slice(0, 50).sort(), ...keys.slice(50).sort()]);
    expect(courses.requests).toBe(2);
    const programs = await client.fetchPrograms([WELL_KNOWN_PROGRAM_UUID]);
    expect(programs.records.map((program) => program.uuid)).toEqual([WELL_KNOWN_PROGRAM_UUID]);
    expect(programs.records[0]).toHaveProperty("price_ranges");
    const reviews = await client.fetchCourseReviews();
    expect(reviews.records.map((review) => review.course_key).sort()).toEqual(DATABASE.reviews.map((review) => review.course_key).sort());
  });

  test("retries a failed request at once: no real waiting between attempts", async () => {
    const server = createLocalDiscoveryServer({ database: DATABASE });
    let failures = 2;
    const flaky: LocalDiscoveryServer = {
      handle: server.handle,
      fetch: (input, init) => (failures-- > 0 ? Promise.resolve(new Response("busy", { status: 503 })) : server.fetch(input, init)),
    };
    const events: DiscoveryRequestEvent[] = [];
    const started = performance.now();
    const result = await new LocalDiscoveryClient({ server: flaky })
      .searchAll(contentFilterFromValue({ content_type: "program" }), { onRequest: (event) => events.push(event) });
    expect(performance.now() - started).toBeLessThan(1_000);
    expect(events.map((event) => `${event.outcome}:${event.status}`)).toEqual(["retry:503", "retry:503", "ok:200"]);
    expect(result.count).toBe(DATABASE.programs.length);
  });

  test("searchAll() rejects with the signal's reason when aborted before it starts", async () => {
    const client = new LocalDiscoveryClient({ database: DATABASE });
    const reason = new Error("stop");
    await expect(client.searchAll(FILTER_A, { signal: AbortSignal.abort(reason) })).rejects.toBe(reason);
  });

  test("honours a smaller page size", async () => {
    const client = new LocalDiscoveryClient({ database: DATABASE, pageSize: 7 });
    const result = await client.searchAll(contentFilterFromValue({ content_type: "program" }));
    expect(result.requests).toBe(Math.ceil(result.count / 7));
  });
});

describe("LocalDiscoveryClient over the bundled database", () => {
  const client = new LocalDiscoveryClient();

  test("reads it by default and answers a filter the same way again", async () => {
    const first = await client.searchAll(FILTER_A);
    expect(first.count).toBeGreaterThan(1000);
    expect(first.records.every((record) => record.content_type === "course")).toBe(true);
    const again = await client.searchAll(FILTER_A);
    expect(again.records).toEqual(first.records);
  });

  test("finds the reference's curated course list (filter B) in one request", async () => {
    const result = await client.searchAll(contentFilterFromValue({
      content_type: ["course", "program"],
      aggregation_key: ["course:edX+DemoX", "course:MITx+6.00.1x", `program:${WELL_KNOWN_PROGRAM_UUID}`],
    }));
    expect(result.records.map((record) => record.aggregation_key).sort()).toEqual([
      "course:MITx+6.00.1x",
      "course:edX+DemoX",
      `program:${WELL_KNOWN_PROGRAM_UUID}`,
    ]);
    expect(result.requests).toBe(1);
  });
});
