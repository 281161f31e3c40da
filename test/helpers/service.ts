/** Boots the real service (Postgres, pg-boss, HTTP) on a throwaway database for a test file. */
import { randomBytes } from "node:crypto";
import { request as httpRequest } from "node:http";
import { type Logger, pino } from "pino";
import { loadConfig } from "../../adapters/config.ts";
import { openRuntime, type Runtime } from "../../adapters/composition.ts";
import { mintToken, type TokenClaims } from "../../adapters/http/jwt.ts";
import type { RefreshJobEvent } from "../../adapters/refresh_jobs.ts";
import { type RunningServer, startServer } from "../../adapters/server.ts";
import type { DiscoveryClient } from "../../src/ports/discovery_client.ts";
import { createTestDatabase } from "./database.ts";
import { assertDocumentedResponse } from "./openapi_responses.ts";

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

/** A running service and a client that checks every answer against openapi.yaml. */
export interface TestService {
  readonly runtime: Runtime;
  readonly server: RunningServer;
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
  /** Resolves with the next finished refresh job of the query (in-process worker only). */
  nextRefresh(queryUuid: string): Promise<RefreshJobEvent>;
  stop(): Promise<void>;
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

/** A response with its body parsed. */
export interface TestResponse {
  readonly status: number;
  readonly headers: Headers;
  readonly body: any;
}

/** How `startTestService` starts the service. */
export interface TestServiceOptions {
  readonly discovery?: DiscoveryClient;
  /** Run refresh workers in-process. */
  readonly worker?: boolean;
  readonly env?: Record<string, string>;
  readonly logger?: Logger;
  /** Serve this database (the caller's to drop) instead of a fresh one on the shared test server. */
  readonly databaseUrl?: string;
}

/** Starts the service with a fresh database; `worker` runs refresh workers in-process. */
export async function startTestService(options: TestServiceOptions = {}): Promise<TestService> {
  const database = options.databaseUrl === undefined ? await createTestDatabase() : { url: options.databaseUrl, drop: async () => {} };
  const config = loadConfig({
    DATABASE_URL: database.url, LOG_LEVEL: "silent", PORT: "0", HOST: "127.0.0.1",
    JWT_SECRET_KEY: randomBytes(32).toString("base64url"),
    ...options.env,
  });
  const token = (claims: TestTokenClaims = {}) => mintToken(
    { ...config.jwt, secretKey: claims.secret ?? config.jwt.secretKey },
    { roles: claims.roles ?? [], subject: claims.subject, administrator: claims.administrator, now: claims.now, ttlSeconds: claims.ttl ?? 3600 },
  );
  const operatorAuthorization = `JWT ${await token({ roles: ["enterprise_openedx_operator:*"], subject: "test-operator", ttl: 24 * 3600 })}`;
  const runtime = await openRuntime(config, {
    role: options.worker ? "serve-with-worker" : "serve", logger: options.logger ?? pino({ level: "silent" }), discovery: options.discovery,
  });
  const waiting = new Map<string, ((event: RefreshJobEvent) => void)[]>();
  const server = await startServer(runtime, {
    port: 0,
    workerOptions: {
      pollingIntervalSeconds: 0.5,
      onRefreshJob: (event) => {
        const listeners = waiting.get(event.queryUuid) ?? [];
        waiting.delete(event.queryUuid);
        for (const listener of listeners) listener(event);
      },
    },
  });
  const baseUrl = `http://127.0.0.1:${server.port}`;
  return {
    runtime,
    server,
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
    nextRefresh(queryUuid) {
      return new Promise((resolve) => waiting.set(queryUuid, [...(waiting.get(queryUuid) ?? []), resolve]));
    },
    async stop() {
      await server.stop({ timeoutMs: 5000 });
      await database.drop();
    },
  };
}
