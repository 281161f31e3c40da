/**
 * Authentication with edX JWTs: `Authorization: JWT <token>` or `Bearer <token>`, HS256 with
 * `JWT_SECRET_KEY` and RS256 with `JWT_PUBLIC_SIGNING_JWK_SET`; `exp` always, `iss` and `aud` when
 * configured. Failures are 401 problems with a `WWW-Authenticate` challenge.
 *
 * Authorization of every operation from its `x-permission` in openapi.yaml, so no handler repeats it.
 */
import { createLocalJWKSet, errors, type JSONWebKeySet, jwtVerify, type JWTVerifyGetKey, SignJWT } from "jose";
import type Koa from "koa";
import type { CustomerScope } from "../../src/content/catalog_content_service.ts";
import { NotFoundError } from "../../src/errors.ts";
import type { AppConfig } from "../config.ts";
import { ALL_ENTERPRISES, type Caller, callerFromClaims, FEATURE_ROLES, type FeatureRole } from "./caller.ts";
import type { OpenApiDocument, Operation, PermissionSpec } from "./openapi_document.ts";
import { HttpProblem } from "./problem.ts";
import type { UseCasesOfRequest } from "./use_cases.ts";

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
      if (authorization === undefined || authorization.trim() === "") throw unauthorized("Authentication credentials were not provided.");
      const match = SCHEME.exec(authorization);
      if (match === null) throw unauthorized("Invalid Authorization header: expected \"JWT <token>\" or \"Bearer <token>\"");
      const token = match[2] as string;
      if (token.length > MAX_TOKEN_LENGTH) throw unauthorized("Error decoding token.");
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
        if (error instanceof errors.JWTExpired) throw unauthorized("Signature has expired.");
        throw unauthorized("Error decoding token.");
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

/** What authorizing needs to know about stored things, looked up in the request's unit of work. */
export interface AccessLookups {
  /** The enterprise customer owning the catalog, or undefined when there is no such catalog. */
  catalogEnterprise(catalogUuid: string): Promise<string | undefined>;
  /** The enterprises whose catalogs use the query, or undefined when there is no such query. */
  queryEnterprises(queryUuid: string): Promise<readonly string[] | undefined>;
}

/** The parts of a validated request authorizing reads. */
export interface AuthorizedRequest {
  readonly operation: Operation;
  readonly params: Readonly<Record<string, string>>;
  readonly body: unknown;
}

/**
 * What the handler of a `scoped-catalog` operation must pass on to its use case: the one customer
 * whose catalog it may answer about (a catalog of another customer is then answered as missing).
 * No `customerUuid`: no limit, because the caller holds the role for every enterprise or the catalog's
 * owner was already checked.
 */
export type CatalogAccess = CustomerScope;

/** Enforces every operation's `x-permission`, in two steps around body parsing and validation. */
export interface AccessGuard {
  /** Before the body is read: sets `ctx.state.caller`; 401 without valid credentials, 403 without the role anywhere. */
  authenticate(ctx: Koa.Context, operation: Operation): Promise<void>;
  /**
   * After validation: checks the enterprise the operation names; 403 or 404 (see docs/decisions).
   * For a `scoped-catalog` operation it returns the limit its handler must answer within.
   */
  authorize(ctx: Koa.Context, request: AuthorizedRequest): Promise<CatalogAccess | undefined>;
  /**
   * After a `scoped-catalog` handler found no catalog within its limit: looks the owner up and
   * throws 403 or 404 exactly as `authorize` does for `catalog:path:*`; returns when the caller may
   * read the catalog after all (it changed hands meanwhile), and the handler's answer stands.
   */
  explainMissingCatalog(ctx: Koa.Context, request: AuthorizedRequest): Promise<void>;
}

type Source =
  | { readonly kind: "path" | "catalog" | "scoped-catalog" | "query"; readonly param: string }
  | { readonly kind: "body"; readonly field: string }
  | { readonly kind: "list" | "none" };

interface Rule {
  readonly access: "public" | "authenticated" | "role";
  readonly roles: readonly FeatureRole[];
  readonly sources: readonly Source[];
}

/** DRF's text for a failed permission check. */
const FORBIDDEN_DETAIL = "You do not have permission to perform this action.";
const PSEUDO_ROLES = ["public", "authenticated"] as const;

/**
 * Compiles every operation's `x-permission`; throws TypeError listing each operation that lacks
 * one or has a malformed one, so no endpoint can be added without saying who may call it.
 */
export function createAccessGuard(api: OpenApiDocument, options: { authenticator: Authenticator; lookups: () => AccessLookups }): AccessGuard {
  const rules = compilePermissions(api);
  const ruleOf = (operation: Operation): Rule => {
    const rule = rules.get(operation.operationId);
    if (rule === undefined) throw new TypeError(`No permission rule for operation "${operation.operationId}"`);
    return rule;
  };
  return {
    async authenticate(ctx, operation) {
      const rule = ruleOf(operation);
      ctx.state.permissionRoles = rule.roles;
      if (rule.access === "public") return;
      const caller = await options.authenticator.authenticate(ctx.get("authorization") || undefined);
      ctx.state.caller = caller;
      if (rule.access === "authenticated") return;
      const decidedLater = rule.sources.some((source) => source.kind === "catalog" || source.kind === "scoped-catalog" || source.kind === "query");
      if (!decidedLater && !caller.hasRole(rule.roles)) throw forbidden();
    },
    async authorize(ctx, request) {
      const rule = ruleOf(request.operation);
      if (rule.access !== "role") return undefined;
      const caller = ctx.state.caller as Caller;
      let scope: CatalogAccess | undefined;
      for (const source of rule.sources) {
        scope = (await checkSource(caller, rule, source, request, rule.sources.length, options.lookups)) ?? scope;
      }
      return scope;
    },
    async explainMissingCatalog(ctx, request) {
      const rule = ruleOf(request.operation);
      const caller = ctx.state.caller as Caller;
      for (const source of rule.sources) {
        if (source.kind === "scoped-catalog") await checkCatalogOwner(caller, rule, request.params[source.param] ?? "", options.lookups);
      }
    },
  };
}

/**
 * The limit a `scoped-catalog` handler answers within. A caller with the role for every enterprise
 * needs none, and one with it for a single enterprise gets that enterprise: the handler's own read
 * then checks the owner, so authorizing costs no read of its own. Other callers (several
 * enterprises, or none) have the owner looked up first, as for `catalog:path:*`.
 */
async function catalogAccess(caller: Caller, rule: Rule, catalogUuid: string, lookups: () => AccessLookups): Promise<CatalogAccess> {
  const enterprises = caller.enterprisesWith(rule.roles);
  if (enterprises === ALL_ENTERPRISES) return { customerUuid: undefined };
  if (enterprises.length === 1) return { customerUuid: enterprises[0] };
  await checkCatalogOwner(caller, rule, catalogUuid, lookups);
  return { customerUuid: undefined };
}

/** Looks the catalog's owner up; 404 when unknown or of an enterprise the caller has no role in, 403 when of one without the needed role. */
async function checkCatalogOwner(caller: Caller, rule: Rule, catalogUuid: string, lookups: () => AccessLookups): Promise<void> {
  const uuid = catalogUuid.toLowerCase();
  const owner = await lookups().catalogEnterprise(uuid);
  // Unknown and not-yours look the same, so a catalog's existence never leaks across enterprises.
  const notFound = () => new NotFoundError(`Cannot find catalog "${uuid}"`);
  if (owner === undefined) throw notFound();
  if (caller.can(rule.roles, owner)) return;
  throw caller.belongsTo(owner) ? forbidden() : notFound();
}

/** The enterprises a `list` operation's results are limited to; undefined means every one (`*`). */
export function listScope(ctx: Koa.Context): readonly string[] | undefined {
  const caller = ctx.state.caller as Caller | undefined;
  const roles = ctx.state.permissionRoles as readonly FeatureRole[] | undefined;
  if (caller === undefined || roles === undefined) throw new TypeError("listScope() needs an authenticated request of a list operation");
  const enterprises = caller.enterprisesWith(roles);
  return enterprises === ALL_ENTERPRISES ? undefined : enterprises;
}

/** Lookups over the request's use cases. */
export function accessLookups(useCases: UseCasesOfRequest): AccessLookups {
  return {
    async catalogEnterprise(catalogUuid) {
      try {
        return (await useCases().catalogs.getCatalog(catalogUuid)).catalog.enterpriseCustomerUuid.toLowerCase();
      } catch (error) {
        if (error instanceof NotFoundError) return undefined;
        throw error;
      }
    },
    async queryEnterprises(queryUuid) {
      try {
        return await useCases().catalogs.customersUsingQuery(queryUuid);
      } catch (error) {
        if (error instanceof NotFoundError) return undefined;
        throw error;
      }
    },
  };
}

/** Checks one source; throws 403 or 404. A `scoped-catalog` source returns the limit its handler answers within. */
async function checkSource(
  caller: Caller,
  rule: Rule,
  source: Source,
  request: AuthorizedRequest,
  sourceCount: number,
  lookups: () => AccessLookups,
): Promise<CatalogAccess | undefined> {
  switch (source.kind) {
    case "none":
    case "list":
      if (!caller.hasRole(rule.roles)) throw forbidden();
      return;
    case "path": {
      if (!caller.can(rule.roles, request.params[source.param] ?? "")) throw forbidden();
      return;
    }
    case "body": {
      const body = request.body;
      const value = typeof body === "object" && body !== null && !Array.isArray(body) ? (body as Record<string, unknown>)[source.field] : undefined;
      if (typeof value === "string") {
        if (!caller.can(rule.roles, value)) throw forbidden();
        return;
      }
      // Absent next to another source (a PATCH that keeps the enterprise): nothing more to check.
      if (sourceCount > 1 && value === undefined) return;
      throw new HttpProblem(400, `Invalid request body: "${source.field}" must name an enterprise`, {
        fieldErrors: [{ field: source.field, message: "This field is required." }],
      });
    }
    case "catalog":
      await checkCatalogOwner(caller, rule, request.params[source.param] ?? "", lookups);
      return;
    case "scoped-catalog":
      return await catalogAccess(caller, rule, request.params[source.param] ?? "", lookups);
    case "query": {
      const uuid = (request.params[source.param] ?? "").toLowerCase();
      const users = await lookups().queryEnterprises(uuid);
      const notFound = () => new NotFoundError(`Cannot find catalog query "${uuid}"`);
      if (users === undefined) throw notFound();
      if (caller.enterprisesWith(rule.roles) === ALL_ENTERPRISES || users.some((enterprise) => caller.can(rule.roles, enterprise))) return;
      throw users.some((enterprise) => caller.belongsTo(enterprise)) ? forbidden() : notFound();
    }
  }
}

function compilePermissions(api: OpenApiDocument): Map<string, Rule> {
  const problems: string[] = [];
  const rules = new Map<string, Rule>();
  for (const operation of api.operations) {
    const name = `${operation.operationId} (${operation.method} ${operation.path})`;
    const spec = operation.permission;
    if (spec === undefined) {
      problems.push(`${name} has no x-permission`);
      continue;
    }
    const before = problems.length;
    const rule = compileRule(spec, operation, (problem) => problems.push(`${name}: ${problem}`));
    if (problems.length === before) rules.set(operation.operationId, rule);
  }
  if (problems.length > 0) throw new TypeError(`Every operation in openapi.yaml needs a valid x-permission:\n  - ${problems.join("\n  - ")}`);
  return rules;
}

function compileRule(spec: PermissionSpec, operation: Operation, problem: (text: string) => void): Rule {
  const pseudo = spec.roles.filter((role) => (PSEUDO_ROLES as readonly string[]).includes(role));
  const unknownRoles = spec.roles.filter((role) => !(PSEUDO_ROLES as readonly string[]).includes(role) && !(FEATURE_ROLES as readonly string[]).includes(role));
  if (spec.roles.length === 0) problem("x-permission.role is missing");
  if (unknownRoles.length > 0) problem(`unknown role ${unknownRoles.map((role) => `"${role}"`).join(", ")}; known: ${[...FEATURE_ROLES, ...PSEUDO_ROLES].join(", ")}`);
  if (pseudo.length > 0 && spec.roles.length > 1) problem(`role "${pseudo[0]}" cannot be combined with other roles`);
  const access = pseudo[0] === "public" ? "public" : pseudo[0] === "authenticated" ? "authenticated" : "role";
  const pathParams = new Set(operation.parameters.filter((parameter) => parameter.in === "path").map((parameter) => parameter.name));
  if (spec.enterprise.length === 0) problem("x-permission.enterprise is missing");
  const sources: Source[] = [];
  for (const text of spec.enterprise) {
    const [kind, ...rest] = text.split(":");
    const param = rest.join(":");
    if (text === "none" || text === "list") {
      sources.push({ kind: text });
    } else if (kind === "path" && pathParams.has(param)) {
      sources.push({ kind: "path", param });
    } else if ((kind === "catalog" || kind === "scoped-catalog" || kind === "query") && param.startsWith("path:") && pathParams.has(param.slice(5))) {
      sources.push({ kind, param: param.slice(5) });
    } else if (kind === "body" && param !== "" && operation.bodySchema !== undefined) {
      sources.push({ kind: "body", field: param });
    } else {
      problem(`enterprise "${text}" is not one of path:<param>, catalog:path:<param>, scoped-catalog:path:<param>, query:path:<param>, body:<field>, list, none (naming a path parameter or body field the operation has)`);
    }
  }
  const alone = sources.filter((source) => source.kind === "list" || source.kind === "none");
  if (alone.length > 0 && sources.length > 1) problem(`enterprise "${alone[0]?.kind}" cannot be combined with other sources`);
  if (access !== "role" && sources.some((source) => source.kind !== "none")) problem(`role "${access}" needs enterprise "none"`);
  return { access, roles: spec.roles.filter((role): role is FeatureRole => (FEATURE_ROLES as readonly string[]).includes(role)), sources };
}

function forbidden(): HttpProblem {
  return new HttpProblem(403, FORBIDDEN_DETAIL);
}
