/** Handlers for `/api/v1/enterprise-curations/` (learner reads) and `enterprise-curations-admin/` (admin CRUD and history). */
import type { CurationFields, CurationReadOptions } from "../../src/curation/curation_service.ts";
import { listScope } from "./access_guard.ts";
import { ALL_ENTERPRISES } from "./caller.ts";
import { curationToWire } from "./curation_wire.ts";
import { changeToWire } from "./history_wire.ts";
import { curationProblem } from "./legacy_texts.ts";
import type { OperationHandler, OperationHandlers, Schemas } from "./operation_types.ts";
import { checkPageInRange, numberedPageLinks, pageParams } from "./pagination.ts";
import { authorOf, callerOf, type RequestContext } from "./request_state.ts";
import { booleanLike } from "./wire.ts";

/** Curation list pages: edx DefaultPagination (default 10, at most 100), as the reference's. */
export const CURATION_PAGES = { defaultSize: 10, maxSize: 100 };

/** Admin reads see every set, published or not. */
export const ADMIN_READS: CurationReadOptions = Object.freeze({ unpublishedOf: "all" });

/** Learner reads see unpublished sets only of the enterprises the caller administers. */
export function learnerReads(ctx: RequestContext): CurationReadOptions {
  const administered = callerOf(ctx).enterprisesWith("catalog_admin");
  return { unpublishedOf: administered === ALL_ENTERPRISES ? "all" : administered };
}

/** The curation config operations, by operationId. */
export function curationHandlers() {
  const list = (reads: (ctx: RequestContext) => CurationReadOptions): OperationHandler<"listEnterpriseCurations" | "listEnterpriseCurationsAdmin"> => async (ctx, request) => {
    const params = pageParams(request.query, CURATION_PAGES);
    // Only the caller's enterprises; a filter naming another one gives an empty page, as the reference does.
    const page = await ctx.state.services.curation.listCurations(
      { enterpriseCustomerUuid: request.query.enterprise_customer?.toLowerCase(), visibleCustomerUuids: listScope(ctx) },
      params,
      reads(ctx),
    );
    checkPageInRange(params, page.count);
    ctx.body = { ...numberedPageLinks(request.url, params, page.count), results: page.items.map(curationToWire) };
  };
  const change: OperationHandler<"replaceEnterpriseCuration" | "updateEnterpriseCuration"> = async (ctx, request) => {
    ctx.body = curationToWire(await ctx.state.services.curation.updateCuration(request.params.uuid, curationFields(request.body), authorOf(ctx)));
  };
  return {
    listEnterpriseCurations: list(learnerReads),
    listEnterpriseCurationsAdmin: list(() => ADMIN_READS),

    getEnterpriseCuration: async (ctx, request) => {
      ctx.body = curationToWire(await ctx.state.services.curation.getCuration(request.params.uuid, learnerReads(ctx)));
    },

    getEnterpriseCurationAdmin: async (ctx, request) => {
      ctx.body = curationToWire(await ctx.state.services.curation.getCuration(request.params.uuid, ADMIN_READS));
    },

    createEnterpriseCuration: async (ctx, request) => {
      const { body } = request;
      try {
        const created = await ctx.state.services.curation.createCuration({
          ...curationFields(body), enterpriseCustomerUuid: body.enterprise_customer, title: body.title,
        }, authorOf(ctx));
        ctx.status = 201;
        ctx.body = curationToWire(created);
      } catch (error) {
        throw curationProblem(error) ?? error;
      }
    },

    replaceEnterpriseCuration: change,
    updateEnterpriseCuration: change,

    deleteEnterpriseCuration: async (ctx, request) => {
      await ctx.state.services.curation.deleteCuration(request.params.uuid, authorOf(ctx));
      ctx.status = 204;
    },

    getEnterpriseCurationHistory: async (ctx, request) => {
      const params = pageParams(request.query, CURATION_PAGES);
      const page = await ctx.state.services.curation.curationHistory(request.params.uuid, params);
      checkPageInRange(params, page.count);
      ctx.body = { ...numberedPageLinks(request.url, params, page.count), results: page.items.map(changeToWire) };
    },
  } satisfies Partial<OperationHandlers>;
}

function curationFields(body: Schemas["EnterpriseCurationFields"]): CurationFields {
  return {
    title: body.title,
    enterpriseCustomerUuid: body.enterprise_customer,
    isHighlightFeatureActive: booleanLike(body.is_highlight_feature_active),
    canOnlyViewHighlightSets: booleanLike(body.can_only_view_highlight_sets),
  };
}

