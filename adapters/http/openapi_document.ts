/** The OpenAPI document: read once, the source of routes, request validation and wire types. */
import { readFileSync } from "node:fs";
import { parse } from "yaml";

/** Where the document lives in the checkout. */
export const OPENAPI_PATH = new URL("../../openapi.yaml", import.meta.url);

/** A schema object of the document (JSON Schema 2020-12, as OpenAPI 3.1 uses). */
export type SchemaObject = Record<string, unknown>;

/** A parameter of an operation, with `$ref`s resolved. */
export interface ParameterObject {
  readonly name: string;
  readonly in: "path" | "query" | "header" | "cookie";
  readonly required?: boolean;
  readonly schema?: SchemaObject;
}

/**
 * The operation's `x-permission`: who may call it. `roles` are feature roles, any one of which
 * suffices (`public` and `authenticated` stand alone); `enterprise` says where the enterprise to
 * check comes from (`path:<param>`, `catalog:path:<param>`, `query:path:<param>`, the
 * `OWNED_KINDS` of `permissions.ts` as `<kind>:path:<param>`, `body:<field>`, `list`, `none`),
 * several meaning every one must pass. Checked and enforced by `access_guard.ts`.
 */
export interface PermissionSpec {
  readonly roles: readonly string[];
  readonly enterprise: readonly string[];
}

/** One operation (a path and a method) of the document. */
export interface Operation {
  readonly operationId: string;
  readonly method: string;
  readonly path: string;
  readonly parameters: readonly ParameterObject[];
  /** The JSON body schema, when the operation takes one. */
  readonly bodySchema?: SchemaObject;
  readonly bodyRequired: boolean;
  /** The body may also come form-encoded (`application/x-www-form-urlencoded`), as some legacy clients send it. */
  readonly bodyAcceptsForm: boolean;
  /** Undefined means the document's default security; `[]` means open. */
  readonly security?: readonly Record<string, readonly string[]>[];
  /** Undefined when the operation has no `x-permission`, which start-up refuses. */
  readonly permission: PermissionSpec | undefined;
  /** The operation's other `x-*` extensions, as written (`x-max-body-bytes`, `x-not-found-detail`). */
  readonly extensions: Readonly<Record<string, unknown>>;
  /** Response schemas by status and media type. */
  readonly responses: Readonly<Record<string, Readonly<Record<string, SchemaObject | undefined>>>>;
}

/** The parsed document and its operations. */
export interface OpenApiDocument {
  readonly text: string;
  readonly document: SchemaObject & { components?: { schemas?: Record<string, SchemaObject> } };
  readonly operations: readonly Operation[];
}

const METHODS = ["get", "put", "post", "delete", "patch", "head", "options"] as const;

let loaded: OpenApiDocument | undefined;

/** Reads and indexes the document (once per process). */
export function openApiDocument(): OpenApiDocument {
  loaded ??= indexDocument(readFileSync(OPENAPI_PATH, "utf8"));
  return loaded;
}

function indexDocument(text: string): OpenApiDocument {
  const document = parse(text) as OpenApiDocument["document"];
  const operations: Operation[] = [];
  const paths = (document.paths ?? {}) as Record<string, Record<string, unknown>>;
  for (const [path, item] of Object.entries(paths)) {
    const shared = (item.parameters ?? []) as SchemaObject[];
    for (const method of METHODS) {
      const op = item[method] as Record<string, unknown> | undefined;
      if (op === undefined) continue;
      const parameters = [...shared, ...((op.parameters ?? []) as SchemaObject[])]
        .map((parameter) => resolve(document, parameter) as unknown as ParameterObject);
      const body = op.requestBody === undefined ? undefined : resolve(document, op.requestBody as SchemaObject);
      const content = body?.content as Record<string, { schema?: SchemaObject }> | undefined;
      const responses: Record<string, Record<string, SchemaObject | undefined>> = {};
      for (const [status, response] of Object.entries((op.responses ?? {}) as Record<string, SchemaObject>)) {
        const resolved = resolve(document, response);
        const media = (resolved.content ?? {}) as Record<string, { schema?: SchemaObject }>;
        responses[status] = Object.fromEntries(Object.entries(media).map(([type, value]) => [type, value.schema]));
      }
      operations.push({
        operationId: String(op.operationId),
        method: method.toUpperCase(),
        path,
        parameters,
        bodySchema: content?.["application/json"]?.schema,
        bodyRequired: body?.required === true,
        bodyAcceptsForm: content?.["application/x-www-form-urlencoded"] !== undefined,
        security: op.security as Operation["security"],
        permission: permissionOf(op["x-permission"]),
        extensions: Object.fromEntries(Object.entries(op).filter(([key]) => key.startsWith("x-") && key !== "x-permission")),
        responses,
      });
    }
  }
  return { text, document, operations };
}

function permissionOf(value: unknown): PermissionSpec | undefined {
  if (typeof value !== "object" || value === null) return value === undefined ? undefined : { roles: [], enterprise: [] };
  const { role, enterprise } = value as { role?: unknown; enterprise?: unknown };
  return { roles: listOf(role), enterprise: listOf(enterprise) };
}

/** Strings as they are; anything else as its JSON text, so the start-up check names it. */
function listOf(value: unknown): string[] {
  if (value === undefined || value === null) return [];
  const items: unknown[] = Array.isArray(value) ? value : [value];
  return items.map((item) => (typeof item === "string" ? item.trim() : JSON.stringify(item) ?? String(item)));
}

function resolve(document: SchemaObject, value: SchemaObject): SchemaObject {
  const ref = value.$ref;
  if (typeof ref !== "string") return value;
  let target: unknown = document;
  for (const part of ref.replace(/^#\//, "").split("/")) target = (target as Record<string, unknown>)[part];
  return resolve(document, target as SchemaObject);
}
