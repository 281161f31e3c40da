/**
 * Each operation's request and handler types, derived from the types openapi-typescript generates
 * from openapi.yaml (`api_types.ts`), so a handler reads exactly what its operation declares.
 */
import type { components, operations } from "./api_types.ts";
import type { CatalogAccess } from "./access_guard.ts";
import type { Operation } from "./openapi_document.ts";
import type { RequestContext } from "./request_state.ts";

/** Every operationId of openapi.yaml. */
export type OperationId = keyof operations;

/** The document's component schemas by name. */
export type Schemas = components["schemas"];

/** A parameter group as the router hands it over: the declared parameters, or an empty object when there are none. */
type ParameterGroup<T> = [NonNullable<T>] extends [never] ? Readonly<Record<string, never>> : Readonly<NonNullable<T>>;

/** The JSON body of a request body declaration; undefined when there is none or an optional one was not sent. */
type BodyOf<R> = R extends { content: { "application/json": infer Body } } ? Body : undefined;

/** The operation's path parameters. */
export type PathParams<Id extends OperationId> = ParameterGroup<operations[Id]["parameters"]["path"]>;

/** The operation's query parameters: arrays where the schema says so, else the last value given. */
export type QueryParams<Id extends OperationId> = ParameterGroup<operations[Id]["parameters"]["query"]>;

/** The operation's parsed JSON body. */
export type JsonBody<Id extends OperationId> = BodyOf<operations[Id]["requestBody"]>;

/** A request after validation against its operation in the document. */
export interface ValidatedRequest<Id extends OperationId> {
  readonly operation: Operation;
  readonly params: PathParams<Id>;
  readonly query: QueryParams<Id>;
  readonly body: JsonBody<Id>;
  /** The body text exactly as received, for parsers that need lexical detail; present whenever a body is. */
  readonly rawBody: undefined extends JsonBody<Id> ? string | undefined : string;
  /** The full request URL, for pagination links. */
  readonly url: URL;
  /**
   * For a `scoped-catalog` operation: the customer the catalog must belong to, which the handler
   * passes on to its use case (see `CatalogAccess`); undefined for other operations.
   */
  readonly catalogAccess: CatalogAccess | undefined;
}

/** Handles one operation: reads the validated request, sets `ctx.status` and `ctx.body`. */
export type OperationHandler<Id extends OperationId> = (ctx: RequestContext, request: ValidatedRequest<Id>) => Promise<void> | void;

/** A handler for every operation of the document, each typed by its own operation. */
export type OperationHandlers = { readonly [Id in OperationId]: OperationHandler<Id> };
