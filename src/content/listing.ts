/** Which content a catalog listing shows, and in which order. */
import { isJsonObject, type JsonObject, type JsonValue } from "../json.ts";
import type { ContentType } from "./content_metadata.ts";

/**
 * Tells whether a course run is active as the reference decides it: enrollable, and either published
 * and marketable or marketed externally.
 */
export function isActiveCourseRun(run: JsonValue | undefined): boolean {
  if (!isJsonObject(run)) return false;
  const status = typeof run.status === "string" ? run.status.toLowerCase() : "";
  return run.is_enrollable === true &&
    ((status === "published" && run.is_marketable === true) || run.is_marketable_external === true);
}

/** Tells whether a course record has at least one active run in its `course_runs`. */
export function isCourseActive(course: JsonObject): boolean {
  const runs = course.course_runs;
  return Array.isArray(runs) && runs.some(isActiveCourseRun);
}

/** Tells whether content appears in an unfiltered catalog listing: everything but courses with no active run. */
export function isListedContent(content: { readonly contentType: ContentType; readonly jsonMetadata: JsonObject }): boolean {
  return content.contentType !== "course" || isCourseActive(content.jsonMetadata);
}

/**
 * The listing order: content keys by Unicode code point, as Postgres orders them under `COLLATE "C"`
 * (UTF-8 byte order). Stable across pages and independent of refresh history.
 */
export function compareContentKeys(a: string, b: string): number {
  if (a === b) return 0;
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    const x = a.codePointAt(i) as number;
    const y = b.codePointAt(i) as number;
    if (x !== y) return x < y ? -1 : 1;
    if (x > 0xffff) i++;
  }
  return a.length - b.length;
}
