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

/** Content metadata before it is stored: what a discovery record maps to. */
export type ContentRecord = Omit<ContentMetadata, "modified">;

/** Tells whether a string is one of the known content types. */
export function isContentType(value: unknown): value is ContentType {
  return typeof value === "string" && (CONTENT_TYPES as readonly string[]).includes(value);
}

/**
 * Maps one discovery `search/all` record to content metadata, or returns undefined for records the
 * service does not keep (people, records without a key or uuid, unknown content types).
 */
export function contentRecordFromDiscovery(record: JsonObject): ContentRecord | undefined {
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
    jsonMetadata: record,
    fingerprint: jsonFingerprint(record),
  };
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
