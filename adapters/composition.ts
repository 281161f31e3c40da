/**
 * The composition root: the only place that chooses which adapter serves which port, and what a
 * process opens for the role it plays. An inversify container holds the choice of adapters,
 * resolved once at start-up; `createServices` wires the use cases over them (decisions/0012).
 */
import { randomUUID } from "node:crypto";
import { Container, type ServiceIdentifier } from "inversify";
import type pg from "pg";
import type { PgBoss } from "pg-boss";
import type { Logger } from "pino";
import { ContainmentModel, ModelContentReader } from "../src/content/containment_model.ts";
import type { Clock } from "../src/ports/clock.ts";
import type { ContentReader } from "../src/ports/content_reader.ts";
import type { CustomerDirectory } from "../src/ports/customer_directory.ts";
import type { DiscoveryClient } from "../src/ports/discovery_client.ts";
import type { IdGenerator } from "../src/ports/id_generator.ts";
import type { RefreshScheduler } from "../src/ports/refresh_scheduler.ts";
import { type QueryFreshness, queryFreshness } from "../src/refresh/freshness.ts";
import { DEFAULT_FRESHNESS, type FreshnessPolicy } from "../src/refresh/refresh_service.ts";
import { createServices, type ServicePorts, type Services, type ServiceSettings, type UseCases } from "../src/services.ts";
import type { AppConfig, DatabaseTimeouts } from "./config.ts";
import { type DatabaseHandle, openDatabase } from "./database.ts";
import { HttpDiscoveryClient } from "./discovery_http/http_discovery_client.ts";
import { LocalDiscoveryClient } from "./discovery_local/local_discovery_client.ts";
import { HttpCustomerDirectory } from "./lms/http_customer_directory.ts";
import { LocalCustomerDirectory } from "./lms/local_customer_directory.ts";
import { createLogger } from "./logger.ts";
import { MeteredDiscoveryClient, pgBossQueueDepths, ServiceMetrics } from "./metrics.ts";
import { PgBossRefreshScheduler, poolExecutor, startPgBoss } from "./pg_boss/pg_boss_refresh_scheduler.ts";
import type { WaitBounds } from "./postgres/bounded_pool.ts";
import { createOrm, migrate, type Orm, pendingMigrations } from "./postgres/orm.ts";
import { PostgresCatalogStore } from "./postgres/postgres_catalog_store.ts";
import { createReadPool, PostgresContentReader } from "./postgres/postgres_content_reader.ts";
import { PostgresReadModelChanges, PostgresReadModelSource } from "./postgres/postgres_read_model.ts";
import { openPostgresStores } from "./postgres/postgres_stores.ts";
import { inUnitOfWork } from "./unit_of_work.ts";

/**
 * The roles a long-running or queueing process plays; each opens only what it needs. `catalog
 * status` and `catalog migrate` open less still (`readQueryFreshness`, `migrateDatabase`), and
 * `catalog token` opens nothing.
 */
export type RuntimeRole = "serve" | "serve-with-worker" | "worker" | "refresh" | "in-process";

/** What a role opens besides the database, the read pool (which connects on first use) and pg-boss. */
interface RoleParts {
  /** Applies pending migrations on open; the other roles refuse an unmigrated database. */
  readonly migrates: boolean;
  /** The ORM of requests and commands, whose statements are short (`CATALOG_DB_STATEMENT_TIMEOUT_MS`). */
  readonly requestOrm: boolean;
  /** The ORM of refresh jobs and the sweep, whose statements may run long (`CATALOG_DB_JOB_STATEMENT_TIMEOUT_MS`). */
  readonly jobOrm: boolean;
  /** pg-boss `supervised` (maintenance and cron run here too) or `sending` (queue and follow jobs only). */
  readonly queue: "supervised" | "sending";
  /** Containment answered from a read model in memory (decision 0018): the roles that serve reads. */
  readonly readModel: boolean;
}

/** What each role opens. */
const ROLE_PARTS: { readonly [R in RuntimeRole]: RoleParts } = {
  serve: { migrates: true, requestOrm: true, jobOrm: false, queue: "supervised", readModel: true },
  "serve-with-worker": { migrates: true, requestOrm: true, jobOrm: true, queue: "supervised", readModel: true },
  worker: { migrates: true, requestOrm: false, jobOrm: true, queue: "supervised", readModel: false },
  refresh: { migrates: false, requestOrm: true, jobOrm: false, queue: "sending", readModel: false },
  "in-process": { migrates: false, requestOrm: true, jobOrm: false, queue: "sending", readModel: true },
};

/** A running set of adapters for one role, and the use cases over them. */
export interface Runtime {
  readonly role: RuntimeRole;
  readonly config: AppConfig;
  readonly logger: Logger;
  readonly database: DatabaseHandle;
  /** The ORM `services` write through: the request path's, or the jobs' for a worker. */
  readonly orm: Orm;
  readonly boss: PgBoss;
  /** The refresh queue, as the use cases see it: enqueue and follow refresh jobs. */
  readonly scheduler: RefreshScheduler;
  /** This process's Prometheus metrics. */
  readonly metrics: ServiceMetrics;
  /** The containment read model, when the role holds one and its budget is not 0. */
  readonly readModel: ContainmentModel | undefined;
  /** The use cases, built once over `orm`, the read pool and the queue. */
  readonly services: Services;
  /** The use cases refresh jobs and the sweep run with, over the jobs' ORM; undefined when the role runs no jobs. */
  readonly jobServices: Services | undefined;
  /** Runs `work` in a new unit of work of `services` (see `inUnitOfWork`). */
  withServices<T>(work: (useCases: UseCases) => Promise<T>): Promise<T>;
  /** Stops pg-boss, closes the pools and releases the database, in that order. */
  close(options?: Partial<CloseOptions>): Promise<void>;
}

/** How to close a runtime. */
export interface CloseOptions {
  /** Let running refresh jobs finish first (default true). */
  readonly graceful: boolean;
  /** How long pg-boss waits for them (default 30 s). */
  readonly timeoutMs: number;
}

/** How to open a runtime; the adapters a caller may replace are mostly for tests. */
export interface RuntimeOptions {
  readonly role: RuntimeRole;
  readonly logger?: Logger;
  readonly discovery?: DiscoveryClient;
  /** The LMS's customers; by default the configured one (`LMS_API_URL`, else `LMS_CUSTOMERS_FILE`). */
  readonly customers?: CustomerDirectory;
  readonly clock?: Clock;
  /** Seconds between pg-boss's cron checks (tests shorten it). */
  readonly cronMonitorIntervalSeconds?: number;
}

const SYSTEM_CLOCK: Clock = { now: () => new Date() };
const RANDOM_IDS: IdGenerator = { uuid: () => randomUUID() };
/** Connections of the read API's pool; reads are single short statements. */
const READ_POOL_SIZE = 8;
/** Connections of the jobs' ORM: two refresh jobs, the sweep, and one to spare. */
const JOB_POOL_SIZE = 4;

/** Identifiers of the ports whose adapters the container chooses. */
const PORTS = {
  Clock: Symbol.for("Clock") as ServiceIdentifier<Clock>,
  Ids: Symbol.for("IdGenerator") as ServiceIdentifier<IdGenerator>,
  Discovery: Symbol.for("DiscoveryClient") as ServiceIdentifier<DiscoveryClient>,
  Reader: Symbol.for("ContentReader") as ServiceIdentifier<ContentReader>,
  Scheduler: Symbol.for("RefreshScheduler") as ServiceIdentifier<RefreshScheduler>,
  Customers: Symbol.for("CustomerDirectory") as ServiceIdentifier<CustomerDirectory>,
} as const;

/** What the adapters are built from. */
interface OpenedParts {
  readonly config: AppConfig;
  readonly metrics: ServiceMetrics;
  readonly readPool: pg.Pool;
  readonly scheduler: RefreshScheduler;
  readonly readModel: ContainmentModel | undefined;
}

/**
 * Opens what the role needs: the database (embedded when `DATABASE_URL` is unset), its
 * migrations or a check that none is pending, the role's ORMs, the read pool and pg-boss; then
 * builds the use cases over them.
 */
export async function openRuntime(config: AppConfig, options: RuntimeOptions): Promise<Runtime> {
  const parts = ROLE_PARTS[options.role];
  const logger = options.logger ?? createLogger(config.logLevel);
  const database = await openDatabase(config, logger);
  // What was opened, closed in reverse order: pg-boss first (running jobs finish while their pools are open), the database last.
  const closers: ((options: CloseOptions) => Promise<void>)[] = [() => database.release()];
  const closeAll = async (options: CloseOptions) => {
    for (const close of [...closers].reverse()) await close(options).catch((error: unknown) => logger.warn({ err: error }, "did not close cleanly"));
  };
  try {
    if (parts.migrates) await migrateAndLog(database.url, config, logger);
    const requestOrm = parts.requestOrm ? await createOrm({ databaseUrl: database.url, bounds: waitBounds(config.databaseTimeouts, "request") }) : undefined;
    if (requestOrm !== undefined) closers.push(() => requestOrm.close());
    const jobOrm = parts.jobOrm
      ? await createOrm({ databaseUrl: database.url, bounds: waitBounds(config.databaseTimeouts, "job"), poolSize: JOB_POOL_SIZE })
      : undefined;
    if (jobOrm !== undefined) closers.push(() => jobOrm.close());
    const orm = requestOrm ?? jobOrm;
    if (orm === undefined) throw new TypeError(`Role "${options.role}" opens no ORM`);
    if (!parts.migrates) await requireMigrated(orm);
    // The read API's own pool: parameterised, prepared statements off the ORM (see PostgresContentReader).
    const readPool = createReadPool(database.url, { size: READ_POOL_SIZE, bounds: waitBounds(config.databaseTimeouts, "request") });
    readPool.on("error", (error) => logger.warn({ err: error }, "read pool connection error"));
    closers.push(() => readPool.end());
    const boss = await startPgBoss({
      databaseUrl: database.url, logger, mode: parts.queue, bounds: waitBounds(config.databaseTimeouts, "job"),
      cronMonitorIntervalSeconds: options.cronMonitorIntervalSeconds,
    });
    closers.push(({ graceful, timeoutMs }) => boss.stop({ graceful, timeout: timeoutMs, close: true }));
    // Refreshes asked for by a request are queued on the request path's pool, so they wait no longer than the request.
    const scheduler = new PgBossRefreshScheduler(boss, { db: poolExecutor(await orm.em.getConnection().getNativeClient()) });
    const metrics = new ServiceMetrics();
    const readModel = parts.readModel && config.readModel.budgetMb > 0 ? openReadModel(database.url, config, readPool, logger) : undefined;
    if (readModel !== undefined) closers.push(async () => readModel.stop());
    const ports = chooseAdapters({ config, metrics, readPool, scheduler, readModel }, options);
    const settings = serviceSettings(config);
    const services = createServices({ ...ports, openStores: () => openPostgresStores(orm) }, settings);
    const jobServices = jobOrm === undefined ? undefined
      : jobOrm === orm ? services
      : createServices({ ...ports, openStores: () => openPostgresStores(jobOrm) }, settings);
    metrics.setSources({
      freshness: () => inUnitOfWork(services, ({ refresh }) => refresh.freshness()),
      queues: () => pgBossQueueDepths(boss),
      readModel: readModel === undefined ? undefined : () => readModel.stats(),
    });
    let closed: Promise<void> | undefined;
    return {
      role: options.role,
      config, logger, database, orm, boss, scheduler, metrics, readModel, services, jobServices,
      withServices: (work) => inUnitOfWork(services, work),
      close({ graceful = true, timeoutMs = 30_000 } = {}) {
        closed ??= closeAll({ graceful, timeoutMs });
        return closed;
      },
    };
  } catch (error) {
    await closeAll({ graceful: false, timeoutMs: 5000 });
    throw error;
  }
}

/** `catalog migrate`: applies pending migrations and returns their names; opens the database and one ORM, nothing else. */
export async function migrateDatabase(config: AppConfig, options: { logger?: Logger } = {}): Promise<readonly string[]> {
  const logger = options.logger ?? createLogger(config.logLevel);
  const database = await openDatabase(config, logger);
  try {
    return await migrateAndLog(database.url, config, logger);
  } finally {
    await database.release();
  }
}

/** `catalog status`: every query in use with its freshness; opens the database and one ORM, no queue and no read pool. */
export async function readQueryFreshness(config: AppConfig, options: { logger?: Logger; clock?: Clock } = {}): Promise<readonly QueryFreshness[]> {
  const logger = options.logger ?? createLogger(config.logLevel);
  const database = await openDatabase(config, logger);
  try {
    const orm = await createOrm({ databaseUrl: database.url, bounds: waitBounds(config.databaseTimeouts, "job"), poolSize: 2 });
    try {
      await requireMigrated(orm);
      const now = (options.clock ?? SYSTEM_CLOCK).now();
      return await queryFreshness(new PostgresCatalogStore(orm.em.fork()), { now, windowMs: freshnessPolicy(config).windowMs });
    } finally {
      await orm.close();
    }
  } finally {
    await database.release();
  }
}

/**
 * The containment read model over the read pool, hearing versions on a connection of its own
 * (`CATALOG_READ_MODEL_BUDGET_MB`, `CATALOG_READ_MODEL_CHECK_MS`); started, so it listens at once.
 */
function openReadModel(databaseUrl: string, config: AppConfig, readPool: pg.Pool, logger: Logger): ContainmentModel {
  const changes = new PostgresReadModelChanges(databaseUrl, {
    checkMs: config.readModel.checkMs,
    connectTimeoutMs: config.databaseTimeouts.connectMs,
    onError: (error) => logger.warn({ err: error }, "read-model listener lost its connection; answering from PostgreSQL until it is back"),
  });
  const model = new ContainmentModel(
    { source: new PostgresReadModelSource(readPool), changes },
    { budgetBytes: config.readModel.budgetMb * 1024 * 1024 },
  );
  model.start();
  return model;
}

/** The discovery adapter the configuration asks for: HTTP when `DISCOVERY_URL` is set, else the bundled corpus. */
export function discoveryFor(config: AppConfig): DiscoveryClient {
  if (config.discoveryUrl === undefined) return new LocalDiscoveryClient();
  return new HttpDiscoveryClient({ baseUrl: config.discoveryUrl, oauth: config.oauth2, ...config.discoveryHttp });
}

/** The LMS adapter the configuration asks for: HTTP when `LMS_API_URL` is set, else the local directory (`LMS_CUSTOMERS_FILE` or none). */
export function customersFor(config: AppConfig): CustomerDirectory {
  if (config.lms.apiUrl === undefined) return new LocalCustomerDirectory({ file: config.lms.customersFile });
  return new HttpCustomerDirectory({ baseUrl: config.lms.apiUrl, oauth: config.oauth2 });
}

/** The adapter of every port but the stores, as the container chooses them; resolved once. */
function chooseAdapters(parts: OpenedParts, options: RuntimeOptions): Omit<ServicePorts, "openStores"> {
  const container = new Container({ defaultScope: "Singleton" });
  container.bind(PORTS.Clock).toConstantValue(options.clock ?? SYSTEM_CLOCK);
  container.bind(PORTS.Ids).toConstantValue(RANDOM_IDS);
  // Metered whichever discovery serves: the configured one, or the one a test supplies.
  container.bind(PORTS.Discovery).toResolvedValue(() => new MeteredDiscoveryClient(options.discovery ?? discoveryFor(parts.config), parts.metrics));
  container.bind(PORTS.Reader).toResolvedValue(() => {
    const postgres = new PostgresContentReader(parts.readPool);
    return parts.readModel === undefined ? postgres : new ModelContentReader(postgres, parts.readModel);
  });
  container.bind(PORTS.Scheduler).toConstantValue(parts.scheduler);
  container.bind(PORTS.Customers).toResolvedValue(() => options.customers ?? customersFor(parts.config));
  return {
    clock: container.get(PORTS.Clock),
    ids: container.get(PORTS.Ids),
    discovery: container.get(PORTS.Discovery),
    reader: container.get(PORTS.Reader),
    scheduler: container.get(PORTS.Scheduler),
    customers: container.get(PORTS.Customers),
  };
}

/**
 * The settings of the use cases. Which form an enrollment URL takes follows each customer's LMS
 * record (docs/decisions/0004, 0015).
 */
export function serviceSettings(config: AppConfig): ServiceSettings {
  return {
    enrollmentUrls: {
      lmsBaseUrl: config.lmsBaseUrl,
      learnerPortalBaseUrl: config.learnerPortalBaseUrl,
      ecommerceBaseUrl: config.ecommerceBaseUrl,
    },
    freshness: freshnessPolicy(config),
    customerDetails: { maxAgeMs: config.lms.customerMaxAgeSeconds * 1000, waitMs: config.lms.readWaitMs },
  };
}

/** `CATALOG_FRESHNESS_HOURS` as a policy; the sweep's margin shrinks with a short window. */
function freshnessPolicy(config: AppConfig): FreshnessPolicy {
  const windowMs = config.freshnessHours * 3600_000;
  return { windowMs, marginMs: Math.min(DEFAULT_FRESHNESS.marginMs, windowMs / 6) };
}

/** Applies pending migrations on an ORM of their own (long statements), closed again at once. */
async function migrateAndLog(databaseUrl: string, config: AppConfig, logger: Logger): Promise<readonly string[]> {
  const orm = await createOrm({ databaseUrl, bounds: waitBounds(config.databaseTimeouts, "job"), poolSize: 2 });
  try {
    const applied = await migrate(orm);
    if (applied.length > 0) logger.info({ migrations: applied }, "migrations applied");
    return applied;
  } finally {
    await orm.close();
  }
}

/** Refuses a database with pending migrations: roles that do not migrate read and write only a current schema. */
async function requireMigrated(orm: Orm): Promise<void> {
  const pending = await pendingMigrations(orm);
  if (pending.length > 0) {
    throw new Error(`The database is not migrated (pending: ${pending.join(", ")}): run "catalog migrate" or start "catalog serve" once`);
  }
}

/**
 * The bounds of a pool: the request path's statements are short (an API answer should not wait
 * long for the database); job statements (a refresh of a large query, migrations) may run for minutes.
 */
function waitBounds(timeouts: DatabaseTimeouts, path: "request" | "job"): WaitBounds {
  return {
    connectMs: timeouts.connectMs,
    statementMs: path === "request" ? timeouts.statementMs : timeouts.jobStatementMs,
    idleInTransactionMs: timeouts.idleInTransactionMs,
  };
}
