/**
 * The Koa application over the use cases: request ids, logging, one unit of work per request,
 * problem documents, then the document's operations and their handlers.
 */
import { randomUUID } from "node:crypto";
import Koa from "koa";
import type { Logger } from "pino";
import type { Services } from "../../src/services.ts";
import type { ServiceMetrics } from "../metrics.ts";
import { inUnitOfWork } from "../unit_of_work.ts";
import { createAccessGuard } from "./access_guard.ts";
import { browserHandlers } from "./browser_routes.ts";
import { corsMiddleware, type CorsPolicy } from "./cors.ts";
import { apiDocsHandlers } from "./api_docs_routes.ts";
import { catalogHandlers } from "./catalog_routes.ts";
import { contentHandlers } from "./content_routes.ts";
import { curationHandlers } from "./curation_routes.ts";
import { customerHandlers } from "./customer_routes.ts";
import { enrollmentHandlers } from "./enrollment_routes.ts";
import { highlightSetHandlers } from "./highlight_set_routes.ts";
import { createAuthenticator, type JwtSettings } from "./jwt.ts";
import type { JwtCookieNames } from "./jwt_cookies.ts";
import { legacyHandlers } from "./legacy_routes.ts";
import { LEGACY_TEXTS } from "./legacy_texts.ts";
import { metricsHandlers } from "./metrics_routes.ts";
import { type OpenApiDocument, openApiDocument } from "./openapi_document.ts";
import { operationRoutes } from "./operation_router.ts";
import type { OperationHandlers } from "./operation_types.ts";
import { operationsHandlers, type ReadinessChecks } from "./operations_routes.ts";
import { HttpProblem, problemFor } from "./problem.ts";
import { queryHandlers } from "./query_routes.ts";
import type { RequestState } from "./request_state.ts";
import { cachingAuthenticator } from "./token_cache.ts";

/** What the HTTP app needs besides the use cases. */
export interface HttpAppOptions {
  /** How to verify callers' JWTs. */
  readonly jwt: JwtSettings;
  readonly logger: Logger;
  /** Where requests are counted, and what `/metrics` shows. */
  readonly metrics: ServiceMetrics;
  /** Serve `/metrics` on the API port; false when it has a port of its own (it then answers 404 here). */
  readonly metricsOnApiPort: boolean;
  /** The checks `/ready` reports; ready when every one says "ok". */
  readonly readiness: () => Promise<ReadinessChecks>;
  /** Mixed into every content ETag: whatever else shapes the body (e.g. the LMS and learner-portal URLs). */
  readonly etagSalt: string;
  /** Trust `X-Forwarded-*` headers from a proxy in front. */
  readonly trustProxy?: boolean;
  /** The OpenAPI document; openapi.yaml by default. */
  readonly api?: OpenApiDocument;
  /** Browser access (the portals): CORS for listed origins and the JWT cookie names; no origin is listed by default. */
  readonly browser?: CorsPolicy & { readonly jwtCookies?: JwtCookieNames };
}

const REQUEST_ID = /^[\w.:-]{1,128}$/;

/** Builds the application over the use cases (any adapters: Postgres, memory); it does not listen. */
export function buildHttpApp(services: Services, options: HttpAppOptions): Koa<RequestState> {
  const api = options.api ?? openApiDocument();
  // Verified tokens are remembered until they expire: verifying a signature costs more than a read.
  const access = createAccessGuard(api, { authenticator: cachingAuthenticator(createAuthenticator(options.jwt)), jwtCookies: options.browser?.jwtCookies });
  const handlers = {
    ...operationsHandlers(api, options.readiness),
    ...metricsHandlers(options.metrics, { onApiPort: options.metricsOnApiPort }),
    ...apiDocsHandlers(),
    ...catalogHandlers(),
    ...queryHandlers(),
    ...contentHandlers({ etagSalt: options.etagSalt }),
    ...customerHandlers(),
    ...enrollmentHandlers(),
    ...legacyHandlers(),
    ...curationHandlers(),
    ...highlightSetHandlers(),
    ...browserHandlers(),
  } satisfies OperationHandlers;
  const { logger, metrics } = options;
  const app = new Koa<RequestState>({ proxy: options.trustProxy ?? false });
  app.silent = true;

  app.use(async (ctx, next) => {
    const started = performance.now();
    const offered = ctx.get("x-request-id");
    const requestId = REQUEST_ID.test(offered) ? offered : randomUUID();
    ctx.state.requestId = requestId;
    ctx.set("X-Request-ID", requestId);
    try {
      await inUnitOfWork(services, (useCases) => {
        ctx.state.services = useCases;
        return next();
      });
      if (ctx.status === 404 && ctx.body === undefined) throw new HttpProblem(404, LEGACY_TEXTS.notFound);
    } catch (error) {
      const body = problemFor(error);
      ctx.status = body.status;
      for (const [name, value] of Object.entries(body.headers)) ctx.set(name, value);
      ctx.type = "application/problem+json";
      // Keeping the connection would mean reading the unread rest of a body too large (50 MB, or
      // an endless chunked one, until the request timeout) only to throw it away: close it instead.
      if (body.status === 413) ctx.set("Connection", "close");
      const { headers: _headers, ...document } = body;
      ctx.body = document;
      if (body.status >= 500) logger.error({ err: error, requestId }, "request failed");
    } finally {
      // No headers, query strings or bodies: tokens and secrets never reach a log line.
      const event = {
        method: ctx.method,
        route: ctx.state.route ?? null,
        status: ctx.status,
        durationMs: Math.round((performance.now() - started) * 100) / 100,
      };
      if (logger.isLevelEnabled("info")) logger.info({ requestId, ...event, caller: ctx.state.caller?.subject ?? null }, "request");
      metrics.observeRequest(event);
    }
  });
  app.use(corsMiddleware(options.browser ?? { allowedOrigins: [], preflightMaxAgeSeconds: 0 }));
  app.use(operationRoutes(api, handlers, { access }));
  return app;
}
