/** Handlers for `/api/v1/highlight-sets/` (learner reads) and `highlight-sets-admin/` (admin CRUD and content actions). */
import { listScope } from "./access_guard.ts";
import { ADMIN_READS, CURATION_PAGES, learnerReads } from "./curation_routes.ts";
import { booleanLike } from "./wire.ts";
import { highlightSetToWire, ignoredAsRequested, requestedKeys } from "./curation_wire.ts";
import { CURATION_TEXTS, curationProblem, invalidFavoriteText } from "./legacy_texts.ts";
import type { OperationHandler, OperationHandlers } from "./operation_types.ts";
import { checkPageInRange, numberedPageLinks, pageParams } from "./pagination.ts";
import { HttpProblem } from "./problem.ts";
import { authorOf, type RequestContext } from "./request_state.ts";
import type { CurationReadOptions } from "../../src/curation/curation_service.ts";

/** The highlight set operations, by operationId. */
export function highlightSetHandlers() {
  const list = (reads: (ctx: RequestContext) => CurationReadOptions): OperationHandler<"listHighlightSets" | "listHighlightSetsAdmin"> => async (ctx, request) => {
    const params = pageParams(request.query, CURATION_PAGES);
    const page = await ctx.state.services.highlightSets.listHighlightSets(
      { enterpriseCustomerUuid: request.query.enterprise_customer?.toLowerCase(), visibleCustomerUuids: listScope(ctx) },
      params,
      reads(ctx),
    );
    checkPageInRange(params, page.count);
    ctx.body = { ...numberedPageLinks(request.url, params, page.count), results: page.items.map(highlightSetToWire) };
  };
  const change: OperationHandler<"replaceHighlightSet" | "updateHighlightSet"> = async (ctx, request) => {
    const view = await ctx.state.services.highlightSets.updateHighlightSet(request.params.uuid, {
      title: request.body.title, isPublished: booleanLike(request.body.is_published),
    }, authorOf(ctx));
    ctx.body = highlightSetToWire(view);
  };
  return {
    listHighlightSets: list(learnerReads),
    listHighlightSetsAdmin: list(() => ADMIN_READS),

    getHighlightSet: async (ctx, request) => {
      ctx.body = highlightSetToWire(await ctx.state.services.highlightSets.getHighlightSet(request.params.uuid, learnerReads(ctx)));
    },

    getHighlightSetAdmin: async (ctx, request) => {
      ctx.body = highlightSetToWire(await ctx.state.services.highlightSets.getHighlightSet(request.params.uuid, ADMIN_READS));
    },

    createHighlightSet: async (ctx, request) => {
      const { body } = request;
      try {
        const created = await ctx.state.services.highlightSets.createHighlightSet({
          enterpriseCustomerUuid: body.enterprise_customer,
          title: body.title,
          isPublished: booleanLike(body.is_published),
          contentKeys: requestedKeys(body.content_keys),
        }, authorOf(ctx));
        ctx.status = 201;
        ctx.body = { ...highlightSetToWire(created.view), ignored_content_keys: ignoredAsRequested(body.content_keys ?? [], created.ignoredContentKeys) };
      } catch (error) {
        throw curationProblem(error) ?? error;
      }
    },

    replaceHighlightSet: change,
    updateHighlightSet: change,

    deleteHighlightSet: async (ctx, request) => {
      await ctx.state.services.highlightSets.deleteHighlightSet(request.params.uuid, authorOf(ctx));
      ctx.status = 204;
    },

    addHighlightSetContent: async (ctx, request) => {
      const requested = request.body.content_keys ?? [];
      try {
        const added = await ctx.state.services.highlightSets.addContent(request.params.uuid, requestedKeys(requested), authorOf(ctx));
        ctx.status = 201;
        ctx.body = {
          ignored_content_keys: ignoredAsRequested(requested, added.ignoredContentKeys),
          added_content_keys: [...added.addedContentKeys],
          existing_content_keys: [...added.existingContentKeys],
          highlight_set: highlightSetToWire(added.view),
        };
      } catch (error) {
        throw curationProblem(error, { addingContent: true }) ?? error;
      }
    },

    removeHighlightSetContent: async (ctx, request) => {
      const requested = request.body.content_keys ?? [];
      const removed = await ctx.state.services.highlightSets.removeContent(request.params.uuid, requestedKeys(requested), authorOf(ctx));
      ctx.status = 201;
      ctx.body = {
        removed_content_keys: [...removed.removedContentKeys],
        ignored_content_keys: ignoredAsRequested(requested, removed.ignoredContentKeys),
        highlight_set: highlightSetToWire(removed.view),
      };
    },

    editHighlightSetTitle: async (ctx, request) => {
      const title = request.body.title;
      if (typeof title !== "string" || title === "") throw new HttpProblem(400, CURATION_TEXTS.missingTitle);
      try {
        const renamed = await ctx.state.services.highlightSets.renameHighlightSet(request.params.uuid, title, authorOf(ctx));
        ctx.status = 201;
        ctx.body = { title: renamed.title };
      } catch (error) {
        throw curationProblem(error) ?? error;
      }
    },

    toggleFavoriteHighlight: async (ctx, request) => {
      const { content_uuid: contentUuid, favorite } = request.body;
      // The reference's checks, in its order; unlike it, `false` is a value, not a missing one.
      if (favorite === undefined || favorite === null || favorite === "") throw new HttpProblem(400, CURATION_TEXTS.missingFavorite);
      const isFavorite = typeof favorite === "boolean" ? favorite : parseBoolean(favorite);
      if (isFavorite === undefined) throw new HttpProblem(400, invalidFavoriteText(String(favorite)));
      if (contentUuid === undefined || contentUuid === null || contentUuid === "") throw new HttpProblem(400, CURATION_TEXTS.missingContentUuid);
      try {
        await ctx.state.services.highlightSets.setFavorite(request.params.uuid, contentUuid, isFavorite, authorOf(ctx));
      } catch (error) {
        throw curationProblem(error) ?? error;
      }
      ctx.status = 201;
      ctx.body = {};
    },
  } satisfies Partial<OperationHandlers>;
}

/** The reference's `str_to_bool`: "true" or "false" in any case; undefined for anything else. */
function parseBoolean(text: string): boolean | undefined {
  const lower = text.toLowerCase();
  return lower === "true" ? true : lower === "false" ? false : undefined;
}
