/**
 * An msw stand-in for discovery's `POST /api/v1/search/all/`: it runs the local filter evaluator
 * over a corpus and pages the result the way Django REST framework does.
 */
import { http, HttpResponse } from "msw";
import type { CorpusIndex } from "../../adapters/discovery_local/local_discovery_client.ts";
import { isJsonObject } from "../../src/json.ts";

/** Where tests point HttpDiscoveryClient. */
export const DISCOVERY_URL = "https://discovery.test";
/** The LMS token endpoint tests use. */
export const TOKEN_URL = "https://lms.test/oauth2/access_token";
/** Discovery behind a proxy writes `next` with its internal host; clients must not follow it. */
const INTERNAL_ORIGIN = "http://discovery.internal:18381";

/** One search request as the fake saw it. */
export interface SeenSearch {
  readonly page: number;
  readonly query: URLSearchParams;
  readonly body: unknown;
  readonly headers: Headers;
}

/** Answers search/all from an index; `seen` collects every request, in order. */
export function fakeSearchAll(index: CorpusIndex, seen: SeenSearch[] = []) {
  return http.post(`${DISCOVERY_URL}/api/v1/search/all/`, async ({ request }) => {
    const url = new URL(request.url);
    const page = Number(url.searchParams.get("page") ?? "1");
    const pageSize = Number(url.searchParams.get("page_size") ?? "20");
    const body: unknown = await request.json().catch(() => undefined);
    seen.push({ page, query: url.searchParams, body, headers: request.headers });
    if (!isJsonObject(body)) return HttpResponse.json({ detail: "JSON parse error" }, { status: 400 });
    const matches = index.search(body);
    const last = Math.max(1, Math.ceil(matches.length / pageSize));
    if (!Number.isInteger(page) || page < 1 || page > last) {
      return HttpResponse.json({ detail: "Invalid page." }, { status: 404 });
    }
    const link = (target: number): string => {
      const next = new URL(`${INTERNAL_ORIGIN}/api/v1/search/all/`);
      next.search = url.search;
      next.searchParams.set("page", String(target));
      return next.toString();
    };
    return HttpResponse.json({
      count: matches.length,
      next: page < last ? link(page + 1) : null,
      previous: page > 1 ? link(page - 1) : null,
      results: matches.slice((page - 1) * pageSize, page * pageSize),
    });
  });
}
