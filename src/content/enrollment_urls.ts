/**
 * Links a catalog publishes for its content: enrollment URLs, xAPI activity ids and marketing URLs
 * with the enterprise UTM parameters, written byte for byte as the reference's Python writes them.
 */
import type { EnterpriseCatalog } from "../catalog/catalog.ts";
import type { CatalogCustomer } from "../customers/catalog_customer.ts";
import type { ContentMetadata } from "./content_metadata.ts";
import { slugify } from "./slug.ts";

export { slugify };

/** The course type of executive-education courses sold through 2U, which the LMS cannot enroll in. */
export const EXEC_ED_2U_COURSE_TYPE = "executive-education-2u";

/** Where enrollment links point and which form they take. */
export interface EnrollmentUrlSettings {
  /** LMS root without a trailing slash, e.g. `https://courses.example.com`. */
  readonly lmsBaseUrl: string;
  /** Learner portal root without a trailing slash. */
  readonly learnerPortalBaseUrl: string;
  /** Ecommerce root without a trailing slash: exec-ed courses check out there when the learner portal is off. */
  readonly ecommerceBaseUrl: string;
}

/** Python's `urllib.parse.quote_plus`: everything but letters, digits and `_.-~` is escaped, spaces become `+`. */
export function quotePlus(text: string): string {
  return encodeURIComponent(text)
    .replace(/[!'()*]/g, (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`)
    .replaceAll("%20", "+");
}

/** The reference's UTM parameters for a customer: `utm_source` only when the customer has a name. */
export function enterpriseUtmParameters(customerName: string): Record<string, string> {
  const params: Record<string, string> = { utm_medium: "enterprise" };
  if (customerName !== "") params.utm_source = slugify(customerName);
  return params;
}

/**
 * The reference's `update_query_parameters`: merges `params` into the URL's query (given values
 * replace existing ones; blank existing values are dropped, as `parse_qs` does) and writes the query
 * sorted by name with `quote_plus` encoding.
 */
export function updateQueryParameters(url: string, params: Readonly<Record<string, string>>): string {
  const hashAt = url.indexOf("#");
  const fragment = hashAt === -1 ? "" : url.slice(hashAt);
  const withoutFragment = hashAt === -1 ? url : url.slice(0, hashAt);
  const queryAt = withoutFragment.indexOf("?");
  const base = queryAt === -1 ? withoutFragment : withoutFragment.slice(0, queryAt);
  const merged = new Map<string, string[]>();
  if (queryAt !== -1) {
    for (const part of withoutFragment.slice(queryAt + 1).split("&")) {
      const equals = part.indexOf("=");
      if (equals === -1) continue;
      const name = unquotePlus(part.slice(0, equals));
      const value = unquotePlus(part.slice(equals + 1));
      if (value === "") continue;
      merged.set(name, [...(merged.get(name) ?? []), value]);
    }
  }
  for (const [name, value] of Object.entries(params)) merged.set(name, [value]);
  const names = [...merged.keys()].sort();
  const query = names.flatMap((name) => (merged.get(name) as string[]).map((value) => `${quotePlus(name)}=${quotePlus(value)}`)).join("&");
  return `${base}${query === "" ? "" : `?${query}`}${fragment}`;
}

/** Python's `unquote_plus`: `+` is a space; runs of `%XX` decode as UTF-8, malformed bytes as U+FFFD. */
function unquotePlus(text: string): string {
  return text.replaceAll("+", " ").replace(/(?:%[0-9a-fA-F]{2})+/g, (run) => {
    const bytes = new Uint8Array(run.length / 3);
    for (let i = 0; i < bytes.length; i++) bytes[i] = Number.parseInt(run.slice(i * 3 + 1, i * 3 + 3), 16);
    return UTF8.decode(bytes);
  });
}

const UTF8 = new TextDecoder("utf-8");

/** `marketing_url` with the customer's UTM parameters, or the value unchanged when it is not a non-empty string. */
export function marketingUrlFor<T>(marketingUrl: T, customerName: string): T | string {
  if (typeof marketingUrl !== "string" || marketingUrl === "") return marketingUrl;
  return updateQueryParameters(marketingUrl, enterpriseUtmParameters(customerName));
}

/** `{LMS}/xapi/activities/{course|courserun}/{key}` for courses and runs; null otherwise. */
export function xapiActivityId(content: Pick<ContentMetadata, "contentType" | "contentKey">, settings: Pick<EnrollmentUrlSettings, "lmsBaseUrl">): string | null {
  if (content.contentType !== "course" && content.contentType !== "courserun") return null;
  return `${settings.lmsBaseUrl}/xapi/activities/${content.contentType}/${content.contentKey}`;
}

/** What an enrollment URL is computed from: a course, or a run with its course key. */
export interface EnrollableContent {
  readonly contentType: ContentMetadata["contentType"];
  readonly contentKey: string;
  readonly parentContentKey: string | null;
  /** The course's `course_type`, for exec-ed detection; undefined for runs. */
  readonly courseType?: unknown;
  /** The course's advertised run key, which the LMS form enrolls in. */
  readonly advertisedRunKey?: string | null;
  /** An exec-ed course's `paid-executive-education` entitlement sku, which its checkout sells. */
  readonly execEdSku?: string | null;
}

/**
 * The enrollment URL of a course or run in a catalog of this customer, following the reference's
 * rules (the learner-portal forms when the customer has the portal enabled, with its slug); null
 * for programs and pathways, and for exec-ed courses without an entitlement sku when the learner
 * portal is off.
 *
 * - learner portal: `{LP}/{slug}/course/{course key}?[audit=true&][course_run_key={run}&]utm_medium=…&utm_source=…`,
 *   exec-ed courses `{LP}/{slug}/executive-education-2u/course/{course key}?…`;
 * - exec-ed without the learner portal: the LMS proxy login with the ecommerce checkout as `next`,
 *   `{LMS}/enterprise/proxy-login/?enterprise_slug={slug}&next={ECOMMERCE}/executive-education-2u/checkout?sku=…&utm_…`
 *   (`next` unescaped, as the reference writes it);
 * - LMS: `{LMS}/enterprise/{customer}/course/{run key}/enroll/?[audit=true&]catalog={catalog}&utm_medium=…&utm_source=…`,
 *   a course enrolling in its advertised run (its own key when it has none).
 */
export function enrollmentUrl(
  content: EnrollableContent,
  catalog: EnterpriseCatalog,
  settings: EnrollmentUrlSettings,
  customer: CatalogCustomer,
): string | null {
  if (content.contentType !== "course" && content.contentType !== "courserun") return null;
  if (content.contentKey === "") return null;
  const params = enterpriseUtmParameters(customer.name);
  if (catalog.publishAuditEnrollmentUrls) params.audit = "true";
  const learnerPortal = customer.learnerPortalEnabled;
  const slug = customer.slug;
  if (content.contentType === "course" && content.courseType === EXEC_ED_2U_COURSE_TYPE) {
    if (learnerPortal) {
      return updateQueryParameters(`${settings.learnerPortalBaseUrl}/${slug}/executive-education-2u/course/${content.contentKey}`, params);
    }
    if (typeof content.execEdSku !== "string" || content.execEdSku === "") return null;
    const checkout = updateQueryParameters(`${settings.ecommerceBaseUrl}/executive-education-2u/checkout`, { ...params, sku: content.execEdSku });
    return `${settings.lmsBaseUrl}/enterprise/proxy-login/?enterprise_slug=${slug}&next=${checkout}`;
  }
  if (learnerPortal) {
    let courseKey = content.contentKey;
    if (content.parentContentKey !== null && content.parentContentKey !== "") {
      courseKey = content.parentContentKey;
      params.course_run_key = content.contentKey;
    }
    return updateQueryParameters(`${settings.learnerPortalBaseUrl}/${slug}/course/${courseKey}`, params);
  }
  params.catalog = catalog.uuid;
  const runKey = content.contentType === "course" ? (content.advertisedRunKey || content.contentKey) : content.contentKey;
  return updateQueryParameters(`${settings.lmsBaseUrl}/enterprise/${catalog.enterpriseCustomerUuid}/course/${runKey}/enroll/`, params);
}
