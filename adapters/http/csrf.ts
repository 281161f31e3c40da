/**
 * CSRF protection for browsers that authenticate with the JWT cookies, as edx-drf-extensions
 * enforces it for cookie-authenticated JWTs: an unsafe request must carry in `X-CSRFToken` the
 * token of the service's CSRF cookie, which `GET /csrf/api/v1/token` (edx-drf-extensions' csrf
 * app, which frontend-platform calls before every unsafe request) hands out.
 */
import { randomBytes, timingSafeEqual } from "node:crypto";
import type Koa from "koa";
import { LEGACY_TEXTS } from "./legacy_texts.ts";
import { HttpProblem } from "./problem.ts";

/** The reference's `CSRF_COOKIE_NAME`. */
export const CSRF_COOKIE = "catalog_csrftoken";
/** The header frontend-platform sends the token in. */
export const CSRF_HEADER = "x-csrftoken";
/** Django keeps the CSRF cookie a year. */
const CSRF_COOKIE_MAX_AGE_MS = 365 * 24 * 3600_000;
const TOKEN = /^[A-Za-z0-9_-]{32,64}$/;

/** Methods that change nothing and need no token. */
export function isSafeMethod(method: string): boolean {
  return method === "GET" || method === "HEAD" || method === "OPTIONS" || method === "TRACE";
}

/** The request's CSRF token, reusing the cookie's when it has a sane one, and sets the cookie. */
export function issueCsrfToken(ctx: Koa.Context): string {
  const current = ctx.cookies.get(CSRF_COOKIE);
  const token = current !== undefined && TOKEN.test(current) ? current : randomBytes(32).toString("base64url");
  ctx.cookies.set(CSRF_COOKIE, token, { httpOnly: false, sameSite: "lax", secure: ctx.secure, path: "/", maxAge: CSRF_COOKIE_MAX_AGE_MS, overwrite: true });
  return token;
}

/** Throws 403 with Django's texts unless `X-CSRFToken` equals the CSRF cookie. */
export function requireCsrfToken(ctx: Koa.Context): void {
  const cookie = ctx.cookies.get(CSRF_COOKIE);
  if (cookie === undefined || cookie === "") throw new HttpProblem(403, LEGACY_TEXTS.csrfCookieNotSet);
  const header = ctx.get(CSRF_HEADER);
  if (header === "") throw new HttpProblem(403, LEGACY_TEXTS.csrfTokenMissing);
  const given = Buffer.from(header);
  const expected = Buffer.from(cookie);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw new HttpProblem(403, LEGACY_TEXTS.csrfTokenIncorrect);
}
