/** Runs refresh and sweep jobs from pg-boss through the refresh use cases. */
import type { Job, JobResult, PgBoss } from "pg-boss";
import type { SweepResult } from "../../src/refresh/refresh_service.ts";
import type { Services } from "../../src/services.ts";
import { type RefreshJobOptions, runRefreshJob } from "../refresh_jobs.ts";
import { inUnitOfWork } from "../unit_of_work.ts";
import { REFRESH_QUEUE, type RefreshJobData, type RefreshJobOutput, SWEEP_QUEUE } from "./pg_boss_refresh_scheduler.ts";

/** How to run the workers. */
export interface RefreshWorkerOptions extends RefreshJobOptions {
  readonly boss: PgBoss;
  /** The use cases jobs run with; each job is a unit of work of its own. */
  readonly services: Services;
  /** Cron expression (UTC) of the freshness sweep. */
  readonly sweepCron: string;
  /** Refreshes one process runs at once. */
  readonly concurrency?: number;
  readonly pollingIntervalSeconds?: number;
  /** Called after every sweep. */
  readonly onSweep?: (result: SweepResult, removedContent: number) => void;
}

/** Refreshes the job's query; a failure fails only this job, which pg-boss then retries. */
async function refreshJob(job: Job<RefreshJobData>, options: RefreshWorkerOptions): Promise<JobResult> {
  const { queryUuid, trigger, force } = job.data;
  const event = await runRefreshJob(options.services, { jobId: job.id, queryUuid, trigger, force, signal: job.signal, retryCount: job.retryCount }, options);
  if (event.outcome === "error") {
    const message = event.error instanceof Error ? event.error.message : String(event.error);
    return { id: job.id, status: "failed", output: { message } };
  }
  const output: RefreshJobOutput = event.run === undefined ? { outcome: event.outcome } : { outcome: event.outcome, runUuid: event.run.uuid };
  return { id: job.id, status: "completed", output };
}

/** Starts the refresh and sweep workers and the sweep's cron schedule. */
export async function startRefreshWorkers(options: RefreshWorkerOptions): Promise<void> {
  const { boss, logger, services } = options;
  await boss.schedule(SWEEP_QUEUE, options.sweepCron, {}, { tz: "UTC" });
  // Jobs come in batches of `concurrency`, run side by side and settle one by one; while batches
  // come back full the worker fetches again at once instead of waiting for the next poll.
  const concurrency = options.concurrency ?? 2;
  await boss.work<RefreshJobData>(REFRESH_QUEUE, {
    batchSize: concurrency,
    perJobResults: true,
    burstWhenBatchFull: true,
    pollingIntervalSeconds: options.pollingIntervalSeconds ?? 1,
  }, (jobs) => Promise.all(jobs.map((job) => refreshJob(job, options))));
  await boss.work(SWEEP_QUEUE, { pollingIntervalSeconds: options.pollingIntervalSeconds ?? 5 }, async () => {
    const result = await inUnitOfWork(services, ({ refresh }) => refresh.sweepStale());
    const removed = await inUnitOfWork(services, ({ refresh }) => refresh.cleanUpContent());
    logger.info({ queriesInUse: result.queriesInUse, queued: result.queued.length, removedContent: removed }, "freshness sweep");
    options.onSweep?.(result, removed);
    return { queued: result.queued.length, removedContent: removed };
  });
}
