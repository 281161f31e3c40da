/** Binds each operation of the OpenAPI document to its handler, with validation in front. */
import { bodyParser } from "@koa/bodyparser";
import Router from "@koa/router";
import type Koa from "koa";
import type { AccessGuard, CatalogAccess } from "./access_guard.ts";
import type { OpenApiDocument, Operation } from "./openapi_document.ts";
import type { OperationHandlers } from "./operation_types.ts";
import type { RequestContext, RequestState } from "./request_state.ts";
import { NotFoundError } from "../../src/errors.ts";
import { HttpProblem } from "./problem.ts";
import { formBodyReader, isFormRequest } from "./form_body.ts";
import { compileRequestValidators } from "./request_validation.ts";
import { RouteGroups, withoutTrailingSlash } from "./route_groups.ts";

/** What the router knows of a request before its operation's types apply (see `ValidatedRequest`). */
interface UntypedRequest {
  readonly operation: Operation;
  readonly params: Readonly<Record<string, string>>;
  readonly query: Readonly<Record<string, string | readonly string[] | undefined>>;
  readonly body: unknown;
  readonly rawBody: string | undefined;
  readonly url: URL;
  readonly catalogAccess: CatalogAccess | undefined;
}

/** A handler as the router calls it. */
type UntypedHandler = (ctx: RequestContext, request: UntypedRequest) => Promise<void> | void;

/** Largest JSON body accepted. */
export const MAX_BODY_BYTES = 1024 * 1024;

/** The routers of one group of paths (see `RouteGroups`): routes, then 405 for a known path's other methods. */
interface RouterGroup {
  readonly router: Router;
  readonly routes: Koa.Middleware;
  readonly allowedMethods: Koa.Middleware;
}

/**
 * Builds the middleware serving every operation in the document. Throws at start-up when an
 * operation has no handler or a handler has no operation, so code and document cannot drift apart.
 * Every route authenticates before reading the body and authorizes (`access`) before its handler
 * runs. A path no operation has falls through to `next`; a known path with another method gets 405.
 */
export function operationRoutes(api: OpenApiDocument, typedHandlers: OperationHandlers, options: { access: AccessGuard }): Koa.Middleware<RequestState> {
  const { access } = options;
  // Validation against each operation's schemas makes every request match its handler's types.
  const handlers = typedHandlers as unknown as Readonly<Record<string, UntypedHandler>>;
  const operationIds = new Set(api.operations.map((operation) => operation.operationId));
  const unhandled = [...operationIds].filter((id) => !(id in handlers));
  const unknown = Object.keys(handlers).filter((id) => !operationIds.has(id));
  if (unhandled.length > 0 || unknown.length > 0) {
    throw new TypeError(`Handlers and openapi.yaml disagree: no handler for [${unhandled.join(", ")}], no operation for [${unknown.join(", ")}]`);
  }
  const validators = compileRequestValidators(api);
  const groups = new RouteGroups<RouterGroup>();
  const newGroup = (): RouterGroup => {
    const router = new Router({ exclusive: "specificity" });
    const methodNotAllowed = () => new HttpProblem(405, "Method not allowed.");
    // The router's types ask for the `params` its own middleware adds; any Koa context will do.
    return {
      router,
      routes: router.routes() as unknown as Koa.Middleware,
      allowedMethods: router.allowedMethods({ throw: true, methodNotAllowed, notImplemented: methodNotAllowed }) as unknown as Koa.Middleware,
    };
  };
  const parsers = new Map<number, ReturnType<typeof bodyParser>>();
  const jsonParser = (limit: number) => {
    let parser = parsers.get(limit);
    if (parser === undefined) {
      parser = bodyParser({ enableTypes: ["json"], jsonLimit: limit, parsedMethods: ["POST", "PUT", "PATCH", "GET", "DELETE"], encoding: "utf-8" });
      parsers.set(limit, parser);
    }
    return parser;
  };
  for (const operation of api.operations) {
    const validator = validators.get(operation.operationId);
    const handler = handlers[operation.operationId];
    if (validator === undefined || handler === undefined) continue;
    const path = koaPath(operation.path);
    const parseJson = jsonParser(maxBodyBytes(operation));
    const readForm = operation.bodyAcceptsForm ? formBodyReader(maxBodyBytes(operation)) : undefined;
    const notFound = notFoundDetail(operation);
    const readBody = operation.bodySchema === undefined
      ? undefined
      : (ctx: Koa.Context) => (readForm !== undefined && isFormRequest(ctx) ? readForm(ctx) : readJsonBody(ctx, parseJson));
    // One middleware per operation, in order: authenticate, read the body, validate, authorize, handle.
    groups.groupOf(operation.path, newGroup).router.register(path, [operation.method], [
      async (ctx) => {
        ctx.state.operationId = operation.operationId;
        ctx.state.route = operation.path;
        await access.authenticate(ctx, operation);
        if (readBody !== undefined) await readBody(ctx);
        const params = ctx.params as Record<string, string>;
        const query = declaredQuery(operation, ctx.querystring);
        const rawBody = readBody === undefined ? undefined : nonEmpty(ctx.request.rawBody);
        const body = rawBody === undefined ? undefined : ctx.request.body;
        rejectNul(params, "path");
        rejectNul(query, "query");
        rejectNul(body, "body");
        validator.params(params);
        validator.query(query);
        validator.body(body);
        try {
          const catalogAccess = await access.authorize(ctx, { operation, params, body });
          try {
            await handler(ctx, new RequestView(ctx, { operation, params, query, body, rawBody, catalogAccess }));
          } catch (error) {
            // Nothing within the caller's enterprise: 403 or 404 as if the owner had been looked up first.
            if (catalogAccess !== undefined && error instanceof NotFoundError) await access.explainMissingCatalog(ctx, { operation, params, body });
            throw error;
          }
        } catch (error) {
          if (notFound !== undefined && error instanceof NotFoundError) throw new HttpProblem(404, notFound, { cause: error });
          throw error;
        }
      },
    ], { name: operation.operationId });
  }
  groups.checkUnambiguous();
  return (ctx, next) => {
    const group = groups.find(ctx.path);
    return group === undefined ? next() : group.allowedMethods(ctx, () => group.routes(ctx, next));
  };
}

/**
 * The validated request handed to a handler. A class, so that the lazy `url` getter lives on the
 * prototype: an object literal with a getter costs a new closure per request and, measured under
 * load, far more in garbage collection than the rest of the routing.
 */
class RequestView implements UntypedRequest {
  readonly operation: Operation;
  readonly params: Readonly<Record<string, string>>;
  readonly query: Readonly<Record<string, string | readonly string[] | undefined>>;
  readonly body: unknown;
  readonly rawBody: string | undefined;
  readonly catalogAccess: CatalogAccess | undefined;
  readonly #ctx: RequestContext;
  #url: URL | undefined;

  constructor(ctx: RequestContext, parts: Omit<UntypedRequest, "url">) {
    this.#ctx = ctx;
    this.operation = parts.operation;
    this.params = parts.params;
    this.query = parts.query;
    this.body = parts.body;
    this.rawBody = parts.rawBody;
    this.catalogAccess = parts.catalogAccess;
  }

  /** Parsed on first use: only handlers that build links need it. */
  get url(): URL {
    return this.#url ??= new URL(this.#ctx.href);
  }
}

/** The operation's body limit: its `x-max-body-bytes` (for bulk operations), else `MAX_BODY_BYTES`. */
function maxBodyBytes(operation: Operation): number {
  const limit = operation.extensions["x-max-body-bytes"];
  if (limit === undefined) return MAX_BODY_BYTES;
  if (typeof limit !== "number" || !Number.isSafeInteger(limit) || limit < 1) {
    throw new TypeError(`Operation "${operation.operationId}" has an invalid x-max-body-bytes: "${String(limit)}"`);
  }
  return limit;
}

/**
 * The operation's `x-not-found-detail`: the text its 404 answers carry (the legacy API's own
 * wording), whichever step found nothing. Undefined keeps the core's message.
 */
function notFoundDetail(operation: Operation): string | undefined {
  const detail = operation.extensions["x-not-found-detail"];
  if (detail !== undefined && typeof detail !== "string") {
    throw new TypeError(`Operation "${operation.operationId}" has an invalid x-not-found-detail`);
  }
  return detail;
}

/**
 * PostgreSQL stores no NUL character in text or jsonb, and a lookup with one fails: refuse it at the
 * edge (400) instead of letting any operation reach the database with it (500).
 */
function rejectNul(value: unknown, place: string): void {
  const field = nulField(value, place);
  if (field !== undefined) {
    throw new HttpProblem(400, `Invalid request: "${field}" contains a NUL character`, {
      fieldErrors: [{ field, message: "may not contain the NUL character (\\u0000)" }],
    });
  }
}

/**
 * The path of the first string (or key) holding a NUL, or undefined; iterative, so any depth is
 * safe. Paths are spelled out for objects only, and for a string only once it holds a NUL: this
 * runs on every request, over every key of a containment question.
 */
function nulField(root: unknown, place: string): string | undefined {
  if (typeof root !== "object" || root === null) return typeof root === "string" && root.includes("\u0000") ? place : undefined;
  const pending: [value: unknown, parent: string, key: string | undefined][] = [[root, place, undefined]];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    const [value, parent, key] = next;
    if (typeof value === "string") {
      if (value.includes("\u0000")) return fieldPath(parent, key);
    } else if (typeof value === "object" && value !== null) {
      const field = fieldPath(parent, key);
      for (const [name, item] of Object.entries(value)) {
        if (name.includes("\u0000")) return field;
        pending.push([item, field, name]);
      }
    }
  }
  return undefined;
}

/** A field's dotted path from its parent's path and its own key (none for the root). */
function fieldPath(parent: string, key: string | undefined): string {
  return key === undefined ? parent : `${parent}.${key}`;
}

/** `/api/v1/things/{uuid}/` → `/api/v1/things/:uuid`; the trailing slash then is optional. */
function koaPath(path: string): string {
  return withoutTrailingSlash(path).replace(/\{([^}]+)\}/g, ":$1");
}

/**
 * The operation's own query parameters, and no others: repeated ones become arrays where the
 * schema wants one, else the last value counts. Read from the query string directly, because
 * Koa's `ctx.query` calls `getAll` once per pair (quadratic: 60,000 repetitions of one name held
 * the event loop for minutes), and undeclared parameters are never needed.
 */
function declaredQuery(operation: Operation, querystring: string): Record<string, string | string[] | undefined> {
  const out: Record<string, string | string[] | undefined> = {};
  if (querystring === "") return out;
  const search = new URLSearchParams(querystring);
  for (const parameter of operation.parameters) {
    if (parameter.in !== "query") continue;
    const values = search.getAll(parameter.name);
    if (values.length === 0) continue;
    out[parameter.name] = parameter.schema?.type === "array" ? values : values.at(-1);
  }
  return out;
}

/** Parses a JSON body (415 unless it is UTF-8 JSON); a request without a body passes. */
async function readJsonBody(ctx: Koa.Context, parseJson: ReturnType<typeof bodyParser>): Promise<void> {
  if (hasBody(ctx) && !ctx.request.is("application/json", "+json")) {
    throw new HttpProblem(415, "The request body must be JSON (Content-Type: application/json)");
  }
  // JSON is UTF-8 (RFC 8259); a body declared in another charset would be misread, not parsed.
  const charset = ctx.request.charset.toLowerCase();
  if (hasBody(ctx) && charset !== "" && charset !== "utf-8" && charset !== "utf8") {
    throw new HttpProblem(415, `The request body must be UTF-8 JSON, not "${charset.slice(0, 40)}"`);
  }
  await parseJson(ctx, () => Promise.resolve());
}

function hasBody(ctx: Koa.Context): boolean {
  const length = ctx.request.length;
  return (length !== undefined && length > 0) || ctx.get("transfer-encoding") !== "";
}

function nonEmpty(text: unknown): string | undefined {
  return typeof text === "string" && text.trim() !== "" ? text : undefined;
}
