/** The enterprise customer as a catalog's links and dates name it: from its LMS record, else from the catalog alone. */
import type { EnterpriseCatalog } from "../catalog/catalog.ts";
import { slugify } from "../content/slug.ts";
import type { EnterpriseCustomerRecord } from "../ports/customer_directory.ts";

/** The customer as a catalog's links and dates name it. */
export interface CatalogCustomer {
  /** The name `utm_source` is slugified from. */
  readonly name: string;
  readonly slug: string;
  readonly learnerPortalEnabled: boolean;
  /** The customer record's last change (part of `content_last_modified`), or null when unknown. */
  readonly modified: Date | null;
}

/**
 * The customer as known from the LMS record when there is one; otherwise from the catalog alone:
 * its stored name, that name slugified as the slug, and the learner portal off (the LMS form).
 * Name and slug always come from the same place, so the two stay in step.
 */
export function catalogCustomer(catalog: EnterpriseCatalog, record: EnterpriseCustomerRecord | undefined): CatalogCustomer {
  if (record === undefined) {
    return { name: catalog.enterpriseCustomerName, slug: slugify(catalog.enterpriseCustomerName), learnerPortalEnabled: false, modified: null };
  }
  return {
    name: record.name === "" ? catalog.enterpriseCustomerName : record.name,
    slug: record.slug === "" ? slugify(catalog.enterpriseCustomerName) : record.slug,
    learnerPortalEnabled: record.learnerPortalEnabled,
    modified: record.modified,
  };
}
