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
 * Queues refreshes of catalog queries for workers to run.
 *
 * At most one refresh per query waits in the queue: enqueueing a query that already has one
 * waiting returns that job's id instead of adding another.
 */
export interface RefreshScheduler {
  /** Returns the id of the queued job that will refresh the query. */
  enqueueRefresh(request: RefreshRequest): Promise<string>;
}
