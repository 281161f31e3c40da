/** Handlers for `/api/v1/catalog-queries/`: reading queries and hashing filters. */
import { contentFilterFromJson } from "../../src/catalog/content_filter.ts";
import { NotFoundError, ValidationError } from "../../src/errors.ts";
import { listScope } from "./access_guard.ts";
import { ALL_ENTERPRISES } from "./caller.ts";
import type { OperationHandler, OperationHandlers } from "./operation_types.ts";
import { checkPageInRange, numberedPageLinks, pageParams } from "./pagination.ts";
import { LEGACY_TEXTS, unparsableFilterText } from "./legacy_texts.ts";
import { HttpProblem } from "./problem.ts";
import { callerOf } from "./request_state.ts";
import { queryToWire, refreshRunToWire } from "./wire.ts";

/** Query list pages: edx DefaultPagination (default 10, at most 100). */
const QUERY_PAGES = { defaultSize: 10, maxSize: 100 };

/** The catalog-query operations, by operationId. */
export function queryHandlers() {
  const hashFilter: OperationHandler<"getContentFilterHash" | "postContentFilterHash"> = (ctx, request) => {
    ctx.body = JSON.stringify(filterFromBody(request.rawBody).hash);
    ctx.type = "application/json";
  };
  return {
    listCatalogQueries: async (ctx, request) => {
      const params = pageParams(request.query, QUERY_PAGES);
      const page = await ctx.state.services.catalogs.listQueries({ usedByCustomerUuids: listScope(ctx) }, params);
      checkPageInRange(params, page.count);
      ctx.body = { ...numberedPageLinks(request.url, params, page.count), results: page.items.map(queryToWire) };
    },

    getCatalogQuery: async (ctx, request) => {
      const { catalogs, refresh } = ctx.state.services;
      const query = await catalogs.getQuery(request.params.uuid);
      const runs = await refresh.recentRuns(query.uuid, 10);
      ctx.body = { ...queryToWire(query), last_runs: runs.map(refreshRunToWire) };
    },

    getCatalogQueryByHash: async (ctx, request) => {
      const { catalogs } = ctx.state.services;
      try {
        const query = await catalogs.getQueryByHash(request.query.hash);
        // A query no enterprise of the caller uses is "not found", as the reference answers.
        const visible = callerOf(ctx).enterprisesWith("catalog_admin");
        if (visible !== ALL_ENTERPRISES) {
          const users = await catalogs.customersUsingQuery(query.uuid);
          if (!users.some((enterprise) => visible.includes(enterprise))) throw new NotFoundError(`Cannot find a catalog query with hash "${query.contentFilter.hash}"`);
        }
        ctx.body = queryToWire(query);
      } catch (error) {
        if (error instanceof NotFoundError) throw new HttpProblem(404, LEGACY_TEXTS.catalogQueryNotFound, { cause: error });
        throw error;
      }
    },

    getContentFilterHash: hashFilter,
    postContentFilterHash: hashFilter,
  } satisfies Partial<OperationHandlers>;
}

function filterFromBody(rawBody: string) {
  try {
    return contentFilterFromJson(rawBody);
  } catch (error) {
    const reason = error instanceof ValidationError ? error.message : "JSON parse error";
    throw new HttpProblem(400, unparsableFilterText(reason), { cause: error });
  }
}
