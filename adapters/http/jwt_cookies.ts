/**
 * Where a request's JWT comes from: the `Authorization` header, or, for browsers, the two cookies
 * edX splits it into (header and payload in one, signature in the other), rejoined as
 * edx-drf-extensions' `JwtAuthCookieMiddleware` does. A `JWT`/`Bearer` header wins over the cookies.
 */
import type Koa from "koa";

/** The names of the two JWT cookies. */
export interface JwtCookieNames {
  readonly headerPayload: string;
  readonly signature: string;
}

/** The cookie names edX sets by default. */
export const EDX_JWT_COOKIES: JwtCookieNames = Object.freeze({
  headerPayload: "edx-jwt-cookie-header-payload",
  signature: "edx-jwt-cookie-signature",
});

/** What the request authenticates with: an `Authorization` value, and whether it was rebuilt from the cookies. */
export interface RequestCredentials {
  readonly authorization: string | undefined;
  readonly fromCookies: boolean;
}

const JWT_SCHEME = /^\s*(JWT|Bearer)\s/i;

/**
 * The header when it carries a `JWT` or `Bearer` token; otherwise the cookie pair when both are
 * present (one alone is ignored, as the middleware ignores it); otherwise whatever header there is.
 */
export function credentialsOf(ctx: Koa.Context, names: JwtCookieNames): RequestCredentials {
  const header = ctx.get("authorization");
  if (JWT_SCHEME.test(header)) return { authorization: header, fromCookies: false };
  const headerPayload = ctx.cookies.get(names.headerPayload);
  const signature = ctx.cookies.get(names.signature);
  if (headerPayload && signature) return { authorization: `JWT ${headerPayload}.${signature}`, fromCookies: true };
  return { authorization: header === "" ? undefined : header, fromCookies: false };
}
