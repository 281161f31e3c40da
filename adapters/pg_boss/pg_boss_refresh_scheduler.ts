/** The refresh queue on pg-boss: one waiting job per distinct filter, retries, a dead-letter queue. */
import type pg from "pg";
import { type Db, PgBoss } from "pg-boss";
import type { Logger } from "pino";
import type { RefreshJobState, RefreshProgress, RefreshRequest, RefreshScheduler, RefreshTrigger } from "../../src/ports/refresh_scheduler.ts";
import { boundedPoolConfig, type WaitBounds } from "../postgres/bounded_pool.ts";

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

/** What a refresh job leaves as its output when it completes (see refresh_worker.ts). */
export interface RefreshJobOutput {
  readonly outcome: NonNullable<RefreshProgress["outcome"]>;
  readonly runUuid?: string;
}

/** pg-boss's job states in the port's words. */
const JOB_STATES: Readonly<Record<string, RefreshJobState>> = {
  created: "queued", active: "running", retry: "retrying", completed: "completed", failed: "failed", cancelled: "cancelled",
};
const OUTCOMES: ReadonlySet<string> = new Set(["succeeded", "failed", "held", "skipped"]);

/**
 * Retry settings of the refresh queue (seconds): 5 retries, the first 10 to 20 s after a failure,
 * each wait twice the one before (5 to 10 minutes in all before the dead-letter queue).
 */
export const REFRESH_RETRY = { retryLimit: 5, retryDelay: 10, retryBackoff: true, retryDelayMax: 900 } as const;

/**
 * How pg-boss notices a job whose worker died (docs/operations.md): a running job's worker renews
 * its heartbeat every `heartbeatSeconds / 2`; a supervisor (any instance, every `superviseSeconds`)
 * fails a job whose heartbeat is older than `heartbeatSeconds`, and pg-boss retries it. Expiry
 * still bounds how long one run may take.
 */
export const JOB_LIVENESS = { heartbeatSeconds: 10, superviseSeconds: 10 } as const;

type QueueSettings = Parameters<PgBoss["createQueue"]>[1] & { policy: string };

/** How to start pg-boss. */
export interface StartPgBossOptions {
  readonly databaseUrl: string;
  readonly logger: Logger;
  /** How long its connections may wait on the database. */
  readonly bounds?: WaitBounds;
  readonly cronMonitorIntervalSeconds?: number;
  /**
   * `supervised` (the default): this process also runs pg-boss's maintenance (expiry, heartbeats,
   * retention) and sends due cron jobs; `sending`: it only queues jobs and reads them (the
   * `refresh` command, in-process use).
   */
  readonly mode?: "supervised" | "sending";
}

/** Starts pg-boss on the database (creating its schema when needed) and makes sure the queues exist with the settings below. */
export async function startPgBoss(options: StartPgBossOptions): Promise<PgBoss> {
  const supervised = (options.mode ?? "supervised") === "supervised";
  const boss = new PgBoss({
    ...boundedPoolConfig(options.bounds),
    connectionString: options.databaseUrl,
    schema: "pgboss",
    application_name: "enterprise-catalog",
    max: 4,
    supervise: supervised,
    schedule: supervised,
    superviseIntervalSeconds: JOB_LIVENESS.superviseSeconds,
    monitorIntervalSeconds: JOB_LIVENESS.superviseSeconds,
    // Workers skip the singleton keys that this process's cached copy of the queue row lists as
    // active. pg-boss re-reads that row every 60 s by default, so a retried job whose worker died (or
    // lost its database) waited up to a minute after its retry delay, behind its own stale key.
    queueCacheIntervalSeconds: JOB_LIVENESS.superviseSeconds,
    ...(options.cronMonitorIntervalSeconds === undefined ? {} : { cronMonitorIntervalSeconds: options.cronMonitorIntervalSeconds }),
  });
  boss.on("error", (error) => options.logger.error({ err: error }, "pg-boss error"));
  await boss.start();
  await ensureQueue(boss, REFRESH_DEAD_LETTER_QUEUE, { policy: "standard", retryLimit: 0, deleteAfterSeconds: 30 * 24 * 3600 });
  await ensureQueue(boss, REFRESH_QUEUE, {
    policy: "stately",
    ...REFRESH_RETRY,
    expireInSeconds: 30 * 60,
    heartbeatSeconds: JOB_LIVENESS.heartbeatSeconds,
    deadLetter: REFRESH_DEAD_LETTER_QUEUE,
  });
  await ensureQueue(boss, SWEEP_QUEUE, { policy: "stately", retryLimit: 1, expireInSeconds: 15 * 60, heartbeatSeconds: JOB_LIVENESS.heartbeatSeconds });
  return boss;
}

/** Creates the queue, or brings an existing one (made by an older version) to these settings. */
async function ensureQueue(boss: PgBoss, name: string, settings: QueueSettings): Promise<void> {
  const { policy: _policy, ...changeable } = settings;
  if (await boss.getQueue(name)) return await boss.updateQueue(name, changeable);
  try {
    await boss.createQueue(name, settings);
  } catch (error) {
    // Another process may have created it between the check and the insert.
    if (!(await boss.getQueue(name))) throw error;
  }
}

/** Runs the statements pg-boss sends for a caller (`db` option) on one of the caller's pools. */
export function poolExecutor(pool: pg.Pool): Db {
  return { executeSql: (text: string, values?: unknown[]) => pool.query(text, values) };
}

/**
 * Enqueues refreshes with the query's hash as singleton key, so one job waits per filter. Its
 * statements run on `db` when given (the request path's pool, whose waits are short), else on
 * pg-boss's own pool.
 */
export class PgBossRefreshScheduler implements RefreshScheduler {
  #boss: PgBoss;
  #connection: { db?: Db };

  constructor(boss: PgBoss, options: { db?: Db } = {}) {
    this.#boss = boss;
    this.#connection = options.db === undefined ? {} : { db: options.db };
  }

  async enqueueRefresh(request: RefreshRequest): Promise<string> {
    const data: RefreshJobData = { queryUuid: request.queryUuid, trigger: request.trigger, force: request.force ?? false };
    const send = { singletonKey: request.queryHash, ...this.#connection };
    const id = await this.#boss.send(REFRESH_QUEUE, data, send);
    if (id !== null) return id;
    // The stately policy refused a second waiting job for this filter: answer with the waiting one.
    const waiting = await this.#boss.findJobs<RefreshJobData>(REFRESH_QUEUE, { key: request.queryHash, queued: true, ...this.#connection });
    const job = waiting[0];
    if (job !== undefined) return job.id;
    // The waiting job started between send and find; queue again behind the running one.
    const retried = await this.#boss.send(REFRESH_QUEUE, data, send);
    if (retried !== null) return retried;
    throw new Error(`Could not enqueue a refresh of catalog query "${request.queryUuid}"`);
  }

  async refreshProgress(jobId: string): Promise<RefreshProgress | undefined> {
    const [job] = await this.#boss.findJobs(REFRESH_QUEUE, { id: jobId, ...this.#connection });
    if (job === undefined) return undefined;
    const state = JOB_STATES[job.state];
    if (state === undefined) throw new TypeError(`pg-boss reports job "${jobId}" in an unknown state: "${job.state}"`);
    const outcome = (job.output as { outcome?: unknown } | null)?.outcome;
    return state === "completed" && typeof outcome === "string" && OUTCOMES.has(outcome)
      ? { state, outcome: outcome as RefreshJobOutput["outcome"] }
      : { state };
  }
}
