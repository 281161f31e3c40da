/** One content item as the read API shows it: the discovery record plus what a catalog adds to it. */
import type { EnterpriseCatalog } from "../catalog/catalog.ts";
import { type CatalogCustomer, catalogCustomer } from "../customers/catalog_customer.ts";
import { isJsonObject, type JsonObject, type JsonValue } from "../json.ts";
import { advertisedCourseRun, type ContentMetadata, execEdEntitlementSku } from "./content_metadata.ts";
import {
  EXEC_ED_2U_COURSE_TYPE,
  enrollmentUrl,
  type EnrollmentUrlSettings,
  marketingUrlFor,
  xapiActivityId,
} from "./enrollment_urls.ts";
import { isCourseActive } from "./listing.ts";
import { isActiveRunWithRestricted } from "./restricted_runs.ts";

/** In which catalog (if any) an item is shown. */
export interface MetadataViewContext {
  /** The catalog the item is shown in; without one, no enrollment URLs or UTM parameters are added. */
  readonly catalog?: EnterpriseCatalog;
  /** The catalog's customer (see `catalogCustomer`); without it, what the catalog alone says. */
  readonly customer?: CatalogCustomer;
  readonly settings: EnrollmentUrlSettings;
  /** The reference's `skip_customer_fetch`: enrollment URLs are null (top level) or left out (nested runs). */
  readonly skipEnrollmentUrls?: boolean;
  /** The item is shown with the restricted runs its query allows (`/api/v2`): they count for `active` (decision 0016). */
  readonly withRestrictedRuns?: boolean;
}

/**
 * The reference's ContentMetadataSerializer: `json_metadata` with `product_source` normalised to an
 * object, plus `parent_content_key`, `content_last_modified` (the latest of the item's, the
 * catalog's and the customer record's modification), `marketing_url` with UTM parameters, and for courses and runs
 * `enrollment_url` and `xapi_activity_id`; courses get `active` and nested runs their own
 * `parent_content_key` and `enrollment_url` (not exec-ed courses); programs get `enrollment_url: null`.
 * The stored record is not changed.
 */
export function contentMetadataView(content: ContentMetadata, context: MetadataViewContext): JsonObject {
  const { catalog, settings } = context;
  const customer = catalog === undefined ? undefined : (context.customer ?? catalogCustomer(catalog, undefined));
  const view: JsonObject = { ...content.jsonMetadata };
  const productSource = view.product_source;
  if (typeof productSource === "string" && productSource !== "") {
    view.product_source = { name: productSource, slug: null, description: null };
  }
  view.parent_content_key = content.parentContentKey;
  view.content_last_modified = latest(latest(content.modified, catalog?.modified), customer?.modified ?? undefined).toISOString();
  if (customer !== undefined && view.marketing_url !== undefined) view.marketing_url = marketingUrlFor(view.marketing_url, customer.name);

  const type = content.contentType;
  if (type === "course" || type === "courserun") {
    if (catalog !== undefined && customer !== undefined) {
      view.enrollment_url = context.skipEnrollmentUrls ? null : enrollmentUrl({
        contentType: type,
        contentKey: content.contentKey,
        parentContentKey: content.parentContentKey,
        courseType: view.course_type,
        advertisedRunKey: stringOrNull(advertisedCourseRun(content.jsonMetadata)?.key),
        execEdSku: execEdEntitlementSku(content.jsonMetadata),
      }, catalog, settings, customer);
      view.xapi_activity_id = xapiActivityId(content, settings);
    }
    if (type === "course") {
      view.active = context.withRestrictedRuns
        ? Array.isArray(view.course_runs) && view.course_runs.some(isActiveRunWithRestricted)
        : isCourseActive(content.jsonMetadata);
      const runs = view.course_runs;
      if (catalog !== undefined && customer !== undefined && view.course_type !== EXEC_ED_2U_COURSE_TYPE && Array.isArray(runs)) {
        view.course_runs = runs.map((run) => nestedRunView(run, content.contentKey, catalog, customer, context));
      }
    }
  } else if (type === "program" && catalog !== undefined) {
    view.enrollment_url = null;
  }
  return view;
}

function nestedRunView(run: JsonValue, courseKey: string, catalog: EnterpriseCatalog, customer: CatalogCustomer, context: MetadataViewContext): JsonValue {
  if (!isJsonObject(run)) return run;
  const view: JsonObject = { ...run, parent_content_key: courseKey };
  if (!context.skipEnrollmentUrls) {
    view.enrollment_url = typeof run.key === "string"
      ? enrollmentUrl({ contentType: "courserun", contentKey: run.key, parentContentKey: courseKey }, catalog, context.settings, customer)
      : null;
  }
  return view;
}

function stringOrNull(value: JsonValue | undefined): string | null {
  return typeof value === "string" ? value : null;
}

function latest(a: Date, b: Date | undefined): Date {
  return b !== undefined && b.getTime() > a.getTime() ? b : a;
}
