/** Runs refresh and sweep jobs from pg-boss through the refresh use cases. */
import type { PgBoss } from "pg-boss";
import type { Logger } from "pino";
import type { RefreshRun } from "../../src/ports/content_store.ts";
import { NotFoundError } from "../../src/errors.ts";
import type { RefreshService, SweepResult } from "../../src/refresh/refresh_service.ts";
import { REFRESH_QUEUE, type RefreshJobData, SWEEP_QUEUE } from "./pg_boss_refresh_scheduler.ts";

/** What happened to one refresh job. */
export interface RefreshJobEvent {
  readonly jobId: string;
  readonly queryUuid: string;
  /** The run's outcome, `skipped` when the query no longer exists, `error` when the job will be retried. */
  readonly outcome: RefreshRun["outcome"] | "skipped" | "error";
  readonly run?: RefreshRun;
  readonly error?: unknown;
}

/** How to run the workers. */
export interface RefreshWorkerOptions {
  readonly boss: PgBoss;
  readonly logger: Logger;
  /** Runs one job inside its own unit of work and hands it the refresh use cases. */
  readonly withRefresh: <T>(work: (refresh: RefreshService) => Promise<T>) => Promise<T>;
  /** Cron expression (UTC) of the freshness sweep. */
  readonly sweepCron: string;
  /** Refreshes one process runs at once. */
  readonly concurrency?: number;
  readonly pollingIntervalSeconds?: number;
  /** Called after every refresh job, for metrics and tests. */
  readonly onRefreshJob?: (event: RefreshJobEvent) => void;
  /** Called after every sweep. */
  readonly onSweep?: (result: SweepResult, removedContent: number) => void;
}

/** Starts the refresh and sweep workers and the sweep's cron schedule. */
export async function startRefreshWorkers(options: RefreshWorkerOptions): Promise<void> {
  const { boss, logger } = options;
  await boss.schedule(SWEEP_QUEUE, options.sweepCron, {}, { tz: "UTC" });
  await boss.work<RefreshJobData>(REFRESH_QUEUE, {
    localConcurrency: options.concurrency ?? 2,
    pollingIntervalSeconds: options.pollingIntervalSeconds ?? 1,
  }, async ([job]) => {
    if (job === undefined) return;
    const { queryUuid, trigger, force } = job.data;
    try {
      const run = await options.withRefresh((refresh) => refresh.refreshQuery(queryUuid, { trigger, force, signal: job.signal }));
      logger.info({ jobId: job.id, queryUuid, outcome: run.outcome, added: run.added, removed: run.removed, updated: run.updated, unchanged: run.unchanged, discoveryRequests: run.discoveryRequests }, "refresh finished");
      options.onRefreshJob?.({ jobId: job.id, queryUuid, outcome: run.outcome, run });
      return { outcome: run.outcome, runUuid: run.uuid };
    } catch (error) {
      if (error instanceof NotFoundError) {
        logger.info({ jobId: job.id, queryUuid }, "refresh skipped: the query no longer exists");
        options.onRefreshJob?.({ jobId: job.id, queryUuid, outcome: "skipped" });
        return { outcome: "skipped" };
      }
      logger.warn({ jobId: job.id, queryUuid, retryCount: job.retryCount, err: error }, "refresh failed; pg-boss retries it");
      options.onRefreshJob?.({ jobId: job.id, queryUuid, outcome: "error", error });
      throw error;
    }
  });
  await boss.work(SWEEP_QUEUE, { pollingIntervalSeconds: options.pollingIntervalSeconds ?? 5 }, async () => {
    const result = await options.withRefresh((refresh) => refresh.sweepStale());
    const removed = await options.withRefresh((refresh) => refresh.cleanUpContent());
    logger.info({ queriesInUse: result.queriesInUse, queued: result.queued.length, removedContent: removed }, "freshness sweep");
    options.onSweep?.(result, removed);
    return { queued: result.queued.length, removedContent: removed };
  });
}
