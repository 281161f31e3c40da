/** Runs the refreshes the memory queue gets, as the pg-boss workers run theirs. */
import type { Services } from "../../src/services.ts";
import { type RefreshJobOptions, runRefreshJob } from "../refresh_jobs.ts";
import type { MemoryRefreshScheduler } from "./memory_refresh_scheduler.ts";

/** A running memory worker. */
export interface MemoryRefreshWorker {
  /** Takes no more jobs, and resolves once the running one has settled. */
  stop(): Promise<void>;
}

/**
 * Takes every job the scheduler queues, one at a time, soon after it is queued (never inside the
 * call that queued it), runs it in a unit of work of its own and settles it with its outcome.
 */
export function startMemoryRefreshWorker(scheduler: MemoryRefreshScheduler, services: Services, options: RefreshJobOptions): MemoryRefreshWorker {
  let stopped = false;
  let draining: Promise<void> | undefined;
  const drain = async () => {
    while (!stopped) {
      const job = scheduler.takeNext();
      // No await between the last take and the reset: a job queued after it starts a new drain.
      if (job === undefined) break;
      const event = await runRefreshJob(services, { jobId: job.jobId, queryUuid: job.queryUuid, trigger: job.trigger, force: job.force ?? false }, options);
      scheduler.settle(job.jobId, event.outcome === "error" ? { failed: true } : { outcome: event.outcome });
    }
    draining = undefined;
  };
  const wake = () => {
    if (!stopped) draining ??= new Promise<void>((resolve) => setImmediate(resolve)).then(drain);
  };
  const unsubscribe = scheduler.onEnqueue(wake);
  wake();
  return {
    async stop() {
      stopped = true;
      unsubscribe();
      await draining;
    },
  };
}
