/**
 * A discovery that lies or floods, against the real service: a page that repeats another page's
 * records, and an answer hundreds of megabytes long. Each refresh fails with its reason, the
 * stored content stays as it was, and the flood does not reach the service's memory.
 */
import { randomUUID } from "node:crypto";
import { createServer, type Server } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { HttpDiscoveryClient } from "../../adapters/discovery_http/http_discovery_client.ts";
import { createLocalDiscoveryServer } from "../../adapters/discovery_local/local_discovery_server.ts";
import { generateDiscoveryDatabase } from "../../tools/discovery_corpus/generate_database.ts";
import { startTestService, type TestService } from "../helpers/service.ts";

const CUSTOMER = "a94412c9-f91c-4d0d-87cb-1ca1c0d11457";
const local = createLocalDiscoveryServer({ database: generateDiscoveryDatabase({ courses: 60, seed: 29 }) });
/** How the stand-in answers `search/all` after the first, honest refresh. */
const mode = { current: "honest" as "honest" | "repeat" | "flood" };

/** Streams a JSON page that never ends, 1 MiB at a time, until the client goes away. */
function flood(response: import("node:http").ServerResponse): void {
  const record = JSON.stringify({ aggregation_key: "course:edX+Flood", content_type: "course", key: "edX+Flood" });
  const chunk = Buffer.from(`${Array.from({ length: Math.ceil((1 << 20) / (record.length + 1)) }, () => record).join(",")},`);
  response.writeHead(200, { "content-type": "application/json" });
  response.write('{"count": 100, "next": null, "previous": null, "results": [');
  const more = (): void => {
    while (!response.destroyed && response.write(chunk));
    if (!response.destroyed) response.once("drain", more);
  };
  response.on("close", () => response.removeAllListeners("drain"));
  more();
}

let discovery: Server;
let service: TestService;
beforeAll(async () => {
  discovery = createServer((incoming, outgoing) => {
    const chunks: Buffer[] = [];
    incoming.on("data", (chunk: Buffer) => chunks.push(chunk));
    incoming.on("end", async () => {
      const url = new URL(incoming.url ?? "/", "http://discovery.test");
      if (url.pathname.endsWith("/search/all/") && mode.current === "flood") return flood(outgoing);
      const method = incoming.method ?? "GET";
      const answer = await local.handle(new Request(url, { method, body: method === "GET" ? null : Buffer.concat(chunks), headers: { "content-type": "application/json" } }));
      let body = Buffer.from(await answer.arrayBuffer());
      if (url.pathname.endsWith("/search/all/") && mode.current === "repeat") {
        // Every record twice, the count unchanged: a page served again in place of the next.
        const page = JSON.parse(body.toString()) as { results: unknown[] };
        body = Buffer.from(JSON.stringify({ ...page, results: [...page.results.slice(0, Math.ceil(page.results.length / 2)), ...page.results.slice(0, Math.floor(page.results.length / 2))] }));
      }
      outgoing.writeHead(answer.status, { "content-type": "application/json" }).end(body);
    });
  });
  await new Promise<void>((resolve) => discovery.listen(0, "127.0.0.1", resolve));
  const address = discovery.address();
  const url = `http://127.0.0.1:${typeof address === "object" && address !== null ? address.port : 0}`;
  service = await startTestService({ worker: true, discovery: new HttpDiscoveryClient({ baseUrl: url, maxAttempts: 1 }) });
});
afterAll(async () => {
  await service?.stop();
  await new Promise<void>((resolve) => {
    discovery?.closeAllConnections();
    discovery?.close(() => resolve());
  });
});

async function catalogWithContent(): Promise<{ uuid: string; queryUuid: string; items: unknown[] }> {
  mode.current = "honest";
  const created = await service.call("createEnterpriseCatalog", "POST", "/api/v1/enterprise-catalogs/", {
    body: { title: "Lied to", enterprise_customer: CUSTOMER, content_filter: { content_type: ["course", "courserun"], lie: randomUUID() } },
  });
  expect((await service.nextRefresh(created.body.catalog_query_uuid)).outcome).toBe("succeeded");
  return { uuid: created.body.uuid, queryUuid: created.body.catalog_query_uuid, items: await listing(created.body.uuid) };
}

async function listing(catalogUuid: string): Promise<unknown[]> {
  const response = await service.call("getCatalogContentMetadata", "GET", `/api/v1/enterprise-catalogs/${catalogUuid}/get_content_metadata/?traverse_pagination=1`);
  return response.body.results as unknown[];
}

async function refreshFails(catalog: { uuid: string; queryUuid: string }): Promise<{ message: string; ms: number }> {
  const started = performance.now();
  const refreshed = service.nextRefresh(catalog.queryUuid);
  expect((await service.call("refreshEnterpriseCatalogMetadata", "POST", `/api/v1/enterprise-catalogs/${catalog.uuid}/refresh_metadata/`)).status).toBe(200);
  expect((await refreshed).outcome).toBe("error");
  const ms = Math.round(performance.now() - started);
  const query = await service.call("getCatalogQuery", "GET", `/api/v1/catalog-queries/${catalog.queryUuid}/`);
  expect(query.body.last_runs[0]).toMatchObject({ outcome: "failed", stage: "search" });
  return { message: String(query.body.last_runs[0].message), ms };
}

describe("a discovery that lies or floods", () => {
  it("fails a refresh whose pages repeat records, and keeps the catalog as it was", async () => {
    const catalog = await catalogWithContent();
    mode.current = "repeat";
    const failed = await refreshFails(catalog);
    expect(failed.message).toMatch(/twice/);
    expect(await listing(catalog.uuid)).toEqual(catalog.items);
    console.info(`repeated records: failed in ${failed.ms} ms: ${failed.message}`);
  });

  it("stops reading an endless answer at the size limit, fails the refresh, and keeps memory near its baseline", async () => {
    const catalog = await catalogWithContent();
    mode.current = "flood";
    globalThis.gc?.();
    const before = process.memoryUsage().rss;
    const failed = await refreshFails(catalog);
    const after = process.memoryUsage().rss;
    expect(failed.message).toMatch(/larger than 33554432 bytes/);
    expect(await listing(catalog.uuid)).toEqual(catalog.items);
    expect(after - before).toBeLessThan(128 * 1024 * 1024);
    console.info(`endless answer: failed in ${failed.ms} ms, RSS ${Math.round(before / 2 ** 20)} MB before, ${Math.round(after / 2 ** 20)} MB after`);
  });
});
