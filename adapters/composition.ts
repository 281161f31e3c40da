/**
 * The composition root: the only place that knows which adapter serves which port. Inversify
 * wires it, decorator-free. Each request or job runs in its own unit of work: a child container
 * with a forked MikroORM EntityManager, so the stores never share an identity map.
 */
import { AsyncLocalStorage } from "node:async_hooks";
import { randomUUID } from "node:crypto";
import type { EntityManager } from "@mikro-orm/postgresql";
import { Container, type ServiceIdentifier } from "inversify";
import pg from "pg";
import type { PgBoss } from "pg-boss";
import type { Logger } from "pino";
import { CatalogService } from "../src/catalog/catalog_service.ts";
import { CatalogContentService } from "../src/content/catalog_content_service.ts";
import { LegacyCatalogService } from "../src/content/legacy_catalog_service.ts";
import { EnrollmentService } from "../src/enrollment/enrollment_service.ts";
import type { CatalogStore } from "../src/ports/catalog_store.ts";
import type { Clock } from "../src/ports/clock.ts";
import type { ContentReader } from "../src/ports/content_reader.ts";
import type { ContentStore } from "../src/ports/content_store.ts";
import type { DiscoveryClient } from "../src/ports/discovery_client.ts";
import type { EnrollmentLedger } from "../src/ports/enrollment_ledger.ts";
import type { IdGenerator } from "../src/ports/id_generator.ts";
import type { RefreshScheduler } from "../src/ports/refresh_scheduler.ts";
import { DEFAULT_FRESHNESS, RefreshService } from "../src/refresh/refresh_service.ts";
import type { AppConfig, DatabaseTimeouts } from "./config.ts";
import { type DatabaseHandle, openDatabase } from "./database.ts";
import { asDatabaseUnavailable } from "./database_unavailable.ts";
import { HttpDiscoveryClient } from "./discovery_http/http_discovery_client.ts";
import { LocalDiscoveryClient } from "./discovery_local/local_discovery_client.ts";
import { createLogger } from "./logger.ts";
import { MeteredDiscoveryClient, pgBossQueueDepths, ServiceMetrics } from "./metrics.ts";
import { PgBossRefreshScheduler, poolExecutor, startPgBoss } from "./pg_boss/pg_boss_refresh_scheduler.ts";
import type { WaitBounds } from "./postgres/bounded_pool.ts";
import { PostgresEnrollmentLedger } from "./postgres/postgres_enrollment_ledger.ts";
import { createOrm, migrate, type Orm } from "./postgres/orm.ts";
import { PostgresCatalogStore } from "./postgres/postgres_catalog_store.ts";
import type { UseCases } from "./http/use_cases.ts";
import { createReadPool, PostgresContentReader } from "./postgres/postgres_content_reader.ts";
import { PostgresContentStore } from "./postgres/postgres_content_store.ts";

/** The use cases, as one unit of work sees them (the same the HTTP handlers call). */
export type Services = UseCases;

/** Identifiers of everything the container holds. */
export const TOKENS = {
  Config: Symbol.for("Config") as ServiceIdentifier<AppConfig>,
  Logger: Symbol.for("Logger") as ServiceIdentifier<Logger>,
  Orm: Symbol.for("Orm") as ServiceIdentifier<Orm>,
  EntityManager: Symbol.for("EntityManager") as ServiceIdentifier<EntityManager>,
  Clock: Symbol.for("Clock") as ServiceIdentifier<Clock>,
  Ids: Symbol.for("IdGenerator") as ServiceIdentifier<IdGenerator>,
  Discovery: Symbol.for("DiscoveryClient") as ServiceIdentifier<DiscoveryClient>,
  Scheduler: Symbol.for("RefreshScheduler") as ServiceIdentifier<RefreshScheduler>,
  CatalogStore: Symbol.for("CatalogStore") as ServiceIdentifier<CatalogStore>,
  ContentStore: Symbol.for("ContentStore") as ServiceIdentifier<ContentStore>,
  EnrollmentLedger: Symbol.for("EnrollmentLedger") as ServiceIdentifier<EnrollmentLedger>,
  CatalogService: Symbol.for("CatalogService") as ServiceIdentifier<CatalogService>,
  RefreshService: Symbol.for("RefreshService") as ServiceIdentifier<RefreshService>,
  EnrollmentService: Symbol.for("EnrollmentService") as ServiceIdentifier<EnrollmentService>,
  ContentReader: Symbol.for("ContentReader") as ServiceIdentifier<ContentReader>,
  CatalogContentService: Symbol.for("CatalogContentService") as ServiceIdentifier<CatalogContentService>,
  LegacyCatalogService: Symbol.for("LegacyCatalogService") as ServiceIdentifier<LegacyCatalogService>,
} as const;

/** A running set of adapters: database, queue, discovery, and the use cases over them. */
export interface Runtime {
  readonly config: AppConfig;
  readonly logger: Logger;
  readonly database: DatabaseHandle;
  /** The ORM of the request path: statements bounded by `CATALOG_DB_STATEMENT_TIMEOUT_MS`. */
  readonly orm: Orm;
  /** The ORM of background work (refresh jobs, the sweep, migrations): `CATALOG_DB_JOB_STATEMENT_TIMEOUT_MS`. */
  readonly backgroundOrm: Orm;
  readonly boss: PgBoss;
  /** The refresh queue, as the use cases see it: enqueue and follow refresh jobs. */
  readonly scheduler: RefreshScheduler;
  /** The discovery adapter, metered. */
  readonly discovery: DiscoveryClient;
  /** This process's Prometheus metrics. */
  readonly metrics: ServiceMetrics;
  /**
   * Runs `work` in a new unit of work on the request path's pools; nested calls reuse the
   * surrounding one. A failure that says the database is unavailable leaves it as a
   * `DatabaseUnavailableError`.
   */
  withServices<T>(work: (services: Services) => Promise<T>): Promise<T>;
  /** As `withServices`, on the background pool, whose statements may run for long (refresh jobs, the sweep). */
  withBackgroundServices<T>(work: (services: Services) => Promise<T>): Promise<T>;
  /** The services of the unit of work the caller runs in (inside `withServices`). */
  currentServices(): Services;
  /** Stops pg-boss, closes the pools and releases the database, in that order. */
  close(options?: { graceful?: boolean; timeoutMs?: number }): Promise<void>;
}

/** What a caller may replace, mostly for tests. */
export interface RuntimeOptions {
  readonly logger?: Logger;
  readonly discovery?: DiscoveryClient;
  readonly clock?: Clock;
  /** Apply pending migrations on open (default true). */
  readonly migrate?: boolean;
  /** Seconds between pg-boss's cron checks (tests shorten it). */
  readonly cronMonitorIntervalSeconds?: number;
}

const SYSTEM_CLOCK: Clock = { now: () => new Date() };
/** Connections of the read API's pool; reads are single short statements. */
const READ_POOL_SIZE = 8;
/** Connections of the background ORM: two refresh jobs, the sweep, and one to spare. */
const BACKGROUND_POOL_SIZE = 4;
const RANDOM_IDS: IdGenerator = { uuid: () => randomUUID() };

/** Opens the database (embedded when `DATABASE_URL` is unset), migrates, starts pg-boss and wires the use cases. */
export async function openRuntime(config: AppConfig, options: RuntimeOptions = {}): Promise<Runtime> {
  const logger = options.logger ?? createLogger(config.logLevel);
  const database = await openDatabase(config, logger);
  const requestBounds = waitBounds(config.databaseTimeouts, "request");
  const backgroundBounds = waitBounds(config.databaseTimeouts, "background");
  let orm: Orm | undefined;
  let backgroundOrm: Orm | undefined;
  let readPool: pg.Pool | undefined;
  try {
    orm = await createOrm({ databaseUrl: database.url, bounds: requestBounds });
    backgroundOrm = await createOrm({ databaseUrl: database.url, bounds: backgroundBounds, poolSize: BACKGROUND_POOL_SIZE });
    // The read API's own pool: parameterised, prepared statements off the ORM (see PostgresContentReader).
    readPool = createReadPool(database.url, { size: READ_POOL_SIZE, bounds: requestBounds });
    readPool.on("error", (error) => logger.warn({ err: error }, "read pool connection error"));
    if (options.migrate ?? true) {
      const applied = await migrate(backgroundOrm);
      if (applied.length > 0) logger.info({ migrations: applied }, "migrations applied");
    }
    const boss = await startPgBoss({ databaseUrl: database.url, logger, bounds: backgroundBounds, cronMonitorIntervalSeconds: options.cronMonitorIntervalSeconds });
    // Refreshes asked for by a request are queued on the request path's pool, so they wait no longer than the request.
    const scheduler = new PgBossRefreshScheduler(boss, { db: poolExecutor(await orm.em.getConnection().getNativeClient()) });
    const metrics = new ServiceMetrics();
    const discovery = new MeteredDiscoveryClient(options.discovery ?? discoveryFor(config), metrics);
    const root = rootContainer({ config, logger, orm, scheduler, discovery, clock: options.clock ?? SYSTEM_CLOCK, readPool });
    const runtime = runtimeOver({ config, logger, database, orm, backgroundOrm, boss, scheduler, discovery, root, readPool, metrics });
    metrics.setSources({
      freshness: () => runtime.withServices((services) => services.refresh.freshness()),
      queues: () => pgBossQueueDepths(boss),
    });
    return runtime;
  } catch (error) {
    await readPool?.end().catch(() => {});
    await orm?.close().catch(() => {});
    await backgroundOrm?.close().catch(() => {});
    await database.release().catch(() => {});
    throw error;
  }
}

/**
 * The bounds of a pool: the request path's statements are short (an API answer should not wait
 * long for the database); background statements (a refresh of a large query, migrations) may run
 * for minutes.
 */
function waitBounds(timeouts: DatabaseTimeouts, path: "request" | "background"): WaitBounds {
  return {
    connectMs: timeouts.connectMs,
    statementMs: path === "request" ? timeouts.statementMs : timeouts.jobStatementMs,
    idleInTransactionMs: timeouts.idleInTransactionMs,
  };
}

/** The discovery adapter the configuration asks for: HTTP when `DISCOVERY_URL` is set, else the bundled corpus. */
export function discoveryFor(config: AppConfig): DiscoveryClient {
  if (config.discoveryUrl === undefined) return new LocalDiscoveryClient();
  return new HttpDiscoveryClient({ baseUrl: config.discoveryUrl, oauth: config.oauth2, ...config.discoveryHttp });
}

function rootContainer(parts: { config: AppConfig; logger: Logger; orm: Orm; scheduler: RefreshScheduler; discovery: DiscoveryClient; clock: Clock; readPool: pg.Pool }): Container {
  const c = new Container();
  c.bind(TOKENS.Config).toConstantValue(parts.config);
  c.bind(TOKENS.Logger).toConstantValue(parts.logger);
  c.bind(TOKENS.Orm).toConstantValue(parts.orm);
  c.bind(TOKENS.Clock).toConstantValue(parts.clock);
  c.bind(TOKENS.Ids).toConstantValue(RANDOM_IDS);
  c.bind(TOKENS.Discovery).toConstantValue(parts.discovery);
  c.bind(TOKENS.Scheduler).toConstantValue(parts.scheduler);
  const reader = new PostgresContentReader(parts.readPool);
  c.bind(TOKENS.ContentReader).toConstantValue(reader);
  // No per-request state: one instance serves every unit of work. The LMS enrollment-URL form is used
  // because the service knows no customer's learner-portal setting (docs/decisions/0004).
  c.bind(TOKENS.CatalogContentService).toConstantValue(new CatalogContentService({
    reader,
    enrollment: {
      lmsBaseUrl: parts.config.lmsBaseUrl,
      learnerPortalBaseUrl: parts.config.learnerPortalBaseUrl,
      ecommerceBaseUrl: parts.config.ecommerceBaseUrl,
      learnerPortalEnabled: () => false,
    },
  }));
  c.bind(TOKENS.LegacyCatalogService).toConstantValue(new LegacyCatalogService({ reader, lmsBaseUrl: parts.config.lmsBaseUrl }));
  // Everything below depends on the unit of work's EntityManager, so it stays transient: a
  // singleton would keep the first unit's EntityManager forever.
  c.bind(TOKENS.CatalogStore).toResolvedValue((em: EntityManager) => new PostgresCatalogStore(em), [TOKENS.EntityManager]);
  c.bind(TOKENS.ContentStore).toResolvedValue((em: EntityManager) => new PostgresContentStore(em), [TOKENS.EntityManager]);
  c.bind(TOKENS.EnrollmentLedger).toResolvedValue((em: EntityManager) => new PostgresEnrollmentLedger(em), [TOKENS.EntityManager]);
  c.bind(TOKENS.CatalogService).toResolvedValue(
    (catalogs: CatalogStore, scheduler: RefreshScheduler, clock: Clock, ids: IdGenerator) => new CatalogService({ catalogs, scheduler, clock, ids }),
    [TOKENS.CatalogStore, TOKENS.Scheduler, TOKENS.Clock, TOKENS.Ids],
  );
  c.bind(TOKENS.RefreshService).toResolvedValue(
    (catalogs: CatalogStore, content: ContentStore, discovery: DiscoveryClient, scheduler: RefreshScheduler, clock: Clock, ids: IdGenerator, config: AppConfig) =>
      new RefreshService({
        catalogs, content, discovery, scheduler, clock, ids,
        freshness: { windowMs: config.freshnessHours * 3600_000, marginMs: Math.min(DEFAULT_FRESHNESS.marginMs, config.freshnessHours * 3600_000 / 6) },
      }),
    [TOKENS.CatalogStore, TOKENS.ContentStore, TOKENS.Discovery, TOKENS.Scheduler, TOKENS.Clock, TOKENS.Ids, TOKENS.Config],
  );
  c.bind(TOKENS.EnrollmentService).toResolvedValue(
    (ledger: EnrollmentLedger, catalogs: CatalogStore, content: ContentStore, clock: Clock, ids: IdGenerator) =>
      new EnrollmentService({ ledger, catalogs, content, clock, ids }),
    [TOKENS.EnrollmentLedger, TOKENS.CatalogStore, TOKENS.ContentStore, TOKENS.Clock, TOKENS.Ids],
  );
  return c;
}

/**
 * One request's or job's use cases. Lazy: the child container and its forked EntityManager are built
 * on first use, so requests that only read (through the read API's own pool) or need no database
 * never pay for them. A class, so the getters live on the prototype instead of being new closures
 * for every request.
 */
class UnitOfWork implements Services {
  readonly content: CatalogContentService;
  readonly legacy: LegacyCatalogService;
  readonly #root: Container;
  readonly #orm: Orm;
  #child: Container | undefined;
  #catalogs: CatalogService | undefined;
  #refresh: RefreshService | undefined;
  #enrollment: EnrollmentService | undefined;

  constructor(root: Container, orm: Orm, content: CatalogContentService, legacy: LegacyCatalogService) {
    this.#root = root;
    this.#orm = orm;
    this.content = content;
    this.legacy = legacy;
  }

  get catalogs(): CatalogService {
    return this.#catalogs ??= this.#scoped(TOKENS.CatalogService);
  }

  get refresh(): RefreshService {
    return this.#refresh ??= this.#scoped(TOKENS.RefreshService);
  }

  get enrollment(): EnrollmentService {
    return this.#enrollment ??= this.#scoped(TOKENS.EnrollmentService);
  }

  #scoped<T>(token: ServiceIdentifier<T>): T {
    if (this.#child === undefined) {
      this.#child = new Container({ parent: this.#root });
      this.#child.bind(TOKENS.EntityManager).toConstantValue(this.#orm.em.fork());
    }
    return this.#child.get(token);
  }
}

function runtimeOver(parts: { config: AppConfig; logger: Logger; database: DatabaseHandle; orm: Orm; backgroundOrm: Orm; boss: PgBoss; scheduler: RefreshScheduler; discovery: DiscoveryClient; root: Container; readPool: pg.Pool; metrics: ServiceMetrics }): Runtime {
  const scope = new AsyncLocalStorage<Services>();
  const content = parts.root.get(TOKENS.CatalogContentService);
  const legacy = parts.root.get(TOKENS.LegacyCatalogService);
  // The one place where a failure of the database becomes DatabaseUnavailableError, for every unit of work.
  const inUnitOfWork = async <T>(orm: Orm, work: (services: Services) => Promise<T>): Promise<T> => {
    const current = scope.getStore();
    try {
      if (current !== undefined) return await work(current);
      const unit = new UnitOfWork(parts.root, orm, content, legacy);
      return await scope.run(unit, () => work(unit));
    } catch (error) {
      throw asDatabaseUnavailable(error);
    }
  };
  let closed: Promise<void> | undefined;
  return {
    config: parts.config,
    logger: parts.logger,
    database: parts.database,
    orm: parts.orm,
    backgroundOrm: parts.backgroundOrm,
    boss: parts.boss,
    scheduler: parts.scheduler,
    discovery: parts.discovery,
    metrics: parts.metrics,
    withServices: (work) => inUnitOfWork(parts.orm, work),
    withBackgroundServices: (work) => inUnitOfWork(parts.backgroundOrm, work),
    currentServices() {
      const current = scope.getStore();
      if (current === undefined) throw new TypeError("No unit of work: call currentServices() inside withServices()");
      return current;
    },
    close(options = {}) {
      closed ??= (async () => {
        await parts.boss.stop({ graceful: options.graceful ?? true, timeout: options.timeoutMs ?? 30_000, close: true })
          .catch((error) => parts.logger.warn({ err: error }, "pg-boss did not stop cleanly"));
        await parts.readPool.end().catch((error) => parts.logger.warn({ err: error }, "read pool did not close cleanly"));
        await parts.orm.close();
        await parts.backgroundOrm.close();
        await parts.database.release();
      })();
      return closed;
    },
  };
}
