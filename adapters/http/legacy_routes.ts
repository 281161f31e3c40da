/** Handlers for the legacy edx-enterprise mount `/enterprise/api/v1/`, from the service's own data. */
import type { EnterpriseCatalog } from "../../src/catalog/catalog.ts";
import { ItemNotInCatalogError, type LegacyItemKind } from "../../src/content/legacy_catalog_service.ts";
import { ValidationError } from "../../src/errors.ts";
import type { components } from "./api_types.ts";
import { listScope } from "./access_guard.ts";
import { DETAIL, listOf, restorePlus } from "./content_routes.ts";
import type { OperationHandler, ValidatedRequest } from "./operation_router.ts";
import { checkPageInRange, numberedPageLinks, pageParams } from "./pagination.ts";
import { HttpProblem } from "./problem.ts";
import type { UseCasesOfRequest } from "./use_cases.ts";

/** The legacy list pages as edx DefaultPagination does (default 10, at most 100). */
const LIST_PAGES = { defaultSize: 10, maxSize: 100 };
/** The legacy retrieve forwarded paging to discovery, whose default page size is 20. */
const CONTENT_PAGES = { defaultSize: 20, maxSize: 100 };

/** The legacy operations, by operationId. */
export function legacyHandlers(useCases: UseCasesOfRequest) {
  const legacy = () => useCases().legacy;
  const item = (kind: LegacyItemKind, param: string): OperationHandler => async (ctx, request) => {
    try {
      ctx.body = await legacy().item(request.params.uuid as string, kind, request.params[param] as string);
    } catch (error) {
      // The catalog exists but does not hold the item: the legacy view's bare Http404.
      if (error instanceof ItemNotInCatalogError) throw new HttpProblem(404, "Not found.", { cause: error });
      throw error;
    }
  };
  return {
    listLegacyEnterpriseCatalogs: (async (ctx, request) => {
      const params = pageParams(request.query, LIST_PAGES);
      const customer = request.query.enterprise_customer as string | undefined;
      const page = await useCases().catalogs.listCatalogs({ enterpriseCustomerUuid: customer?.toLowerCase(), visibleCustomerUuids: listScope(ctx) }, params);
      checkPageInRange(params, page.count);
      ctx.body = { ...numberedPageLinks(request.url, params, page.count), results: page.items.map((item) => legacyCatalog(item.catalog)) };
    }) satisfies OperationHandler,

    getLegacyEnterpriseCatalog: (async (ctx, request) => {
      const params = pageParams(request.query, CONTENT_PAGES);
      const page = await legacy().catalogPage(request.params.uuid as string, params);
      checkPageInRange(params, page.count);
      const pages = Math.max(1, Math.ceil(page.count / params.pageSize));
      ctx.body = {
        ...legacyCatalog(page.snapshot.catalog),
        count: page.count,
        previous: params.page > 1 ? legacyLink(request.url, params.page - 1) : null,
        next: params.page < pages ? legacyLink(request.url, params.page + 1) : null,
        results: page.items,
      };
    }) satisfies OperationHandler,

    legacyCatalogContainsContentItems: (async (ctx, request) => {
      const keys = idsOf(request);
      ctx.body = { contains_content_items: await legacy().catalogContainsAll(request.params.uuid as string, keys) };
    }) satisfies OperationHandler,

    legacyCustomerContainsContentItems: (async (ctx, request) => {
      const keys = idsOf(request);
      ctx.body = { contains_content_items: await legacy().customerContainsAll(request.params.uuid as string, keys) };
    }) satisfies OperationHandler,

    getLegacyCatalogCourse: item("course", "course_key"),
    getLegacyCatalogCourseRun: item("courserun", "course_run_key"),
    getLegacyCatalogProgram: item("program", "program_uuid"),
  };
}

/** The legacy catalog fields; the legacy integer query id does not exist here, so it is null. */
function legacyCatalog(catalog: EnterpriseCatalog): components["schemas"]["LegacyCatalog"] {
  return {
    uuid: catalog.uuid,
    title: catalog.title,
    enterprise_customer: catalog.enterpriseCustomerUuid,
    enterprise_catalog_query: null,
    created: catalog.created.toISOString(),
    modified: catalog.modified.toISOString(),
    catalog_query_uuid: catalog.queryUuid,
  };
}

/** `course_run_ids` and `program_uuids` as one key list; the legacy 400 text when there is none. */
function idsOf(request: ValidatedRequest): string[] {
  const keys = [...listOf(request.query.course_run_ids), ...listOf(request.query.program_uuids)].map(restorePlus).filter((key) => key !== "");
  if (keys.length === 0) {
    throw new ValidationError(DETAIL.missingIds, { fieldErrors: [{ field: "course_run_ids", message: "at least one course run id or program uuid is required" }] });
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
