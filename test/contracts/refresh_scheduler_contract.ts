/** The `RefreshScheduler` contract, run against every adapter of the port. */
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { RefreshOutcome } from "../../src/catalog/catalog.ts";
import type { RefreshRequest, RefreshScheduler, RefreshTrigger } from "../../src/ports/refresh_scheduler.ts";

/** A taken job: its id and what a worker needs of its request. */
export interface TakenRefresh {
  readonly jobId: string;
  readonly queryUuid: string;
  readonly trigger: RefreshTrigger;
  readonly force: boolean;
}

/** One scheduler adapter, and a worker the test drives by hand. */
export interface SchedulerHarness {
  readonly scheduler: RefreshScheduler;
  /** Takes the oldest waiting job, as a worker does; undefined when none waits. */
  take(): Promise<TakenRefresh | undefined>;
  /** Completes a taken job with a run's outcome. */
  complete(jobId: string, outcome: RefreshOutcome | "skipped"): Promise<void>;
  /** Fails a taken job, as a worker whose refresh threw does. */
  fail(jobId: string): Promise<void>;
  /** Lets go of everything the harness holds. */
  close(): Promise<void>;
}

/** A request for a query of its own, so tests never share a singleton key. */
function request(overrides: Partial<RefreshRequest> = {}): RefreshRequest {
  return { queryUuid: randomUUID(), queryHash: randomUUID().replaceAll("-", ""), trigger: "on_demand", ...overrides };
}

/** Registers the suite; `setup` runs once for the file. */
export function describeRefreshSchedulerContract(name: string, setup: () => Promise<SchedulerHarness>): void {
  describe(`RefreshScheduler contract: ${name}`, () => {
    let harness: SchedulerHarness;
    beforeAll(async () => {
      harness = await setup();
    });
    afterAll(async () => {
      await harness?.close();
    });

    /** Takes jobs until the one wanted comes (earlier tests may leave jobs waiting). */
    async function takeJob(jobId: string): Promise<TakenRefresh> {
      for (let job = await harness.take(); job !== undefined; job = await harness.take()) {
        if (job.jobId === jobId) return job;
        await harness.complete(job.jobId, "succeeded");
      }
      throw new Error(`Job "${jobId}" was not waiting`);
    }

    test("enqueueRefresh() returns the waiting job's id for the same filter, and another id for another filter", async () => {
      const first = request();
      const id = await harness.scheduler.enqueueRefresh(first);
      expect(await harness.scheduler.enqueueRefresh({ ...first, trigger: "sweep" })).toBe(id);
      expect(await harness.scheduler.enqueueRefresh(request())).not.toBe(id);
    });

    test("a worker takes the job with the request it was queued with", async () => {
      const queued = request({ trigger: "catalog_saved", force: true });
      const id = await harness.scheduler.enqueueRefresh(queued);
      const taken = await takeJob(id);
      expect(taken).toMatchObject({ jobId: id, queryUuid: queued.queryUuid, trigger: "catalog_saved", force: true });
      await harness.complete(id, "succeeded");
    });

    test("refreshProgress() follows a job from queued to running to completed with its outcome", async () => {
      const id = await harness.scheduler.enqueueRefresh(request());
      expect(await harness.scheduler.refreshProgress(id)).toEqual({ state: "queued" });
      await takeJob(id);
      expect(await harness.scheduler.refreshProgress(id)).toEqual({ state: "running" });
      await harness.complete(id, "held");
      expect(await harness.scheduler.refreshProgress(id)).toEqual({ state: "completed", outcome: "held" });
    });

    test("refreshProgress() reports a skipped job's outcome", async () => {
      const id = await harness.scheduler.enqueueRefresh(request());
      await takeJob(id);
      await harness.complete(id, "skipped");
      expect(await harness.scheduler.refreshProgress(id)).toEqual({ state: "completed", outcome: "skipped" });
    });

    test("a failed job is retrying or failed, never completed", async () => {
      const id = await harness.scheduler.enqueueRefresh(request());
      await takeJob(id);
      await harness.fail(id);
      const progress = await harness.scheduler.refreshProgress(id);
      expect(["retrying", "failed"]).toContain(progress?.state);
      expect(progress?.outcome).toBeUndefined();
    });

    test("a taken job no longer waits: enqueueing its filter again queues a new job", async () => {
      const queued = request();
      const id = await harness.scheduler.enqueueRefresh(queued);
      await takeJob(id);
      const again = await harness.scheduler.enqueueRefresh(queued);
      expect(again).not.toBe(id);
      expect(await harness.scheduler.refreshProgress(again)).toEqual({ state: "queued" });
      expect(await harness.scheduler.refreshProgress(id)).toEqual({ state: "running" });
      await harness.complete(id, "succeeded");
    });

    test("refreshProgress() answers undefined for a job it never queued", async () => {
      expect(await harness.scheduler.refreshProgress(randomUUID())).toBeUndefined();
    });
  });
}
