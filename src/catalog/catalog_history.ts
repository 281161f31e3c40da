/** How a catalog's changes are recorded in its history (decisions/0013). */
import { type Change, type ChangeAuthor, describeChange } from "../history/change.ts";
import type { JsonObject } from "../json.ts";
import type { CatalogWithQuery } from "./catalog.ts";

/**
 * A catalog as its history records it: what an admin sets, under the API's field names, with the
 * filter and hash of the query it points at (a changed filter moves the catalog to another query).
 */
export function catalogSnapshot({ catalog, query }: CatalogWithQuery): JsonObject {
  return {
    uuid: catalog.uuid,
    title: catalog.title,
    enterprise_customer: catalog.enterpriseCustomerUuid,
    enterprise_customer_name: catalog.enterpriseCustomerName,
    catalog_query_uuid: query.uuid,
    content_filter: query.contentFilter.value,
    content_filter_hash: query.contentFilter.hash,
    enabled_course_modes: [...catalog.enabledCourseModes],
    publish_audit_enrollment_urls: catalog.publishAuditEnrollmentUrls,
  };
}

/** The change of a catalog from `before` to `after` (undefined: it did not exist); undefined when nothing an admin sets changed. */
export function catalogChange(
  before: CatalogWithQuery | undefined,
  after: CatalogWithQuery | undefined,
  options: { readonly author: ChangeAuthor; readonly now: Date },
): Change | undefined {
  const record = (after ?? before)?.catalog;
  if (record === undefined) throw new TypeError("A catalog change needs the catalog before or after it");
  return describeChange(
    {
      trail: { kind: "catalog", uuid: record.uuid },
      // A catalog moved to another enterprise is recorded as of the enterprise it moved to.
      enterpriseCustomerUuid: record.enterpriseCustomerUuid,
      recordKind: "enterprise_catalog",
      recordUuid: record.uuid,
      author: options.author,
      now: options.now,
    },
    before === undefined ? undefined : catalogSnapshot(before),
    after === undefined ? undefined : catalogSnapshot(after),
  );
}
