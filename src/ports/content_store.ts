import type { RefreshOutcome } from "../catalog/catalog.ts";
import type { ContentMetadata, ContentRecord } from "../content/content_metadata.ts";
import type { RefreshTrigger } from "./refresh_scheduler.ts";

/** One attempt to refresh one query, as recorded for operators. */
export interface RefreshRun {
  readonly uuid: string;
  readonly queryUuid: string;
  readonly trigger: RefreshTrigger;
  readonly startedAt: Date;
  readonly finishedAt: Date;
  readonly outcome: RefreshOutcome;
  readonly added: number;
  readonly removed: number;
  readonly updated: number;
  readonly unchanged: number;
  readonly discoveryRequests: number;
  /** Why it failed or was held; null when it succeeded. */
  readonly message: string | null;
}

/** The diff one refresh applies to one query. */
export interface ContentChange {
  readonly queryUuid: string;
  /** Rows to insert or overwrite (new content, or content whose fingerprint changed). */
  readonly upserts: readonly ContentRecord[];
  /** Content keys that join the query; their rows exist or are among `upserts`. */
  readonly addMembers: readonly string[];
  /** Content keys that leave the query. */
  readonly removeMembers: readonly string[];
  readonly now: Date;
}

/** How a requested key may match a query's content. */
export interface ContainmentRules {
  /**
   * A run key also matches a query holding the run's course (true, the `contains_content_items`
   * rule). False keeps only exact keys and runs of a requested course (`filter_content_items`).
   */
  readonly runMatchesParentCourse: boolean;
}

/**
 * Content metadata, which queries hold it, and the record of refreshes.
 *
 * Content rows are shared by every query that holds them. Lookups leave absent keys out.
 */
export interface ContentStore {
  /** Runs `work` atomically: every write in it lands, or none does. Nested calls join the outer one. */
  transaction<T>(work: (store: ContentStore) => Promise<T>): Promise<T>;
  /**
   * Inside a transaction, waits until no other transaction holds the query's refresh lock, then
   * holds it until this transaction ends. Outside a transaction it throws TypeError.
   */
  lockQuery(queryUuid: string): Promise<void>;
  /** content key → fingerprint for every member of the query. */
  memberFingerprints(queryUuid: string): Promise<ReadonlyMap<string, string>>;
  /** content key → fingerprint for the stored rows with these keys, whichever query holds them. */
  contentFingerprints(keys: readonly string[]): Promise<ReadonlyMap<string, string>>;
  /**
   * Writes the upserts (stamped `modified = now`), links and unlinks members, and updates the
   * query's item count and content-last-modified. Bumps the content version of this query when
   * anything changed, and of every other query holding an upserted row.
   */
  applyContentChange(change: ContentChange): Promise<void>;
  /** Stores the run and sets the query's last attempt and outcome (and last success when it succeeded). */
  recordRefreshRun(run: RefreshRun): Promise<void>;
  /** The query's latest runs, newest first. */
  listRefreshRuns(queryUuid: string, limit: number): Promise<readonly RefreshRun[]>;
  /** Stored rows with these keys. */
  getContent(keys: readonly string[]): Promise<readonly ContentMetadata[]>;
  /**
   * For each requested key, the queries among `queryUuids` that contain it: they hold the key
   * itself, or a run whose course is the key, or (with `runMatchesParentCourse`) the course of the
   * run the key names. Keys no query contains are left out. One round trip whatever the sizes.
   */
  findContainingQueries(keys: readonly string[], queryUuids: readonly string[], rules: ContainmentRules): Promise<ReadonlyMap<string, ReadonlySet<string>>>;
  /** Deletes content rows that no query holds; returns how many went. */
  deleteOrphanContent(): Promise<number>;
}
