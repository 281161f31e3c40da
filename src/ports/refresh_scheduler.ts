import type { RefreshOutcome } from "../catalog/catalog.ts";

/** Why a refresh was asked for. */
export type RefreshTrigger = "catalog_saved" | "on_demand" | "sweep";

/** A request to refresh one query. */
export interface RefreshRequest {
  readonly queryUuid: string;
  /** The query's content-filter hash: the queue keeps one job per distinct filter. */
  readonly queryHash: string;
  readonly trigger: RefreshTrigger;
  /** Apply the result even when the shrink guardrail would hold it. */
  readonly force?: boolean;
}

/**
 * Where a queued refresh stands: `queued` (waiting for a worker), `running`, `retrying` (it failed
 * and waits to be tried again), `completed` (it ran to an outcome), `failed` (no try is left) or
 * `cancelled`.
 */
export type RefreshJobState = "queued" | "running" | "retrying" | "completed" | "failed" | "cancelled";

/** What the queue knows of one refresh job. */
export interface RefreshProgress {
  readonly state: RefreshJobState;
  /** For a completed job: its run's outcome, or `skipped` when the query no longer existed. */
  readonly outcome?: RefreshOutcome | "skipped";
}

/**
 * Queues refreshes of catalog queries for workers to run, and tells how each job stands.
 *
 * At most one refresh per query waits in the queue: enqueueing a query that already has one
 * waiting returns that job's id instead of adding another. A job a worker has taken no longer
 * waits, so enqueueing its query again queues a new job.
 */
export interface RefreshScheduler {
  /** Returns the id of the queued job that will refresh the query. */
  enqueueRefresh(request: RefreshRequest): Promise<string>;
  /** How the job stands; undefined when the queue knows no job with that id (never queued, or long since removed). */
  refreshProgress(jobId: string): Promise<RefreshProgress | undefined>;
}
