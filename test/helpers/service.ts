/**
 * The service for a test file, on either backend: the HTTP app over the memory adapters, or the
 * real service (PostgreSQL, pg-boss, HTTP) on a throwaway database. Both answer through the same
 * client, which checks every answer against openapi.yaml.
 */
import { randomBytes } from "node:crypto";
import { createServer, request as httpRequest } from "node:http";
import pg from "pg";
import { type Logger, pino } from "pino";
import { openRuntime, type Runtime, serviceSettings } from "../../adapters/composition.ts";
import { type AppConfig, loadConfig } from "../../adapters/config.ts";
import { buildHttpApp } from "../../adapters/http/app.ts";
import { mintToken, type TokenClaims } from "../../adapters/http/jwt.ts";
import { type MemoryPorts, memoryPorts } from "../../adapters/memory/memory_ports.ts";
import { startMemoryRefreshWorker } from "../../adapters/memory/memory_refresh_worker.ts";
import { ServiceMetrics } from "../../adapters/metrics.ts";
import type { RefreshJobEvent } from "../../adapters/refresh_jobs.ts";
import { answerClientError, HTTP_SERVER_OPTIONS, type RunningServer, startServer } from "../../adapters/server.ts";
import type { CustomerDirectory } from "../../src/ports/customer_directory.ts";
import type { DiscoveryClient } from "../../src/ports/discovery_client.ts";
import { createServices } from "../../src/services.ts";
import { createTestDatabase } from "./database.ts";
import { assertDocumentedResponse } from "./openapi_responses.ts";

/** Where a test service keeps its data. */
export type Backend = "memory" | "postgres";

/** Both backends, for `describe.each`. */
export const BACKENDS: readonly Backend[] = ["memory", "postgres"];

/** How `call` sends a request. */
export interface CallInit {
  readonly body?: unknown;
  readonly rawBody?: string;
  /** An `authorization` header here replaces the default operator token. */
  readonly headers?: Record<string, string>;
  /** Send no credentials at all. */
  readonly anonymous?: boolean;
}

/** What `token` puts in a test token; roles default to none. */
export interface TestTokenClaims extends Partial<Omit<TokenClaims, "ttlSeconds">> {
  /** Lifetime in seconds (default 1 h); negative for an expired token. */
  readonly ttl?: number;
  /** Sign with this secret instead of the service's (a wrong signature). */
  readonly secret?: string;
}

/** A response with its body parsed. */
export interface TestResponse {
  readonly status: number;
  readonly headers: Headers;
  readonly body: any;
}

/** A running service and a client that checks every answer against openapi.yaml. */
interface TestServiceBase {
  readonly baseUrl: string;
  /**
   * Sends a request; the response is checked against the operation's documented responses. It
   * carries an `enterprise_openedx_operator:*` token unless `init.headers.authorization` is given
   * or `init.anonymous` is set.
   */
  call(operationId: string, method: string, path: string, init?: CallInit): Promise<TestResponse>;
  /** Mints a JWT the service accepts (unless `secret` or a negative `ttl` says otherwise). */
  token(claims?: TestTokenClaims): Promise<string>;
  /** The `Authorization` header value for a token with these roles. */
  authorization(claims?: TestTokenClaims): Promise<string>;
  /** Resolves with the query's oldest finished refresh job not yet handed out, or the next to finish (with `worker` only). */
  nextRefresh(queryUuid: string): Promise<RefreshJobEvent>;
  /** Every stored row and every queued refresh, as text: equal before and after means nothing was written. */
  storedState(): Promise<Readonly<Record<string, string>>>;
  stop(): Promise<void>;
}

/** The real service on PostgreSQL. */
export interface PostgresTestService extends TestServiceBase {
  readonly backend: "postgres";
  readonly runtime: Runtime;
  readonly server: RunningServer;
}

/** The HTTP app over the memory adapters. */
export interface MemoryTestService extends TestServiceBase {
  readonly backend: "memory";
  readonly ports: MemoryPorts;
}

/** A test service on either backend. */
export type TestService = PostgresTestService | MemoryTestService;

/** How to start a test service. */
export interface TestServiceOptions {
  readonly discovery?: DiscoveryClient;
  /** The LMS's customers; by default as configured (no LMS: the local directory, memory: the memory directory). */
  readonly customers?: CustomerDirectory;
  /** Run refresh workers in-process. */
  readonly worker?: boolean;
  readonly env?: Record<string, string>;
  readonly logger?: Logger;
  /** PostgreSQL only: serve this database (the caller's to drop) instead of a fresh one on the shared test server. */
  readonly databaseUrl?: string;
}

/** Starts the service on the backend named. */
export function startService(backend: Backend, options: TestServiceOptions = {}): Promise<TestService> {
  return backend === "memory" ? startMemoryService(options) : startTestService(options);
}

/** Starts the real service with a fresh database; `worker` runs refresh workers in-process. */
export async function startTestService(options: TestServiceOptions = {}): Promise<PostgresTestService> {
  const database = options.databaseUrl === undefined ? await createTestDatabase() : { url: options.databaseUrl, drop: async () => {} };
  const config = testConfig({ DATABASE_URL: database.url, ...options.env });
  const refreshes = refreshWaiters();
  const runtime = await openRuntime(config, {
    role: options.worker ? "serve-with-worker" : "serve", logger: options.logger ?? pino({ level: "silent" }), discovery: options.discovery,
    customers: options.customers,
  });
  const server = await startServer(runtime, { port: 0, workerOptions: { pollingIntervalSeconds: 0.5, onRefreshJob: refreshes.finished } });
  return {
    backend: "postgres",
    runtime,
    server,
    ...(await testClient(`http://127.0.0.1:${server.port}`, config)),
    nextRefresh: refreshes.next,
    storedState: () => postgresState(database.url),
    async stop() {
      await server.stop({ timeoutMs: 5000 });
      await database.drop();
    },
  };
}

/** Starts the HTTP app over the memory adapters, on a port of its own; `worker` runs the memory refresh worker. */
export async function startMemoryService(options: TestServiceOptions = {}): Promise<MemoryTestService> {
  const config = testConfig(options.env ?? {});
  const logger = options.logger ?? pino({ level: "silent" });
  const ports = memoryPorts({ discovery: options.discovery });
  const services = createServices({ ...ports, customers: options.customers ?? ports.customers }, serviceSettings(config));
  const refreshes = refreshWaiters();
  const worker = options.worker ? startMemoryRefreshWorker(ports.scheduler, services, { logger, onRefreshJob: refreshes.finished }) : undefined;
  const app = buildHttpApp(services, {
    jwt: config.jwt, logger, metrics: new ServiceMetrics(), metricsOnApiPort: true,
    // The memory adapters have nothing that can be unreachable.
    readiness: async () => ({}),
    etagSalt: `${config.lmsBaseUrl} ${config.learnerPortalBaseUrl}`,
    browser: config.browser,
  });
  const server = createServer(HTTP_SERVER_OPTIONS, app.callback());
  server.on("clientError", answerClientError);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  const port = typeof address === "object" && address !== null ? address.port : 0;
  return {
    backend: "memory",
    ports,
    ...(await testClient(`http://127.0.0.1:${port}`, config)),
    nextRefresh: refreshes.next,
    storedState: async () => memoryState(ports),
    async stop() {
      await worker?.stop();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}

/** The service's configuration for a test: silent, on a free local port, with a key of its own. */
function testConfig(env: Record<string, string>): AppConfig {
  return loadConfig({ LOG_LEVEL: "silent", PORT: "0", HOST: "127.0.0.1", JWT_SECRET_KEY: randomBytes(32).toString("base64url"), ...env });
}

/** The client half of a test service: requests checked against the document, and tokens. */
async function testClient(baseUrl: string, config: AppConfig): Promise<Pick<TestServiceBase, "baseUrl" | "call" | "token" | "authorization">> {
  const token = (claims: TestTokenClaims = {}) => mintToken(
    { ...config.jwt, secretKey: claims.secret ?? config.jwt.secretKey },
    { roles: claims.roles ?? [], subject: claims.subject, administrator: claims.administrator, now: claims.now, ttlSeconds: claims.ttl ?? 3600 },
  );
  const operatorAuthorization = `JWT ${await token({ roles: ["enterprise_openedx_operator:*"], subject: "test-operator", ttl: 24 * 3600 })}`;
  return {
    baseUrl,
    async call(operationId, method, path, init = {}) {
      const headers: Record<string, string> = { ...init.headers };
      if (!init.anonymous && !Object.keys(headers).some((name) => name.toLowerCase() === "authorization")) {
        headers.authorization = operatorAuthorization;
      }
      let body: string | undefined = init.rawBody;
      if (init.body !== undefined) {
        body = JSON.stringify(init.body);
        headers["content-type"] ??= "application/json";
      } else if (body !== undefined) {
        headers["content-type"] ??= "application/json";
      }
      const response = method === "GET" && body !== undefined
        ? await getWithBody(`${baseUrl}${path}`, headers, body)
        : await fetch(`${baseUrl}${path}`, { method, headers, body });
      const text = await response.text();
      const contentType = response.headers.get("content-type");
      const parsed = text === "" ? undefined : /json/.test(contentType ?? "") ? JSON.parse(text) : text;
      assertDocumentedResponse(operationId, response.status, text === "" ? null : contentType, parsed);
      return { status: response.status, headers: response.headers, body: parsed };
    },
    token,
    async authorization(claims) {
      return `JWT ${await token(claims)}`;
    },
  };
}

/**
 * Finished refresh jobs per query, handed out in order: `next` takes the query's oldest one not yet
 * taken, or waits for the next to finish (a refresh may finish before the test asks, as the memory
 * worker's usually do); `finished` is the workers' hook.
 */
function refreshWaiters() {
  const unclaimed = new Map<string, RefreshJobEvent[]>();
  const waiting = new Map<string, ((event: RefreshJobEvent) => void)[]>();
  return {
    next(queryUuid: string): Promise<RefreshJobEvent> {
      const finished = unclaimed.get(queryUuid)?.shift();
      if (finished !== undefined) return Promise.resolve(finished);
      return new Promise((resolve) => waiting.set(queryUuid, [...(waiting.get(queryUuid) ?? []), resolve]));
    },
    finished(event: RefreshJobEvent): void {
      const listeners = waiting.get(event.queryUuid) ?? [];
      waiting.delete(event.queryUuid);
      if (listeners.length === 0) unclaimed.set(event.queryUuid, [...(unclaimed.get(event.queryUuid) ?? []), event]);
      for (const listener of listeners) listener(event);
    },
  };
}

/** `fetch` refuses a GET with a body, which the reference's get_content_filter_hash expects. */
function getWithBody(url: string, headers: Record<string, string>, body: string): Promise<Response> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(url, { method: "GET", headers: { ...headers, "content-length": String(Buffer.byteLength(body)) } }, (incoming) => {
      const chunks: Buffer[] = [];
      incoming.on("data", (chunk: Buffer) => chunks.push(chunk));
      incoming.on("end", () => {
        const responseHeaders = new Headers();
        for (const [name, value] of Object.entries(incoming.headers)) if (typeof value === "string") responseHeaders.set(name, value);
        resolve(new Response(Buffer.concat(chunks), { status: incoming.statusCode ?? 0, headers: responseHeaders }));
      });
    });
    request.on("error", reject);
    request.end(body);
  });
}

/** Row count and checksum of every table of ours, and the number of refresh jobs queued. */
async function postgresState(databaseUrl: string): Promise<Record<string, string>> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const tables = await client.query<{ name: string }>(
      "select quote_ident(table_name) as name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE' order by 1",
    );
    const result: Record<string, string> = {};
    for (const { name } of tables.rows) {
      const row = await client.query<{ n: string; sum: string | null }>(`select count(*) as n, md5(string_agg(t::text, '|' order by t::text)) as sum from ${name} t`);
      result[name] = `${row.rows[0]?.n}:${row.rows[0]?.sum}`;
    }
    const jobs = await client.query<{ n: string }>("select count(*) as n from pgboss.job where name like 'catalog-%'");
    result["pgboss.job"] = jobs.rows[0]?.n ?? "?";
    return result;
  } finally {
    await client.end();
  }
}

/** Every memory table, the ledger and the waiting refreshes, as JSON per table. */
function memoryState(ports: MemoryPorts): Record<string, string> {
  const json = (value: unknown) => JSON.stringify(value, (_key, item: unknown) => (item instanceof Map ? [...item] : item instanceof Set ? [...item] : item));
  const tables: Record<string, string> = Object.fromEntries(Object.entries(ports.database.tables).map(([name, table]) => [name, json(table)]));
  for (const [name, rows] of Object.entries(ports.ledger.contents())) tables[`ledger.${name}`] = json(rows);
  tables["scheduler.waiting"] = json(ports.scheduler.waiting());
  return tables;
}
