import { randomUUID } from "node:crypto";
import { Writable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LocalDiscoveryClient } from "../../adapters/discovery_local/local_discovery_client.ts";
import { createLogger } from "../../adapters/logger.ts";
import { generateDiscoveryDatabase } from "../../tools/discovery_corpus/generate_database.ts";
import { rawRequest } from "../helpers/openapi_samples.ts";
import { type PostgresTestService, startTestService } from "../helpers/service.ts";

const A = "a94412c9-f91c-4d0d-87cb-1ca1c0d11457";

/** Every log line the service writes, as text. */
const lines: string[] = [];
const sink = new Writable({
  write(chunk: Buffer, _encoding, done) {
    lines.push(...chunk.toString("utf8").split("\n").filter((line) => line !== ""));
    done();
  },
});

let service: PostgresTestService;
beforeAll(async () => {
  service = await startTestService({
    worker: true,
    discovery: new LocalDiscoveryClient({ database: generateDiscoveryDatabase({ courses: 60, seed: 5 }) }),
    logger: createLogger("trace", sink),
    env: { OAUTH2_TOKEN_URL: "https://lms.example/oauth2/access_token", OAUTH2_CLIENT_ID: "catalog-worker", OAUTH2_CLIENT_SECRET: "oauth-client-secret-value" },
  });
});
afterAll(async () => {
  await service?.stop();
});

function metricValue(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  for (const line of text.split("\n")) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    if (!Object.entries(labels).every(([key, value]) => line.includes(`${key}="${value}"`))) continue;
    return Number(line.slice(line.lastIndexOf(" ") + 1));
  }
  return undefined;
}

describe("/ready", () => {
  it("checks that the database answers and every migration is applied", async () => {
    expect((await service.call("getReady", "GET", "/ready", { anonymous: true })).body).toEqual({ status: "ready", checks: { database: "ok", migrations: "ok" } });
  });
});

describe("request logs", () => {
  it("log each request with its id, method, route, status, duration and caller, and echo the id", async () => {
    const requestId = `trace-${randomUUID()}`;
    const response = await service.call("listEnterpriseCatalogs", "GET", "/api/v1/enterprise-catalogs/?page_size=5", { headers: { "x-request-id": requestId } });
    expect(response.headers.get("x-request-id")).toBe(requestId);
    const generated = await service.call("getHealth", "GET", "/health", { headers: { "x-request-id": "bad id with spaces" } });
    expect(generated.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
    const line = lines.map((text) => JSON.parse(text)).find((entry) => entry.requestId === requestId);
    expect(line).toMatchObject({ msg: "request", method: "GET", route: "/api/v1/enterprise-catalogs/", status: 200, caller: "test-operator", durationMs: expect.any(Number) });
  });

  it("never contain a token, the JWT secret or another secret, whatever the request", async () => {
    const secrets = [service.runtime.config.jwt.secretKey as string, "oauth-client-secret-value"];
    const tokens = [
      await service.token({ roles: [`enterprise_admin:${A}`] }),
      await service.token({ roles: [`enterprise_admin:${A}`], ttl: -60 }),
      await service.token({ roles: ["enterprise_openedx_operator:*"], secret: "another-secret-entirely-0123456789" }),
    ];
    const url = `${service.baseUrl}/api/v1/enterprise-catalogs/`;
    for (const token of tokens) {
      for (const scheme of ["JWT", "Bearer"]) {
        await rawRequest(url, { method: "GET", headers: { authorization: `${scheme} ${token}` } });
        await rawRequest(url, { method: "POST", headers: { authorization: `${scheme} ${token}`, "content-type": "application/json" }, body: `{"title": "${token}", "enterprise_customer": "${A}"}` });
        await rawRequest(`${url}?enterprise_customer=${token}`, { method: "GET", headers: { authorization: `${scheme} ${token}` } });
      }
    }
    await rawRequest(url, { method: "POST", headers: { authorization: `JWT ${tokens[0]}`, "content-type": "application/json" }, body: "{not json" });
    const text = lines.join("\n");
    expect(lines.length).toBeGreaterThan(10);
    for (const token of tokens) {
      expect(text).not.toContain(token);
      // Not even the signature part alone.
      expect(text).not.toContain(token.split(".")[2]);
    }
    for (const secret of secrets) expect(text).not.toContain(secret);
  });
});

describe("/metrics", () => {
  it("shows request durations by route and status, refreshes, discovery requests, freshness, queues and the process", async () => {
    const created = await service.call("createEnterpriseCatalog", "POST", "/api/v1/enterprise-catalogs/", {
      body: { title: "Metered", enterprise_customer: A, content_filter: { content_type: "course", metered: randomUUID() } },
    });
    expect(created.status).toBe(201);
    await service.nextRefresh(created.body.catalog_query_uuid);
    await service.call("getEnterpriseCatalog", "GET", `/api/v1/enterprise-catalogs/${randomUUID()}/`);
    const scraped = await service.call("getMetrics", "GET", "/metrics", { anonymous: true });
    expect(scraped.status).toBe(200);
    expect(scraped.headers.get("content-type")).toMatch(/^text\/plain/);
    const text = scraped.body as string;
    expect(metricValue(text, "catalog_http_request_duration_seconds_count", { route: "/api/v1/enterprise-catalogs/", method: "POST", status: "201" })).toBeGreaterThanOrEqual(1);
    expect(metricValue(text, "catalog_http_request_duration_seconds_count", { route: "/api/v1/enterprise-catalogs/{uuid}/", status: "404" })).toBeGreaterThanOrEqual(1);
    expect(metricValue(text, "catalog_refresh_jobs_total", { outcome: "succeeded" })).toBeGreaterThanOrEqual(1);
    expect(metricValue(text, "catalog_refresh_duration_seconds_count", { outcome: "succeeded" })).toBeGreaterThanOrEqual(1);
    expect(metricValue(text, "catalog_discovery_requests_total", { outcome: "ok" })).toBeGreaterThanOrEqual(1);
    expect(metricValue(text, "catalog_queries_in_use")).toBeGreaterThanOrEqual(1);
    expect(metricValue(text, "catalog_stalest_query_age_seconds")).toBeGreaterThanOrEqual(0);
    expect(metricValue(text, "catalog_queue_jobs", { queue: "catalog-query-refresh-dead-letter", state: "queued" })).toBe(0);
    expect(metricValue(text, "process_cpu_seconds_total")).toBeGreaterThan(0);
    expect(metricValue(text, "nodejs_eventloop_lag_seconds")).toBeGreaterThanOrEqual(0);
  });

  it("labels unknown paths as one route, so scanners cannot grow the series", async () => {
    for (let i = 0; i < 3; i++) await fetch(`${service.baseUrl}/wp-admin/${randomUUID()}.php`);
    const text = (await service.call("getMetrics", "GET", "/metrics", { anonymous: true })).body as string;
    expect(text).not.toContain("wp-admin");
    expect(metricValue(text, "catalog_http_request_duration_seconds_count", { route: "unmatched", status: "404" })).toBeGreaterThanOrEqual(3);
  });

  it("moves to its own port with METRICS_PORT, and the API port answers 404", async () => {
    const separate = await startTestService({ env: { METRICS_PORT: "0" } });
    try {
      expect(separate.server.metricsPort).toBeGreaterThan(0);
      expect((await separate.call("getMetrics", "GET", "/metrics", { anonymous: true })).status).toBe(404);
      const scraped = await fetch(`http://127.0.0.1:${separate.server.metricsPort}/metrics`);
      expect(scraped.status).toBe(200);
      expect(await scraped.text()).toContain("catalog_http_request_duration_seconds");
    } finally {
      await separate.stop();
    }
  });
});

describe("/api-docs", () => {
  it("renders the document with Swagger UI from local files only", async () => {
    const page = await service.call("getApiDocs", "GET", "/api-docs", { anonymous: true });
    expect(page.status).toBe(200);
    expect(page.headers.get("content-type")).toMatch(/^text\/html/);
    expect(page.headers.get("content-security-policy")).toContain("default-src 'self'");
    const html = page.body as string;
    expect(html).not.toMatch(/https?:\/\//);
    const assets = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((match) => match[1] as string);
    expect(assets).toEqual(expect.arrayContaining(["/api-docs/assets/swagger-ui-bundle.js", "/api-docs/assets/swagger-ui.css", "/api-docs/assets/api-docs.js"]));
    for (const asset of assets) {
      const response = await service.call("getApiDocsAsset", "GET", asset, { anonymous: true });
      expect(response.status, asset).toBe(200);
    }
    const initializer = await service.call("getApiDocsAsset", "GET", "/api-docs/assets/api-docs.js", { anonymous: true });
    expect(initializer.body).toContain('url: "/api/schema"');
    expect(initializer.body).toContain("validatorUrl: null");
    const bundle = await fetch(`${service.baseUrl}/api-docs/assets/swagger-ui-bundle.js`);
    expect(bundle.headers.get("content-type")).toMatch(/^text\/javascript/);
    expect((await bundle.arrayBuffer()).byteLength).toBeGreaterThan(500_000);
    expect((await service.call("getApiDocsAsset", "GET", "/api-docs/assets/..%2Fpackage.json", { anonymous: true })).status).toBe(400);
  });
});
