/** The refresh queue in memory: one waiting job per filter hash, drained by hand. */
import { randomUUID } from "node:crypto";
import type { RefreshRequest, RefreshScheduler } from "../../src/ports/refresh_scheduler.ts";

/** A queued refresh. */
export interface QueuedRefresh extends RefreshRequest {
  readonly jobId: string;
}

/** Keeps refresh requests in order; `take()` hands them to whoever plays the worker. */
export class MemoryRefreshScheduler implements RefreshScheduler {
  #waiting = new Map<string, QueuedRefresh>();

  enqueueRefresh(request: RefreshRequest): Promise<string> {
    const waiting = this.#waiting.get(request.queryHash);
    if (waiting !== undefined) return Promise.resolve(waiting.jobId);
    const job = { ...request, jobId: randomUUID() };
    this.#waiting.set(request.queryHash, job);
    return Promise.resolve(job.jobId);
  }

  /** The waiting jobs, oldest first. */
  waiting(): readonly QueuedRefresh[] {
    return [...this.#waiting.values()];
  }

  /** Removes and returns every waiting job, oldest first. */
  take(): readonly QueuedRefresh[] {
    const jobs = this.waiting();
    this.#waiting.clear();
    return jobs;
  }
}
