import { http, HttpResponse } from "msw";
import { setupServer } from "msw/node";
import { afterAll, afterEach, beforeAll, describe, expect, test } from "vitest";
import {
  HttpDiscoveryClient,
  type HttpDiscoveryClientOptions,
} from "../../adapters/discovery_http/http_discovery_client.ts";
import { generateCorpus } from "../../adapters/discovery_local/corpus.ts";
import { CorpusIndex } from "../../adapters/discovery_local/local_discovery_client.ts";
import { contentFilterFromValue } from "../../src/catalog/content_filter.ts";
import { UpstreamUnavailableError } from "../../src/errors.ts";
import type { DiscoveryRequestEvent, DiscoverySearchResult } from "../../src/ports/discovery_client.ts";
import { DISCOVERY_URL, fakeSearchAll, type SeenSearch, TOKEN_URL } from "./fake_discovery.ts";

const SEARCH_URL = `${DISCOVERY_URL}/api/v1/search/all/`;
const INDEX = new CorpusIndex(generateCorpus({ courses: 90, seed: 5 }).records);
const RUNS = contentFilterFromValue({ content_type: "courserun" });
const RUN_COUNT = INDEX.search({ content_type: "courserun" }).length;
const RUN_PAGES = Math.ceil(RUN_COUNT / 100);
const SECRET = "s3cr3t-do-not-leak";

let seen: SeenSearch[] = [];
const server = setupServer();

beforeAll(() => server.listen({ onUnhandledFrame: "error" }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

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
  const search = (filter = RUNS): Promise<DiscoverySearchResult> =>
    client.searchAll(filter, { onRequest: (event) => events.push(event) });
  return { client, sleeps, events, search };
}

function useFakeDiscovery(): void {
  seen = [];
  server.use(fakeSearchAll(INDEX, seen));
}

/** Fails the given page with `answer` (once by default), then lets the fake discovery answer. */
function failPage(page: number, answer: () => Response, options: { times?: number } = {}): { calls: number } {
  const state = { calls: 0 };
  server.use(http.post(SEARCH_URL, ({ request }) => {
    if (new URL(request.url).searchParams.get("page") !== String(page)) return undefined;
    if (state.calls >= (options.times ?? 1)) return undefined;
    state.calls++;
    return answer();
  }));
  return state;
}

function outcomes(events: readonly DiscoveryRequestEvent[]): string[] {
  return events.map((event) => `${event.outcome}:${event.status ?? "-"}`);
}

describe("HttpDiscoveryClient.searchAll()", () => {
  test("follows every page by number with discovery's query, body and headers", async () => {
    useFakeDiscovery();
    const { search, events } = makeClient();
    const result = await search();
    expect(RUN_PAGES).toBeGreaterThanOrEqual(3);
    expect(result.records).toEqual(INDEX.search({ content_type: "courserun" }));
    expect(result.count).toBe(RUN_COUNT);
    expect(result.requests).toBe(RUN_PAGES);
    expect(outcomes(events)).toEqual(Array(RUN_PAGES).fill("ok:200"));
    expect(seen.map((request) => request.page)).toEqual(Array.from({ length: RUN_PAGES }, (_, i) => i + 1));
    const first = seen[0] as SeenSearch;
    expect(Object.fromEntries(first.query)).toEqual({
      exclude_expired_course_run: "True",
      include_learner_pathways: "True",
      page_size: "100",
      ordering: "aggregation_key,start",
      page: "1",
    });
    expect(first.body).toEqual({ content_type: "courserun" });
    expect(first.headers.get("content-type")).toBe("application/json");
    expect(first.headers.get("authorization")).toBeNull();
  });

  test("uses the configured page size", async () => {
    useFakeDiscovery();
    const { search } = makeClient({ pageSize: 40 });
    const result = await search();
    expect(result.requests).toBe(Math.ceil(RUN_COUNT / 40));
    expect(result.records).toHaveLength(RUN_COUNT);
  });

  test("makes one request for a filter matching nothing", async () => {
    useFakeDiscovery();
    const { search } = makeClient();
    const result = await search(contentFilterFromValue({ content_type: "person" }));
    expect(result).toEqual({ records: [], count: 0, requests: 1 });
  });

  test("retries a page after a 503 and then succeeds, with jittered exponential backoff", async () => {
    useFakeDiscovery();
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
    useFakeDiscovery();
    failPage(1, () => HttpResponse.error());
    const { search, events } = makeClient();
    const result = await search();
    expect(result.count).toBe(RUN_COUNT);
    expect(outcomes(events)[0]).toBe("retry:-");
  });

  test("caps backoff at maxMs", async () => {
    useFakeDiscovery();
    failPage(1, () => new HttpResponse(null, { status: 502 }), { times: 4 });
    const { search, sleeps } = makeClient({ backoff: { baseMs: 1_000, maxMs: 3_000 }, random: () => 0.999 });
    await search();
    expect(sleeps).toEqual([999, 1_998, 2_997, 2_997]);
  });

  test("honours Retry-After in seconds on a 429", async () => {
    useFakeDiscovery();
    failPage(1, () => new HttpResponse(null, { status: 429, headers: { "Retry-After": "3" } }));
    const { search, sleeps, events } = makeClient();
    const result = await search();
    expect(sleeps).toEqual([3_000]);
    expect(outcomes(events)[0]).toBe("retry:429");
    expect(result.records).toHaveLength(RUN_COUNT);
  });

  test("honours Retry-After as an HTTP date, and caps a long one", async () => {
    useFakeDiscovery();
    const now = Date.parse("2026-01-15T10:00:00Z");
    failPage(1, () => new HttpResponse(null, { status: 429, headers: { "Retry-After": "Thu, 15 Jan 2026 10:00:07 GMT" } }));
    failPage(2, () => new HttpResponse(null, { status: 503, headers: { "Retry-After": "86400" } }));
    const { search, sleeps } = makeClient({ now: () => now, maxRetryAfterMs: 30_000 });
    await search();
    expect(sleeps).toEqual([7_000, 30_000]);
  });

  test("throws UpstreamUnavailableError and returns nothing when a page keeps failing", async () => {
    useFakeDiscovery();
    const state = failPage(3, () => new HttpResponse("upstream down", { status: 503 }), { times: 100 });
    const { search, sleeps, events } = makeClient({ maxAttempts: 4 });
    const error = await search().then(() => undefined, (caught: unknown) => caught);
    expect(error).toBeInstanceOf(UpstreamUnavailableError);
    expect((error as Error).message).toBe("Discovery search failed on page 3 after 4 attempts: status 503");
    expect(state.calls).toBe(4);
    expect(sleeps).toHaveLength(3);
    expect(outcomes(events)).toEqual(["ok:200", "ok:200", "retry:503", "retry:503", "retry:503", "failed:503"]);
  });

  test("does not retry a 400", async () => {
    useFakeDiscovery();
    const state = failPage(1, () => HttpResponse.json({ detail: "bad filter" }, { status: 400 }), { times: 100 });
    const { search, sleeps, events } = makeClient();
    await expect(search()).rejects.toThrow(new UpstreamUnavailableError("Discovery search failed on page 1: status 400"));
    expect(state.calls).toBe(1);
    expect(sleeps).toEqual([]);
    expect(outcomes(events)).toEqual(["failed:400"]);
  });

  test("treats a page that is not a search result as a failed attempt", async () => {
    useFakeDiscovery();
    failPage(1, () => new HttpResponse("<html>Bad gateway</html>", { status: 200, headers: { "Content-Type": "text/html" } }));
    failPage(2, () => HttpResponse.json({ count: RUN_COUNT, next: null }), { times: 100 });
    const { search, events } = makeClient({ maxAttempts: 2 });
    await expect(search()).rejects.toThrow("Discovery search failed on page 2 after 2 attempts: Discovery page has no results list");
    expect(outcomes(events)).toEqual(["retry:200", "ok:200", "retry:200", "failed:200"]);
  });

  test("throws when a later page counts differently from the first", async () => {
    useFakeDiscovery();
    server.use(http.post(SEARCH_URL, ({ request }) => {
      const page = Number(new URL(request.url).searchParams.get("page"));
      return HttpResponse.json({ count: 150 + page, next: page < 2 ? `${SEARCH_URL}?page=2` : null, results: [{ page }] });
    }));
    const { search } = makeClient();
    await expect(search()).rejects.toThrow(UpstreamUnavailableError);
  });

  test("throws when the records received do not add up to the first count", async () => {
    server.use(http.post(SEARCH_URL, ({ request }) => {
      const page = Number(new URL(request.url).searchParams.get("page"));
      return HttpResponse.json({ count: 3, next: page < 2 ? "x" : null, results: [{ page }] });
    }));
    const { search } = makeClient();
    await expect(search()).rejects.toThrow(
      new UpstreamUnavailableError("Discovery returned 2 records but counted 3: it changed during the search"),
    );
  });

  test("throws instead of paging forever when pages come back empty with a next link", async () => {
    server.use(http.post(SEARCH_URL, () => HttpResponse.json({ count: 3, next: "more", results: [] })));
    const { search } = makeClient();
    await expect(search()).rejects.toThrow(UpstreamUnavailableError);
  });

  test("gives up on a request that never answers after timeoutMs", async () => {
    server.use(http.post(SEARCH_URL, () => new Promise<Response>(() => {})));
    const { search, events } = makeClient({ timeoutMs: 30, maxAttempts: 2 });
    await expect(search()).rejects.toThrow(
      new UpstreamUnavailableError("Discovery search failed on page 1 after 2 attempts: timed out"),
    );
    expect(outcomes(events)).toEqual(["retry:-", "failed:-"]);
  });

  test("rejects with the caller's reason when aborted mid-request, without retrying", async () => {
    server.use(http.post(SEARCH_URL, () => new Promise<Response>(() => {})));
    const { client, sleeps } = makeClient();
    const reason = new Error("shutting down");
    const controller = new AbortController();
    const search = client.searchAll(RUNS, { signal: controller.signal });
    setTimeout(() => controller.abort(reason), 10);
    await expect(search).rejects.toBe(reason);
    expect(sleeps).toEqual([]);
  });

  test("rejects with the caller's reason when aborted during a backoff wait", async () => {
    useFakeDiscovery();
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

  test("asks for a JWT with client credentials and sends it as Authorization: JWT", async () => {
    useFakeDiscovery();
    const tokens = tokenEndpoint();
    const { search } = makeClient({ oauth });
    await search();
    expect(tokens.forms).toHaveLength(1);
    expect(Object.fromEntries(tokens.forms[0] as URLSearchParams)).toEqual({
      grant_type: "client_credentials",
      client_id: "catalog-worker",
      client_secret: SECRET,
      token_type: "jwt",
    });
    expect(seen.map((request) => request.headers.get("authorization"))).toEqual(Array(RUN_PAGES).fill("JWT tok-1"));
  });

  test("caches the token across searches until shortly before it expires", async () => {
    useFakeDiscovery();
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
    useFakeDiscovery();
    const tokens = tokenEndpoint();
    // tok-1 expires between pages 1 and 2, earlier than its expires_in promised.
    server.use(http.post(SEARCH_URL, ({ request }) =>
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
    useFakeDiscovery();
    const tokens = tokenEndpoint();
    server.use(http.post(SEARCH_URL, () => HttpResponse.json({ detail: "nope" }, { status: 401 })));
    const { search, events } = makeClient({ oauth });
    await expect(search()).rejects.toThrow("Discovery search failed on page 1: status 401");
    expect(tokens.forms).toHaveLength(2);
    expect(outcomes(events)).toEqual(["retry:401", "failed:401"]);
  });

  test("fails at once on rejected credentials without leaking the secret", async () => {
    useFakeDiscovery();
    const tokens = tokenEndpoint({ status: 401 });
    const { search } = makeClient({ oauth });
    const error = await search().then(() => undefined, (caught: unknown) => caught);
    expect(error).toBeInstanceOf(UpstreamUnavailableError);
    expect((error as Error).message).toBe("Discovery search failed on page 1: Token request answered status 401");
    expect(tokens.forms).toHaveLength(1);
    expect(JSON.stringify(error, Object.getOwnPropertyNames(error))).not.toContain(SECRET);
    expect(String((error as Error).cause)).not.toContain(SECRET);
    expect(seen).toEqual([]);
  });

  test("retries a token endpoint that is briefly down", async () => {
    useFakeDiscovery();
    const tokens = tokenEndpoint();
    server.use(http.post(TOKEN_URL, () => new HttpResponse(null, { status: 503 }), { once: true }));
    const { search, events } = makeClient({ oauth });
    const result = await search();
    expect(result.records).toHaveLength(RUN_COUNT);
    expect(tokens.forms).toHaveLength(1);
    expect(outcomes(events)[0]).toBe("retry:503");
  });

  test("fetches one token for concurrent searches", async () => {
    useFakeDiscovery();
    const tokens = tokenEndpoint();
    const { client } = makeClient({ oauth });
    await Promise.all([client.searchAll(RUNS), client.searchAll(RUNS), client.searchAll(RUNS)]);
    expect(tokens.forms).toHaveLength(1);
  });
});
