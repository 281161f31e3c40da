/**
 * An in-process course-discovery: one `(request) => Promise<Response>` handler that answers, over
 * a discovery database, what discovery answers on the endpoints the service reads. The same
 * handler backs `LocalDiscoveryClient` (as its `fetch`), msw handlers in tests and a real HTTP
 * server for integration tests.
 *
 * Endpoints: `GET|POST /api/v1/search/all/`, `GET|POST /api/v2/search/all/`, `GET /api/v1/courses/`,
 * `GET /api/v1/programs/`, `GET /api/v1/course_review/`; any other path answers 404
 * `{"detail":"Not found."}`. Callers are not authenticated.
 */
import type { JsonObject } from "../../src/json.ts";
import { type CatalogSource, courseReviewsResponse, coursesResponse, programsResponse } from "./catalog_endpoints.ts";
import { type DiscoveryDatabase, loadBundledDatabase } from "./discovery_database.ts";
import { DiscoveryModel } from "./discovery_model.ts";
import { jsonResponse, methodNotAllowed, notFound, parseError, serverError } from "./drf_responses.ts";
import { QueryParameters } from "./query_parameters.ts";
import { buildSearchEntries } from "./search_documents.ts";
import { type SearchSource, searchResponse } from "./search_endpoint.ts";
import { SearchIndex } from "./search_index.ts";

/** Elasticsearch's `max_result_window` in discovery's settings (`MAX_RESULT_WINDOW`). */
export const DEFAULT_MAX_RESULT_WINDOW = 15_000;
/** Elasticsearch 7's default `track_total_hits`: `count` says 10,000 for any larger result. */
export const DEFAULT_TRACK_TOTAL_HITS = 10_000;
/** The origin `LocalDiscoveryClient` sends its requests to; any origin works. */
export const LOCAL_DISCOVERY_URL = "http://discovery.local";

/** How to build a local discovery server. */
export interface LocalDiscoveryServerOptions {
  /** The database to serve (default: the bundled one, read on the first request). */
  readonly database?: DiscoveryDatabase | Promise<DiscoveryDatabase>;
  /** The instant discovery's model properties are judged at (default: the database's `referenceDate`). */
  readonly now?: string | number;
  /** A `search/all` page reaching past this many hits fails with a 500 (default 15,000). */
  readonly maxResultWindow?: number;
  /** `count` is exact up to this many hits and this number above it (default 10,000). */
  readonly trackTotalHits?: number;
  /** `RETIRED_COURSE_TYPES`: neither indexed nor listed by `/courses` (default `bootcamp-2u`). */
  readonly retiredCourseTypes?: readonly string[];
  /** `RETIRED_RUN_TYPES`: never indexed (default `paid-bootcamp`, `unpaid-bootcamp`). */
  readonly retiredRunTypes?: readonly string[];
  /** The partner of the site (default `edx`). */
  readonly sitePartner?: string;
  /** The origin written into `next`/`previous` links (default: the request's), as behind a proxy. */
  readonly origin?: string;
  /** The calling service user, whose username and referral id discovery appends to marketing URLs. */
  readonly serviceUser?: { readonly username: string; readonly referralTrackingId: string };
}

/** A discovery answering in-process. */
export interface LocalDiscoveryServer {
  /** Discovery's answer to one request; rejects only when the database cannot be read. */
  handle(request: Request): Promise<Response>;
  /** `fetch` over `handle`, honouring the request's abort signal: what `HttpDiscoveryClient` takes. */
  readonly fetch: typeof fetch;
}

interface Served {
  readonly search: SearchSource;
  readonly catalog: CatalogSource;
}

type Route = (request: Request, url: URL, parameters: QueryParameters, served: Served) => Response;

/** Creates a local discovery server; the database is read and indexed on the first request. */
export function createLocalDiscoveryServer(options: LocalDiscoveryServerOptions = {}): LocalDiscoveryServer {
  let served: Promise<Served> | undefined;
  const load = (): Promise<Served> => {
    served ??= Promise.resolve(options.database ?? loadBundledDatabase()).then((database) => serve(database, options));
    served.catch(() => {
      served = undefined;
    });
    return served;
  };
  const handle = async (request: Request): Promise<Response> => {
    const url = new URL(request.url);
    const route = ROUTES.get(url.pathname);
    if (route === undefined) return notFound();
    const method = request.method === "HEAD" ? "GET" : request.method;
    if (!route.methods.includes(method)) return methodNotAllowed(request.method, [...route.methods, "HEAD", "OPTIONS"]);
    const current = await load();
    let parameters = new QueryParameters(url.searchParams);
    if (method === "POST") {
      const body = await readJsonBody(request);
      if (body instanceof Response) return body;
      parameters = parameters.withBody(body);
    }
    const linkUrl = options.origin === undefined ? url : new URL(`${url.pathname}${url.search}`, options.origin);
    const response = route.answer(request, linkUrl, parameters, current);
    return request.method === "HEAD" ? new Response(null, { status: response.status, headers: response.headers }) : response;
  };
  const fetch = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const request = new Request(input, init);
    request.signal.throwIfAborted();
    const response = await handle(request);
    request.signal.throwIfAborted();
    return response;
  };
  return { handle, fetch };
}

const SEARCH_METHODS = ["GET", "POST"];
const ROUTES = new Map<string, { readonly methods: readonly string[]; readonly answer: Route }>([
  ["/api/v1/search/all/", {
    methods: SEARCH_METHODS,
    answer: (request, url, parameters, served) =>
      searchResponse({ method: request.method, linkUrl: url, parameters, version: 1 }, served.search),
  }],
  ["/api/v2/search/all/", {
    methods: SEARCH_METHODS,
    answer: (request, url, parameters, served) =>
      searchResponse({ method: request.method, linkUrl: url, parameters, version: 2 }, served.search),
  }],
  ["/api/v1/courses/", { methods: ["GET"], answer: (_request, url, parameters, served) => coursesResponse({ linkUrl: url, parameters }, served.catalog) }],
  ["/api/v1/programs/", { methods: ["GET"], answer: (_request, url, parameters, served) => programsResponse({ linkUrl: url, parameters }, served.catalog) }],
  ["/api/v1/course_review/", {
    methods: ["GET"],
    answer: (_request, url, parameters, served) => courseReviewsResponse({ linkUrl: url, parameters }, served.catalog),
  }],
]);

function serve(database: DiscoveryDatabase, options: LocalDiscoveryServerOptions): Served {
  const now = typeof options.now === "number" ? options.now : Date.parse(options.now ?? database.referenceDate);
  if (!Number.isFinite(now)) throw new RangeError(`Local discovery needs a valid "now": "${String(options.now)}"`);
  const model = new DiscoveryModel(database, { now });
  const retiredCourseTypes = options.retiredCourseTypes ?? ["bootcamp-2u"];
  const retiredRunTypes = options.retiredRunTypes ?? ["paid-bootcamp", "unpaid-bootcamp"];
  const sitePartner = options.sitePartner ?? "edx";
  const user = options.serviceUser ?? { username: "enterprise_catalog_worker", referralTrackingId: "affiliate_partner" };
  return {
    search: {
      model,
      index: new SearchIndex(buildSearchEntries(model, { courseTypes: retiredCourseTypes, runTypes: retiredRunTypes })),
      sitePartner,
      limits: {
        maxResultWindow: options.maxResultWindow ?? DEFAULT_MAX_RESULT_WINDOW,
        trackTotalHits: options.trackTotalHits ?? DEFAULT_TRACK_TOTAL_HITS,
      },
    },
    catalog: {
      model,
      sitePartner,
      retiredCourseTypes,
      utm: { source: djangoSlugify(user.username), medium: user.referralTrackingId },
    },
  };
}

/**
 * The JSON object a POST carries (none for an empty body), or DRF's refusal: 415 for another
 * content type, 400 for malformed JSON, and Django's 500 for JSON that is not an object (the
 * view calls `.items()` on it).
 */
async function readJsonBody(request: Request): Promise<JsonObject | Response> {
  const text = await request.text();
  if (text === "") return {};
  const type = (request.headers.get("content-type") ?? "").split(";")[0]?.trim().toLowerCase() ?? "";
  if (type !== "application/json" && !type.endsWith("+json")) {
    return jsonResponse({ detail: `Unsupported media type "${type}" in request.` }, 415);
  }
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (error) {
    return parseError(error instanceof Error ? error.message : String(error));
  }
  if (typeof body !== "object" || body === null || Array.isArray(body)) return serverError();
  return body as JsonObject;
}

/** Django's `slugify`. */
function djangoSlugify(text: string): string {
  return text.normalize("NFKD").replace(/[^\x00-\x7f]/g, "").toLowerCase().replace(/[^\w\s-]/g, "")
    .replace(/[-\s]+/g, "-").replace(/^[-_]+|[-_]+$/g, "");
}
