/** Requests built from openapi.yaml alone, so suites cover operations added after they were written. */
import { randomUUID } from "node:crypto";
import { request as httpRequest } from "node:http";
import { openApiDocument, type Operation, type SchemaObject } from "../../adapters/http/openapi_document.ts";

const api = openApiDocument();

/** A minimal value the schema accepts: examples and defaults first, then the simplest instance. */
export function sampleOf(schema: SchemaObject | undefined, depth = 0): unknown {
  if (schema === undefined || depth > 12) return {};
  const resolved = resolveRef(schema);
  if ("const" in resolved) return resolved.const;
  if (Array.isArray(resolved.examples) && resolved.examples.length > 0) return resolved.examples[0];
  if ("example" in resolved) return resolved.example;
  if ("default" in resolved) return resolved.default;
  if (Array.isArray(resolved.enum)) return resolved.enum.find((value) => value !== null) ?? resolved.enum[0];
  if (Array.isArray(resolved.allOf)) {
    return (resolved.allOf as SchemaObject[]).reduce<unknown>((merged, part) => {
      const value = sampleOf(part, depth + 1);
      return isObject(merged) && isObject(value) ? { ...merged, ...value } : value;
    }, {});
  }
  const choices = (resolved.oneOf ?? resolved.anyOf) as SchemaObject[] | undefined;
  if (Array.isArray(choices)) {
    const first = choices.find((choice) => resolveRef(choice).type !== "null") ?? choices[0];
    return sampleOf(first, depth + 1);
  }
  const types = Array.isArray(resolved.type) ? resolved.type : [resolved.type];
  const type = types.find((candidate) => candidate !== "null") ?? (resolved.properties ? "object" : undefined);
  switch (type) {
    case "object": {
      const properties = (resolved.properties ?? {}) as Record<string, SchemaObject>;
      const required = (resolved.required ?? []) as string[];
      return Object.fromEntries(required.map((name) => [name, sampleOf(properties[name], depth + 1)]));
    }
    case "array": {
      const count = Math.max(1, Number(resolved.minItems ?? 1));
      return Array.from({ length: count }, () => sampleOf(resolved.items as SchemaObject | undefined, depth + 1));
    }
    case "integer":
    case "number":
      if (resolved.minimum !== undefined) return Number(resolved.minimum);
      return resolved.exclusiveMinimum === undefined ? 1 : Number(resolved.exclusiveMinimum) + 1;
    case "boolean":
      return true;
    case "string":
      return sampleString(resolved);
    default:
      return {};
  }
}

function sampleString(schema: SchemaObject): string {
  const pattern = typeof schema.pattern === "string" ? schema.pattern : "";
  if (schema.format === "uuid" || pattern.includes("[0-9a-fA-F]{8}-")) return randomUUID();
  if (pattern.includes("[0-9a-f]{32}")) return "0".repeat(32);
  if (schema.format === "date-time") return new Date().toISOString();
  if (schema.format === "date") return new Date().toISOString().slice(0, 10);
  if (schema.format === "email") return "learner@example.com";
  if (schema.format === "uri" || schema.format === "url") return "https://example.com/";
  return "x".repeat(Math.max(1, Number(schema.minLength ?? 1)));
}

/** Follows a local `$ref` of the document. */
export function resolveRef(schema: SchemaObject): SchemaObject {
  let current = schema;
  for (let hops = 0; typeof current.$ref === "string" && hops < 20; hops++) {
    let target: unknown = api.document;
    for (const part of (current.$ref as string).replace(/^#\//, "").split("/")) target = (target as Record<string, unknown>)[part];
    current = target as SchemaObject;
  }
  return current;
}

/** The path with each `{param}` replaced by its value (URL-encoded). */
export function fillPath(operation: Operation, values: Readonly<Record<string, string>>): string {
  return operation.path.replace(/\{([^}]+)\}/g, (_match, name: string) => encodeURIComponent(values[name] ?? String(sampleOf(paramSchema(operation, name)))));
}

/** The schema of one of the operation's parameters. */
export function paramSchema(operation: Operation, name: string): SchemaObject | undefined {
  return operation.parameters.find((parameter) => parameter.name === name)?.schema;
}

/** A response as the raw client saw it. */
export interface RawResponse {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
  readonly body: any;
}

/** Sends any method with any body and headers (GET bodies included) over node:http. */
export function rawRequest(url: string, init: { method: string; headers?: Record<string, string>; body?: string | Buffer }): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { ...init.headers };
    if (init.body !== undefined) headers["content-length"] = String(Buffer.byteLength(init.body));
    const request = httpRequest(url, { method: init.method, headers }, (incoming) => {
      const chunks: Buffer[] = [];
      incoming.on("data", (chunk: Buffer) => chunks.push(chunk));
      incoming.on("error", reject);
      incoming.on("end", () => {
        const responseHeaders = new Headers();
        for (const [name, value] of Object.entries(incoming.headers)) {
          if (typeof value === "string") responseHeaders.set(name, value);
          else if (Array.isArray(value)) for (const one of value) responseHeaders.append(name, one);
        }
        const text = Buffer.concat(chunks).toString("utf8");
        let body: unknown = text;
        if (/json/.test(responseHeaders.get("content-type") ?? "") && text !== "") {
          try {
            body = JSON.parse(text);
          } catch {
            body = text;
          }
        }
        resolve({ status: incoming.statusCode ?? 0, headers: responseHeaders, text, body });
      });
    });
    request.on("error", reject);
    request.end(init.body);
  });
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
