/** Django's `slugify`, which the reference applies to customer names (`utm_source`, fallback slugs). */

/** Django's `slugify`: ASCII only, lowercase, runs of spaces and dashes become one dash. */
export function slugify(text: string): string {
  const ascii = text.normalize("NFKD").replace(/[^\x00-\x7f]/g, "");
  return ascii.toLowerCase().replace(/[^\w\s-]/g, "").replace(/[-\s]+/g, "-").replace(/^[-_]+|[-_]+$/g, "");
}
