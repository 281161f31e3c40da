/**
 * Content as the legacy edx-enterprise API (`/enterprise/api/v1/`) shows it: its enrollment URL
 * forms, its list post-filter, and its ALL-per-catalog containment.
 */
import type { EnterpriseCatalog } from "../catalog/catalog.ts";
import { isJsonObject, type JsonObject, type JsonValue } from "../json.ts";
import type { ContentMetadata, ContentType } from "./content_metadata.ts";
import { enterpriseUtmParameters, marketingUrlFor, updateQueryParameters } from "./enrollment_urls.ts";

/** Run availabilities the legacy `active` flag counts as open for enrollment. */
const OPEN_AVAILABILITIES = new Set(["current", "starting soon", "upcoming"]);

/**
 * The legacy LMS enrollment URL of a course, run or program:
 * `{LMS}/enterprise/{customer}/{course|program}/{key}/enroll/?[audit=true&]catalog={catalog}&utm_medium=…&utm_source=…`,
 * query parameters sorted; null for other content.
 */
export function legacyEnrollmentUrl(content: { readonly contentType: ContentType | string; readonly contentKey: string }, catalog: EnterpriseCatalog, lmsBaseUrl: string): string | null {
  const kind = content.contentType === "program" ? "program" : content.contentType === "course" || content.contentType === "courserun" ? "course" : null;
  if (kind === null || content.contentKey === "") return null;
  const params = { ...enterpriseUtmParameters(catalog.enterpriseCustomerName), catalog: catalog.uuid };
  if (catalog.publishAuditEnrollmentUrls) Object.assign(params, { audit: "true" });
  return updateQueryParameters(`${lmsBaseUrl}/enterprise/${catalog.enterpriseCustomerUuid}/${kind}/${content.contentKey}/enroll/`, params);
}

/**
 * One item of the legacy catalog retrieve, or undefined for content the legacy view drops: runs
 * without enrollable seats, programs not eligible for one-click purchase, and learner pathways.
 * Courses gain `active` and `end_date`; every kept item gains `enrollment_url` and UTM-tagged `marketing_url`.
 */
export function legacyListItem(content: ContentMetadata, catalog: EnterpriseCatalog, lmsBaseUrl: string): JsonObject | undefined {
  const record = content.jsonMetadata;
  if (content.contentType === "courserun" && record.has_enrollable_seats !== true) return undefined;
  if (content.contentType === "program" && record.is_program_eligible_for_one_click_purchase !== true) return undefined;
  if (content.contentType === "learnerpathway") return undefined;
  const item: JsonObject = { ...record, enrollment_url: legacyEnrollmentUrl(content, catalog, lmsBaseUrl) };
  if ("marketing_url" in record) item.marketing_url = marketingUrlFor(record.marketing_url, catalog.enterpriseCustomerName) as JsonValue;
  if (content.contentType === "course") {
    const runs = Array.isArray(record.course_runs) ? record.course_runs.filter(isJsonObject) : [];
    item.active = runs.some(isOpenRun);
    item.end_date = latestEnd(runs);
  }
  return item;
}

/**
 * One item of the legacy detail endpoints (`courses/`, `course_runs/`, `programs/`): the record with
 * its enrollment URL, and the URLs of the runs of a course, or of a program's courses and their runs.
 */
export function legacyDetail(content: ContentMetadata, catalog: EnterpriseCatalog, lmsBaseUrl: string): JsonObject {
  const record = content.jsonMetadata;
  const item: JsonObject = { ...record, enrollment_url: legacyEnrollmentUrl(content, catalog, lmsBaseUrl) };
  const withRunUrls = (course: JsonObject): JsonObject => {
    if (!Array.isArray(course.course_runs)) return course;
    return {
      ...course,
      course_runs: course.course_runs.map((run) =>
        isJsonObject(run) && typeof run.key === "string"
          ? { ...run, enrollment_url: legacyEnrollmentUrl({ contentType: "courserun", contentKey: run.key }, catalog, lmsBaseUrl) }
          : run
      ),
    };
  };
  if (content.contentType === "course") return withRunUrls(item);
  if (content.contentType === "program" && Array.isArray(record.courses)) {
    item.courses = record.courses.map((course) =>
      isJsonObject(course) && typeof course.key === "string"
        ? withRunUrls({ ...course, enrollment_url: legacyEnrollmentUrl({ contentType: "course", contentKey: course.key }, catalog, lmsBaseUrl) })
        : course
    );
  }
  return item;
}

/** Legacy containment: true only when every key is matched by the one catalog. */
export function containsAllKeys(matches: ReadonlyMap<string, readonly string[]>, keys: readonly string[], catalogUuid: string): boolean {
  return keys.length > 0 && keys.every((key) => matches.get(key)?.includes(catalogUuid) === true);
}

function isOpenRun(run: JsonObject): boolean {
  const availability = typeof run.availability === "string" ? run.availability.toLowerCase() : "";
  const status = typeof run.status === "string" ? run.status.toLowerCase() : "";
  return OPEN_AVAILABILITIES.has(availability) && status === "published" && run.is_enrollable !== false;
}

function latestEnd(runs: readonly JsonObject[]): string | null {
  let latest: string | null = null;
  for (const run of runs) {
    if (typeof run.end === "string" && (latest === null || Date.parse(run.end) > Date.parse(latest))) latest = run.end;
  }
  return latest;
}
