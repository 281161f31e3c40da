/** The `RefreshScheduler` contract against the memory queue and against pg-boss on a real database. */
import { pino } from "pino";
import { MemoryRefreshScheduler } from "../../adapters/memory/memory_refresh_scheduler.ts";
import { PgBossRefreshScheduler, REFRESH_QUEUE, type RefreshJobData, startPgBoss } from "../../adapters/pg_boss/pg_boss_refresh_scheduler.ts";
import { describeRefreshSchedulerContract } from "../contracts/refresh_scheduler_contract.ts";
import { createTestDatabase } from "../helpers/database.ts";

describeRefreshSchedulerContract("MemoryRefreshScheduler", async () => {
  const scheduler = new MemoryRefreshScheduler();
  return {
    scheduler,
    async take() {
      const job = scheduler.takeNext();
      return job === undefined ? undefined : { jobId: job.jobId, queryUuid: job.queryUuid, trigger: job.trigger, force: job.force ?? false };
    },
    complete: async (jobId, outcome) => scheduler.settle(jobId, { outcome }),
    fail: async (jobId) => scheduler.settle(jobId, { failed: true }),
    close: async () => {},
  };
});

describeRefreshSchedulerContract("PgBossRefreshScheduler", async () => {
  const database = await createTestDatabase();
  const boss = await startPgBoss({ databaseUrl: database.url, logger: pino({ level: "silent" }), mode: "sending" });
  return {
    scheduler: new PgBossRefreshScheduler(boss),
    async take() {
      const [job] = await boss.fetch<RefreshJobData>(REFRESH_QUEUE, { batchSize: 1 });
      return job === undefined ? undefined : { jobId: job.id, queryUuid: job.data.queryUuid, trigger: job.data.trigger, force: job.data.force };
    },
    complete: async (jobId, outcome) => {
      await boss.complete(REFRESH_QUEUE, jobId, { outcome });
    },
    fail: async (jobId) => {
      await boss.fail(REFRESH_QUEUE, jobId, { message: "discovery failed" });
    },
    close: async () => {
      await boss.stop({ graceful: false, close: true });
      await database.drop();
    },
  };
});
