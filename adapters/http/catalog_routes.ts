/** Handlers for `/api/v1/enterprise-catalogs/`: catalog CRUD. */
import type { CatalogFields } from "../../src/catalog/catalog_service.ts";
import { contentFilterFromJson } from "../../src/catalog/content_filter.ts";
import { listScope } from "./access_guard.ts";
import type { OperationHandlers, Schemas } from "./operation_types.ts";
import { changeToWire } from "./history_wire.ts";
import { checkPageInRange, numberedPageLinks, pageLinks, pageParams } from "./pagination.ts";
import { authorOf } from "./request_state.ts";
import { booleanLike, catalogToWire } from "./wire.ts";

/** Catalog list pages: DRF's page-number pagination, with a cap the reference lacks. */
const CATALOG_PAGES = { defaultSize: 10, maxSize: 1000 };
/** History pages: edx DefaultPagination (default 10, at most 100). */
const HISTORY_PAGES = { defaultSize: 10, maxSize: 100 };

/** The catalog operations, by operationId. */
export function catalogHandlers() {
  return {
    listEnterpriseCatalogs: async (ctx, request) => {
      const params = pageParams(request.query, CATALOG_PAGES);
      const customer = request.query.enterprise_customer;
      // Only the caller's enterprises; a filter naming another one gives an empty page, as the reference does.
      const page = await ctx.state.services.catalogs.listCatalogs({ enterpriseCustomerUuid: customer?.toLowerCase(), visibleCustomerUuids: listScope(ctx) }, params);
      checkPageInRange(params, page.count);
      ctx.body = { ...pageLinks(request.url, params, page.count), results: page.items.map(catalogToWire) };
    },

    createEnterpriseCatalog: async (ctx, request) => {
      const { body } = request;
      const created = await ctx.state.services.catalogs.createCatalog({
        ...catalogFields(body, request.rawBody),
        uuid: body.uuid,
        title: body.title,
        enterpriseCustomerUuid: body.enterprise_customer,
      }, authorOf(ctx));
      ctx.status = 201;
      ctx.body = catalogToWire(created);
    },

    getEnterpriseCatalog: async (ctx, request) => {
      ctx.body = catalogToWire(await ctx.state.services.catalogs.getCatalog(request.params.uuid));
    },

    replaceEnterpriseCatalog: async (ctx, request) => {
      ctx.body = catalogToWire(await ctx.state.services.catalogs.updateCatalog(request.params.uuid, catalogFields(request.body, request.rawBody), authorOf(ctx)));
    },

    updateEnterpriseCatalog: async (ctx, request) => {
      ctx.body = catalogToWire(await ctx.state.services.catalogs.updateCatalog(request.params.uuid, catalogFields(request.body, request.rawBody), authorOf(ctx)));
    },

    deleteEnterpriseCatalog: async (ctx, request) => {
      await ctx.state.services.catalogs.deleteCatalog(request.params.uuid, authorOf(ctx));
      ctx.status = 204;
    },

    getEnterpriseCatalogHistory: async (ctx, request) => {
      const params = pageParams(request.query, HISTORY_PAGES);
      const page = await ctx.state.services.catalogs.catalogHistory(request.params.uuid, params);
      checkPageInRange(params, page.count);
      ctx.body = { ...numberedPageLinks(request.url, params, page.count), results: page.items.map(changeToWire) };
    },

    refreshEnterpriseCatalogMetadata: async (ctx, request) => {
      const jobId = await ctx.state.services.refresh.requestCatalogRefresh(request.params.uuid);
      ctx.body = { async_task_id: jobId };
    },
  } satisfies Partial<OperationHandlers>;
}

/** Maps the wire body to the use case's fields; the filter is re-read from the raw text to keep `1.0`. */
function catalogFields(body: Schemas["EnterpriseCatalogFields"], rawBody: string): CatalogFields {
  return {
    title: body.title,
    enterpriseCustomerUuid: body.enterprise_customer,
    enterpriseCustomerName: body.enterprise_customer_name,
    contentFilter: body.content_filter === undefined ? undefined : contentFilterFromJson(rawBody, { member: "content_filter" }),
    enabledCourseModes: body.enabled_course_modes,
    publishAuditEnrollmentUrls: booleanLike(body.publish_audit_enrollment_urls),
    catalogQueryUuid: body.catalog_query_uuid ?? undefined,
    queryTitle: body.query_title,
  };
}

