/** Which discovery content a catalog may hold, whatever its filter says. */
import type { JsonObject } from "../json.ts";

/** Product sources the reference keeps; content from other sources is dropped. */
const ALLOWED_PRODUCT_SOURCES = new Set(["edx", "2u"]);

/** Course types the reference keeps (a null course type is kept too); bootcamps are left out. */
const ALLOWED_COURSE_TYPES = new Set([
  "audit", "professional", "verified-audit", "credit-verified-audit", "masters", "masters-verified-audit",
  "verified", "spoc-verified-audit", "honor", "verified-honor", "credit-verified-honor", "executive-education-2u",
]);

/** Tells whether a discovery record may enter a catalog, as the reference's allow-lists decide. */
export function isAllowedContent(record: JsonObject): boolean {
  const source = record.product_source;
  const slug = typeof source === "string"
    ? source
    : typeof source === "object" && source !== null && !Array.isArray(source) && typeof source.slug === "string"
    ? source.slug
    : undefined;
  if (slug !== undefined && slug !== "" && !ALLOWED_PRODUCT_SOURCES.has(slug.toLowerCase())) return false;
  const courseType = record.course_type;
  if (record.content_type === "course" && typeof courseType === "string" && !ALLOWED_COURSE_TYPES.has(courseType)) return false;
  return true;
}
