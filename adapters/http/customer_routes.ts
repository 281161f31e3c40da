/** Handlers of `/api/v1/enterprise-customer/{uuid}/...`: questions asked of all of a customer's catalogs. */
import { NotFoundError, ValidationError } from "../../src/errors.ts";
import { isUuid } from "../../src/validation.ts";
import { listOf, nonEmpty, restorePlus } from "./content_routes.ts";
import { invalidCustomerUuidText, LEGACY_TEXTS } from "./legacy_texts.ts";
import type { OperationHandler, OperationHandlers } from "./operation_types.ts";
import { HttpProblem } from "./problem.ts";

/** The customer operations of the read API, by operationId; each `/api/v2` one is its `/api/v1` twin with restricted runs. */
export function customerHandlers() {
  const containsContentItems = (withRestrictedRuns: boolean): OperationHandler<"customerContainsContentItems"> => async (ctx, request) => {
    const keys = [...listOf(request.query.course_run_ids), ...listOf(request.query.program_uuids)].map(restorePlus);
    // The reference checks the parameters first, then the customer uuid.
    if (keys.length === 0) throw new HttpProblem(400, LEGACY_TEXTS.missingIds);
    const customer = requireCustomer(request.params.uuid);
    const found = await ctx.state.services.content.customerContains(customer, keys, { withRestrictedRuns });
    const withList = nonEmpty(request.query.get_catalog_list) || nonEmpty(request.query.get_catalogs_containing_specified_content_ids);
    ctx.body = withList
      ? { contains_content_items: found.contains, catalog_list: found.catalogUuids }
      : { contains_content_items: found.contains };
  };
  // Restricted runs never change this answer (see `CatalogContentService.filterContentItems`): v2 asks the same.
  const filterContentItems: OperationHandler<"customerFilterContentItems"> = async (ctx, request) => {
    const customer = requireCustomer(request.params.uuid);
    const body = request.body ?? {};
    const keys = await ctx.state.services.content.filterContentItems(customer, body.content_keys ?? [], { catalogUuids: body.catalog_uuids });
    ctx.body = { filtered_content_keys: keys };
  };
  const contentMetadata = (withRestrictedRuns: boolean): OperationHandler<"getCustomerContentMetadata"> => async (ctx, request) => {
    const customer = requireCustomer(request.params.uuid);
    try {
      ctx.body = await ctx.state.services.content.customerContent(customer, request.params.identifier, {
        skipEnrollmentUrls: nonEmpty(request.query.skip_customer_fetch),
        withRestrictedRuns,
      });
    } catch (error) {
      if (error instanceof NotFoundError) throw new HttpProblem(404, LEGACY_TEXTS.noCustomerContent, { cause: error });
      throw error;
    }
  };
  return {
    customerContainsContentItems: containsContentItems(false),
    customerContainsContentItemsV2: containsContentItems(true),
    customerFilterContentItems: filterContentItems,
    customerFilterContentItemsV2: filterContentItems,
    getCustomerContentMetadata: contentMetadata(false),
    getCustomerContentMetadataV2: contentMetadata(true),
  } satisfies Partial<OperationHandlers>;
}

/** The customer uuid, or the reference's 400 (its misspelling included, since clients match on it). */
function requireCustomer(value: string): string {
  if (isUuid(value)) return value.toLowerCase();
  throw new HttpProblem(400, invalidCustomerUuidText(value), {
    cause: new ValidationError(`Invalid enterprise customer uuid: "${value.slice(0, 100)}"`),
  });
}
