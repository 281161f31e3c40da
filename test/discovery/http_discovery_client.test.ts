import { http, HttpResponse } from "msw";
import { setupServer } from "msw/node";
import { afterAll, afterEach, beforeAll, describe, expect, test } from "vitest";
import {
  HttpDiscoveryClient,
  type HttpDiscoveryClientOptions,
} from "../../adapters/discovery_http/http_discovery_client.ts";
import { contentFilterFromValue } from "../../src/catalog/content_filter.ts";
import { UpstreamUnavailableError } from "../../src/errors.ts";
import type { JsonObject } from "../../src/json.ts";
import type { DiscoveryCallOptions, DiscoveryRequestEvent } from "../../src/ports/discovery_client.ts";
import {
  DISCOVERY_URL,
  fullCourse,
  fullProgram,
  type HandMadeDiscoveryData,
  handMadeDiscovery,
  review,
  searchCourse,
  searchRun,
  type SeenRequest,
  TOKEN_URL,
} from "./hand_made_discovery.ts";

const V1_SEARCH_URL = `${DISCOVERY_URL}/api/v1/search/all/`;
const V2_SEARCH_URL = `${DISCOVERY_URL}/api/v2/search/all/`;
const COURSES_URL = `${DISCOVERY_URL}/api/v1/courses/`;
const REVIEWS_URL = `${DISCOVERY_URL}/api/v1/course_review/`;
const RUNS = contentFilterFromValue({ content_type: "courserun" });
/** 250 runs: three v1 pages of 100. */
const RUN_RECORDS: readonly JsonObject[] = Array.from({ length: 125 }, (_, i) => [
  searchRun(`edX+C${String(i).padStart(3, "0")}`, "1T2026"),
  searchRun(`edX+C${String(i).padStart(3, "0")}`, "3T2026"),
]).flat();
const RUN_COUNT = RUN_RECORDS.length;
const RUN_PAGES = 3;
const SECRET = "s3cr3t-do-not-leak";

let seen: SeenRequest[] = [];
const server = setupServer();

beforeAll(() => server.listen({ onUnhandledFrame: "error" }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

/** Serves the run records to `content_type: courserun` searches, plus whatever else the test gives. */
function useDiscovery(data: HandMadeDiscoveryData = {}): void {
  seen = [];
  const search = (filter: JsonObject) => (filter.content_type === "courserun" ? RUN_RECORDS : []);
  server.use(...handMadeDiscovery({ search, ...data }, seen));
}

/** A client whose waits are recorded, not slept, with jitter pinned to half the window. */
function makeClient(options: Partial<HttpDiscoveryClientOptions> = {}) {
  const sleeps: number[] = [];
  const events: DiscoveryRequestEvent[] = [];
  const client = new HttpDiscoveryClient({
    baseUrl: `${DISCOVERY_URL}/`,
    backoff: { baseMs: 100, maxMs: 1_000 },
    random: () => 0.5,
    sleep: (ms) => {
      sleeps.push(ms);
      return Promise.resolve();
    },
    ...options,
  });
  const call: DiscoveryCallOptions = { onRequest: (event) => events.push(event) };
  const search = (filter = RUNS) => client.searchAll(filter, call);
  return { client, sleeps, events, call, search };
}

/** Answers the matching requests with `answer` (once by default), then lets the stand-in answer. */
function failWhere(
  method: "get" | "post",
  url: string,
  matches: (query: URLSearchParams) => boolean,
  answer: () => Response,
  options: { times?: number } = {},
): { calls: number } {
  const state = { calls: 0 };
  server.use(http[method](url, ({ request }) => {
    if (!matches(new URL(request.url).searchParams) || state.calls >= (options.times ?? 1)) return undefined;
    state.calls++;
    return answer();
  }));
  return state;
}

function failPage(page: number, answer: () => Response, options: { times?: number } = {}): { calls: number } {
  return failWhere("post", V1_SEARCH_URL, (query) => query.get("page") === String(page), answer, options);
}

function outcomes(events: readonly DiscoveryRequestEvent[]): string[] {
  return events.map((event) => `${event.outcome}:${event.status ?? "-"}`);
}

async function rejection(promise: Promise<unknown>): Promise<Error> {
  const error = await promise.then(() => undefined, (caught: unknown) => caught);
  expect(error).toBeInstanceOf(Error);
  return error as Error;
}

describe("HttpDiscoveryClient.searchAll() over v1 pages", () => {
  test("follows every page by number on its own host with discovery's query, body and headers", async () => {
    useDiscovery();
    const { search, events } = makeClient();
    const result = await search();
    expect(result.records).toEqual(RUN_RECORDS);
    expect(result.count).toBe(RUN_COUNT);
    expect(result.requests).toBe(RUN_PAGES);
    expect(events.map((event) => `${event.endpoint}:${event.outcome}`)).toEqual(Array(RUN_PAGES).fill("search:ok"));
    expect(seen.map((request) => `${request.path}?page=${request.query.get("page")}`)).toEqual(
      Array.from({ length: RUN_PAGES }, (_, i) => `/api/v1/search/all/?page=${i + 1}`),
    );
    const first = seen[0] as SeenRequest;
    expect([...first.query]).toEqual([
      ["exclude_expired_course_run", "True"],
      ["include_learner_pathways", "True"],
      ["page_size", "100"],
      // One field per value: discovery's ordering backend drops "aggregation_key,start".
      ["ordering", "aggregation_key"],
      ["ordering", "start"],
      ["page", "1"],
    ]);
    expect(first.body).toEqual({ content_type: "courserun" });
    expect(first.headers.get("content-type")).toBe("application/json");
    expect(first.headers.get("authorization")).toBeNull();
  });

  test("adds include_restricted to every page when the call names restriction types, and nothing otherwise", async () => {
    useDiscovery();
    const { client, call } = makeClient();
    await client.searchAll(RUNS, { ...call, includeRestricted: ["custom-b2b-enterprise"] });
    expect(seen.map((request) => request.query.get("include_restricted"))).toEqual(Array(RUN_PAGES).fill("custom-b2b-enterprise"));
    seen.length = 0;
    await client.searchAll(RUNS, { ...call, includeRestricted: ["custom-b2b-enterprise", "custom-b2c"] });
    expect(seen[0]?.query.get("include_restricted")).toBe("custom-b2b-enterprise,custom-b2c");
    seen.length = 0;
    await client.searchAll(RUNS, { ...call, includeRestricted: [] });
    expect(seen.every((request) => !request.query.has("include_restricted"))).toBe(true);
  });

  test("uses the configured page size", async () => {
    useDiscovery();
    const { search } = makeClient({ pageSize: 40 });
    const result = await search();
    expect(result.requests).toBe(Math.ceil(RUN_COUNT / 40));
    expect(result.records).toEqual(RUN_RECORDS);
  });

  test("makes one request for a filter matching nothing", async () => {
    useDiscovery();
    const { search } = makeClient();
    const result = await search(contentFilterFromValue({ content_type: "person" }));
    expect(result).toEqual({ records: [], count: 0, requests: 1 });
  });

  test("retries a page after a 503 and then succeeds, with jittered exponential backoff", async () => {
    useDiscovery();
    failPage(2, () => new HttpResponse(null, { status: 503 }), { times: 2 });
    const { search, sleeps, events } = makeClient();
    const result = await search();
    expect(result.records).toHaveLength(RUN_COUNT);
    expect(result.requests).toBe(RUN_PAGES + 2);
    // random() = 0.5 of min(maxMs, 100 × 2^(n-1)).
    expect(sleeps).toEqual([50, 100]);
    expect(outcomes(events).slice(0, 4)).toEqual(["ok:200", "retry:503", "retry:503", "ok:200"]);
  });

  test("retries network errors", async () => {
    useDiscovery();
    failPage(1, () => HttpResponse.error());
    const { search, events } = makeClient();
    const result = await search();
    expect(result.count).toBe(RUN_COUNT);
    expect(outcomes(events)[0]).toBe("retry:-");
  });

  test("caps backoff at maxMs", async () => {
    useDiscovery();
    failPage(1, () => new HttpResponse(null, { status: 502 }), { times: 4 });
    const { search, sleeps } = makeClient({ backoff: { baseMs: 1_000, maxMs: 3_000 }, random: () => 0.999 });
    await search();
    expect(sleeps).toEqual([999, 1_998, 2_997, 2_997]);
  });

  test("honours Retry-After in seconds on a 429", async () => {
    useDiscovery();
    failPage(1, () => new HttpResponse(null, { status: 429, headers: { "Retry-After": "3" } }));
    const { search, sleeps, events } = makeClient();
    const result = await search();
    expect(sleeps).toEqual([3_000]);
    expect(outcomes(events)[0]).toBe("retry:429");
    expect(result.records).toHaveLength(RUN_COUNT);
  });

  test("honours Retry-After as an HTTP date, and caps a long one", async () => {
    useDiscovery();
    const now = Date.parse("2026-01-15T10:00:00Z");
    failPage(1, () => new HttpResponse(null, { status: 429, headers: { "Retry-After": "Thu, 15 Jan 2026 10:00:07 GMT" } }));
    failPage(2, () => new HttpResponse(null, { status: 503, headers: { "Retry-After": "86400" } }));
    const { search, sleeps } = makeClient({ now: () => now, maxRetryAfterMs: 30_000 });
    await search();
    expect(sleeps).toEqual([7_000, 30_000]);
  });

  test("throws UpstreamUnavailableError and returns nothing when a page keeps failing", async () => {
    useDiscovery();
    const state = failPage(3, () => new HttpResponse("upstream down", { status: 503 }), { times: 100 });
    const { search, sleeps, events } = makeClient({ maxAttempts: 4 });
    const error = await rejection(search());
    expect(error).toBeInstanceOf(UpstreamUnavailableError);
    expect(error.message).toBe("Discovery search failed on page 3 after 4 attempts: status 503");
    expect(state.calls).toBe(4);
    expect(sleeps).toHaveLength(3);
    expect(outcomes(events)).toEqual(["ok:200", "ok:200", "retry:503", "retry:503", "retry:503", "failed:503"]);
  });

  test("does not retry a 400", async () => {
    useDiscovery();
    const state = failPage(1, () => HttpResponse.json({ detail: "bad filter" }, { status: 400 }), { times: 100 });
    const { search, sleeps, events } = makeClient();
    await expect(search()).rejects.toThrow(new UpstreamUnavailableError("Discovery search failed on page 1: status 400"));
    expect(state.calls).toBe(1);
    expect(sleeps).toEqual([]);
    expect(outcomes(events)).toEqual(["failed:400"]);
  });

  test("treats a page that is not a search result as a failed attempt", async () => {
    useDiscovery();
    failPage(1, () => new HttpResponse("<html>Bad gateway</html>", { status: 200, headers: { "Content-Type": "text/html" } }));
    failPage(2, () => HttpResponse.json({ count: RUN_COUNT, next: null }), { times: 100 });
    const { search, events } = makeClient({ maxAttempts: 2 });
    await expect(search()).rejects.toThrow("Discovery search failed on page 2 after 2 attempts: the answer has no results list");
    expect(outcomes(events)).toEqual(["retry:200", "ok:200", "retry:200", "failed:200"]);
  });

  test("treats a page holding a result that is not an object as a failed attempt", async () => {
    useDiscovery();
    failPage(1, () => HttpResponse.json({ count: RUN_COUNT, next: null, results: [RUN_RECORDS[0] ?? {}, "course-v1:edX+X+1T"] }), { times: 100 });
    const { search } = makeClient({ maxAttempts: 2 });
    await expect(search()).rejects.toThrow(
      new UpstreamUnavailableError("Discovery search failed on page 1 after 2 attempts: the answer holds a result that is not an object"),
    );
  });

  test("throws when a later page counts differently from the first", async () => {
    server.use(http.post(V1_SEARCH_URL, ({ request }) => {
      const page = Number(new URL(request.url).searchParams.get("page"));
      return HttpResponse.json({ count: 150 + page, next: page < 2 ? `${V1_SEARCH_URL}?page=2` : null, results: [searchCourse(`edX+P${page}`)] });
    }));
    const { search } = makeClient();
    await expect(search()).rejects.toThrow(
      new UpstreamUnavailableError("Discovery changed during the search: page 2 counts 152 records, page 1 counted 151"),
    );
  });

  test("throws when the records received do not add up to the first count", async () => {
    server.use(http.post(V1_SEARCH_URL, ({ request }) => {
      const page = Number(new URL(request.url).searchParams.get("page"));
      return HttpResponse.json({ count: 3, next: page < 2 ? "x" : null, results: [searchCourse(`edX+P${page}`)] });
    }));
    const { search } = makeClient();
    await expect(search()).rejects.toThrow(
      new UpstreamUnavailableError("Discovery returned 2 records but counted 3: it changed during the search"),
    );
  });

  test("throws when a record comes twice, as when the order moves between pages", async () => {
    server.use(http.post(V1_SEARCH_URL, ({ request }) => {
      const page = Number(new URL(request.url).searchParams.get("page"));
      return HttpResponse.json({ count: 2, next: page < 2 ? "x" : null, results: [searchCourse("edX+Same")] });
    }));
    const { search } = makeClient();
    await expect(search()).rejects.toThrow(
      new UpstreamUnavailableError('Discovery sent "course:edX+Same" twice during the search: its order changed under the walk'),
    );
  });

  test("throws instead of paging forever when pages come back empty with a next link", async () => {
    server.use(http.post(V1_SEARCH_URL, () => HttpResponse.json({ count: 3, next: "more", results: [] })));
    const { search } = makeClient();
    await expect(search()).rejects.toThrow(
      new UpstreamUnavailableError("Discovery kept paging the search past the 3 records it counted"),
    );
  });

  test("gives up on a request that never answers after timeoutMs", async () => {
    server.use(http.post(V1_SEARCH_URL, () => new Promise<Response>(() => {})));
    const { search, events } = makeClient({ timeoutMs: 30, maxAttempts: 2 });
    await expect(search()).rejects.toThrow(
      new UpstreamUnavailableError("Discovery search failed on page 1 after 2 attempts: timed out"),
    );
    expect(outcomes(events)).toEqual(["retry:-", "failed:-"]);
  });

  test("rejects with the caller's reason when aborted mid-request, without retrying", async () => {
    server.use(http.post(V1_SEARCH_URL, () => new Promise<Response>(() => {})));
    const { client, sleeps } = makeClient();
    const reason = new Error("shutting down");
    const controller = new AbortController();
    const search = client.searchAll(RUNS, { signal: controller.signal });
    setTimeout(() => controller.abort(reason), 10);
    await expect(search).rejects.toBe(reason);
    expect(sleeps).toEqual([]);
  });

  test("rejects with the caller's reason when aborted during a backoff wait", async () => {
    useDiscovery();
    failPage(1, () => new HttpResponse(null, { status: 503 }));
    const reason = new Error("shutting down");
    const controller = new AbortController();
    const client = new HttpDiscoveryClient({ baseUrl: DISCOVERY_URL, backoff: { baseMs: 60_000, maxMs: 60_000 } });
    const search = client.searchAll(RUNS, {
      signal: controller.signal,
      onRequest: (event) => {
        if (event.outcome === "retry") controller.abort(reason);
      },
    });
    await expect(search).rejects.toBe(reason);
  });
});

describe("HttpDiscoveryClient.searchAll() past the result window", () => {
  /** 250 runs behind a window of 120 records: too many for v1 pages, 3 v2 pages of 100 and an empty one. */
  const SMALL_WINDOW = { maxResultWindow: 120 };

  test("auto: switches to v2 cursors from the start when v1's first count passes the window", async () => {
    useDiscovery(SMALL_WINDOW);
    const { search, events } = makeClient(SMALL_WINDOW);
    const result = await search();
    expect(result.count).toBe(RUN_COUNT);
    expect(new Set(result.records.map((record) => record.key))).toEqual(new Set(RUN_RECORDS.map((record) => record.key)));
    expect(result.records).toHaveLength(RUN_COUNT);
    // v1's own records, without v2's paging fields.
    expect(result.records.every((record) => !("sort" in record) && !("aggregation_uuid" in record))).toBe(true);
    expect(result.records).toEqual(expect.arrayContaining([...RUN_RECORDS]));
    expect(seen.map((request) => request.path)).toEqual([
      "/api/v1/search/all/",
      "/api/v2/search/all/", "/api/v2/search/all/", "/api/v2/search/all/", "/api/v2/search/all/",
    ]);
    expect(result.requests).toBe(5);
    expect(events.map((event) => `${event.endpoint}:${event.outcome}`)).toEqual(Array(5).fill("search:ok"));
  });

  test("v2 asks with the cursor of each next link, on its own host, with the filter as body and no page number", async () => {
    useDiscovery();
    const { search } = makeClient({ searchApi: "v2" });
    const result = await search();
    expect(result.count).toBe(RUN_COUNT);
    const v2 = seen.filter((request) => request.path === "/api/v2/search/all/");
    expect(v2).toHaveLength(4);
    expect(Object.fromEntries(v2[0]?.query ?? [])).toEqual({
      exclude_expired_course_run: "True",
      include_learner_pathways: "True",
      page_size: "100",
      ordering: "aggregation_uuid",
    });
    const cursors = v2.map((request) => request.query.get("search_after"));
    expect(cursors[0]).toBeNull();
    for (const cursor of cursors.slice(1)) expect(JSON.parse(String(cursor))).toEqual([expect.stringMatching(/^courserun:/)]);
    expect(new Set(cursors).size).toBe(4);
    for (const request of v2) {
      expect(request.body).toEqual({ content_type: "courserun" });
      expect(request.query.has("page")).toBe(false);
    }
  });

  test("auto: walks v2 when v1 counts at Elasticsearch's total-hits limit, and reports the records walked", async () => {
    // Discovery counts "10,000" for 12,000 hits; here 100 stands for 10,000.
    useDiscovery({ totalHitsLimit: 100 });
    const { search } = makeClient({ totalHitsLimit: 100 });
    const result = await search();
    expect(result.count).toBe(RUN_COUNT);
    expect(result.records).toHaveLength(RUN_COUNT);
    expect(seen[0]?.path).toBe("/api/v1/search/all/");
    expect(seen.slice(1).every((request) => request.path === "/api/v2/search/all/")).toBe(true);
  });

  test("auto: stays on v1 when the first count is within the window and exact", async () => {
    useDiscovery({ maxResultWindow: RUN_COUNT });
    const { search } = makeClient({ maxResultWindow: RUN_COUNT });
    const result = await search();
    expect(result.records).toEqual(RUN_RECORDS);
    expect(seen.every((request) => request.path === "/api/v1/search/all/")).toBe(true);
  });

  test("v1: fails at once, naming the way out, when the first count passes the window", async () => {
    useDiscovery(SMALL_WINDOW);
    const { search } = makeClient({ ...SMALL_WINDOW, searchApi: "v1" });
    await expect(search()).rejects.toThrow(new UpstreamUnavailableError(
      'Discovery search counts 250 records: v1 pages reach only 120 and count exactly only below 10000; search API "auto" or "v2" walks it with cursors',
    ));
    expect(seen).toHaveLength(1);
  });

  test("v2: one page and no empty one when everything fits a page", async () => {
    useDiscovery();
    const { search } = makeClient({ searchApi: "v2", pageSize: 500 });
    const result = await search();
    expect(result).toMatchObject({ count: RUN_COUNT, requests: 1 });
  });

  test("v2: fails the whole search when a cursor page keeps failing, naming it", async () => {
    useDiscovery();
    const state = failWhere("post", V2_SEARCH_URL, (query) => query.has("search_after"), () => new HttpResponse(null, { status: 502 }), { times: 100 });
    const { search, events } = makeClient({ searchApi: "v2", maxAttempts: 3 });
    await expect(search()).rejects.toThrow(new UpstreamUnavailableError("Discovery search failed on v2 page 2 after 3 attempts: status 502"));
    expect(state.calls).toBe(3);
    expect(outcomes(events)).toEqual(["ok:200", "retry:502", "retry:502", "failed:502"]);
  });

  /** A v2 answer of `results` (with v2's paging fields) whose next link carries `cursor`. */
  function v2Page(count: number, results: readonly JsonObject[], cursor: string | null): Response {
    const next = cursor === null ? null : `http://discovery.internal/api/v2/search/all/?search_after=${encodeURIComponent(cursor)}`;
    return HttpResponse.json({ count, next, previous: null, results });
  }
  const v2Record = (n: number): JsonObject => ({ ...searchCourse(`edX+V${n}`), aggregation_uuid: `course:${n}`, sort: [`course:${n}`] });

  test("v2: fails when the count changes during the walk", async () => {
    server.use(http.post(V2_SEARCH_URL, ({ request }) => {
      const after = new URL(request.url).searchParams.get("search_after");
      return after === null ? v2Page(2, [v2Record(1)], '["course:1"]') : v2Page(3, [v2Record(2)], null);
    }));
    await expect(makeClient({ searchApi: "v2" }).search()).rejects.toThrow(
      new UpstreamUnavailableError("Discovery changed during the v2 search: page 2 counts 3 records, page 1 counted 2"),
    );
  });

  test("v2: fails when a record comes twice", async () => {
    server.use(http.post(V2_SEARCH_URL, ({ request }) => {
      const after = new URL(request.url).searchParams.get("search_after");
      return after === null ? v2Page(2, [v2Record(1)], '["course:1"]') : v2Page(2, [v2Record(1)], null);
    }));
    await expect(makeClient({ searchApi: "v2" }).search()).rejects.toThrow(
      new UpstreamUnavailableError('Discovery sent "course:1" twice during the v2 search: its order changed under the walk'),
    );
  });

  test("v2: fails when records fall short of a count at the total-hits limit", async () => {
    server.use(http.post(V2_SEARCH_URL, () => v2Page(5, [v2Record(1), v2Record(2)], null)));
    await expect(makeClient({ searchApi: "v2", totalHitsLimit: 5 }).search()).rejects.toThrow(
      new UpstreamUnavailableError("Discovery returned 2 records but counted at least 5: it changed during the v2 search"),
    );
  });

  test("v2: fails when an exact count is not met", async () => {
    server.use(http.post(V2_SEARCH_URL, () => v2Page(3, [v2Record(1), v2Record(2)], null)));
    await expect(makeClient({ searchApi: "v2" }).search()).rejects.toThrow(
      new UpstreamUnavailableError("Discovery returned 2 records but counted 3: it changed during the v2 search"),
    );
  });

  test("v2: fails instead of paging forever when a next link does not move the cursor on", async () => {
    let pages = 0;
    server.use(http.post(V2_SEARCH_URL, ({ request }) => {
      pages++;
      const after = new URL(request.url).searchParams.get("search_after");
      return v2Page(20_000, [v2Record(pages)], after ?? '["course:1"]');
    }));
    await expect(makeClient({ searchApi: "v2" }).search()).rejects.toThrow(
      new UpstreamUnavailableError("Discovery's next link on page 2 of the v2 search does not move its search_after cursor on"),
    );
    expect(pages).toBe(2);
  });

  test("v2: fails on a record without aggregation_uuid", async () => {
    server.use(http.post(V2_SEARCH_URL, () => v2Page(1, [searchCourse("edX+NoUuid")], null)));
    await expect(makeClient({ searchApi: "v2" }).search()).rejects.toThrow(
      new UpstreamUnavailableError("Discovery sent a record without aggregation_uuid on page 1 of the v2 search"),
    );
  });
});

/** 120 course keys with `+` and `/` in them, and two keys discovery does not know. */
const COURSE_KEYS = Array.from({ length: 120 }, (_, i) => (i % 2 === 0 ? `edX+K${i}` : `Org/K${i}/2026`));
const COURSES = COURSE_KEYS.map((key) => fullCourse(key));
const UNKNOWN_KEYS = ["edX+Unknown", "Gone/Key/2020"];

describe("HttpDiscoveryClient.fetchCourses()", () => {
  test("asks for at most 50 keys a request, encoded, in key order, following limit/offset pages on its own host", async () => {
    useDiscovery({ courses: COURSES });
    const { client, call, events } = makeClient({ recordsPageSize: 20 });
    const keys = [...COURSE_KEYS, ...UNKNOWN_KEYS];
    const result = await client.fetchCourses(keys, call);
    const batches = [keys.slice(0, 50), keys.slice(50, 100), keys.slice(100)];
    const expected = batches.flatMap((batch) => COURSES.filter((course) => batch.includes(String(course.key))).sort(byKey));
    expect(result.records).toEqual(expected);
    expect(result.records.map((course) => course.key)).not.toContain("edX+Unknown");
    // 50 known keys: 3 pages of 20; 50 known: 3; 20 known and 2 unknown: 1.
    expect(result.requests).toBe(7);
    expect(events.map((event) => `${event.endpoint}:${event.outcome}`)).toEqual(Array(7).fill("courses:ok"));
    expect(seen.map((request) => [request.query.get("keys")?.split(",").length, request.query.get("offset")])).toEqual([
      [50, "0"], [50, "20"], [50, "40"], [50, "0"], [50, "20"], [50, "40"], [22, "0"],
    ]);
    const first = seen[0] as SeenRequest;
    expect(first.query.get("keys")?.split(",")).toEqual(batches[0]);
    expect(first.query.get("ordering")).toBe("key");
    expect(first.query.get("limit")).toBe("20");
    expect(first.headers.get("content-type")).toBeNull();
  });

  test("adds include_restricted to every /courses request when the call names restriction types", async () => {
    useDiscovery({ courses: COURSES });
    const { client, call } = makeClient();
    await client.fetchCourses(COURSE_KEYS.slice(0, 60), { ...call, includeRestricted: ["custom-b2b-enterprise"] });
    expect(seen.map((request) => request.query.get("include_restricted"))).toEqual(["custom-b2b-enterprise", "custom-b2b-enterprise"]);
    seen.length = 0;
    await client.fetchCourses(COURSE_KEYS.slice(0, 1), call);
    expect(seen[0]?.query.has("include_restricted")).toBe(false);
  });

  test("encodes + and / so that discovery reads the keys as sent", async () => {
    const raw: string[] = [];
    server.use(http.get(COURSES_URL, ({ request }) => {
      raw.push(request.url);
      return HttpResponse.json({ count: 0, next: null, previous: null, results: [] });
    }));
    await makeClient().client.fetchCourses(["edX+DemoX", "Org/Num/2026"]);
    expect(raw[0]).toContain("keys=edX%2BDemoX%2COrg%2FNum%2F2026");
  });

  test("asks once per distinct key, and not at all for none", async () => {
    useDiscovery({ courses: COURSES });
    const { client } = makeClient();
    expect(await client.fetchCourses([])).toEqual({ records: [], requests: 0 });
    expect(seen).toEqual([]);
    const result = await client.fetchCourses(["edX+K0", "edX+K0", "Org/K1/2026", "edX+K0"]);
    expect(result.records.map((course) => course.key)).toEqual(["Org/K1/2026", "edX+K0"].sort());
    expect(seen[0]?.query.get("keys")).toBe("edX+K0,Org/K1/2026");
  });

  test("refuses a key holding a comma, which discovery would split", async () => {
    await expect(makeClient().client.fetchCourses(["edX+A,B"])).rejects.toThrow(RangeError);
  });

  test("retries a /courses page with Retry-After, and carries on", async () => {
    useDiscovery({ courses: COURSES });
    failWhere("get", COURSES_URL, (query) => query.get("offset") === "20", () => new HttpResponse(null, { status: 429, headers: { "Retry-After": "2" } }));
    const { client, call, sleeps, events } = makeClient({ recordsPageSize: 20 });
    const result = await client.fetchCourses(COURSE_KEYS.slice(0, 50), call);
    expect(result.records).toHaveLength(50);
    expect(sleeps).toEqual([2_000]);
    expect(outcomes(events)).toEqual(["ok:200", "retry:429", "ok:200", "ok:200"]);
    expect(result.requests).toBe(4);
  });

  test("fails the whole call when a /courses page keeps failing, naming the endpoint, batch and page", async () => {
    useDiscovery({ courses: COURSES });
    failWhere("get", COURSES_URL, (query) => query.get("keys")?.startsWith("edX+K50,") === true, () => new HttpResponse(null, { status: 503 }), { times: 100 });
    const { client, call, events } = makeClient({ maxAttempts: 2 });
    const error = await rejection(client.fetchCourses(COURSE_KEYS, call));
    expect(error).toBeInstanceOf(UpstreamUnavailableError);
    expect(error.message).toBe("Discovery courses failed on batch 2 page 1 after 2 attempts: status 503");
    expect(events.map((event) => `${event.endpoint}:${event.outcome}`)).toEqual(["courses:ok", "courses:retry", "courses:failed"]);
  });

  test("fails on an answer that is not a list page, after retrying it", async () => {
    server.use(http.get(COURSES_URL, () => HttpResponse.json({ detail: "Not found." })));
    const { client } = makeClient({ maxAttempts: 2 });
    await expect(client.fetchCourses(["edX+DemoX"])).rejects.toThrow(
      new UpstreamUnavailableError("Discovery courses failed on batch 1 page 1 after 2 attempts: the answer has no results list"),
    );
  });

  test("fails when discovery counts more courses than keys were asked for: it ignored the filter", async () => {
    server.use(http.get(COURSES_URL, () => HttpResponse.json({ count: 41_000, next: "x", previous: null, results: [fullCourse("edX+Any")] })));
    await expect(makeClient().client.fetchCourses(["edX+DemoX", "edX+Other"])).rejects.toThrow(
      new UpstreamUnavailableError("Discovery counted 41000 records for the 2 asked for in courses batch 1: it ignored the filter"),
    );
  });
});

describe("HttpDiscoveryClient.fetchPrograms()", () => {
  const programs = Array.from({ length: 60 }, (_, i) => fullProgram(`P${i}`));
  const uuids = programs.map((program) => String(program.uuid));

  test("asks for at most 50 uuids a request with extended=True and a valid ordering", async () => {
    useDiscovery({ programs });
    const { client, call, events } = makeClient();
    const result = await client.fetchPrograms([...uuids, "00000000-0000-4000-8000-000000000000"], call);
    const expected = [...programs.slice(0, 50).sort(byUuid), ...programs.slice(50).sort(byUuid)];
    expect(result.records).toEqual(expected);
    expect(result.requests).toBe(2);
    expect(events.map((event) => event.endpoint)).toEqual(["programs", "programs"]);
    expect(seen.map((request) => request.query.get("uuids")?.split(",").length)).toEqual([50, 11]);
    expect(Object.fromEntries(seen[0]?.query ?? [])).toMatchObject({ extended: "True", ordering: "uuid", limit: "50", offset: "0" });
  });
});

describe("HttpDiscoveryClient.fetchCourseReviews()", () => {
  const reviews = Array.from({ length: 45 }, (_, i) => review(`edX+R${i}`, i + 1));

  test("reads the whole table in pages of reviewsPageSize, on its own host", async () => {
    useDiscovery({ reviews });
    const { client, call, events } = makeClient({ reviewsPageSize: 20 });
    const result = await client.fetchCourseReviews(call);
    expect(result.records).toEqual(reviews);
    expect(result.requests).toBe(3);
    expect(events.map((event) => `${event.endpoint}:${event.outcome}`)).toEqual(Array(3).fill("reviews:ok"));
    expect(seen.map((request) => [request.path, request.query.get("page"), request.query.get("page_size")])).toEqual([
      ["/api/v1/course_review/", "1", "20"], ["/api/v1/course_review/", "2", "20"], ["/api/v1/course_review/", "3", "20"],
    ]);
  });

  test("asks for large pages by default", async () => {
    useDiscovery({ reviews });
    const result = await makeClient().client.fetchCourseReviews();
    expect(result).toEqual({ records: reviews, requests: 1 });
    expect(seen[0]?.query.get("page_size")).toBe("5000");
  });

  test("fails when a review comes twice: the table moved under the unordered pages", async () => {
    server.use(http.get(REVIEWS_URL, ({ request }) => {
      const page = Number(new URL(request.url).searchParams.get("page"));
      return HttpResponse.json({ count: 2, next: page === 1 ? "x" : null, previous: null, results: [review("edX+Same")] });
    }));
    await expect(makeClient().client.fetchCourseReviews()).rejects.toThrow(
      new UpstreamUnavailableError('Discovery sent "edX+Same" twice during the reviews: its order changed under the walk'),
    );
  });
});

describe("HttpDiscoveryClient answer size limit", () => {
  test("refuses an answer whose Content-Length is over the limit without reading it or retrying", async () => {
    let cancelled = false;
    let produced = 0;
    server.use(http.get(REVIEWS_URL, () => new HttpResponse(
      new ReadableStream({
        pull: (controller) => {
          produced += 1024;
          controller.enqueue(new Uint8Array(1024).fill(32));
        },
        cancel: () => void (cancelled = true),
      }, { highWaterMark: 0 }),
      { headers: { "Content-Type": "application/json", "Content-Length": String(600 * 1024 * 1024) } },
    )));
    const { client, call, events } = makeClient({ maxResponseBytes: 1024 * 1024 });
    await expect(client.fetchCourseReviews(call)).rejects.toThrow(
      new UpstreamUnavailableError("Discovery reviews failed on page 1: the answer is larger than 1048576 bytes"),
    );
    expect(outcomes(events)).toEqual(["failed:200"]);
    await expect.poll(() => cancelled).toBe(true);
    expect(produced).toBeLessThan(256 * 1024);
  });

  test("stops reading a streamed answer as soon as it passes the limit, with memory near its baseline", async () => {
    const chunk = new TextEncoder().encode(`${JSON.stringify(searchCourse("edX+Big")).repeat(512)},`);
    let produced = 0;
    let cancelled = false;
    const endless = new ReadableStream<Uint8Array>({
      start: (controller) => controller.enqueue(new TextEncoder().encode('{"count": 1, "next": null, "results": [')),
      pull: (controller) => {
        produced += chunk.byteLength;
        controller.enqueue(chunk);
      },
      cancel: () => void (cancelled = true),
    }, { highWaterMark: 0 });
    server.use(http.post(V1_SEARCH_URL, () => new HttpResponse(endless, { headers: { "Content-Type": "application/json" } })));
    const limit = 4 * 1024 * 1024;
    const before = process.memoryUsage().rss;
    const { search, events } = makeClient({ maxResponseBytes: limit });
    await expect(search()).rejects.toThrow(
      new UpstreamUnavailableError(`Discovery search failed on page 1: the answer is larger than ${limit} bytes`),
    );
    expect(outcomes(events)).toEqual(["failed:200"]);
    await expect.poll(() => cancelled).toBe(true);
    // Read up to the limit and a few chunks in flight, not the endless rest.
    expect(produced).toBeLessThan(limit + 16 * chunk.byteLength);
    expect(process.memoryUsage().rss - before).toBeLessThan(64 * 1024 * 1024);
  });

  test("reads an answer exactly as large as the limit", async () => {
    useDiscovery();
    const { search } = makeClient({ pageSize: 500, maxResponseBytes: JSON.stringify({ count: RUN_COUNT, next: null, previous: null, results: RUN_RECORDS }).length });
    expect((await search()).records).toEqual(RUN_RECORDS);
  });
});

describe("HttpDiscoveryClient OAuth2", () => {
  const oauth = { tokenUrl: TOKEN_URL, clientId: "catalog-worker", clientSecret: SECRET };

  /** A token endpoint handing out tok-1, tok-2, ...; `forms` collects what it was sent. */
  function tokenEndpoint(options: { expiresIn?: number; status?: number } = {}) {
    const state = { forms: [] as URLSearchParams[] };
    server.use(http.post(TOKEN_URL, async ({ request }) => {
      state.forms.push(new URLSearchParams(await request.text()));
      if (options.status !== undefined) return HttpResponse.json({ error: "invalid_client" }, { status: options.status });
      return HttpResponse.json({ access_token: `tok-${state.forms.length}`, expires_in: options.expiresIn ?? 3600, token_type: "JWT" });
    }));
    return state;
  }

  test("asks for a JWT with client credentials and sends it as Authorization: JWT to every endpoint", async () => {
    useDiscovery({ courses: COURSES, programs: [fullProgram("P")], reviews: [review("edX+K0")] });
    const tokens = tokenEndpoint();
    const { client, search } = makeClient({ oauth });
    await search();
    await client.fetchCourses(["edX+K0"]);
    await client.fetchPrograms([String(fullProgram("P").uuid)]);
    await client.fetchCourseReviews();
    expect(tokens.forms).toHaveLength(1);
    expect(Object.fromEntries(tokens.forms[0] as URLSearchParams)).toEqual({
      grant_type: "client_credentials",
      client_id: "catalog-worker",
      client_secret: SECRET,
      token_type: "jwt",
    });
    expect(seen.map((request) => request.headers.get("authorization"))).toEqual(Array(RUN_PAGES + 3).fill("JWT tok-1"));
  });

  test("caches the token across searches until shortly before it expires", async () => {
    useDiscovery();
    const tokens = tokenEndpoint({ expiresIn: 600 });
    let now = 1_000_000;
    const { search } = makeClient({ oauth, now: () => now });
    await search();
    await search();
    expect(tokens.forms).toHaveLength(1);
    now += 539_000;
    await search();
    expect(tokens.forms).toHaveLength(1);
    now += 2_000;
    await search();
    expect(tokens.forms).toHaveLength(2);
    expect(seen.at(-1)?.headers.get("authorization")).toBe("JWT tok-2");
  });

  test("renews the token and retries the page once when discovery answers 401", async () => {
    useDiscovery();
    const tokens = tokenEndpoint();
    // tok-1 expires between pages 1 and 2, earlier than its expires_in promised.
    server.use(http.post(V1_SEARCH_URL, ({ request }) =>
      request.headers.get("authorization") === "JWT tok-1" && new URL(request.url).searchParams.get("page") !== "1"
        ? HttpResponse.json({ detail: "Token expired" }, { status: 401 })
        : undefined
    ));
    const { search, events, sleeps } = makeClient({ oauth });
    const result = await search();
    expect(result.records).toHaveLength(RUN_COUNT);
    expect(tokens.forms).toHaveLength(2);
    expect(outcomes(events).slice(0, 3)).toEqual(["ok:200", "retry:401", "ok:200"]);
    expect(result.requests).toBe(RUN_PAGES + 1);
    expect(sleeps).toEqual([]);
  });

  test("fails when discovery still answers 401 with a fresh token", async () => {
    useDiscovery();
    const tokens = tokenEndpoint();
    server.use(http.post(V1_SEARCH_URL, () => HttpResponse.json({ detail: "nope" }, { status: 401 })));
    const { search, events } = makeClient({ oauth });
    await expect(search()).rejects.toThrow("Discovery search failed on page 1: status 401");
    expect(tokens.forms).toHaveLength(2);
    expect(outcomes(events)).toEqual(["retry:401", "failed:401"]);
  });

  test("fails at once on rejected credentials without leaking the secret", async () => {
    useDiscovery();
    const tokens = tokenEndpoint({ status: 401 });
    const { search } = makeClient({ oauth });
    const error = await rejection(search());
    expect(error).toBeInstanceOf(UpstreamUnavailableError);
    expect(error.message).toBe("Discovery search failed on page 1: Token request answered status 401");
    expect(tokens.forms).toHaveLength(1);
    expect(JSON.stringify(error, Object.getOwnPropertyNames(error))).not.toContain(SECRET);
    expect(String(error.cause)).not.toContain(SECRET);
    expect(seen).toEqual([]);
  });

  test("retries a token endpoint that is briefly down", async () => {
    useDiscovery();
    const tokens = tokenEndpoint();
    server.use(http.post(TOKEN_URL, () => new HttpResponse(null, { status: 503 }), { once: true }));
    const { search, events } = makeClient({ oauth });
    const result = await search();
    expect(result.records).toHaveLength(RUN_COUNT);
    expect(tokens.forms).toHaveLength(1);
    expect(outcomes(events)[0]).toBe("retry:503");
  });

  test("fetches one token for concurrent calls", async () => {
    useDiscovery({ courses: COURSES });
    const tokens = tokenEndpoint();
    const { client } = makeClient({ oauth });
    await Promise.all([client.searchAll(RUNS), client.searchAll(RUNS), client.fetchCourses(COURSE_KEYS)]);
    expect(tokens.forms).toHaveLength(1);
  });
});

function byKey(a: JsonObject, b: JsonObject): number {
  return String(a.key) < String(b.key) ? -1 : String(a.key) > String(b.key) ? 1 : 0;
}

function byUuid(a: JsonObject, b: JsonObject): number {
  return String(a.uuid) < String(b.uuid) ? -1 : String(a.uuid) > String(b.uuid) ? 1 : 0;
}
