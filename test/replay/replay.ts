/**
 * Helpers for replaying the requests of the services and browsers that call enterprise-catalog
 * today (docs/compatibility.md, "Every client request"), the way each client sends them.
 */
import { request as httpRequest } from "node:http";
import type { TestResponse, TestService } from "../helpers/service.ts";

/** A query string as Python `requests` writes `params=` (lists repeat the name; True is "True"). */
export function pythonParams(params: Record<string, string | boolean | readonly string[]>): string {
  const pairs = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) {
    for (const item of Array.isArray(value) ? value : [value]) pairs.append(name, typeof item === "boolean" ? (item ? "True" : "False") : String(item));
  }
  return pairs.toString();
}

/** A GET with a form-encoded body, as `requests.get(url, data=filter)` sends it; answered with the status and parsed JSON. */
export function getWithForm(service: TestService, path: string, form: string, authorization: string): Promise<{ status: number; body: unknown }> {
  return new Promise((resolve, reject) => {
    const outgoing = httpRequest(`${service.baseUrl}${path}`, {
      method: "GET",
      headers: { authorization, "content-type": "application/x-www-form-urlencoded", "content-length": String(Buffer.byteLength(form)) },
    }, (incoming) => {
      const chunks: Buffer[] = [];
      incoming.on("data", (chunk: Buffer) => chunks.push(chunk));
      incoming.on("end", () => resolve({ status: incoming.statusCode ?? 0, body: JSON.parse(Buffer.concat(chunks).toString("utf8")) }));
    });
    outgoing.on("error", reject);
    outgoing.end(form);
  });
}

/** Follows `next` links as edx-enterprise's `traverse_pagination` does, collecting `results`. */
export async function traverse(service: TestService, operationId: string, first: TestResponse, headers?: Record<string, string>): Promise<unknown[]> {
  const results: unknown[] = [...first.body.results];
  let next: string | null = first.body.next;
  while (next !== null) {
    const url = new URL(next);
    const page = await service.call(operationId, "GET", `${url.pathname}${url.search}`, { headers });
    results.push(...page.body.results);
    next = page.body.next;
  }
  return results;
}
