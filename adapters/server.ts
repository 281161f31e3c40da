/** The serving process: the HTTP API over the runtime's use cases, the refresh workers when its role runs jobs, and a graceful shutdown. */
import { createServer, type IncomingMessage, type Server, type ServerOptions, type ServerResponse } from "node:http";
import type { Duplex } from "node:stream";
import type { Runtime } from "./composition.ts";
import { buildHttpApp } from "./http/app.ts";
import { problem } from "./http/problem.ts";
import type { ReadinessChecks } from "./http/operations_routes.ts";
import { serveMetrics } from "./metrics.ts";
import { type RefreshWorkerOptions, startRefreshWorkers } from "./pg_boss/refresh_worker.ts";
import { pendingMigrations } from "./postgres/orm.ts";

/** Largest request head (request line and headers) accepted. */
export const MAX_HEADER_BYTES = 192 * 1024;

/**
 * The API's socket limits. Node's defaults let a client that trickles its headers hold a
 * connection for 60 s (and only check every 30 s), so a few hundred slow clients (slowloris) would
 * hold the server's sockets for a minute each: a request's head must arrive within 10 s, the whole
 * request (its largest body is 16 MiB) within 60 s, checked every second; a late one answers 408
 * and its connection closes.
 */
export const HTTP_SERVER_OPTIONS = Object.freeze({
  maxHeaderSize: MAX_HEADER_BYTES,
  headersTimeout: 10_000,
  requestTimeout: 60_000,
  connectionsCheckingInterval: 1_000,
} satisfies ServerOptions);

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
  /** Overrides the configured port (0 picks a free one). */
  readonly port?: number;
  /** Hooks and tuning for the in-process workers (role `serve-with-worker`). */
  readonly workerOptions?: WorkerTuning;
}

/** The parts of the worker options a caller may set. */
export type WorkerTuning = Pick<RefreshWorkerOptions, "onRefreshJob" | "onSweep" | "pollingIntervalSeconds" | "concurrency">;

/** Serves the API on the configured port; runs the refresh workers too when the runtime's role runs jobs. */
export async function startServer(runtime: Runtime, options: ServeOptions = {}): Promise<RunningServer> {
  const { config } = runtime;
  let shuttingDown = false;
  const app = buildHttpApp(runtime.services, {
    jwt: config.jwt,
    logger: runtime.logger,
    metrics: runtime.metrics,
    metricsOnApiPort: config.metricsPort === undefined,
    // Not ready while shutting down, so a load balancer stops sending before the port closes.
    readiness: () => (shuttingDown ? Promise.resolve({ process: "shutting down" }) : readiness(runtime)),
    etagSalt: `${config.lmsBaseUrl} ${config.learnerPortalBaseUrl}`,
    trustProxy: config.trustProxy,
    browser: config.browser,
  });
  if (runtime.jobServices !== undefined) await startWorkers(runtime, options.workerOptions);
  // Containment takes up to 2,000 keys in the query string: allow request lines far past Node's 16 KiB.
  const server = createServer(HTTP_SERVER_OPTIONS, app.callback());
  server.on("clientError", answerClientError);
  server.listen(options.port ?? config.port, config.host);
  await new Promise<void>((resolve, reject) => {
    server.once("listening", resolve);
    server.once("error", reject);
  });
  const address = server.address();
  const port = typeof address === "object" && address !== null ? address.port : 0;
  const metricsServer = config.metricsPort === undefined ? undefined : await serveMetrics(runtime.metrics, { port: config.metricsPort, host: config.host });
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

/** What Node's HTTP parser refuses before a request reaches the app, and what the answer says. */
const CLIENT_ERRORS: Readonly<Record<string, readonly [status: number, detail: string]>> = {
  HPE_HEADER_OVERFLOW: [431, `The request line and headers may not exceed ${MAX_HEADER_BYTES} bytes`],
  ERR_HTTP_REQUEST_TIMEOUT: [408, "The request did not arrive in time"],
};

/**
 * Answers a request Node's parser refused (a head too large, a request too slow, broken HTTP) with
 * a problem document like every other refusal, instead of Node's bare status line, and closes the
 * connection.
 */
export function answerClientError(error: Error & { code?: string }, socket: Duplex): void {
  if (error.code === "ECONNRESET" || !socket.writable) {
    socket.destroy();
    return;
  }
  const [status, detail] = CLIENT_ERRORS[error.code ?? ""] ?? [400, "The request is not valid HTTP"];
  const document = problem(status, detail);
  const body = JSON.stringify(document);
  socket.end(
    `HTTP/1.1 ${status} ${document.title}\r\nContent-Type: application/problem+json\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}

/** Runs the refresh and sweep workers in this process, with the runtime's job services; TypeError for a role that runs no jobs. */
export function startWorkers(runtime: Runtime, tuning: WorkerTuning = {}): Promise<void> {
  if (runtime.jobServices === undefined) throw new TypeError(`Role "${runtime.role}" runs no refresh jobs`);
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
    services: runtime.jobServices,
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
