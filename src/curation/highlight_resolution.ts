/**
 * Highlighted content resolved against the customer's catalogs as they are now (decisions/0014):
 * a highlight is shown while some catalog of its customer contains its content key (the one
 * containment question, `ContentReader.findContainment(…, "contains")`) and the content is stored;
 * otherwise it is not shown and counts as archived. What it shows is read from the stored metadata.
 */
import type { ContentMetadata } from "../content/content_metadata.ts";
import type { ContentReader } from "../ports/content_reader.ts";
import type { HighlightedContent, HighlightSet } from "./curation.ts";
import { hasOnlyArchivedRuns, highlightCardImageUrl } from "./highlight_fields.ts";

/** A highlight that is shown, with the content it shows as stored now. */
export interface ShownHighlight {
  readonly highlight: HighlightedContent;
  readonly content: ContentMetadata;
}

/** A highlight set as its readers see it now. */
export interface HighlightSetView {
  readonly set: HighlightSet;
  /** The highlights some catalog of the customer contains, in the order they were added. */
  readonly shown: readonly ShownHighlight[];
  /**
   * Highlights no catalog of the customer contains any more, plus shown ones whose runs are all
   * archived or unpublished (the reference's count, which shows those).
   */
  readonly archivedCount: number;
  /** The card image of the earliest-added shown highlight that has one, or null (the reference's rule). */
  readonly cardImageUrl: string | null;
}

/** The customer's catalog content for content keys: what its catalogs contain, as stored. */
export type CatalogContentOfKeys = ReadonlyMap<string, ContentMetadata>;

/**
 * The stored content of those keys that some catalog of the customer contains now; keys no catalog
 * contains, or with no stored row, are left out. Two reads, none when there are no keys.
 */
export async function containedContent(reader: ContentReader, customerUuid: string, keys: readonly string[]): Promise<CatalogContentOfKeys> {
  const wanted = [...new Set(keys)];
  if (wanted.length === 0) return new Map();
  const containment = await reader.findContainment({ customerUuid }, wanted, "contains");
  const contained = wanted.filter((key) => containment.matches.has(key));
  if (contained.length === 0) return new Map();
  const rows = await reader.lookUpContent({ contentKeys: contained }, { page: 1, pageSize: contained.length });
  return new Map(rows.items.filter((row) => containment.matches.has(row.contentKey)).map((row) => [row.contentKey, row]));
}

/**
 * Each set resolved against its own customer's catalogs, in the order given. `highlights` holds
 * each set's content in position order (sets with none may be missing). Two reads per customer.
 */
export async function resolveHighlightSets(
  reader: ContentReader,
  sets: readonly HighlightSet[],
  highlights: ReadonlyMap<string, readonly HighlightedContent[]>,
): Promise<HighlightSetView[]> {
  const keysByCustomer = new Map<string, string[]>();
  for (const set of sets) {
    const keys = keysByCustomer.get(set.enterpriseCustomerUuid) ?? [];
    for (const highlight of highlights.get(set.uuid) ?? []) keys.push(highlight.contentKey);
    keysByCustomer.set(set.enterpriseCustomerUuid, keys);
  }
  const contentByCustomer = new Map<string, CatalogContentOfKeys>();
  for (const [customer, keys] of keysByCustomer) contentByCustomer.set(customer, await containedContent(reader, customer, keys));
  return sets.map((set) => setView(set, highlights.get(set.uuid) ?? [], contentByCustomer.get(set.enterpriseCustomerUuid) ?? new Map()));
}

/** One set's view from its highlights and the content the customer's catalogs contain. */
function setView(set: HighlightSet, highlights: readonly HighlightedContent[], content: CatalogContentOfKeys): HighlightSetView {
  const shown: ShownHighlight[] = [];
  for (const highlight of highlights) {
    const found = content.get(highlight.contentKey);
    if (found !== undefined) shown.push({ highlight, content: found });
  }
  const archivedRuns = shown.filter((item) => hasOnlyArchivedRuns(item.content)).length;
  let cardImageUrl: string | null = null;
  for (const item of shown) {
    cardImageUrl = highlightCardImageUrl(item.content);
    if (cardImageUrl) break;
  }
  return { set, shown, archivedCount: highlights.length - shown.length + archivedRuns, cardImageUrl: cardImageUrl || null };
}
