/** Handlers for the legacy edx-enterprise mount `/enterprise/api/v1/`, from the service's own data. */
import { type CatalogQuery, type EnterpriseCatalog, publicQueryUuid } from "../../src/catalog/catalog.ts";
import { ItemNotInCatalogError, type LegacyItemKind } from "../../src/content/legacy_catalog_service.ts";
import { listScope } from "./access_guard.ts";
import { listOf, restorePlus } from "./content_routes.ts";
import { legacyListFilter } from "./legacy_list_query.ts";
import { LEGACY_TEXTS } from "./legacy_texts.ts";
import type { OperationHandlers, Schemas } from "./operation_types.ts";
import { checkPageInRange, numberedPageLinks, pageParams } from "./pagination.ts";
import { HttpProblem } from "./problem.ts";
import type { RequestContext } from "./request_state.ts";

/** The legacy list pages as edx DefaultPagination does (default 10, at most 100). */
const LIST_PAGES = { defaultSize: 10, maxSize: 100 };
/** The legacy retrieve forwarded paging to discovery, whose default page size is 20. */
const CONTENT_PAGES = { defaultSize: 20, maxSize: 100 };

/** The legacy operations, by operationId. */
export function legacyHandlers() {
  return {
    listLegacyEnterpriseCatalogs: async (ctx, request) => {
      const params = pageParams(request.query, LIST_PAGES);
      const filter = legacyListFilter(request.query);
      const page = await ctx.state.services.catalogs.listCatalogs({ ...filter, visibleCustomerUuids: listScope(ctx) }, params);
      checkPageInRange(params, page.count);
      ctx.body = { ...numberedPageLinks(request.url, params, page.count), results: page.items.map((item) => legacyCatalog(item.catalog, item.query)) };
    },

    getLegacyEnterpriseCatalog: async (ctx, request) => {
      const params = pageParams(request.query, CONTENT_PAGES);
      const page = await ctx.state.services.legacy.catalogPage(request.params.uuid, params);
      checkPageInRange(params, page.count);
      // The public uuid of the query (a client may have named it): the store's, not the read path's.
      const { query } = await ctx.state.services.catalogs.getCatalog(page.snapshot.catalog.uuid);
      const pages = Math.max(1, Math.ceil(page.count / params.pageSize));
      ctx.body = {
        ...legacyCatalog(page.snapshot.catalog, query),
        count: page.count,
        previous: params.page > 1 ? legacyLink(request.url, params.page - 1) : null,
        next: params.page < pages ? legacyLink(request.url, params.page + 1) : null,
        results: page.items,
      };
    },

    legacyCatalogContainsContentItems: async (ctx, request) => {
      const keys = idsOf(request.query);
      ctx.body = { contains_content_items: await ctx.state.services.legacy.catalogContainsAll(request.params.uuid, keys) };
    },

    legacyCustomerContainsContentItems: async (ctx, request) => {
      const keys = idsOf(request.query);
      ctx.body = { contains_content_items: await ctx.state.services.legacy.customerContainsAll(request.params.uuid, keys) };
    },

    getLegacyCatalogCourse: (ctx, request) => legacyItem(ctx, request.params.uuid, "course", request.params.course_key),
    getLegacyCatalogCourseRun: (ctx, request) => legacyItem(ctx, request.params.uuid, "courserun", request.params.course_run_key),
    getLegacyCatalogProgram: (ctx, request) => legacyItem(ctx, request.params.uuid, "program", request.params.program_uuid),
  } satisfies Partial<OperationHandlers>;
}

/** Answers one course, run or program of the catalog with the legacy detail view. */
async function legacyItem(ctx: RequestContext, catalogUuid: string, kind: LegacyItemKind, key: string): Promise<void> {
  try {
    ctx.body = await ctx.state.services.legacy.item(catalogUuid, kind, key);
  } catch (error) {
    // The catalog exists but does not hold the item: the legacy view's bare Http404.
    if (error instanceof ItemNotInCatalogError) throw new HttpProblem(404, LEGACY_TEXTS.notFound, { cause: error });
    throw error;
  }
}

/** The legacy catalog fields; the legacy integer query id does not exist here, so it is null. */
function legacyCatalog(catalog: EnterpriseCatalog, query: CatalogQuery): Schemas["LegacyCatalog"] {
  return {
    uuid: catalog.uuid,
    title: catalog.title,
    enterprise_customer: catalog.enterpriseCustomerUuid,
    enterprise_catalog_query: null,
    created: catalog.created.toISOString(),
    modified: catalog.modified.toISOString(),
    catalog_query_uuid: publicQueryUuid(query),
  };
}

/** `course_run_ids` and `program_uuids` as one key list; the legacy 400 text when there is none. */
function idsOf(query: { readonly course_run_ids?: readonly string[]; readonly program_uuids?: readonly string[] }): string[] {
  const keys = [...listOf(query.course_run_ids), ...listOf(query.program_uuids)].map(restorePlus).filter((key) => key !== "");
  if (keys.length === 0) {
    throw new HttpProblem(400, LEGACY_TEXTS.missingIds, { fieldErrors: [{ field: "course_run_ids", message: "at least one course run id or program uuid is required" }] });
  }
  return keys;
}

/** The legacy retrieve's links: the request URL with `page` set and the query sorted, `page=1` kept. */
function legacyLink(url: URL, page: number): string {
  const target = new URL(url);
  target.searchParams.set("page", String(page));
  target.searchParams.sort();
  return target.toString();
}
