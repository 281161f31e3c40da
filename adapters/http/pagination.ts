/** Page-number pagination in the two envelopes the reference services use. */
import { LEGACY_TEXTS } from "./legacy_texts.ts";
import { HttpProblem } from "./problem.ts";

/** Page number and size after applying defaults and the maximum. */
export interface PageParams {
  readonly page: number;
  readonly pageSize: number;
}

/** Reads `page` and `page_size` as DRF does: bad sizes fall back, sizes over the maximum are cut. */
export function pageParams(query: { page?: unknown; page_size?: unknown }, limits: { defaultSize: number; maxSize: number }): PageParams {
  const page = query.page === undefined || query.page === "" ? 1 : positiveInteger(query.page);
  if (page === undefined) throw invalidPage();
  const size = query.page_size === undefined ? undefined : positiveInteger(query.page_size);
  return { page, pageSize: Math.min(size ?? limits.defaultSize, limits.maxSize) };
}

/** Throws the reference's 404 "Invalid page." when the page lies past the end. */
export function checkPageInRange(params: PageParams, count: number): void {
  const pages = Math.max(1, Math.ceil(count / params.pageSize));
  if (params.page > pages) throw invalidPage();
}

/** `{count, next, previous}`: DRF's page-number envelope. */
export function pageLinks(url: URL, params: PageParams, count: number): { count: number; next: string | null; previous: string | null } {
  const pages = Math.max(1, Math.ceil(count / params.pageSize));
  return {
    count,
    next: params.page < pages ? linkTo(url, params.page + 1) : null,
    previous: params.page > 1 ? linkTo(url, params.page - 1) : null,
  };
}

/** `{next, previous, count, num_pages, current_page, start}`: edx DefaultPagination's envelope. */
export function numberedPageLinks(url: URL, params: PageParams, count: number) {
  const links = pageLinks(url, params, count);
  return {
    next: links.next,
    previous: links.previous,
    count,
    num_pages: Math.max(1, Math.ceil(count / params.pageSize)),
    current_page: params.page,
    start: (params.page - 1) * params.pageSize,
  };
}

function linkTo(url: URL, page: number): string {
  const target = new URL(url);
  // DRF drops `page` from the link to the first page.
  if (page === 1) target.searchParams.delete("page");
  else target.searchParams.set("page", String(page));
  return target.toString();
}

function positiveInteger(value: unknown): number | undefined {
  const text = Array.isArray(value) ? value.at(-1) : value;
  if (typeof text !== "string" || !/^\d{1,9}$/.test(text)) return undefined;
  const number = Number(text);
  return number >= 1 ? number : undefined;
}

function invalidPage(): HttpProblem {
  return new HttpProblem(404, LEGACY_TEXTS.invalidPage);
}
