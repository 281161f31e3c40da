/**
 * How curation changes are recorded: every change of a config, of one of its sets or of a set's
 * content joins the config's history, under the API's field names (decisions/0013).
 */
import { type Change, type ChangeAuthor, describeChange, type RecordKind } from "../history/change.ts";
import type { JsonObject } from "../json.ts";
import type { CurationConfig, HighlightedContent, HighlightSet } from "./curation.ts";

/** A curation config as its history records it. */
export function curationSnapshot(curation: CurationConfig): JsonObject {
  return {
    uuid: curation.uuid,
    enterprise_customer: curation.enterpriseCustomerUuid,
    title: curation.title,
    is_highlight_feature_active: curation.isHighlightFeatureActive,
    can_only_view_highlight_sets: curation.canOnlyViewHighlightSets,
  };
}

/** A highlight set as its curation's history records it. */
export function highlightSetSnapshot(set: HighlightSet): JsonObject {
  return { uuid: set.uuid, enterprise_curation: set.curationUuid, title: set.title, is_published: set.isPublished };
}

/** Highlighted content as its curation's history records it. */
export function highlightSnapshot(highlight: HighlightedContent): JsonObject {
  return { uuid: highlight.uuid, highlight_set: highlight.highlightSetUuid, content_key: highlight.contentKey, is_favorite: highlight.isFavorite };
}

/** Collects the changes of one write to one curation, in the order they happen. */
export class CurationChanges {
  readonly #curation: CurationConfig;
  readonly #author: ChangeAuthor;
  readonly #now: Date;
  readonly #changes: Change[] = [];

  constructor(curation: CurationConfig, options: { readonly author: ChangeAuthor; readonly now: Date }) {
    this.#curation = curation;
    this.#author = options.author;
    this.#now = options.now;
  }

  /** The changes so far. */
  get changes(): readonly Change[] {
    return this.#changes;
  }

  /** A config created (`before` undefined), changed or deleted (`after` undefined). */
  curation(before: CurationConfig | undefined, after: CurationConfig | undefined): this {
    return this.#add("enterprise_curation", (after ?? before)?.uuid, before && curationSnapshot(before), after && curationSnapshot(after));
  }

  /** A set created, changed or deleted. */
  highlightSet(before: HighlightSet | undefined, after: HighlightSet | undefined): this {
    return this.#add("highlight_set", (after ?? before)?.uuid, before && highlightSetSnapshot(before), after && highlightSetSnapshot(after));
  }

  /** Highlighted content added, changed or removed. */
  highlight(before: HighlightedContent | undefined, after: HighlightedContent | undefined): this {
    return this.#add("highlighted_content", (after ?? before)?.uuid, before && highlightSnapshot(before), after && highlightSnapshot(after));
  }

  #add(recordKind: RecordKind, recordUuid: string | undefined, before: JsonObject | undefined, after: JsonObject | undefined): this {
    if (recordUuid === undefined) throw new TypeError(`A ${recordKind} change needs the record before or after it`);
    const change = describeChange({
      trail: { kind: "curation", uuid: this.#curation.uuid },
      enterpriseCustomerUuid: this.#curation.enterpriseCustomerUuid,
      recordKind,
      recordUuid,
      author: this.#author,
      now: this.#now,
    }, before, after);
    if (change !== undefined) this.#changes.push(change);
    return this;
  }
}
