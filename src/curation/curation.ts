/**
 * Curation: what an enterprise's admins put in front of its learners first. One curation config per
 * enterprise, holding highlight sets, each a short list of highlighted content (reference §1.6).
 */

/** Most highlight sets one enterprise's curation holds, as in the reference. */
export const MAX_HIGHLIGHT_SETS = 16;
/** Most highlighted content one set holds, as in the reference. */
export const MAX_HIGHLIGHTS_PER_SET = 24;
/** Longest title `edit-highlight-title` gives a set, as in the reference. */
export const MAX_RENAMED_TITLE_LENGTH = 60;
/** Longest curation or set title (the reference's column). */
export const MAX_CURATION_TITLE_LENGTH = 255;
/** Most content keys one request may name (far more than a set holds: the reference accepts any number and ignores what it cannot add). */
export const MAX_REQUESTED_CONTENT_KEYS = 1000;

/** An enterprise's curation config; one per enterprise. */
export interface CurationConfig {
  readonly uuid: string;
  readonly enterpriseCustomerUuid: string;
  readonly title: string;
  readonly isHighlightFeatureActive: boolean;
  readonly canOnlyViewHighlightSets: boolean;
  readonly created: Date;
  readonly modified: Date;
}

/** A named list of highlighted content in a curation; learners see it once it is published. */
export interface HighlightSet {
  readonly uuid: string;
  readonly curationUuid: string;
  /** The curation's enterprise (a curation never changes enterprise). */
  readonly enterpriseCustomerUuid: string;
  readonly title: string;
  readonly isPublished: boolean;
  readonly created: Date;
  readonly modified: Date;
}

/** One piece of content in a highlight set, named by its content key and resolved when read. */
export interface HighlightedContent {
  readonly uuid: string;
  readonly highlightSetUuid: string;
  readonly contentKey: string;
  readonly isFavorite: boolean;
  /** Where it was added: later additions have larger positions; the set lists its content in this order. */
  readonly position: number;
  readonly created: Date;
  readonly modified: Date;
}

/** Whose unpublished highlight sets a reader sees: every enterprise's (admin reads), or those of these enterprises (the ones the reader administers). */
export type UnpublishedSetsOf = "all" | readonly string[];

/** Whether a reader who sees the unpublished sets of `unpublishedOf` sees this set. */
export function isVisibleSet(set: Pick<HighlightSet, "isPublished" | "enterpriseCustomerUuid">, unpublishedOf: UnpublishedSetsOf): boolean {
  return set.isPublished || unpublishedOf === "all" || unpublishedOf.includes(set.enterpriseCustomerUuid);
}
