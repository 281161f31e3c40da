/**
 * Django REST framework's answers as discovery sends them: JSON bodies, `{"detail": ...}` errors,
 * Django's bare 500 page, and the page-number and limit/offset pagination envelopes with their
 * `next`/`previous` links (DRF's `replace_query_param` re-encodes the query sorted by name).
 */
import type { JsonObject, JsonValue } from "../../src/json.ts";
import { MISSING_ASCENDING, MISSING_DESCENDING } from "./search_index.ts";
import { type QueryParameters, quotePlus } from "./query_parameters.ts";

/** DRF's `PAGE_SIZE` in discovery's settings: the default page size and limit. */
export const DEFAULT_PAGE_SIZE = 20;

/** A JSON answer. Elasticsearch's missing-date sort values are written with every digit, as Python does. */
export function jsonResponse(body: JsonValue, status = 200, headers: Record<string, string> = {}): Response {
  const text = JSON.stringify(body, (_key, value) => (value === MISSING_DESCENDING || value === MISSING_ASCENDING ? LONG_MARKERS.get(value) : value));
  return new Response(exactLongs(text), { status, headers: { "content-type": "application/json", ...headers } });
}

/** `{"detail": "Not found."}`: a path discovery does not serve. */
export function notFound(): Response {
  return jsonResponse({ detail: "Not found." }, 404);
}

/** DRF's answer to a page number past the last page, or not a page number at all. */
export function invalidPage(): Response {
  return jsonResponse({ detail: "Invalid page." }, 404);
}

/** DRF's answer to a method the view does not have. */
export function methodNotAllowed(method: string, allowed: readonly string[]): Response {
  return jsonResponse({ detail: `Method "${method}" not allowed.` }, 405, { allow: allowed.join(", ") });
}

/** DRF's answer to a body that is not JSON. */
export function parseError(message: string): Response {
  return jsonResponse({ detail: `JSON parse error - ${message}` }, 400);
}

/**
 * Django's page for an exception no view handles (an Elasticsearch error, a failed cast): status
 * 500, HTML, no detail.
 */
export function serverError(): Response {
  const page = "\n<!doctype html>\n<html lang=\"en\">\n<head>\n  <title>Server Error (500)</title>\n</head>\n" +
    "<body>\n  <h1>Server Error (500)</h1><p></p>\n</body>\n</html>\n";
  return new Response(page, { status: 500, headers: { "content-type": "text/html" } });
}

/** A page of a page-number paginated list, or why there is none. */
export type PageNumberResult =
  | { readonly ok: true; readonly number: number; readonly pages: number; readonly bottom: number; readonly top: number }
  | { readonly ok: false };

/**
 * Django's `Paginator.page()` as DRF calls it: `page` (default 1, `last` for the last page) over
 * `count` items in pages of `pageSize`; anything but a page number from 1 to the last is invalid.
 * An empty list still has a first page.
 */
export function pageNumber(parameters: QueryParameters, count: number, pageSize: number): PageNumberResult {
  const pages = Math.max(1, Math.ceil(count / pageSize));
  const text = parameters.get("page") ?? "1";
  const number = text === "last" ? pages : pythonInt(text);
  if (number === null || number < 1 || number > pages) return { ok: false };
  const bottom = (number - 1) * pageSize;
  return { ok: true, number, pages, bottom, top: Math.min(bottom + pageSize, count) };
}

/** The page size of `page_size` (a positive integer), else the default. */
export function pageSize(parameters: QueryParameters, fallback = DEFAULT_PAGE_SIZE): number {
  return positiveInteger(parameters.get("page_size"), true) ?? fallback;
}

/** `next` of a page-number page: the same URL with the next page, or null on the last page. */
export function nextPageLink(url: URL, page: { number: number; pages: number }): string | null {
  return page.number < page.pages ? replaceQueryParam(url, "page", String(page.number + 1)) : null;
}

/** `previous` of a page-number page: without `page` for the first one, null on the first page. */
export function previousPageLink(url: URL, page: { number: number }): string | null {
  if (page.number <= 1) return null;
  if (page.number === 2) return removeQueryParam(url, "page");
  return replaceQueryParam(url, "page", String(page.number - 1));
}

/** DRF's `PageNumberPagination` envelope over a whole list. */
export function pageNumberResponse<T>(
  url: URL,
  parameters: QueryParameters,
  items: readonly T[],
  serialize: (item: T) => JsonObject,
): Response {
  const page = pageNumber(parameters, items.length, pageSize(parameters));
  if (!page.ok) return invalidPage();
  return jsonResponse({
    count: items.length,
    next: nextPageLink(url, page),
    previous: previousPageLink(url, page),
    results: items.slice(page.bottom, page.top).map(serialize),
  });
}

/** DRF's `LimitOffsetPagination` envelope over a whole list: `limit` (default 20) from `offset`. */
export function limitOffsetResponse<T>(
  url: URL,
  parameters: QueryParameters,
  items: readonly T[],
  serialize: (item: T) => JsonObject,
): Response {
  const limit = positiveInteger(parameters.get("limit"), true) ?? DEFAULT_PAGE_SIZE;
  const offset = positiveInteger(parameters.get("offset"), false) ?? 0;
  const count = items.length;
  let next: string | null = null;
  if (offset + limit < count) next = replaceQueryParam(new URL(replaceQueryParam(url, "limit", String(limit))), "offset", String(offset + limit));
  let previous: string | null = null;
  if (offset > 0) {
    const withLimit = new URL(replaceQueryParam(url, "limit", String(limit)));
    previous = offset - limit <= 0 ? removeQueryParam(withLimit, "offset") : replaceQueryParam(withLimit, "offset", String(offset - limit));
  }
  const results = count === 0 || offset > count ? [] : items.slice(offset, offset + limit).map(serialize);
  return jsonResponse({ count, next, previous, results });
}

/** DRF's `replace_query_param`: the URL with one parameter set, the query re-encoded sorted by name. */
export function replaceQueryParam(url: URL, name: string, value: string): string {
  const query = queryLists(url);
  query.set(name, [value]);
  return withQuery(url, query);
}

/** DRF's `remove_query_param`. */
export function removeQueryParam(url: URL, name: string): string {
  const query = queryLists(url);
  query.delete(name);
  return withQuery(url, query);
}

/** Python's `int()` of a query value, or null when it is not an integer. */
export function pythonInt(text: string): number | null {
  if (!/^\s*[+-]?\d+(?:_\d+)*\s*$/.test(text)) return null;
  return Number.parseInt(text.replaceAll("_", "").trim(), 10);
}

/** DRF's `_positive_int`: a non-negative integer (positive when strict), or null. */
function positiveInteger(text: string | undefined, strict: boolean): number | null {
  if (text === undefined) return null;
  const value = pythonInt(text);
  if (value === null || value < 0 || (strict && value === 0)) return null;
  return value;
}

/** `parse_qs(keep_blank_values=True)`: every name with its values. */
function queryLists(url: URL): Map<string, string[]> {
  const lists = new Map<string, string[]>();
  for (const [name, value] of url.searchParams) {
    const list = lists.get(name);
    if (list === undefined) lists.set(name, [value]);
    else list.push(value);
  }
  return lists;
}

function withQuery(url: URL, lists: Map<string, string[]>): string {
  const names = [...lists.keys()].sort();
  const query = names.flatMap((name) => (lists.get(name) as string[]).map((value) => `${quotePlus(name)}=${quotePlus(value)}`)).join("&");
  return `${url.origin}${url.pathname}${query === "" ? "" : `?${query}`}`;
}

const LONG_MARKERS = new Map<number, string>([
  [MISSING_DESCENDING, "\u0000-9223372036854775808"],
  [MISSING_ASCENDING, "\u00009223372036854775807"],
]);

/** Replaces the markers `jsonResponse` put in place of the two 64-bit sort values by their digits. */
function exactLongs(text: string): string {
  return text.replaceAll('"\\u0000-9223372036854775808"', "-9223372036854775808").replaceAll('"\\u00009223372036854775807"', "9223372036854775807");
}

/**
 * Python's `json.dumps` of a list of sort values, as the `search_after` of discovery's v2 `next`
 * links holds it: `, ` between items, non-ASCII escaped, 64-bit sort values written exactly.
 */
export function pythonJsonList(values: readonly (number | string)[]): string {
  const items = values.map((value) => {
    if (value === MISSING_DESCENDING) return "-9223372036854775808";
    if (value === MISSING_ASCENDING) return "9223372036854775807";
    if (typeof value === "number") return String(value);
    return JSON.stringify(value).replace(/[\u007f-\uffff]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, "0")}`);
  });
  return `[${items.join(", ")}]`;
}
