/**
 * edx-enterprise's enterprise-customer serializer (`GET {LMS}/enterprise/api/v1/enterprise-customer/`)
 * as this service reads it: `uuid`, `name`, `slug`, `enable_learner_portal` and `modified`, the
 * fields the reference's `EnterpriseCustomerDetails` reads (plus the name); everything else is ignored.
 */
import { isJsonObject } from "../../src/json.ts";
import type { EnterpriseCustomerRecord } from "../../src/ports/customer_directory.ts";
import { isUuid } from "../../src/validation.ts";

/** The record, or undefined when the value is not an enterprise customer record with a uuid and a slug. */
export function customerFromLmsRecord(value: unknown): EnterpriseCustomerRecord | undefined {
  if (!isJsonObject(value)) return undefined;
  const { uuid, name, slug, enable_learner_portal: learnerPortal, modified } = value;
  if (typeof uuid !== "string" || !isUuid(uuid) || typeof slug !== "string") return undefined;
  const modifiedAt = typeof modified === "string" ? new Date(modified) : undefined;
  return {
    uuid: uuid.toLowerCase(),
    name: typeof name === "string" ? name : "",
    slug,
    // The reference reads `enable_learner_portal` with a default of false.
    learnerPortalEnabled: learnerPortal === true,
    modified: modifiedAt === undefined || Number.isNaN(modifiedAt.getTime()) ? null : modifiedAt,
  };
}
