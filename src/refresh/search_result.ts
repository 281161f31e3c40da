/** The search stage's answer checked before anything is stored: discovery's count, identities and repeats. */
import { isContentType } from "../content/content_metadata.ts";
import { UpstreamUnavailableError } from "../errors.ts";
import type { JsonObject } from "../json.ts";
import type { DiscoverySearchResult } from "../ports/discovery_client.ts";
import { isAllowedContent } from "./content_policy.ts";

/** A search record the service keeps, with the key it is stored under. */
export interface SearchRecord {
  readonly contentKey: string;
  readonly record: JsonObject;
}

/**
 * The records of a search that a catalog may hold, in discovery's order. Throws
 * UpstreamUnavailableError when discovery contradicts itself: a total that is not the number of
 * records it sent, a record without a content type or without a key or uuid, or a key sent twice
 * (a repeated page, say, which would otherwise shrink the catalog quietly). Content the service does
 * not keep (people, product sources and course types the reference leaves out) is dropped after
 * the checks.
 */
export function searchRecords(result: DiscoverySearchResult): SearchRecord[] {
  if (result.records.length !== result.count) {
    throw new UpstreamUnavailableError(`Discovery reported ${result.count} results but sent ${result.records.length}`);
  }
  const seen = new Set<string>();
  const kept: SearchRecord[] = [];
  result.records.forEach((record, position) => {
    const contentType = nonBlank(record.content_type);
    const contentKey = nonBlank(record.key) ?? nonBlank(record.uuid);
    if (contentType === undefined || contentKey === undefined) {
      const missing = contentType === undefined ? "content_type" : "key or uuid";
      throw new UpstreamUnavailableError(`Discovery sent a record without ${missing} (result ${position + 1} of ${result.count})`);
    }
    if (seen.has(contentKey)) {
      throw new UpstreamUnavailableError(`Discovery sent "${contentKey}" twice in one result of ${result.count}: its pages overlap`);
    }
    seen.add(contentKey);
    if (isContentType(contentType) && isAllowedContent(record)) kept.push({ contentKey, record });
  });
  return kept;
}

function nonBlank(value: unknown): string | undefined {
  return typeof value === "string" && value.trim() !== "" ? value : undefined;
}
