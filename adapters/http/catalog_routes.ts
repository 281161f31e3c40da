/** Handlers for `/api/v1/enterprise-catalogs/`: catalog CRUD. */
import type { CatalogFields } from "../../src/catalog/catalog_service.ts";
import { contentFilterFromJson } from "../../src/catalog/content_filter.ts";
import type { components } from "./api_types.ts";
import { listScope } from "./access_guard.ts";
import type { OperationHandler, ValidatedRequest } from "./operation_router.ts";
import { checkPageInRange, pageLinks, pageParams } from "./pagination.ts";
import type { UseCasesOfRequest } from "./use_cases.ts";
import { catalogToWire } from "./wire.ts";

type CatalogBody = components["schemas"]["EnterpriseCatalogFields"] & { uuid?: string };

/** Catalog list pages: DRF's page-number pagination, with a cap the reference lacks. */
const CATALOG_PAGES = { defaultSize: 10, maxSize: 1000 };

/** The catalog operations, by operationId. */
export function catalogHandlers(useCases: UseCasesOfRequest) {
  const catalogs = () => useCases().catalogs;
  return {
    listEnterpriseCatalogs: (async (ctx, request) => {
      const params = pageParams(request.query, CATALOG_PAGES);
      const customer = request.query.enterprise_customer as string | undefined;
      // Only the caller's enterprises; a filter naming another one gives an empty page, as the reference does.
      const page = await catalogs().listCatalogs({ enterpriseCustomerUuid: customer?.toLowerCase(), visibleCustomerUuids: listScope(ctx) }, params);
      checkPageInRange(params, page.count);
      ctx.body = { ...pageLinks(request.url, params, page.count), results: page.items.map(catalogToWire) };
    }) satisfies OperationHandler,

    createEnterpriseCatalog: (async (ctx, request) => {
      const body = request.body as CatalogBody & { title: string; enterprise_customer: string };
      const created = await catalogs().createCatalog({
        ...catalogFields(body, request),
        uuid: body.uuid,
        title: body.title,
        enterpriseCustomerUuid: body.enterprise_customer,
      });
      ctx.status = 201;
      ctx.body = catalogToWire(created);
    }) satisfies OperationHandler,

    getEnterpriseCatalog: (async (ctx, request) => {
      ctx.body = catalogToWire(await catalogs().getCatalog(request.params.uuid as string));
    }) satisfies OperationHandler,

    replaceEnterpriseCatalog: (async (ctx, request) => {
      const body = request.body as CatalogBody;
      ctx.body = catalogToWire(await catalogs().updateCatalog(request.params.uuid as string, catalogFields(body, request)));
    }) satisfies OperationHandler,

    updateEnterpriseCatalog: (async (ctx, request) => {
      const body = request.body as CatalogBody;
      ctx.body = catalogToWire(await catalogs().updateCatalog(request.params.uuid as string, catalogFields(body, request)));
    }) satisfies OperationHandler,

    deleteEnterpriseCatalog: (async (ctx, request) => {
      await catalogs().deleteCatalog(request.params.uuid as string);
      ctx.status = 204;
    }) satisfies OperationHandler,

    refreshEnterpriseCatalogMetadata: (async (ctx, request) => {
      const jobId = await useCases().refresh.requestCatalogRefresh(request.params.uuid as string);
      ctx.body = { async_task_id: jobId };
    }) satisfies OperationHandler,
  };
}

/** Maps the wire body to the use case's fields; the filter is re-read from the raw text to keep `1.0`. */
function catalogFields(body: CatalogBody, request: ValidatedRequest): CatalogFields {
  return {
    title: body.title,
    enterpriseCustomerUuid: body.enterprise_customer,
    enterpriseCustomerName: body.enterprise_customer_name,
    contentFilter: body.content_filter === undefined
      ? undefined
      : contentFilterFromJson(request.rawBody as string, { member: "content_filter" }),
    enabledCourseModes: body.enabled_course_modes,
    publishAuditEnrollmentUrls: booleanLike(body.publish_audit_enrollment_urls),
    catalogQueryUuid: body.catalog_query_uuid ?? undefined,
    queryTitle: body.query_title,
  };
}

function booleanLike(value: boolean | string | undefined): boolean | undefined {
  return typeof value === "string" ? value.toLowerCase() === "true" : value;
}
