/** Handlers for `/api/v1/catalog-queries/`: reading queries and hashing filters. */
import { contentFilterFromJson } from "../../src/catalog/content_filter.ts";
import { NotFoundError, ValidationError } from "../../src/errors.ts";
import { ALL_ENTERPRISES, type Caller } from "./caller.ts";
import { listScope } from "./access_guard.ts";
import type { OperationHandler, ValidatedRequest } from "./operation_router.ts";
import { checkPageInRange, numberedPageLinks, pageParams } from "./pagination.ts";
import { HttpProblem } from "./problem.ts";
import type { UseCasesOfRequest } from "./use_cases.ts";
import { queryToWire, refreshRunToWire } from "./wire.ts";

/** Query list pages: edx DefaultPagination (default 10, at most 100). */
const QUERY_PAGES = { defaultSize: 10, maxSize: 100 };

/** The catalog-query operations, by operationId. */
export function queryHandlers(useCases: UseCasesOfRequest) {
  const catalogs = () => useCases().catalogs;
  const hashFilter: OperationHandler = (ctx, request) => {
    ctx.body = JSON.stringify(filterFromBody(request).hash);
    ctx.type = "application/json";
  };
  return {
    listCatalogQueries: (async (ctx, request) => {
      const params = pageParams(request.query, QUERY_PAGES);
      const page = await catalogs().listQueries({ usedByCustomerUuids: listScope(ctx) }, params);
      checkPageInRange(params, page.count);
      ctx.body = { ...numberedPageLinks(request.url, params, page.count), results: page.items.map(queryToWire) };
    }) satisfies OperationHandler,

    getCatalogQuery: (async (ctx, request) => {
      const query = await catalogs().getQuery(request.params.uuid as string);
      const runs = await useCases().refresh.recentRuns(query.uuid, 10);
      ctx.body = { ...queryToWire(query), last_runs: runs.map(refreshRunToWire) };
    }) satisfies OperationHandler,

    getCatalogQueryByHash: (async (ctx, request) => {
      try {
        const query = await catalogs().getQueryByHash(request.query.hash as string);
        // A query no enterprise of the caller uses is "not found", as the reference answers.
        const caller = ctx.state.caller as Caller;
        const visible = caller.enterprisesWith("catalog_admin");
        if (visible !== ALL_ENTERPRISES) {
          const users = await catalogs().customersUsingQuery(query.uuid);
          if (!users.some((enterprise) => visible.includes(enterprise))) throw new NotFoundError(`Cannot find a catalog query with hash "${query.contentFilter.hash}"`);
        }
        ctx.body = queryToWire(query);
      } catch (error) {
        // The reference's text, which clients match on.
        if (error instanceof NotFoundError) throw new HttpProblem(404, "Catalog query not found.", { cause: error });
        throw error;
      }
    }) satisfies OperationHandler,

    getContentFilterHash: hashFilter,
    postContentFilterHash: hashFilter,
  };
}

function filterFromBody(request: ValidatedRequest) {
  try {
    return contentFilterFromJson(request.rawBody as string);
  } catch (error) {
    const reason = error instanceof ValidationError ? error.message : "JSON parse error";
    throw new HttpProblem(400, `Failed to parse catalog query: ${reason}`, { cause: error });
  }
}
