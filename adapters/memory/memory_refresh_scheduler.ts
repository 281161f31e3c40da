/** The refresh queue in memory: one waiting job per filter hash, taken by hand or by the memory worker. */
import { randomUUID } from "node:crypto";
import type { RefreshOutcome } from "../../src/catalog/catalog.ts";
import type { RefreshProgress, RefreshRequest, RefreshScheduler } from "../../src/ports/refresh_scheduler.ts";

/** A queued refresh. */
export interface QueuedRefresh extends RefreshRequest {
  readonly jobId: string;
}

/** How a worker settles a job it took: the outcome it ran to, or the failure that stopped it. */
export type RefreshJobResult =
  | { readonly outcome: RefreshOutcome | "skipped" }
  | { readonly failed: true };

/**
 * Keeps refresh requests in order; `take()` hands them to whoever plays the worker, and `settle()`
 * records how each ended. A failed job is not tried again: memory has no retries.
 */
export class MemoryRefreshScheduler implements RefreshScheduler {
  #waiting = new Map<string, QueuedRefresh>();
  #progress = new Map<string, RefreshProgress>();
  #listeners = new Set<() => void>();

  enqueueRefresh(request: RefreshRequest): Promise<string> {
    const waiting = this.#waiting.get(request.queryHash);
    if (waiting !== undefined) return Promise.resolve(waiting.jobId);
    const job = { ...request, jobId: randomUUID() };
    this.#waiting.set(request.queryHash, job);
    this.#progress.set(job.jobId, { state: "queued" });
    for (const listener of this.#listeners) listener();
    return Promise.resolve(job.jobId);
  }

  refreshProgress(jobId: string): Promise<RefreshProgress | undefined> {
    return Promise.resolve(this.#progress.get(jobId));
  }

  /** The waiting jobs, oldest first. */
  waiting(): readonly QueuedRefresh[] {
    return [...this.#waiting.values()];
  }

  /** Removes and returns the oldest waiting job, which is `running` until settled; undefined when none waits. */
  takeNext(): QueuedRefresh | undefined {
    const [job] = this.#waiting.values();
    if (job === undefined) return undefined;
    this.#waiting.delete(job.queryHash);
    this.#progress.set(job.jobId, { state: "running" });
    return job;
  }

  /** Removes and returns every waiting job, oldest first; each is `running` until settled. */
  take(): readonly QueuedRefresh[] {
    const jobs: QueuedRefresh[] = [];
    for (let job = this.takeNext(); job !== undefined; job = this.takeNext()) jobs.push(job);
    return jobs;
  }

  /** Records how a taken job ended. */
  settle(jobId: string, result: RefreshJobResult): void {
    if (this.#progress.get(jobId)?.state !== "running") throw new TypeError(`Job "${jobId}" is not running`);
    this.#progress.set(jobId, "outcome" in result ? { state: "completed", outcome: result.outcome } : { state: "failed" });
  }

  /** Calls `listener` after every enqueue that queues a new job; returns what stops it. */
  onEnqueue(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }
}
