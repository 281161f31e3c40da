import type { Change, HistoryTrail } from "../history/change.ts";
import type { Page, PageRequest } from "./page.ts";

/**
 * The change history, kept by the stores that write what it records (`CatalogStore`,
 * `CurationStore`), so that a change and its entry land in one transaction or not at all.
 */
export interface ChangeHistory {
  /** Appends the changes in the order given; inside the store's transaction they land or vanish with it. */
  recordChanges(changes: readonly Change[]): Promise<void>;
  /**
   * A page of the trail's changes, newest first (of changes recorded together, the last recorded
   * first), and how many there are. Entries outlive their records. A malformed uuid finds nothing.
   */
  listChanges(trail: HistoryTrail, page: PageRequest): Promise<Page<Change>>;
}
