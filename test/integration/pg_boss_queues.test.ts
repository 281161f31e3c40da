/** startPgBoss(): the refresh queues carry the liveness and retry settings, also on a database whose queues an older version made. */
import { PgBoss } from "pg-boss";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { JOB_LIVENESS, REFRESH_QUEUE, REFRESH_RETRY, startPgBoss, SWEEP_QUEUE } from "../../adapters/pg_boss/pg_boss_refresh_scheduler.ts";
import { createTestDatabase, type TestDatabase } from "../helpers/database.ts";

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database?.drop();
});

describe("startPgBoss()", () => {
  it("brings queues made without heartbeats (an older version) to the current settings", async () => {
    const older = new PgBoss({ connectionString: database.url, schema: "pgboss", supervise: false, schedule: false });
    await older.start();
    await older.createQueue(REFRESH_QUEUE, { policy: "stately", retryLimit: 4, retryDelay: 30, retryBackoff: true, expireInSeconds: 1800 });
    await older.createQueue(SWEEP_QUEUE, { policy: "stately", retryLimit: 1, expireInSeconds: 900 });
    await older.stop({ graceful: false, close: true });

    const boss = await startPgBoss({ databaseUrl: database.url, logger: pino({ level: "silent" }) });
    try {
      expect(await boss.getQueue(REFRESH_QUEUE)).toMatchObject({
        policy: "stately", heartbeatSeconds: JOB_LIVENESS.heartbeatSeconds, expireInSeconds: 1800, ...REFRESH_RETRY,
      });
      expect(await boss.getQueue(SWEEP_QUEUE)).toMatchObject({ policy: "stately", heartbeatSeconds: JOB_LIVENESS.heartbeatSeconds });
    } finally {
      await boss.stop({ graceful: false, close: true });
    }
  });
});
