/**
 * Browser access across origins, as django-cors-headers gives the reference
 * (`CORS_ORIGIN_WHITELIST`, `CORS_ALLOW_CREDENTIALS = True`): listed origins get credentialed
 * CORS answers and cached preflights; a browser request of an unsafe method from any other origin
 * (but the service's own) is refused before it reaches an operation, so a page elsewhere can never
 * make the caller's cookies change anything.
 */
import type Koa from "koa";
import { isSafeMethod } from "./csrf.ts";
import { HttpProblem } from "./problem.ts";

/** Who may call from a browser. */
export interface CorsPolicy {
  /** Exact origins, as `scheme://host[:port]`. */
  readonly allowedOrigins: readonly string[];
  /** Seconds a browser may cache a preflight answer. */
  readonly preflightMaxAgeSeconds: number;
}

/** The methods and request headers a preflight allows: django-cors-headers' defaults, plus edX's `use-jwt-cookie` and our request id. */
const ALLOWED_METHODS = "DELETE, GET, OPTIONS, PATCH, POST, PUT";
const ALLOWED_HEADERS = "accept, authorization, content-type, user-agent, x-csrftoken, x-requested-with, use-jwt-cookie, x-request-id";

/** The middleware enforcing the policy; put it in front of the operations. */
export function corsMiddleware(policy: CorsPolicy): Koa.Middleware {
  const allowed = new Set(policy.allowedOrigins);
  return async (ctx, next) => {
    const origin = ctx.get("origin");
    if (origin === "") return await next();
    ctx.vary("Origin");
    const listed = allowed.has(origin);
    const preflight = ctx.method === "OPTIONS" && ctx.get("access-control-request-method") !== "";
    if (preflight) {
      if (!listed) throw new HttpProblem(403, `Origin "${origin.slice(0, 200)}" may not call this service from a browser`);
      allowCredentialed(ctx, origin);
      ctx.set("Access-Control-Allow-Methods", ALLOWED_METHODS);
      ctx.set("Access-Control-Allow-Headers", ALLOWED_HEADERS);
      ctx.set("Access-Control-Max-Age", String(policy.preflightMaxAgeSeconds));
      ctx.status = 204;
      return;
    }
    if (listed) {
      allowCredentialed(ctx, origin);
    } else if (!isSafeMethod(ctx.method) && origin !== `${ctx.protocol}://${ctx.host}`) {
      throw new HttpProblem(403, `Origin "${origin.slice(0, 200)}" may not send ${ctx.method} requests to this service`);
    }
    await next();
  };
}

function allowCredentialed(ctx: Koa.Context, origin: string): void {
  ctx.set("Access-Control-Allow-Origin", origin);
  ctx.set("Access-Control-Allow-Credentials", "true");
}
