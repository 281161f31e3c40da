/** The Koa application: request ids, logging, problem documents, then the document's operations. */
import { randomUUID } from "node:crypto";
import Koa from "koa";
import type { Logger } from "pino";
import type { AccessGuard } from "./access_guard.ts";
import type { OpenApiDocument } from "./openapi_document.ts";
import { type OperationHandler, operationRoutes } from "./operation_router.ts";
import { HttpProblem, problemFor } from "./problem.ts";

/** What the HTTP adapter needs from the composition root. */
export interface HttpAppOptions {
  readonly api: OpenApiDocument;
  readonly handlers: Readonly<Record<string, OperationHandler>>;
  /** Authentication and the `x-permission` of every operation. */
  readonly access: AccessGuard;
  readonly logger: Logger;
  /** Runs one request inside its unit of work (e.g. a forked ORM EntityManager). */
  readonly requestScope: <T>(work: () => Promise<T>) => Promise<T>;
  /** Trust `X-Forwarded-*` headers from a proxy in front. */
  readonly trustProxy?: boolean;
  /** Called once per finished request, for metrics. */
  readonly onRequest?: (event: { method: string; route: string | null; status: number; durationMs: number }) => void;
}

const REQUEST_ID = /^[\w.:-]{1,128}$/;

/** Builds the application; it does not listen. */
export function createHttpApp(options: HttpAppOptions): Koa {
  const app = new Koa({ proxy: options.trustProxy ?? false });
  app.silent = true;

  app.use(async (ctx, next) => {
    const started = performance.now();
    const offered = ctx.get("x-request-id");
    const requestId = REQUEST_ID.test(offered) ? offered : randomUUID();
    ctx.state.requestId = requestId;
    ctx.set("X-Request-ID", requestId);
    try {
      await options.requestScope(next);
      if (ctx.status === 404 && ctx.body === undefined) throw new HttpProblem(404, "Not found.");
    } catch (error) {
      const body = problemFor(error);
      ctx.status = body.status;
      for (const [name, value] of Object.entries(body.headers)) ctx.set(name, value);
      ctx.type = "application/problem+json";
      const { headers: _headers, ...document } = body;
      ctx.body = document;
      if (body.status >= 500) options.logger.error({ err: error, requestId }, "request failed");
    } finally {
      // No headers, query strings or bodies: tokens and secrets never reach a log line.
      const event = {
        method: ctx.method,
        route: (ctx.state.route as string | undefined) ?? null,
        status: ctx.status,
        durationMs: Math.round((performance.now() - started) * 100) / 100,
      };
      if (options.logger.isLevelEnabled("info")) {
        options.logger.info({ requestId, ...event, caller: (ctx.state.caller as { subject?: string } | undefined)?.subject ?? null }, "request");
      }
      options.onRequest?.(event);
    }
  });
  app.use(operationRoutes(options.api, options.handlers, { access: options.access }));
  return app;
}
