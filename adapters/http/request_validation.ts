/** Request validation compiled from the OpenAPI document: no second hand-written copy of the rules. */
import { Ajv2020, type ErrorObject, type ValidateFunction } from "ajv/dist/2020.js";
import addFormatsModule from "ajv-formats";
import type { FieldError } from "../../src/errors.ts";
import type { OpenApiDocument, Operation, SchemaObject } from "./openapi_document.ts";
import { LEGACY_TEXTS } from "./legacy_texts.ts";
import { HttpProblem } from "./problem.ts";

// ajv-formats is CommonJS; under Node's ESM loader its default import is the function itself.
const addFormats = addFormatsModule as unknown as typeof addFormatsModule.default;

/** Validates the parts of one request, throwing a 400 problem that lists every field at fault. */
export interface RequestValidator {
  params(values: Record<string, string>): void;
  query(values: Record<string, unknown>): void;
  body(value: unknown): void;
}

/** Compiles a validator per operation, all sharing the document's component schemas. */
export function compileRequestValidators(api: OpenApiDocument): ReadonlyMap<string, RequestValidator> {
  const ajv = createAjv(api);
  const validators = new Map<string, RequestValidator>();
  for (const operation of api.operations) validators.set(operation.operationId, compileOperation(ajv, operation));
  return validators;
}

/** An ajv instance that knows the document's schemas as `openapi#/components/schemas/...`. */
export function createAjv(api: OpenApiDocument): Ajv2020 {
  const ajv = new Ajv2020({ allErrors: true, strict: false });
  addFormats(ajv);
  ajv.addSchema({ $id: "openapi", components: api.document.components ?? {} });
  return ajv;
}

/** Rewrites the document's local `$ref`s so they resolve against the shared `openapi` schema. */
export function linkRefs(schema: SchemaObject | undefined): SchemaObject | undefined {
  if (schema === undefined) return undefined;
  return JSON.parse(JSON.stringify(schema).replaceAll('"$ref":"#/', '"$ref":"openapi#/')) as SchemaObject;
}

function compileOperation(ajv: Ajv2020, operation: Operation): RequestValidator {
  const params = compileParameters(ajv, operation, "path");
  const query = compileParameters(ajv, operation, "query");
  const bodySchema = linkRefs(operation.bodySchema);
  const body = bodySchema === undefined ? undefined : ajv.compile(bodySchema);
  return {
    params: (values) => check(params, values, "path"),
    query: (values) => check(query, values, "query"),
    body(value) {
      if (body === undefined) return;
      if (value === undefined) {
        if (operation.bodyRequired) throw new HttpProblem(400, "A JSON request body is required", { fieldErrors: [{ field: "body", message: "is required" }] });
        return;
      }
      check(body, value, "body");
    },
  };
}

function compileParameters(ajv: Ajv2020, operation: Operation, place: "path" | "query"): ValidateFunction {
  const parameters = operation.parameters.filter((parameter) => parameter.in === place);
  return ajv.compile({
    type: "object",
    properties: Object.fromEntries(parameters.map((parameter) => [parameter.name, linkRefs(parameter.schema) ?? {}])),
    required: parameters.filter((parameter) => parameter.required).map((parameter) => parameter.name),
  });
}

function check(validate: ValidateFunction, value: unknown, place: string): void {
  if (validate(value)) return;
  const fieldErrors = (validate.errors ?? []).map((error) => fieldErrorOf(error, place));
  const unique = [...new Map(fieldErrors.map((error) => [`${error.field}\u0000${error.message}`, error])).values()];
  const summary = unique.slice(0, 3).map((error) => `"${error.field}" ${error.message}`).join("; ");
  throw new HttpProblem(400, `Invalid request ${place}: ${summary}`, { fieldErrors: unique.slice(0, 50) });
}

function fieldErrorOf(error: ErrorObject, place: string): FieldError {
  const path = error.instancePath.split("/").slice(1).map((part) => part.replaceAll("~1", "/").replaceAll("~0", "~"));
  if (error.keyword === "required") path.push(String((error.params as { missingProperty: string }).missingProperty));
  const field = path.length > 0 ? path.join(".") : place;
  const message = error.keyword === "required" ? LEGACY_TEXTS.required : (error.message ?? "is invalid");
  return { field, message };
}
