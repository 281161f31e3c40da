/** The serving process: HTTP API, optionally the refresh workers, and a graceful shutdown. */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { Runtime } from "./composition.ts";
import { createHttpApp } from "./http/app.ts";
import { apiDocsHandlers } from "./http/api_docs_routes.ts";
import { createAuthenticator } from "./http/jwt.ts";
import { accessLookups, createAccessGuard } from "./http/access_guard.ts";
import { catalogHandlers } from "./http/catalog_routes.ts";
import { contentHandlers } from "./http/content_routes.ts";
import { customerHandlers } from "./http/customer_routes.ts";
import { cachingAuthenticator } from "./http/token_cache.ts";
import { enrollmentHandlers } from "./http/enrollment_routes.ts";
import { legacyHandlers } from "./http/legacy_routes.ts";
import { openApiDocument } from "./http/openapi_document.ts";
import { metricsHandlers } from "./http/metrics_routes.ts";
import { operationsHandlers, type ReadinessChecks } from "./http/operations_routes.ts";
import { queryHandlers } from "./http/query_routes.ts";
import { type RefreshWorkerOptions, startRefreshWorkers } from "./pg_boss/refresh_worker.ts";
import { serveMetrics } from "./metrics.ts";
import { pendingMigrations } from "./postgres/orm.ts";

/** Largest request head (request line and headers) accepted. */
const MAX_HEADER_BYTES = 192 * 1024;

/** A listening API server. */
export interface RunningServer {
  readonly server: Server;
  readonly port: number;
  /** The port `/metrics` is served on when METRICS_PORT is set. */
  readonly metricsPort: number | undefined;
  /** Stops accepting connections, lets requests in flight finish, then closes the runtime. */
  stop(options?: { timeoutMs?: number }): Promise<void>;
}

/** How to serve. */
export interface ServeOptions {
  /** Run the refresh workers in this process too. */
  readonly worker: boolean;
  /** Overrides the configured port (0 picks a free one). */
  readonly port?: number;
  /** Hooks and tuning for the in-process workers. */
  readonly workerOptions?: WorkerTuning;
}

/** The parts of the worker options a caller may set. */
export type WorkerTuning = Pick<RefreshWorkerOptions, "onRefreshJob" | "onSweep" | "pollingIntervalSeconds" | "concurrency">;

/** Serves the API on the configured port; runs the refresh workers too when `worker` is true. */
export async function startServer(runtime: Runtime, options: ServeOptions): Promise<RunningServer> {
  const api = openApiDocument();
  const services = () => runtime.currentServices();
  const access = createAccessGuard(api, {
    // Verified tokens are remembered until they expire: verifying a signature costs more than a read.
    authenticator: cachingAuthenticator(createAuthenticator(runtime.config.jwt)),
    // A catalog's owner comes from the read API's pooled, prepared lookup: one round trip, no ORM.
    lookups: () => ({ ...accessLookups(services), catalogEnterprise: (uuid) => services().content.catalogOwner(uuid) }),
  });
  const metricsPort = runtime.config.metricsPort;
  let shuttingDown = false;
  const app = createHttpApp({
    api,
    access,
    logger: runtime.logger,
    trustProxy: runtime.config.trustProxy,
    requestScope: (work) => runtime.withServices(() => work()),
    onRequest: (event) => runtime.metrics.observeRequest(event),
    handlers: {
      // Not ready while shutting down, so a load balancer stops sending before the port closes.
      ...operationsHandlers(api, () => (shuttingDown ? Promise.resolve({ process: "shutting down" }) : readiness(runtime))),
      ...metricsHandlers(runtime.metrics, { onApiPort: metricsPort === undefined }),
      ...apiDocsHandlers(),
      ...catalogHandlers(services),
      ...queryHandlers(services),
      ...contentHandlers(services, { etagSalt: `${runtime.config.lmsBaseUrl} ${runtime.config.learnerPortalBaseUrl}` }),
      ...customerHandlers(services),
      ...enrollmentHandlers(services),
      ...legacyHandlers(services),
    },
  });
  if (options.worker) await startWorkers(runtime, options.workerOptions);
  // Containment takes up to 2,000 keys in the query string: allow request lines far past Node's 16 KiB.
  const server = createServer({ maxHeaderSize: MAX_HEADER_BYTES }, app.callback()).listen(options.port ?? runtime.config.port, runtime.config.host);
  await new Promise<void>((resolve, reject) => {
    server.once("listening", resolve);
    server.once("error", reject);
  });
  const address = server.address();
  const port = typeof address === "object" && address !== null ? address.port : 0;
  const metricsServer = metricsPort === undefined ? undefined : await serveMetrics(runtime.metrics, { port: metricsPort, host: runtime.config.host });
  // Keep-alive connections would outlive close() and even carry new requests; during shutdown every
  // response says `Connection: close` and each connection is closed as soon as it is idle.
  const inFlight = new Set<ServerResponse>();
  server.on("request", (_request: IncomingMessage, response: ServerResponse) => {
    if (shuttingDown) response.setHeader("Connection", "close");
    inFlight.add(response);
    response.once("close", () => {
      inFlight.delete(response);
      if (shuttingDown) setImmediate(() => server.closeIdleConnections());
    });
  });
  let stopping: Promise<void> | undefined;
  const metricsAddress = metricsServer?.address();
  return {
    server,
    port,
    metricsPort: typeof metricsAddress === "object" && metricsAddress !== null ? metricsAddress.port : undefined,
    stop({ timeoutMs = 25_000 } = {}) {
      stopping ??= (async () => {
        shuttingDown = true;
        for (const response of inFlight) if (!response.headersSent) response.setHeader("Connection", "close");
        // Stop accepting; requests in flight finish (their connections then close), bounded by the timeout.
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeIdleConnections();
        const deadline = setTimeout(() => server.closeAllConnections(), timeoutMs);
        await closed;
        clearTimeout(deadline);
        // Then running refresh jobs finish (pg-boss waits up to the timeout), then the ORM and the database close.
        await runtime.close({ graceful: true, timeoutMs });
        if (metricsServer !== undefined) await new Promise<void>((resolve) => metricsServer.close(() => resolve()));
      })();
      return stopping;
    },
  };
}

/** Runs the refresh and sweep workers in this process. */
export function startWorkers(runtime: Runtime, tuning: WorkerTuning = {}): Promise<void> {
  return startRefreshWorkers({
    ...tuning,
    onRefreshJob: (event) => {
      const durationMs = event.run === undefined ? undefined : event.run.finishedAt.getTime() - event.run.startedAt.getTime();
      runtime.metrics.observeRefreshJob({ outcome: event.outcome, durationMs });
      tuning.onRefreshJob?.(event);
    },
    boss: runtime.boss,
    logger: runtime.logger,
    sweepCron: runtime.config.sweepCron,
    withRefresh: (work) => runtime.withBackgroundServices((services) => work(services.refresh)),
  });
}

/** What `/ready` says when the database does not answer its check in time. */
const UNREACHABLE: ReadinessChecks = { database: "unreachable", migrations: "unknown" };

/** The readiness checks, answered within `CATALOG_READY_TIMEOUT_MS` even when the database cannot answer. */
async function readiness(runtime: Runtime): Promise<ReadinessChecks> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<ReadinessChecks>((resolve) => (timer = setTimeout(resolve, runtime.config.databaseTimeouts.readyMs, UNREACHABLE)));
  try {
    return await Promise.race([checkDatabase(runtime), late]);
  } finally {
    clearTimeout(timer);
  }
}

async function checkDatabase(runtime: Runtime): Promise<ReadinessChecks> {
  try {
    await runtime.orm.em.getConnection().execute("select 1");
  } catch {
    return UNREACHABLE;
  }
  const pending = await pendingMigrations(runtime.orm).catch(() => ["unknown"]);
  return { database: "ok", migrations: pending.length === 0 ? "ok" : `pending: ${pending.join(", ")}` };
}
