/**
 * Small msw stand-ins for the discovery endpoints HttpDiscoveryClient reads, paging as discovery's
 * source does (django-elasticsearch-dsl-drf 0.22.5 on Elasticsearch 7.17, DRF list views):
 * - v1 `search/all`: page numbers; `count` stops at `track_total_hits` while `next` follows the
 *   exact total; a page ending past `MAX_RESULT_WINDOW` fails (Elasticsearch refuses it).
 * - v2 `search/all`: `search_after` cursors in `next`; records carry `aggregation_uuid` and `sort`;
 *   `next` stays while the exact total exceeds a page and the page held a record.
 * - `/courses`, `/programs`: limit/offset over the records whose key (uuid) is in the list.
 * - `/course_review`: page numbers, 404 past the last page.
 * Every `next` link carries discovery's internal host, as behind a proxy. Records are built with
 * field names of discovery's serializers only.
 */
import { createHash } from "node:crypto";
import { http, type HttpHandler, HttpResponse } from "msw";
import { isJsonObject, type JsonObject } from "../../src/json.ts";
import { DISCOVERY_URL, INTERNAL_ORIGIN } from "./fake_discovery.ts";

// The addresses are the msw discovery's, so that both stand-ins answer the same client.
export { DISCOVERY_URL, INTERNAL_ORIGIN, TOKEN_URL } from "./fake_discovery.ts";

/** One request as the stand-in saw it. */
export interface SeenRequest {
  readonly path: string;
  readonly query: URLSearchParams;
  readonly body: unknown;
  readonly headers: Headers;
}

/** What the stand-in discovery holds and how its search behaves. */
export interface HandMadeDiscoveryData {
  /** The search records a filter matches, in discovery's order (default: none). */
  readonly search?: (filter: JsonObject) => readonly JsonObject[];
  /** Full `/courses` records. */
  readonly courses?: readonly JsonObject[];
  /** Full `/programs` records. */
  readonly programs?: readonly JsonObject[];
  /** The `/course_review` table. */
  readonly reviews?: readonly JsonObject[];
  /** Elasticsearch's `track_total_hits` (default 10,000). */
  readonly totalHitsLimit?: number;
  /** Discovery's `MAX_RESULT_WINDOW` (default 15,000). */
  readonly maxResultWindow?: number;
}

/** msw handlers for every endpoint; `seen` collects each request, in order. */
export function handMadeDiscovery(data: HandMadeDiscoveryData, seen: SeenRequest[] = []): HttpHandler[] {
  const limit = data.totalHitsLimit ?? 10_000;
  const window = data.maxResultWindow ?? 15_000;
  const search = data.search ?? (() => []);
  const record = async (request: Request): Promise<{ url: URL; body: unknown }> => {
    const url = new URL(request.url);
    const body: unknown = request.method === "POST" ? await request.json().catch(() => undefined) : undefined;
    seen.push({ path: url.pathname, query: url.searchParams, body, headers: request.headers });
    return { url, body };
  };
  return [
    http.post(`${DISCOVERY_URL}/api/v1/search/all/`, async ({ request }) => {
      const { url, body } = await record(request);
      if (!isJsonObject(body)) return HttpResponse.json({ detail: "JSON parse error" }, { status: 400 });
      const matches = search(body);
      const size = Number(url.searchParams.get("page_size") ?? "20");
      const page = Number(url.searchParams.get("page") ?? "1");
      const pages = Math.max(1, Math.ceil(matches.length / size));
      if (!Number.isInteger(page) || page < 1 || page > pages) return HttpResponse.json({ detail: "Invalid page." }, { status: 404 });
      const top = Math.min(page * size, matches.length);
      if (top > window) return new HttpResponse("<h1>Server Error (500)</h1>", { status: 500, headers: { "Content-Type": "text/html" } });
      return HttpResponse.json({
        count: Math.min(matches.length, limit),
        next: page < pages ? internalLink(url, { page: String(page + 1) }) : null,
        previous: page > 1 ? internalLink(url, { page: String(page - 1) }) : null,
        results: matches.slice((page - 1) * size, top),
      });
    }),
    http.post(`${DISCOVERY_URL}/api/v2/search/all/`, async ({ request }) => {
      const { url, body } = await record(request);
      if (!isJsonObject(body)) return HttpResponse.json({ detail: "JSON parse error" }, { status: 400 });
      if (url.searchParams.get("ordering") !== "aggregation_uuid") {
        return HttpResponse.json({ detail: "this stand-in sorts by aggregation_uuid only" }, { status: 400 });
      }
      const matches = search(body).map(withV2Fields).sort((a, b) => compare(String(a.aggregation_uuid), String(b.aggregation_uuid)));
      const size = Number(url.searchParams.get("page_size") ?? "20");
      const after = url.searchParams.get("search_after");
      const cursor = after === null ? null : String((JSON.parse(after) as unknown[])[0]);
      const rest = cursor === null ? matches : matches.filter((item) => String(item.aggregation_uuid) > cursor);
      const results = rest.slice(0, size);
      const last = results.at(-1);
      const hasNext = matches.length > size && last !== undefined;
      return HttpResponse.json({
        count: Math.min(matches.length, limit),
        next: hasNext ? internalLink(url, { search_after: JSON.stringify(last.sort) }) : null,
        previous: null,
        results,
      });
    }),
    http.get(`${DISCOVERY_URL}/api/v1/courses/`, async ({ request }) => {
      const { url } = await record(request);
      return limitOffsetPage(url, byList(data.courses ?? [], "key", url.searchParams.get("keys")));
    }),
    http.get(`${DISCOVERY_URL}/api/v1/programs/`, async ({ request }) => {
      const { url } = await record(request);
      return limitOffsetPage(url, byList(data.programs ?? [], "uuid", url.searchParams.get("uuids")));
    }),
    http.get(`${DISCOVERY_URL}/api/v1/course_review/`, async ({ request }) => {
      const { url } = await record(request);
      const reviews = data.reviews ?? [];
      const size = Number(url.searchParams.get("page_size") ?? "20");
      const page = Number(url.searchParams.get("page") ?? "1");
      const pages = Math.max(1, Math.ceil(reviews.length / size));
      if (!Number.isInteger(page) || page < 1 || page > pages) return HttpResponse.json({ detail: "Invalid page." }, { status: 404 });
      return HttpResponse.json({
        count: reviews.length,
        next: page < pages ? internalLink(url, { page: String(page + 1) }) : null,
        previous: page > 1 ? internalLink(url, { page: String(page - 1) }) : null,
        results: reviews.slice((page - 1) * size, page * size),
      });
    }),
  ];
}

/** A search/all course record (CourseSearchDocumentSerializer fields). */
export function searchCourse(key: string, extra: JsonObject = {}): JsonObject {
  return { aggregation_key: `course:${key}`, content_type: "course", key, uuid: uuidFor(`course ${key}`), title: `Course ${key}`, ...extra };
}

/** A search/all course-run record (CourseRunSearchDocumentSerializer fields). */
export function searchRun(courseKey: string, run: string, extra: JsonObject = {}): JsonObject {
  return {
    aggregation_key: `courserun:${courseKey}`,
    content_type: "courserun",
    key: `course-v1:${courseKey}+${run}`,
    title: `Run ${run} of ${courseKey}`,
    start: "2026-02-01T00:00:00Z",
    ...extra,
  };
}

/** A full `/courses` record (CourseWithProgramsSerializer fields). */
export function fullCourse(key: string, runs: readonly string[] = ["1T2026"]): JsonObject {
  const courseRuns = runs.map((run) => ({ key: `course-v1:${key}+${run}`, uuid: uuidFor(`run ${key} ${run}`), title: `Course ${key}`, status: "published" }));
  return {
    key,
    uuid: uuidFor(`course ${key}`),
    title: `Course ${key}`,
    course_runs: courseRuns,
    course_run_keys: courseRuns.map((run) => run.key),
    course_run_statuses: ["published"],
    advertised_course_run_uuid: courseRuns[0]?.uuid ?? null,
    programs: [],
  };
}

/** A full `/programs?extended=True` record (MinimalExtendedProgramSerializer fields). */
export function fullProgram(name: string): JsonObject {
  return { uuid: uuidFor(`program ${name}`), title: `Program ${name}`, subtitle: "", type: "Professional Certificate", status: "active", hidden: false, courses: [] };
}

/** A `/course_review` row (CourseReviewSerializer fields). */
export function review(courseKey: string, reviewsCount = 10): JsonObject {
  return {
    course_key: courseKey,
    reviews_count: reviewsCount,
    avg_course_rating: "4.500000",
    confident_learners_percentage: "60.000000",
    most_common_goal: "Job advancement",
    most_common_goal_learners_percentage: "40.000000",
    total_enrollments: reviewsCount * 20,
  };
}

/** A stable uuid for a seed text. */
export function uuidFor(seed: string): string {
  const hex = createHash("md5").update(seed).digest("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** v2 adds `aggregation_uuid` (`<type>:<uuid>`) and `sort` (the record's sort values) to each record. */
function withV2Fields(record: JsonObject): JsonObject {
  const uuid = typeof record.uuid === "string" ? record.uuid : uuidFor(`${String(record.content_type)} ${String(record.key)}`);
  const aggregationUuid = `${String(record.content_type)}:${uuid}`;
  return { ...record, aggregation_uuid: aggregationUuid, sort: [aggregationUuid] };
}

function byList(records: readonly JsonObject[], field: string, list: string | null): JsonObject[] {
  const wanted = new Set(list === null || list === "" ? [] : list.split(","));
  return records.filter((item) => wanted.has(String(item[field]))).sort((a, b) => compare(String(a[field]), String(b[field])));
}

function limitOffsetPage(url: URL, matches: readonly JsonObject[]): Response {
  const limit = Number(url.searchParams.get("limit") ?? "20");
  const offset = Number(url.searchParams.get("offset") ?? "0");
  return HttpResponse.json({
    count: matches.length,
    next: offset + limit < matches.length ? internalLink(url, { offset: String(offset + limit) }) : null,
    previous: offset > 0 ? internalLink(url, { offset: String(Math.max(0, offset - limit)) }) : null,
    results: matches.slice(offset, offset + limit),
  });
}

/** DRF's `replace_query_param` on the absolute URI discovery sees behind its proxy. */
function internalLink(url: URL, replace: Readonly<Record<string, string>>): string {
  const link = new URL(`${INTERNAL_ORIGIN}${url.pathname}`);
  link.search = url.search;
  for (const [name, value] of Object.entries(replace)) link.searchParams.set(name, value);
  return link.toString();
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
