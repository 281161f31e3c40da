import { describe, expect, test } from "vitest";
import { generateCorpus } from "../../adapters/discovery_local/corpus.ts";
import {
  CorpusIndex,
  LocalDiscoveryClient,
  loadBundledIndex,
} from "../../adapters/discovery_local/local_discovery_client.ts";
import { contentFilterFromValue } from "../../src/catalog/content_filter.ts";
import type { JsonObject } from "../../src/json.ts";
import type { DiscoveryRequestEvent } from "../../src/ports/discovery_client.ts";

const CORPUS = generateCorpus({ courses: 120, seed: 11 });
const FILTER_A = contentFilterFromValue({
  content_type: "course",
  partner: "edx",
  level_type: ["Introductory", "Intermediate", "Advanced"],
  availability: ["Current", "Starting Soon", "Upcoming"],
  status: "published",
});

describe("LocalDiscoveryClient.searchAll()", () => {
  test("orders records by aggregation_key, then start, as the ordering parameter asks", async () => {
    const client = new LocalDiscoveryClient({ corpus: CORPUS });
    const { records } = await client.searchAll(contentFilterFromValue({}));
    expect(records).toHaveLength(CORPUS.records.length);
    for (let i = 1; i < records.length; i++) {
      const before = records[i - 1] as JsonObject;
      const after = records[i] as JsonObject;
      const a = String(before.aggregation_key);
      const b = String(after.aggregation_key);
      expect(a <= b, `${a} before ${b}`).toBe(true);
      if (a === b) expect(String(before.start) <= String(after.start)).toBe(true);
    }
  });

  test("reports one ok request of status 200 per page of 100", async () => {
    const events: DiscoveryRequestEvent[] = [];
    const client = new LocalDiscoveryClient({ corpus: CORPUS });
    const result = await client.searchAll(contentFilterFromValue({ content_type: "courserun" }), {
      onRequest: (event) => events.push(event),
    });
    const pages = Math.ceil(result.count / 100);
    expect(result.count).toBe(CORPUS.records.filter((record) => record.content_type === "courserun").length);
    expect(result.records).toHaveLength(result.count);
    expect(result.requests).toBe(pages);
    expect(events).toHaveLength(pages);
    expect(events.every((event) => event.outcome === "ok" && event.status === 200 && event.durationMs >= 0)).toBe(true);
  });

  test("a filter matching nothing still costs one request", async () => {
    const events: DiscoveryRequestEvent[] = [];
    const client = new LocalDiscoveryClient({ corpus: CORPUS });
    const result = await client.searchAll(contentFilterFromValue({ content_type: "person" }), {
      onRequest: (event) => events.push(event),
    });
    expect(result).toEqual({ records: [], count: 0, requests: 1 });
    expect(events).toHaveLength(1);
  });

  test("honours a smaller page size", async () => {
    const client = new LocalDiscoveryClient({ corpus: CORPUS, pageSize: 7 });
    const result = await client.searchAll(contentFilterFromValue({ content_type: "program" }));
    expect(result.requests).toBe(Math.ceil(result.count / 7));
  });

  test("rejects with the signal's reason when aborted before it starts", async () => {
    const client = new LocalDiscoveryClient({ corpus: CORPUS });
    const reason = new Error("stop");
    await expect(client.searchAll(FILTER_A, { signal: AbortSignal.abort(reason) })).rejects.toBe(reason);
  });

  test("rejects with the signal's reason when aborted between pages", async () => {
    const client = new LocalDiscoveryClient({ corpus: CORPUS, pageSize: 10 });
    const controller = new AbortController();
    const reason = new Error("stop");
    const search = client.searchAll(contentFilterFromValue({}), {
      signal: controller.signal,
      onRequest: () => controller.abort(reason),
    });
    await expect(search).rejects.toBe(reason);
  });

  test("hands out frozen records, so no caller can change what the next search returns", async () => {
    const client = new LocalDiscoveryClient({ corpus: generateCorpus({ courses: 5, seed: 2 }) });
    const { records } = await client.searchAll(contentFilterFromValue({ content_type: "course" }));
    const first = records[0] as JsonObject;
    expect(Object.isFrozen(first)).toBe(true);
    expect(Object.isFrozen(first.course_runs)).toBe(true);
  });

  test("accepts plain records or a prepared index as well as a corpus", async () => {
    const filter = contentFilterFromValue({ content_type: "learnerpathway" });
    const fromRecords = await new LocalDiscoveryClient({ corpus: CORPUS.records }).searchAll(filter);
    const fromIndex = await new LocalDiscoveryClient({ corpus: new CorpusIndex(CORPUS.records) }).searchAll(filter);
    expect(fromRecords.count).toBeGreaterThan(0);
    expect(fromIndex).toEqual(fromRecords);
  });

  test("derives a course's availability from all its runs, archived ones included", async () => {
    const client = new LocalDiscoveryClient({ corpus: CORPUS });
    const { records } = await client.searchAll(contentFilterFromValue({ content_type: "course", availability: "Archived" }));
    expect(records.length).toBeGreaterThan(0);
    // Archived runs are not nested (exclude_expired_course_run), yet the course still matches.
    const nested = (records[0] as JsonObject).course_runs as JsonObject[];
    expect(nested.every((run) => run.availability !== "Archived")).toBe(true);
  });
});

describe("LocalDiscoveryClient over the bundled corpus", () => {
  test("loads it by default and evaluates a filter in milliseconds", async () => {
    const client = new LocalDiscoveryClient();
    const first = await client.searchAll(FILTER_A);
    expect(first.count).toBeGreaterThan(1000);
    expect(first.records.every((record) => record.content_type === "course" && record.partner === "edx")).toBe(true);
    const started = performance.now();
    const again = await client.searchAll(FILTER_A);
    expect(performance.now() - started).toBeLessThan(250);
    expect(again.records).toEqual(first.records);
  });

  test("finds the reference's curated course list (filter B) in one request", async () => {
    const index = await loadBundledIndex();
    const client = new LocalDiscoveryClient({ corpus: index });
    const result = await client.searchAll(contentFilterFromValue({
      content_type: ["course", "program"],
      aggregation_key: ["course:edX+DemoX", "course:MITx+6.00.1x", "program:a3951294-926b-4247-8c3c-51c1e4347a15"],
    }));
    expect(result.records.map((record) => record.aggregation_key)).toEqual([
      "course:MITx+6.00.1x",
      "course:edX+DemoX",
      "program:a3951294-926b-4247-8c3c-51c1e4347a15",
    ]);
    expect(result.requests).toBe(1);
  });
});
