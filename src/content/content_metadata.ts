/** Content metadata: one course, course run, program or learner pathway, shared by all queries. */
import { createHash } from "node:crypto";
import { isJsonObject, type JsonObject, type JsonValue } from "../json.ts";

/** The kinds of content a catalog holds. */
export const CONTENT_TYPES = ["course", "courserun", "program", "learnerpathway"] as const;
export type ContentType = (typeof CONTENT_TYPES)[number];

/** One piece of content as the service stores it. */
export interface ContentMetadata {
  /** Course key, course-run key, or program / pathway uuid. Unique across all types. */
  readonly contentKey: string;
  readonly contentType: ContentType;
  readonly contentUuid: string | null;
  /** A run's course key; null for everything else. */
  readonly parentContentKey: string | null;
  /** The discovery record as received. */
  readonly jsonMetadata: JsonObject;
  /** md5 of the record's canonical JSON: equal fingerprints mean nothing changed. */
  readonly fingerprint: string;
  /** When this row last changed. */
  readonly modified: Date;
}

/** Content metadata before it is stored, with what a refresh needs to know of its sources later. */
export interface ContentRecord extends Omit<ContentMetadata, "modified"> {
  /** Fingerprint of the filter-independent part of the search record it was built from. */
  readonly searchFingerprint: string;
  /** When discovery's full record was last asked for; null for content that has none (runs, pathways). */
  readonly enrichedAt: Date | null;
}

/** What a record stores besides the search record it is identified by. */
export interface ContentRecordSources {
  /** The stored metadata: the search record merged with its full record (default: the search record). */
  readonly jsonMetadata?: JsonObject;
  /** When the full record was asked for (default: null, never). */
  readonly enrichedAt?: Date | null;
}

/** Tells whether a string is one of the known content types. */
export function isContentType(value: unknown): value is ContentType {
  return typeof value === "string" && (CONTENT_TYPES as readonly string[]).includes(value);
}

/**
 * Maps one discovery `search/all` record to content metadata, or returns undefined for records the
 * service does not keep (people, records without a key or uuid, unknown content types).
 */
export function contentRecordFromDiscovery(record: JsonObject, sources: ContentRecordSources = {}): ContentRecord | undefined {
  const contentType = record.content_type;
  if (!isContentType(contentType)) return undefined;
  const key = nonEmptyString(record.key);
  const uuid = nonEmptyString(record.uuid);
  const contentKey = key ?? uuid;
  if (contentKey === undefined) return undefined;
  return {
    contentKey,
    contentType,
    contentUuid: uuid ?? null,
    parentContentKey: contentType === "courserun" ? parentKeyOf(record) : null,
    jsonMetadata: sources.jsonMetadata ?? record,
    fingerprint: jsonFingerprint(sources.jsonMetadata ?? record),
    searchFingerprint: jsonFingerprint(filterIndependentPart(record)),
    enrichedAt: sources.enrichedAt ?? null,
  };
}

/**
 * The part of a search record that does not depend on the filter that found it. Discovery leaves
 * expired runs out of a course's nested `course_runs` unless a filter parameter matches them, so
 * two queries see different nested runs of one course; everything else is the same for every query.
 */
export function filterIndependentPart(record: JsonObject): JsonObject {
  if (record.content_type !== "course" || !("course_runs" in record)) return record;
  const { course_runs: _runs, ...rest } = record;
  return rest;
}

/** The entitlement mode of exec-ed courses, whose price and sku they are sold by. */
export const EXEC_ED_ENTITLEMENT_MODE = "paid-executive-education";

/** The sku of a course's `paid-executive-education` entitlement (the last one, as the reference reads it), or null. */
export function execEdEntitlementSku(course: JsonObject): string | null {
  let sku: string | null = null;
  for (const entitlement of Array.isArray(course.entitlements) ? course.entitlements : []) {
    if (isJsonObject(entitlement) && entitlement.mode === EXEC_ED_ENTITLEMENT_MODE) {
      sku = typeof entitlement.sku === "string" && entitlement.sku !== "" ? entitlement.sku : null;
    }
  }
  return sku;
}

/**
 * The run a course advertises: the entry of its full record's `course_runs` whose `uuid` is the
 * course's `advertised_course_run_uuid`. Undefined when it names none or the run is not listed.
 */
export function advertisedCourseRun(course: JsonObject): JsonObject | undefined {
  const uuid = course.advertised_course_run_uuid;
  if (typeof uuid !== "string" || uuid === "" || !Array.isArray(course.course_runs)) return undefined;
  return course.course_runs.find((run): run is JsonObject => isJsonObject(run) && run.uuid === uuid);
}

/** A run's course key from its `aggregation_key` (`courserun:<course key>`). */
function parentKeyOf(record: JsonObject): string | null {
  const aggregationKey = nonEmptyString(record.aggregation_key);
  if (aggregationKey === undefined || !aggregationKey.startsWith("courserun:")) return null;
  return nonEmptyString(aggregationKey.slice("courserun:".length)) ?? null;
}

function nonEmptyString(value: JsonValue | undefined): string | undefined {
  return typeof value === "string" && value.trim() !== "" ? value : undefined;
}

/** The course key a run key names: `course-v1:edX+DemoX+2T2024` → `edX+DemoX`; undefined for other shapes. */
export function courseKeyOfRunKey(runKey: string): string | undefined {
  const match = /^course-v1:([^+]+)\+([^+]+)\+[^+]+$/.exec(runKey);
  return match === null ? undefined : `${match[1]}+${match[2]}`;
}

/** md5 of a JSON value written with sorted keys, so that key order does not count as a change. */
export function jsonFingerprint(value: JsonValue): string {
  return createHash("md5").update(sortedJson(value)).digest("hex");
}

function sortedJson(value: JsonValue): string {
  if (Array.isArray(value)) return `[${value.map(sortedJson).join(",")}]`;
  if (isJsonObject(value)) {
    const keys = Object.keys(value).sort();
    return `{${keys.map((key) => `${JSON.stringify(key)}:${sortedJson(value[key] as JsonValue)}`).join(",")}}`;
  }
  return JSON.stringify(value);
}
