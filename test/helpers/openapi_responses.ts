/** Validates responses against openapi.yaml, so the document cannot drift from the code. */
import { openApiDocument } from "../../adapters/http/openapi_document.ts";
import { createAjv, linkRefs } from "../../adapters/http/request_validation.ts";

const api = openApiDocument();
const ajv = createAjv(api);
const compiled = new Map<string, ReturnType<typeof ajv.compile> | null>();

/** Throws when the body does not match the operation's documented response for that status. */
export function assertDocumentedResponse(operationId: string, status: number, contentType: string | null, body: unknown): void {
  const operation = api.operations.find((candidate) => candidate.operationId === operationId);
  if (operation === undefined) throw new Error(`No operation "${operationId}" in openapi.yaml`);
  const response = operation.responses[String(status)];
  if (response === undefined) throw new Error(`${operationId} answered ${status}, which openapi.yaml does not document`);
  const mediaType = (contentType ?? "").split(";")[0]?.trim() ?? "";
  if (Object.keys(response).length === 0) {
    if (body !== undefined && body !== "") throw new Error(`${operationId} ${status} should have no body`);
    return;
  }
  if (!(mediaType in response)) {
    throw new Error(`${operationId} ${status} answered ${mediaType || "no content type"}, documented: ${Object.keys(response).join(", ")}`);
  }
  const key = `${operationId} ${status} ${mediaType}`;
  if (!compiled.has(key)) {
    const schema = linkRefs(response[mediaType]);
    compiled.set(key, schema === undefined ? null : ajv.compile(schema));
  }
  const validate = compiled.get(key);
  if (validate && !validate(body)) {
    throw new Error(`${key} does not match openapi.yaml: ${ajv.errorsText(validate.errors)}\n${JSON.stringify(body).slice(0, 500)}`);
  }
}
