/**
 * Authentication with edX JWTs: `Authorization: JWT <token>` or `Bearer <token>`, HS256 with
 * `JWT_SECRET_KEY` and RS256 with `JWT_PUBLIC_SIGNING_JWK_SET`; `exp` always, `iss` and `aud` when
 * configured. Failures are 401 problems with a `WWW-Authenticate` challenge. Also mints tokens.
 */
import { createLocalJWKSet, errors, type JSONWebKeySet, jwtVerify, type JWTVerifyGetKey, SignJWT } from "jose";
import type { AppConfig } from "../config.ts";
import { type Caller, callerFromClaims } from "./caller.ts";
import { LEGACY_TEXTS } from "./legacy_texts.ts";
import { HttpProblem } from "./problem.ts";

/** What verifying tokens needs: the configuration's `jwt` section. */
export type JwtSettings = AppConfig["jwt"];

/** Turns an `Authorization` header into a caller, or throws a 401 HttpProblem. */
export interface Authenticator {
  authenticate(authorization: string | undefined): Promise<Caller>;
}

/** The challenge every 401 carries; edX services answer `JWT realm="api"`. */
export const WWW_AUTHENTICATE = 'JWT realm="api", Bearer realm="api"';

/** Seconds of clock skew tolerated on `exp`, `nbf` and `iat` (edX's JWT_LEEWAY is 1). */
const LEEWAY_SECONDS = 1;
/** Longest token accepted; real edX tokens are a few kilobytes. */
const MAX_TOKEN_LENGTH = 8192;
const SCHEME = /^(JWT|Bearer)\s+(\S+)\s*$/i;

/** Builds the authenticator; throws TypeError when no key is configured, so nothing serves unauthenticated. */
export function createAuthenticator(settings: JwtSettings): Authenticator {
  const secret = settings.secretKey === undefined ? undefined : new TextEncoder().encode(settings.secretKey);
  const jwks = settings.publicSigningJwkSet === undefined
    ? undefined
    : createLocalJWKSet(JSON.parse(settings.publicSigningJwkSet) as JSONWebKeySet);
  if (secret === undefined && jwks === undefined) {
    throw new TypeError("No JWT key is configured: set JWT_SECRET_KEY or JWT_PUBLIC_SIGNING_JWK_SET");
  }
  const algorithms = [...(secret ? ["HS256"] : []), ...(jwks ? ["RS256"] : [])];
  const keyFor: JWTVerifyGetKey = async (header, token) => {
    if (header.alg === "HS256" && secret !== undefined) return secret;
    if (header.alg === "RS256" && jwks !== undefined) return jwks(header, token);
    throw new errors.JOSEAlgNotAllowed(`Algorithm "${String(header.alg)}" is not accepted`);
  };
  return {
    async authenticate(authorization) {
      if (authorization === undefined || authorization.trim() === "") throw unauthorized(LEGACY_TEXTS.notAuthenticated);
      const match = SCHEME.exec(authorization);
      if (match === null) throw unauthorized("Invalid Authorization header: expected \"JWT <token>\" or \"Bearer <token>\"");
      const token = match[2] as string;
      if (token.length > MAX_TOKEN_LENGTH) throw unauthorized(LEGACY_TEXTS.badToken);
      try {
        const { payload } = await jwtVerify(token, keyFor, {
          algorithms,
          issuer: settings.issuer,
          audience: settings.audience,
          requiredClaims: ["exp"],
          clockTolerance: LEEWAY_SECONDS,
        });
        return callerFromClaims(payload);
      } catch (error) {
        // The detail names the kind of failure only: never the token, its claims or the key.
        if (error instanceof errors.JWTExpired) throw unauthorized(LEGACY_TEXTS.signatureExpired);
        throw unauthorized(LEGACY_TEXTS.badToken);
      }
    },
  };
}

/** What a minted token says. */
export interface TokenClaims {
  /** `"<system role>:<enterprise uuid or *>"` entries. */
  readonly roles: readonly string[];
  readonly subject?: string;
  /** Lifetime in seconds; negative mints a token that has already expired (for tests). */
  readonly ttlSeconds?: number;
  /** The edX `administrator` claim (staff). */
  readonly administrator?: boolean;
  readonly now?: Date;
}

/** Signs an edX-style HS256 token with the configured secret (and its issuer and audience, when set). */
export async function mintToken(settings: Pick<JwtSettings, "secretKey" | "issuer" | "audience">, claims: TokenClaims): Promise<string> {
  if (settings.secretKey === undefined) throw new TypeError("Cannot sign a token: no JWT_SECRET_KEY is configured");
  const now = Math.floor((claims.now ?? new Date()).getTime() / 1000);
  const subject = claims.subject ?? "dev-user";
  let jwt = new SignJWT({
    roles: [...claims.roles],
    preferred_username: subject,
    administrator: claims.administrator ?? false,
    version: "1.2.0",
  })
    .setProtectedHeader({ alg: "HS256", typ: "JWT" })
    .setSubject(subject)
    .setIssuedAt(now)
    .setExpirationTime(now + (claims.ttlSeconds ?? 3600));
  if (settings.issuer !== undefined) jwt = jwt.setIssuer(settings.issuer);
  if (settings.audience !== undefined) jwt = jwt.setAudience(settings.audience);
  return await jwt.sign(new TextEncoder().encode(settings.secretKey));
}

/** Reads `90s`, `15m`, `1h`, `7d` or plain seconds; throws RangeError otherwise. */
export function parseDuration(text: string): number {
  const match = /^(\d{1,9})\s*([smhd]?)$/.exec(text.trim());
  if (match === null) throw new RangeError(`Invalid duration "${text}": use 90s, 15m, 1h or 7d`);
  const unit = { "": 1, s: 1, m: 60, h: 3600, d: 86_400 }[match[2] as "" | "s" | "m" | "h" | "d"];
  return Number(match[1]) * unit;
}

function unauthorized(detail: string): HttpProblem {
  return new HttpProblem(401, detail, { headers: { "WWW-Authenticate": WWW_AUTHENTICATE } });
}
