/** The refresh queue on pg-boss: one waiting job per distinct filter, retries, a dead-letter queue. */
import { PgBoss } from "pg-boss";
import type { Logger } from "pino";
import type { RefreshRequest, RefreshScheduler, RefreshTrigger } from "../../src/ports/refresh_scheduler.ts";

/** Queue of refreshes, one job per query. */
export const REFRESH_QUEUE = "catalog-query-refresh";
/** Where refreshes land after their last retry failed. */
export const REFRESH_DEAD_LETTER_QUEUE = "catalog-query-refresh-dead-letter";
/** Queue the cron schedule feeds with freshness sweeps. */
export const SWEEP_QUEUE = "catalog-freshness-sweep";

/** The payload of a refresh job. */
export interface RefreshJobData {
  readonly queryUuid: string;
  readonly trigger: RefreshTrigger;
  readonly force: boolean;
}

/** Retry settings of the refresh queue (seconds). */
export const REFRESH_RETRY = { retryLimit: 4, retryDelay: 30, retryBackoff: true, retryDelayMax: 900 } as const;

/** Starts pg-boss on the database (creating its schema when needed) and makes sure the queues exist. */
export async function startPgBoss(options: { databaseUrl: string; logger: Logger; cronMonitorIntervalSeconds?: number }): Promise<PgBoss> {
  const boss = new PgBoss({
    connectionString: options.databaseUrl,
    schema: "pgboss",
    application_name: "enterprise-catalog",
    max: 4,
    ...(options.cronMonitorIntervalSeconds === undefined ? {} : { cronMonitorIntervalSeconds: options.cronMonitorIntervalSeconds }),
  });
  boss.on("error", (error) => options.logger.error({ err: error }, "pg-boss error"));
  await boss.start();
  await ensureQueue(boss, REFRESH_DEAD_LETTER_QUEUE, { policy: "standard", retryLimit: 0, deleteAfterSeconds: 30 * 24 * 3600 });
  await ensureQueue(boss, REFRESH_QUEUE, {
    policy: "stately",
    ...REFRESH_RETRY,
    expireInSeconds: 30 * 60,
    deadLetter: REFRESH_DEAD_LETTER_QUEUE,
  });
  await ensureQueue(boss, SWEEP_QUEUE, { policy: "stately", retryLimit: 1, expireInSeconds: 15 * 60 });
  return boss;
}

async function ensureQueue(boss: PgBoss, name: string, options: Parameters<PgBoss["createQueue"]>[1]): Promise<void> {
  if (await boss.getQueue(name)) return;
  try {
    await boss.createQueue(name, options);
  } catch (error) {
    // Another process may have created it between the check and the insert.
    if (!(await boss.getQueue(name))) throw error;
  }
}

/** Enqueues refreshes with the query's hash as singleton key, so one job waits per filter. */
export class PgBossRefreshScheduler implements RefreshScheduler {
  #boss: PgBoss;

  constructor(boss: PgBoss) {
    this.#boss = boss;
  }

  async enqueueRefresh(request: RefreshRequest): Promise<string> {
    const data: RefreshJobData = { queryUuid: request.queryUuid, trigger: request.trigger, force: request.force ?? false };
    const id = await this.#boss.send(REFRESH_QUEUE, data, { singletonKey: request.queryHash });
    if (id !== null) return id;
    // The stately policy refused a second waiting job for this filter: answer with the waiting one.
    const waiting = await this.#boss.findJobs<RefreshJobData>(REFRESH_QUEUE, { key: request.queryHash, queued: true });
    const job = waiting[0];
    if (job !== undefined) return job.id;
    // The waiting job started between send and find; queue again behind the running one.
    const retried = await this.#boss.send(REFRESH_QUEUE, data, { singletonKey: request.queryHash });
    if (retried !== null) return retried;
    throw new Error(`Could not enqueue a refresh of catalog query "${request.queryUuid}"`);
  }
}
