import type { RefreshOutcome } from "../catalog/catalog.ts";
import type { ContentMetadata, ContentRecord } from "../content/content_metadata.ts";
import type { RestrictedRunRecord } from "../content/restricted_runs.ts";
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
  /** The stage a failed run stopped in; null when it did not fail. */
  readonly stage: RefreshStage | null;
  /** Why it failed or was held; null when it succeeded. */
  readonly message: string | null;
}

/** The stages of a refresh, in order: the search, the full records, the allowed restricted runs, and applying the result. */
export const REFRESH_STAGES = ["search", "courses", "programs", "reviews", "restricted", "apply"] as const;
export type RefreshStage = (typeof REFRESH_STAGES)[number];

/** What the store knows of a content row's sources, for deciding what to fetch again. */
export interface StoredContentState {
  readonly fingerprint: string;
  /** Fingerprint of the filter-independent part of the search record the row was built from; null before it was known. */
  readonly searchFingerprint: string | null;
  /** When discovery's full record was last asked for; null if never. */
  readonly enrichedAt: Date | null;
}

/** What the store knows of a restricted run a query allows, for deciding what to fetch again. */
export interface StoredRestrictedRunState {
  readonly courseKey: string;
  readonly fingerprint: string;
  readonly searchFingerprint: string;
  readonly enrichedAt: Date;
}

/**
 * The restricted runs a query allows after a refresh (decision 0016): `upserts` are written (a run
 * whose record is unchanged only takes the new bookkeeping), `kept` stand as stored, every other
 * restricted run of the query is removed.
 */
export interface RestrictedRunChange {
  readonly upserts: readonly RestrictedRunRecord[];
  /** Run keys whose stored copy stands. */
  readonly kept: readonly string[];
}

/** The diff one refresh applies to one query. */
export interface ContentChange {
  readonly queryUuid: string;
  /** Rows to insert or overwrite (new content, or content whose fingerprint changed). */
  readonly upserts: readonly ContentRecord[];
  /** Content keys that join the query; their rows exist or are among `upserts`. */
  readonly addMembers: readonly string[];
  /**
   * For members added or kept: the fingerprint of the search record as this query's search returned
   * it. Members it does not name keep theirs (new ones get none). Setting it is not a content change.
   */
  readonly memberSearchFingerprints?: ReadonlyMap<string, string>;
  /** Content keys that leave the query. */
  readonly removeMembers: readonly string[];
  /**
   * The restricted runs the query allows after the change; absent: none. Each run's course, written
   * or kept, must be a member after the change, and a kept run must be stored (TypeError otherwise).
   */
  readonly restrictedRuns?: RestrictedRunChange;
  readonly now: Date;
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
  /** content key → the search fingerprint it was linked with (null when none was given) for every member of the query. */
  memberSearchFingerprints(queryUuid: string): Promise<ReadonlyMap<string, string | null>>;
  /** content key → stored state for the stored rows with these keys, whichever query holds them. */
  contentStates(keys: readonly string[]): Promise<ReadonlyMap<string, StoredContentState>>;
  /** run key → stored state of every restricted run the query allows. */
  restrictedRunStates(queryUuid: string): Promise<ReadonlyMap<string, StoredRestrictedRunState>>;
  /**
   * Writes the upserts whose content differs from the stored row (stamped `modified = now`; a row
   * whose content is equal only takes the new search fingerprint and enrichment time), links and
   * unlinks members, replaces the query's restricted runs, and updates the query's item count and
   * content-last-modified (its restricted runs' changes included). Bumps the content version of
   * this query when its content or its restricted runs changed, and of every other query holding a
   * row whose content changed. A member without a content row is a TypeError, and so is a
   * restricted run the change cannot keep (see `ContentChange.restrictedRuns`).
   */
  applyContentChange(change: ContentChange): Promise<void>;
  /** Stores the run and sets the query's last attempt and outcome (and last success when it succeeded). */
  recordRefreshRun(run: RefreshRun): Promise<void>;
  /** The query's latest runs, newest first. */
  listRefreshRuns(queryUuid: string, limit: number): Promise<readonly RefreshRun[]>;
  /** Stored rows with these keys. */
  getContent(keys: readonly string[]): Promise<readonly ContentMetadata[]>;
  /** Deletes content rows that no query holds; returns how many went. */
  deleteOrphanContent(): Promise<number>;
}
