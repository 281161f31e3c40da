/** Runs refresh and sweep jobs from pg-boss through the refresh use cases. */
import type { Job, JobResult, PgBoss } from "pg-boss";
import type { Logger } from "pino";
import type { RefreshRun } from "../../src/ports/content_store.ts";
import { NotFoundError } from "../../src/errors.ts";
import type { RefreshService, SweepResult } from "../../src/refresh/refresh_service.ts";
import { REFRESH_QUEUE, type RefreshJobData, type RefreshJobOutput, SWEEP_QUEUE } from "./pg_boss_refresh_scheduler.ts";

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

/** Refreshes the job's query; a failure fails only this job, which pg-boss then retries. */
async function runRefreshJob(job: Job<RefreshJobData>, options: RefreshWorkerOptions): Promise<JobResult> {
  const { logger } = options;
  const { queryUuid, trigger, force } = job.data;
  try {
    const run = await options.withRefresh((refresh) => refresh.refreshQuery(queryUuid, { trigger, force, signal: job.signal }));
    logger.info({ jobId: job.id, queryUuid, outcome: run.outcome, added: run.added, removed: run.removed, updated: run.updated, unchanged: run.unchanged, discoveryRequests: run.discoveryRequests }, "refresh finished");
    options.onRefreshJob?.({ jobId: job.id, queryUuid, outcome: run.outcome, run });
    return { id: job.id, status: "completed", output: { outcome: run.outcome, runUuid: run.uuid } satisfies RefreshJobOutput };
  } catch (error) {
    if (error instanceof NotFoundError) {
      logger.info({ jobId: job.id, queryUuid }, "refresh skipped: the query no longer exists");
      options.onRefreshJob?.({ jobId: job.id, queryUuid, outcome: "skipped" });
      return { id: job.id, status: "completed", output: { outcome: "skipped" } satisfies RefreshJobOutput };
    }
    logger.warn({ jobId: job.id, queryUuid, retryCount: job.retryCount, err: error }, "refresh failed; pg-boss retries it");
    options.onRefreshJob?.({ jobId: job.id, queryUuid, outcome: "error", error });
    return { id: job.id, status: "failed", output: { message: error instanceof Error ? error.message : String(error) } };
  }
}

/** Starts the refresh and sweep workers and the sweep's cron schedule. */
export async function startRefreshWorkers(options: RefreshWorkerOptions): Promise<void> {
  const { boss, logger } = options;
  await boss.schedule(SWEEP_QUEUE, options.sweepCron, {}, { tz: "UTC" });
  // Jobs come in batches of `concurrency`, run side by side and settle one by one; while batches
  // come back full the worker fetches again at once instead of waiting for the next poll.
  const concurrency = options.concurrency ?? 2;
  await boss.work<RefreshJobData>(REFRESH_QUEUE, {
    batchSize: concurrency,
    perJobResults: true,
    burstWhenBatchFull: true,
    pollingIntervalSeconds: options.pollingIntervalSeconds ?? 1,
  }, (jobs) => Promise.all(jobs.map((job) => runRefreshJob(job, options))));
  await boss.work(SWEEP_QUEUE, { pollingIntervalSeconds: options.pollingIntervalSeconds ?? 5 }, async () => {
    const result = await options.withRefresh((refresh) => refresh.sweepStale());
    const removed = await options.withRefresh((refresh) => refresh.cleanUpContent());
    logger.info({ queriesInUse: result.queriesInUse, queued: result.queued.length, removedContent: removed }, "freshness sweep");
    options.onSweep?.(result, removed);
    return { queued: result.queued.length, removedContent: removed };
  });
}
