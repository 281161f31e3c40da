/**
 * Authorization of every operation from its compiled `x-permission` (permissions.ts), so no handler
 * repeats it. `deny` is the one place that chooses between 403 and 404: a caller who belongs to
 * none of the owning enterprises learns nothing, not even that the thing exists.
 */
import type { CustomerScope } from "../../src/content/catalog_content_service.ts";
import { NotFoundError } from "../../src/errors.ts";
import type { UseCases } from "../../src/services.ts";
import { ALL_ENTERPRISES, type Caller } from "./caller.ts";
import { isSafeMethod, requireCsrfToken } from "./csrf.ts";
import type { Authenticator } from "./jwt.ts";
import { credentialsOf, EDX_JWT_COOKIES, type JwtCookieNames } from "./jwt_cookies.ts";
import type { OpenApiDocument, Operation } from "./openapi_document.ts";
import { compilePermissions, isOwnedKind, type PermissionRule, type PermissionSource } from "./permissions.ts";
import { RECORD_OWNERS } from "./record_owners.ts";
import { LEGACY_TEXTS } from "./legacy_texts.ts";
import { HttpProblem } from "./problem.ts";
import { callerOf, type RequestContext } from "./request_state.ts";

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
  /**
   * Before the body is read: sets `ctx.state.caller` from the `Authorization` header or the JWT
   * cookie pair (the header wins); 401 without valid credentials, 403 without the role anywhere,
   * and 403 for an unsafe request authenticated by cookies without the CSRF token.
   */
  authenticate(ctx: RequestContext, operation: Operation): Promise<void>;
  /**
   * After validation: checks the enterprise the operation names; 403 or 404 (see docs/decisions).
   * For a `scoped-catalog` operation it returns the limit its handler must answer within.
   */
  authorize(ctx: RequestContext, request: AuthorizedRequest): Promise<CatalogAccess | undefined>;
  /**
   * After a `scoped-catalog` handler found no catalog within its limit: looks the owner up and
   * throws 403 or 404 exactly as `authorize` does for `catalog:path:*`; returns when the caller may
   * read the catalog after all (it changed hands meanwhile), and the handler's answer stands.
   */
  explainMissingCatalog(ctx: RequestContext, request: AuthorizedRequest): Promise<void>;
}

/** The guard over the compiled permissions; throws TypeError at start-up for any operation without a valid one. */
export function createAccessGuard(api: OpenApiDocument, options: { authenticator: Authenticator; jwtCookies?: JwtCookieNames }): AccessGuard {
  const jwtCookies = options.jwtCookies ?? EDX_JWT_COOKIES;
  const rules = compilePermissions(api);
  const ruleOf = (operation: Operation): PermissionRule => {
    const rule = rules.get(operation.operationId);
    if (rule === undefined) throw new TypeError(`No permission rule for operation "${operation.operationId}"`);
    return rule;
  };
  return {
    async authenticate(ctx, operation) {
      const rule = ruleOf(operation);
      ctx.state.permissionRoles = rule.roles;
      if (rule.access === "public") return;
      const credentials = credentialsOf(ctx, jwtCookies);
      const caller = await options.authenticator.authenticate(credentials.authorization);
      // A browser's cookies go with every request a page elsewhere makes it send: changes need the token too.
      if (credentials.fromCookies && !isSafeMethod(ctx.method)) requireCsrfToken(ctx);
      ctx.state.caller = caller;
      if (rule.access === "authenticated") return;
      const decidedLater = rule.sources.some((source) => source.kind === "catalog" || source.kind === "scoped-catalog" || source.kind === "query" || isOwnedKind(source.kind));
      if (!decidedLater && !caller.hasRole(rule.roles)) throw forbidden();
    },
    async authorize(ctx, request) {
      const rule = ruleOf(request.operation);
      if (rule.access !== "role") return undefined;
      const caller = callerOf(ctx);
      let scope: CatalogAccess | undefined;
      for (const source of rule.sources) {
        scope = (await checkSource(caller, rule, source, request, rule.sources.length, ctx.state.services)) ?? scope;
      }
      return scope;
    },
    async explainMissingCatalog(ctx, request) {
      const rule = ruleOf(request.operation);
      const caller = callerOf(ctx);
      for (const source of rule.sources) {
        if (source.kind === "scoped-catalog") await checkCatalogOwner(caller, rule, request.params[source.param] ?? "", ctx.state.services);
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
async function catalogAccess(caller: Caller, rule: PermissionRule, catalogUuid: string, services: UseCases): Promise<CatalogAccess> {
  const enterprises = caller.enterprisesWith(rule.roles);
  if (enterprises === ALL_ENTERPRISES) return { customerUuid: undefined };
  if (enterprises.length === 1) return { customerUuid: enterprises[0] };
  await checkCatalogOwner(caller, rule, catalogUuid, services);
  return { customerUuid: undefined };
}

/**
 * Looks the catalog's owner up (through the read API's pooled, prepared lookup: one round trip, no
 * ORM); 404 when unknown or of an enterprise the caller has no role in, 403 when of one without the
 * needed role.
 */
async function checkCatalogOwner(caller: Caller, rule: PermissionRule, catalogUuid: string, services: UseCases): Promise<void> {
  const uuid = catalogUuid.toLowerCase();
  const owner = await services.content.catalogOwner(uuid);
  if (owner !== undefined && caller.can(rule.roles, owner)) return;
  throw deny(caller, owner === undefined ? [] : [owner], `Cannot find catalog "${uuid}"`);
}

/** The enterprises a `list` operation's results are limited to; undefined means every one (`*`). */
export function listScope(ctx: RequestContext): readonly string[] | undefined {
  const roles = ctx.state.permissionRoles;
  if (roles === undefined) throw new TypeError("listScope() needs an authenticated request of a list operation");
  const enterprises = callerOf(ctx).enterprisesWith(roles);
  return enterprises === ALL_ENTERPRISES ? undefined : enterprises;
}

/** The enterprises whose catalogs use the query, or undefined when there is no such query. */
async function queryEnterprises(services: UseCases, queryUuid: string): Promise<readonly string[] | undefined> {
  try {
    return await services.catalogs.customersUsingQuery(queryUuid);
  } catch (error) {
    if (error instanceof NotFoundError) return undefined;
    throw error;
  }
}

/** Checks one source; throws 403 or 404. A `scoped-catalog` source returns the limit its handler answers within. */
async function checkSource(
  caller: Caller,
  rule: PermissionRule,
  source: PermissionSource,
  request: AuthorizedRequest,
  sourceCount: number,
  services: UseCases,
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
        fieldErrors: [{ field: source.field, message: LEGACY_TEXTS.required }],
      });
    }
    case "catalog":
      await checkCatalogOwner(caller, rule, request.params[source.param] ?? "", services);
      return;
    case "scoped-catalog":
      return await catalogAccess(caller, rule, request.params[source.param] ?? "", services);
    case "query": {
      const uuid = (request.params[source.param] ?? "").toLowerCase();
      const users = await queryEnterprises(services, uuid);
      if (users !== undefined && (caller.enterprisesWith(rule.roles) === ALL_ENTERPRISES || users.some((enterprise) => caller.can(rule.roles, enterprise)))) return;
      throw deny(caller, users ?? [], `Cannot find catalog query "${uuid}"`);
    }
    case "curation":
    case "highlight-set":
    case "catalog-history":
    case "curation-history": {
      const uuid = (request.params[source.param] ?? "").toLowerCase();
      const owned = RECORD_OWNERS[source.kind];
      const owner = await owned.owner(services, uuid);
      if (owner !== undefined && caller.can(rule.roles, owner)) return;
      throw deny(caller, owner === undefined ? [] : [owner], owned.missing(uuid));
    }
  }
}

/**
 * The refusal of a caller without the role for a thing owned by these enterprises (none: there is
 * no such thing): 403 when the caller belongs to one of them, else the same 404 as for a thing that
 * does not exist, so existence never leaks across enterprises.
 */
export function deny(caller: Caller, owners: readonly string[], notFoundMessage: string): HttpProblem | NotFoundError {
  return owners.some((enterprise) => caller.belongsTo(enterprise)) ? forbidden() : new NotFoundError(notFoundMessage);
}

function forbidden(): HttpProblem {
  return new HttpProblem(403, LEGACY_TEXTS.permissionDenied);
}
