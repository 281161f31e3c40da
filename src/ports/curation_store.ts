import type { CurationConfig, HighlightedContent, HighlightSet } from "../curation/curation.ts";
import type { ChangeHistory } from "./change_history.ts";
import type { Page, PageRequest } from "./page.ts";

/** Which curation configs a listing returns; with both fields, those that satisfy both. */
export interface CurationListFilter {
  /** Only this customer's. */
  readonly enterpriseCustomerUuid?: string;
  /** Only these customers'; undefined means every customer. */
  readonly visibleCustomerUuids?: readonly string[];
}

/** Which highlight sets a listing returns. */
export interface HighlightSetListFilter extends CurationListFilter {
  /** Unpublished sets only of these customers; undefined means unpublished sets of every customer. */
  readonly unpublishedOf?: readonly string[];
}

/**
 * Curation configs, their highlight sets and the sets' highlighted content, with their change
 * history (`ChangeHistory`), so a change and its entry share a transaction.
 *
 * Lookups return undefined when absent, and malformed uuids find nothing. Configs and sets are
 * listed newest first (then by uuid); a set's content in the order of its `position`. Writes
 * throw NotFoundError when the record to change is gone.
 */
export interface CurationStore extends ChangeHistory {
  /** Runs `work` atomically: every write in it lands, or none does. Nested calls join the outer one. */
  transaction<T>(work: (store: CurationStore) => Promise<T>): Promise<T>;
  /**
   * Inside a transaction, waits until no other transaction holds the curation's lock, then holds it
   * until this transaction ends (writes that check a limit take it first). Outside a transaction it
   * throws TypeError.
   */
  lockCuration(curationUuid: string): Promise<void>;

  getCuration(uuid: string): Promise<CurationConfig | undefined>;
  /** The customer's curation config, if it has one. */
  getCustomerCuration(enterpriseCustomerUuid: string): Promise<CurationConfig | undefined>;
  listCurations(filter: CurationListFilter, page: PageRequest): Promise<Page<CurationConfig>>;
  /** Throws ConflictError when the customer already has a curation config (or the uuid is taken). */
  insertCuration(curation: CurationConfig): Promise<void>;
  /** Changes everything but the uuid, the customer and the creation time. */
  updateCuration(curation: CurationConfig): Promise<void>;
  /** Deletes the config with its sets and their content; false when there was nothing to delete. */
  deleteCuration(uuid: string): Promise<boolean>;

  getHighlightSet(uuid: string): Promise<HighlightSet | undefined>;
  listHighlightSets(filter: HighlightSetListFilter, page: PageRequest): Promise<Page<HighlightSet>>;
  /** Every set of each curation, newest first; curations without sets are left out. */
  highlightSetsOf(curationUuids: readonly string[]): Promise<ReadonlyMap<string, readonly HighlightSet[]>>;
  /** Throws NotFoundError when its curation is gone, ConflictError when the uuid is taken. */
  insertHighlightSet(set: HighlightSet): Promise<void>;
  /** Changes the title, publication and modification time. */
  updateHighlightSet(set: HighlightSet): Promise<void>;
  /** Deletes the set with its content; false when there was nothing to delete. */
  deleteHighlightSet(uuid: string): Promise<boolean>;

  getHighlight(uuid: string): Promise<HighlightedContent | undefined>;
  /** The content of each set in position order; sets without content are left out. */
  highlightsOf(setUuids: readonly string[]): Promise<ReadonlyMap<string, readonly HighlightedContent[]>>;
  /** Throws NotFoundError when a set is gone, ConflictError when a set already holds one of the content keys. */
  insertHighlights(highlights: readonly HighlightedContent[]): Promise<void>;
  /** Changes whether it is a favorite, and its modification time. */
  updateHighlight(highlight: HighlightedContent): Promise<void>;
  /** Deletes these highlights; returns how many went. */
  deleteHighlights(uuids: readonly string[]): Promise<number>;
}
