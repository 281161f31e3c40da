/**
 * Handlers of the catalog read API: containment, catalog content (with ETags), diffs, catalog-less
 * content lookups and distinct queries. They parse, call `CatalogContentService`, and shape the
 * reference's answers; authorization already ran (see each operation's `x-permission`).
 */
import { createHash } from "node:crypto";
import type { CatalogContentDiff } from "../../src/content/catalog_content_service.ts";
import type { CatalogCustomer } from "../../src/customers/catalog_customer.ts";
import { NotFoundError } from "../../src/errors.ts";
import type { CatalogSnapshot } from "../../src/ports/content_reader.ts";
import type { OperationHandler, OperationHandlers } from "./operation_types.ts";
import { isMissingField, LEGACY_TEXTS, MAX_GET_CONTENT_KEYS } from "./legacy_texts.ts";
import { checkPageInRange, numberedPageLinks, pageLinks, pageParams } from "./pagination.ts";
import { HttpProblem } from "./problem.ts";
import type { RequestContext } from "./request_state.ts";
import { ResponseCache } from "./response_cache.ts";

/** get_content_metadata pages: edx DefaultPagination (default 10, at most 100). */
const CONTENT_PAGES = { defaultSize: 10, maxSize: 100 };
/** content-metadata pages: DRF page numbers; the reference has no maximum, this service caps at 100. */
const LOOKUP_PAGES = { defaultSize: 10, maxSize: 100 };
/** Serialized get_content_metadata answers kept: 64 MiB, no single one over 8 MiB. */
const PAGE_CACHE = { maxBytes: 64 * 1024 * 1024, maxEntryBytes: 8 * 1024 * 1024 };

/** One answer, serialized, and how many items match in all. */
interface CachedPage {
  readonly count: number;
  readonly body: Buffer;
  readonly bytes: number;
}

/** What the handlers need besides the request's use cases. */
export interface ContentHandlerOptions {
  /** Mixed into every ETag: whatever else shapes the body (e.g. the LMS and learner-portal URLs). */
  readonly etagSalt: string;
}

/** The catalog read operations, by operationId; each `/api/v2` one is its `/api/v1` twin showing the restricted runs its query allows. */
export function contentHandlers(options: ContentHandlerOptions) {
  const pages = new ResponseCache<CachedPage>(PAGE_CACHE);
  const containsContentItems = (withRestrictedRuns: boolean): OperationHandler<"catalogContainsContentItems"> => async (ctx, request) => {
    const keys = [...listOf(request.query.course_run_ids), ...listOf(request.query.program_uuids)].map(restorePlus);
    try {
      const within = { ...request.catalogAccess, withRestrictedRuns };
      ctx.body = { contains_content_items: await ctx.state.services.content.catalogContains(request.params.uuid, keys, within) };
    } catch (error) {
      // Only once the catalog was found, as the reference answers: 404 comes first.
      if (isMissingField(error, "course_run_ids")) throw new HttpProblem(400, LEGACY_TEXTS.missingIds, { cause: error });
      throw error;
    }
  };
  const contentMetadata = (withRestrictedRuns: boolean): OperationHandler<"getCatalogContentMetadata"> => async (ctx, request) => {
    const { content } = ctx.state.services;
    const contentKeys = listOf(request.query.content_keys).map(restorePlus);
    if (contentKeys.length > MAX_GET_CONTENT_KEYS) throw new HttpProblem(400, LEGACY_TEXTS.tooManyMetadataKeys);
    const traverse = nonEmpty(request.query.traverse_pagination);
    const params = pageParams(request.query, CONTENT_PAGES);
    const snapshot = await content.getCatalogSnapshot(request.params.uuid, request.catalogAccess);
    const customer = await content.customerOf(snapshot.catalog);
    if (answeredFromCache(ctx, snapshot, customer, request.url, options.etagSalt)) return;
    const catalog = snapshot.catalog;
    // The answer depends on the catalog (as of its modification), its query's content version, its
    // customer's LMS record and the request URL (page, size, keys, the API version, and the links
    // built from it), nothing else: it is written once per version and URL, then sent as is until one changes.
    const key = `${catalog.uuid}\u0000${catalog.modified.getTime()}\u0000${catalog.queryUuid}\u0000${snapshot.contentVersion}\u0000${customerFingerprint(customer)}\u0000${request.url.href}`;
    let page = pages.get(key);
    if (page === undefined) {
      const found = await content.catalogContent(snapshot, {
        contentKeys, page: traverse ? { page: 1, pageSize: Number.MAX_SAFE_INTEGER } : params, withRestrictedRuns,
      }, customer);
      const envelope = traverse
        ? { previous: null, next: null, count: found.count }
        : numberedPageLinks(request.url, params, found.count);
      // Key order as the reference's: the paging keys, results, then the catalog's fields.
      const body = Buffer.from(JSON.stringify({
        ...envelope, results: found.items, uuid: catalog.uuid, title: catalog.title, enterprise_customer: catalog.enterpriseCustomerUuid,
      }));
      page = { count: found.count, body, bytes: body.length };
      pages.set(key, page);
    }
    checkPageInRange(params, page.count);
    ctx.type = "application/json";
    ctx.body = page.body;
  };
  return {
    catalogContainsContentItems: containsContentItems(false),
    catalogContainsContentItemsV2: containsContentItems(true),
    getCatalogContentMetadata: contentMetadata(false),
    getCatalogContentMetadataV2: contentMetadata(true),

    getCatalogContentDiff: async (ctx, request) => {
      const keys = listOf(request.query.content_keys).map(restorePlus);
      if (keys.length === 0) throw new HttpProblem(400, LEGACY_TEXTS.missingContentKeys);
      if (keys.length > MAX_GET_CONTENT_KEYS) throw new HttpProblem(400, LEGACY_TEXTS.tooManyDiffKeys);
      ctx.body = diffToWire(await ctx.state.services.content.catalogContentDiff(request.params.uuid, keys));
    },

    postCatalogContentDiff: async (ctx, request) => {
      const keys = (request.body?.content_keys ?? []).map(restorePlus);
      ctx.body = diffToWire(await ctx.state.services.content.catalogContentDiff(request.params.uuid, keys));
    },

    listContentMetadata: async (ctx, request) => {
      const params = pageParams(request.query, LOOKUP_PAGES);
      const identifiers = listOf(request.query.content_identifiers).map(restorePlus);
      const page = await ctx.state.services.content.lookUpContent(identifiers, { coerceToParentCourse: nonEmpty(request.query.coerce_to_parent_course) }, params);
      checkPageInRange(params, page.count);
      ctx.body = { ...pageLinks(request.url, params, page.count), results: page.items };
    },

    getContentMetadata: async (ctx, request) => {
      try {
        ctx.body = await ctx.state.services.content.getContent(request.params.identifier, { coerceToParentCourse: nonEmpty(request.query.coerce_to_parent_course) });
      } catch (error) {
        if (error instanceof NotFoundError) throw new HttpProblem(404, LEGACY_TEXTS.notFound, { cause: error });
        throw error;
      }
    },

    distinctCatalogQueries: async (ctx, request) => {
      const found = await ctx.state.services.content.distinctCatalogQueries(request.body.enterprise_catalog_uuids);
      ctx.body = { num_distinct_query_ids: found.count, catalog_uuids_by_catalog_query_id: Object.fromEntries(found.catalogUuidsByQuery) };
    },
  } satisfies Partial<OperationHandlers>;
}

/** A repeated query parameter as a list (the router already made declared arrays arrays). */
export function listOf(value: string | readonly string[] | undefined): string[] {
  return value === undefined ? [] : typeof value === "string" ? [value] : [...value];
}

/** The reference's `unquote(quote_plus(key))`: a `+` that form decoding turned into a space is a `+` again. */
export function restorePlus(key: string): string {
  return key.replaceAll(" ", "+");
}

/** Django reads these flags as "any non-empty value". */
export function nonEmpty(value: string | readonly string[] | undefined): boolean {
  const text = typeof value === "string" ? value : value?.at(-1);
  return text !== undefined && text !== "";
}

/**
 * Sets `ETag` and `Last-Modified` from the catalog's content version and modification, and answers
 * 304 when the client's copy is current. The body depends on nothing else but the request URL and
 * the salt, which the tag also covers.
 */
function answeredFromCache(ctx: RequestContext, snapshot: CatalogSnapshot, customer: CatalogCustomer, url: URL, salt: string): boolean {
  const catalog = snapshot.catalog;
  const tag = createHash("sha256")
    .update(`${catalog.uuid}\n${catalog.queryUuid}\n${snapshot.contentVersion}\n${catalog.modified.getTime()}\n${customerFingerprint(customer)}\n${url.href}\n${salt}`)
    .digest("base64url")
    .slice(0, 27);
  const lastModified = [snapshot.contentLastModified, customer.modified].reduce<Date>(
    (latest, date) => (date !== null && date > latest ? date : latest),
    catalog.modified,
  );
  const etag = `"${tag}"`;
  ctx.set("ETag", etag);
  ctx.set("Last-Modified", lastModified.toUTCString());
  ctx.set("Cache-Control", "private, no-cache");
  if (!notModified(ctx.get("if-none-match"), ctx.get("if-modified-since"), etag, lastModified)) return false;
  ctx.status = 304;
  return true;
}

/**
 * RFC 9110 §13.2.2 for GET: `If-None-Match` (weak comparison, `*` or a list) decides when present;
 * otherwise `If-Modified-Since`. A request `Cache-Control: no-cache` (which fetch adds to conditional
 * requests) concerns caches, not the origin, so it does not disable the check.
 */
function notModified(ifNoneMatch: string, ifModifiedSince: string, etag: string, lastModified: Date): boolean {
  if (ifNoneMatch !== "") {
    if (ifNoneMatch.trim() === "*") return true;
    const opaque = (tag: string) => tag.trim().replace(/^W\//, "");
    return ifNoneMatch.split(",").some((tag) => opaque(tag) === opaque(etag));
  }
  if (ifModifiedSince === "") return false;
  const since = Date.parse(ifModifiedSince);
  return !Number.isNaN(since) && Math.floor(lastModified.getTime() / 1000) * 1000 <= since;
}

/** Whatever of the customer shapes a content answer: its links' name, slug and form, and its record's date. */
function customerFingerprint(customer: CatalogCustomer): string {
  return `${customer.name}\n${customer.slug}\n${customer.learnerPortalEnabled}\n${customer.modified?.getTime() ?? ""}`;
}

function diffToWire(diff: CatalogContentDiff) {
  return {
    items_not_found: diff.itemsNotFound.map((key) => ({ content_key: key })),
    items_not_included: diff.itemsNotIncluded.map((key) => ({ content_key: key })),
    items_found: diff.itemsFound.map((item) => ({ content_key: item.contentKey, date_updated: item.dateUpdated.toISOString() })),
  };
}
