/** One refresh job run through the refresh use cases, whichever queue (pg-boss, memory) handed it over. */
import type { Logger } from "pino";
import { NotFoundError } from "../src/errors.ts";
import type { RefreshRun } from "../src/ports/content_store.ts";
import type { RefreshTrigger } from "../src/ports/refresh_scheduler.ts";
import type { Services } from "../src/services.ts";
import { inUnitOfWork } from "./unit_of_work.ts";

/** A refresh job as a queue hands it over. */
export interface RefreshJob {
  readonly jobId: string;
  readonly queryUuid: string;
  readonly trigger: RefreshTrigger;
  readonly force: boolean;
  /** Aborts when the queue gives up on the job (expiry, shutdown). */
  readonly signal?: AbortSignal;
  /** How often the job was tried before, for the log. */
  readonly retryCount?: number;
}

/** What happened to one refresh job. */
export interface RefreshJobEvent {
  readonly jobId: string;
  readonly queryUuid: string;
  /** The run's outcome, `skipped` when the query no longer exists or no catalog uses it, `error` when the job failed (and may be retried). */
  readonly outcome: RefreshRun["outcome"] | "skipped" | "error";
  readonly run?: RefreshRun;
  readonly error?: unknown;
}

/** How to report jobs. */
export interface RefreshJobOptions {
  readonly logger: Logger;
  /** Called after every refresh job, for metrics and tests. */
  readonly onRefreshJob?: (event: RefreshJobEvent) => void;
}

/**
 * Refreshes the job's query in a unit of work of its own and reports what happened; never throws.
 * A query no catalog uses any more is skipped: a catalog changed many times in a row queues a
 * refresh of each filter it passed through, and only the last one is still wanted.
 */
export async function runRefreshJob(services: Services, job: RefreshJob, options: RefreshJobOptions): Promise<RefreshJobEvent> {
  const { logger } = options;
  const { jobId, queryUuid, trigger, force } = job;
  let event: RefreshJobEvent;
  try {
    const run = await inUnitOfWork(services, async ({ catalogs, refresh }) => {
      if ((await catalogs.customersUsingQuery(queryUuid)).length === 0) return undefined;
      return await refresh.refreshQuery(queryUuid, { trigger, force, signal: job.signal });
    });
    if (run === undefined) {
      logger.info({ jobId, queryUuid }, "refresh skipped: no catalog uses the query");
      event = { jobId, queryUuid, outcome: "skipped" };
      options.onRefreshJob?.(event);
      return event;
    }
    logger.info({ jobId, queryUuid, outcome: run.outcome, added: run.added, removed: run.removed, updated: run.updated, unchanged: run.unchanged, discoveryRequests: run.discoveryRequests }, "refresh finished");
    event = { jobId, queryUuid, outcome: run.outcome, run };
  } catch (error) {
    if (error instanceof NotFoundError) {
      logger.info({ jobId, queryUuid }, "refresh skipped: the query no longer exists");
      event = { jobId, queryUuid, outcome: "skipped" };
    } else {
      logger.warn({ jobId, queryUuid, retryCount: job.retryCount, err: error }, "refresh failed; the queue may retry it");
      event = { jobId, queryUuid, outcome: "error", error };
    }
  }
  options.onRefreshJob?.(event);
  return event;
}
