/**
 * Remembers verified tokens so that a client sending the same JWT again is not verified again.
 * Verifying an HS256/RS256 signature through WebCrypto costs more than a whole cached read answer;
 * a token is an immutable, signed value, so its verification result holds until it expires.
 */
import type { Authenticator } from "./jwt.ts";
import type { Caller } from "./caller.ts";

/** How long and how many verified tokens are kept. */
export interface TokenCacheOptions {
  /** Most tokens kept; the oldest go first. */
  readonly maxEntries?: number;
  /** A token is verified again at the latest after this long, even if it lives longer (key rotation). */
  readonly maxAgeMs?: number;
  /** The current time in milliseconds (tests step it). */
  readonly now?: () => number;
}

/**
 * Wraps an authenticator: a header it accepted before is accepted again without verifying, until
 * the token's `exp` or `maxAgeMs` after it was verified, whichever comes first. Refusals are never
 * remembered, so every bad token is checked (and refused) in full.
 */
export function cachingAuthenticator(inner: Authenticator, options: TokenCacheOptions = {}): Authenticator {
  const maxEntries = options.maxEntries ?? 10_000;
  const maxAgeMs = options.maxAgeMs ?? 5 * 60_000;
  const now = options.now ?? Date.now;
  const verified = new Map<string, { readonly caller: Caller; readonly until: number }>();
  return {
    async authenticate(authorization) {
      if (authorization !== undefined) {
        const hit = verified.get(authorization);
        if (hit !== undefined) {
          if (now() < hit.until) return hit.caller;
          verified.delete(authorization);
        }
      }
      const caller = await inner.authenticate(authorization);
      const expiresAt = expiryOf(authorization as string);
      if (expiresAt !== undefined) {
        if (verified.size >= maxEntries) verified.delete(verified.keys().next().value as string);
        verified.set(authorization as string, { caller, until: Math.min(expiresAt, now() + maxAgeMs) });
      }
      return caller;
    },
  };
}

/** The `exp` of the token in an accepted header, in milliseconds; undefined when it cannot be read. */
function expiryOf(authorization: string): number | undefined {
  const token = authorization.trim().split(/\s+/)[1] ?? "";
  const payload = token.split(".")[1];
  if (payload === undefined) return undefined;
  try {
    const claims = JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as { exp?: unknown };
    return typeof claims.exp === "number" && Number.isFinite(claims.exp) ? claims.exp * 1000 : undefined;
  } catch {
    return undefined;
  }
}
