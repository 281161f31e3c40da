import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startMemoryService, type TestService } from "../helpers/service.ts";

// The HTTP edge over the memory adapters: authorization.test.ts and hostile_input.test.ts run it on PostgreSQL too.
let service: TestService;
beforeAll(async () => {
  service = await startMemoryService();
});
afterAll(async () => {
  await service?.stop();
});

const CUSTOMER_A = "a94412c9-f91c-4d0d-87cb-1ca1c0d11457";
const CUSTOMER_B = "6ae013d4-c5f4-474f-8a12-a4e1b8c0f2d3";

function newCatalog(overrides: Record<string, unknown> = {}) {
  return {
    title: "Acme - Subscription catalog",
    enterprise_customer: CUSTOMER_A,
    enterprise_customer_name: "Acme Inc",
    content_filter: { content_type: "course", partner: "edx" },
    ...overrides,
  };
}

async function create(body: Record<string, unknown>) {
  return service.call("createEnterpriseCatalog", "POST", "/api/v1/enterprise-catalogs/", { body });
}

/** Everything the API can see, to prove a rejected request wrote nothing. */
async function snapshot() {
  const catalogs = await service.call("listEnterpriseCatalogs", "GET", "/api/v1/enterprise-catalogs/?page_size=1000");
  const queries = await service.call("listCatalogQueries", "GET", "/api/v1/catalog-queries/?page_size=100");
  return { catalogs: catalogs.body, queries: queries.body };
}

describe("POST /api/v1/enterprise-catalogs/", () => {
  it("creates a catalog with the reference's fields and the real query uuid and title", async () => {
    const uuid = randomUUID();
    const response = await create(newCatalog({ uuid, query_title: "Open Courses" }));
    expect(response.status).toBe(201);
    expect(Object.keys(response.body)).toEqual([
      "uuid", "title", "enterprise_customer", "catalog_query_uuid", "content_last_modified", "catalog_modified", "query_title", "content_last_refreshed",
    ]);
    expect(response.body).toMatchObject({ uuid, title: "Acme - Subscription catalog", enterprise_customer: CUSTOMER_A, query_title: "Open Courses", content_last_modified: null });
    const query = await service.call("getCatalogQuery", "GET", `/api/v1/catalog-queries/${response.body.catalog_query_uuid}/`);
    expect(query.body).toMatchObject({ uuid: response.body.catalog_query_uuid, content_filter: { content_type: "course", partner: "edx" }, title: "Open Courses" });
    // Write-only fields are not echoed.
    expect(response.body).not.toHaveProperty("content_filter");
    expect(response.body).not.toHaveProperty("enterprise_customer_name");
  });

  it("shares one query between catalogs of different customers whose filters differ only in key order", async () => {
    const filter = { content_type: "courserun", org: ["MITx", "HarvardX"], availability: "Current" };
    const reordered = { availability: "Current", org: ["MITx", "HarvardX"], content_type: "courserun" };
    const a = await create(newCatalog({ enterprise_customer: CUSTOMER_A, content_filter: filter }));
    const b = await create(newCatalog({ enterprise_customer: CUSTOMER_B, content_filter: reordered }));
    expect(a.status).toBe(201);
    expect(b.status).toBe(201);
    expect(b.body.catalog_query_uuid).toBe(a.body.catalog_query_uuid);
  });

  it("accepts edx-enterprise's string booleans and a client-chosen uuid", async () => {
    const uuid = randomUUID();
    const response = await create(newCatalog({ uuid, publish_audit_enrollment_urls: "true", enabled_course_modes: ["verified", "audit"] }));
    expect(response.status).toBe(201);
    expect(response.body.uuid).toBe(uuid);
  });

  it("answers 409 for a duplicate catalog uuid and writes nothing", async () => {
    const uuid = randomUUID();
    expect((await create(newCatalog({ uuid }))).status).toBe(201);
    const before = await snapshot();
    const again = await create(newCatalog({ uuid, content_filter: { content_type: "program", key: ["never-seen-before"] } }));
    expect(again.status).toBe(409);
    expect(again.headers.get("content-type")).toMatch(/^application\/problem\+json/);
    expect(again.body).toMatchObject({ status: 409, title: "Conflict" });
    expect(await snapshot()).toEqual(before);
  });
});

describe("bad input", () => {
  const cases: [string, () => Promise<{ status: number; body: any }>, number][] = [
    ["invalid JSON", () => service.call("createEnterpriseCatalog", "POST", "/api/v1/enterprise-catalogs/", { rawBody: '{"title": ' }), 400],
    ["a JSON array", () => service.call("createEnterpriseCatalog", "POST", "/api/v1/enterprise-catalogs/", { rawBody: "[]" }), 400],
    ["missing fields", () => create({ content_filter: {} }), 400],
    ["wrong types", () => create(newCatalog({ title: 42, enabled_course_modes: "verified", content_filter: ["x"] })), 400],
    ["a malformed customer uuid", () => create(newCatalog({ enterprise_customer: "not-a-uuid" })), 400],
    ["a malformed catalog uuid", () => create(newCatalog({ uuid: "1234" })), 400],
    ["a blank title", () => create(newCatalog({ title: "   " })), 400],
    ["a title over 255 characters", () => create(newCatalog({ title: "x".repeat(256) })), 400],
    ["a deeply nested filter", () => create(newCatalog({ content_filter: { a: JSON.parse("[".repeat(40) + "]".repeat(40)) } })), 400],
    ["a body that is not JSON", () => service.call("createEnterpriseCatalog", "POST", "/api/v1/enterprise-catalogs/", { rawBody: "title=x", headers: { "content-type": "application/x-www-form-urlencoded" } }), 415],
    ["a body over the size limit", () => create(newCatalog({ enterprise_customer_name: "x".repeat(2 * 1024 * 1024) })), 413],
    ["a malformed uuid in the path", () => service.call("getEnterpriseCatalog", "GET", "/api/v1/enterprise-catalogs/not-a-uuid/"), 400],
    ["an unknown catalog", () => service.call("getEnterpriseCatalog", "GET", `/api/v1/enterprise-catalogs/${randomUUID()}/`), 404],
    ["PATCH of an unknown catalog", () => service.call("updateEnterpriseCatalog", "PATCH", `/api/v1/enterprise-catalogs/${randomUUID()}/`, { body: { title: "x" } }), 404],
    ["PUT without required fields", () => service.call("replaceEnterpriseCatalog", "PUT", `/api/v1/enterprise-catalogs/${randomUUID()}/`, { body: { title: "x" } }), 400],
    ["DELETE of an unknown catalog", () => service.call("deleteEnterpriseCatalog", "DELETE", `/api/v1/enterprise-catalogs/${randomUUID()}/`), 404],
    ["a malformed customer filter", () => service.call("listEnterpriseCatalogs", "GET", "/api/v1/enterprise-catalogs/?enterprise_customer=zzz"), 400],
    ["a page past the end", () => service.call("listEnterpriseCatalogs", "GET", "/api/v1/enterprise-catalogs/?page=999"), 404],
  ];

  it.each(cases)("%s gets a problem document and changes nothing", async (_name, send, status) => {
    const before = await snapshot();
    const response = await send();
    expect(response.status).toBe(status);
    expect(response.body).toMatchObject({ status, type: expect.any(String), title: expect.any(String), detail: expect.any(String) });
    expect(await snapshot()).toEqual(before);
  });

  it("lists every field at fault", async () => {
    const response = await create({ content_filter: 3, title: 5 });
    expect(response.status).toBe(400);
    const fields = (response.body.errors as { field: string; message: string }[]).map((error) => error.field);
    expect(fields).toEqual(expect.arrayContaining(["enterprise_customer", "title", "content_filter"]));
    expect(response.body.errors).toContainEqual({ field: "enterprise_customer", message: "This field is required." });
  });

  it("answers a problem document for unknown paths and methods", async () => {
    const missing = await fetch(`${service.baseUrl}/api/v1/nothing-here/`);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ status: 404, detail: "Not found." });
    // Next to real operations: same prefix and depth as contains_content_items, no such action.
    const action = await fetch(`${service.baseUrl}/api/v1/enterprise-catalogs/${randomUUID()}/no_such_action/`);
    expect(action.status).toBe(404);
    const method = await fetch(`${service.baseUrl}/api/v1/catalog-queries/`, { method: "DELETE" });
    expect(method.status).toBe(405);
    expect(method.headers.get("content-type")).toMatch(/problem\+json/);
  });
});

describe("catalog reads and changes", () => {
  it("retrieves, lists by customer with pagination links, changes and deletes", async () => {
    const customer = randomUUID();
    const made = [];
    for (let i = 0; i < 3; i++) made.push((await create(newCatalog({ enterprise_customer: customer, title: `Catalog ${i}` }))).body);
    const first = await service.call("listEnterpriseCatalogs", "GET", `/api/v1/enterprise-catalogs/?enterprise_customer=${customer}&page_size=2`);
    expect(first.status).toBe(200);
    expect(first.body.count).toBe(3);
    expect(first.body.results.map((c: { title: string }) => c.title)).toEqual(["Catalog 0", "Catalog 1"]);
    expect(first.body.previous).toBeNull();
    const next = new URL(first.body.next);
    expect(next.searchParams.get("page")).toBe("2");
    const second = await service.call("listEnterpriseCatalogs", "GET", `${next.pathname}${next.search}`);
    expect(second.body.results.map((c: { title: string }) => c.title)).toEqual(["Catalog 2"]);
    expect(new URL(second.body.previous).searchParams.has("page")).toBe(false);

    const uuid = made[0].uuid;
    const patched = await service.call("updateEnterpriseCatalog", "PATCH", `/api/v1/enterprise-catalogs/${uuid}`, { body: { title: "Renamed" } });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ title: "Renamed", catalog_query_uuid: made[0].catalog_query_uuid });
    expect(Date.parse(patched.body.catalog_modified)).toBeGreaterThanOrEqual(Date.parse(made[0].catalog_modified));

    const put = await service.call("replaceEnterpriseCatalog", "PUT", `/api/v1/enterprise-catalogs/${uuid}/`, { body: { title: "Replaced", enterprise_customer: customer } });
    expect(put.body).toMatchObject({ title: "Replaced", catalog_query_uuid: made[0].catalog_query_uuid });

    expect((await service.call("deleteEnterpriseCatalog", "DELETE", `/api/v1/enterprise-catalogs/${uuid}/`)).status).toBe(204);
    expect((await service.call("getEnterpriseCatalog", "GET", `/api/v1/enterprise-catalogs/${uuid}/`)).status).toBe(404);
  });

  it("moves only the changed catalog to a new query when a shared filter changes (copy-on-write)", async () => {
    const filter = { content_type: "course", org: "edX", level_type: "Advanced" };
    const a = (await create(newCatalog({ content_filter: filter }))).body;
    const b = (await create(newCatalog({ enterprise_customer: CUSTOMER_B, content_filter: filter }))).body;
    expect(a.catalog_query_uuid).toBe(b.catalog_query_uuid);
    const changed = await service.call("updateEnterpriseCatalog", "PATCH", `/api/v1/enterprise-catalogs/${a.uuid}/`, { body: { content_filter: { ...filter, level_type: "Introductory" } } });
    expect(changed.status).toBe(200);
    expect(changed.body.catalog_query_uuid).not.toBe(b.catalog_query_uuid);
    const sibling = await service.call("getEnterpriseCatalog", "GET", `/api/v1/enterprise-catalogs/${b.uuid}/`);
    expect(sibling.body.catalog_query_uuid).toBe(b.catalog_query_uuid);
    const siblingQuery = await service.call("getCatalogQuery", "GET", `/api/v1/catalog-queries/${b.catalog_query_uuid}/`);
    expect(siblingQuery.body.content_filter).toEqual(filter);
  });
});

describe("POST generate_diff", () => {
  it("takes what an integrated channel sends in one body (past the usual 1 MiB), up to 100,000 distinct keys", async () => {
    const created = await create(newCatalog());
    const path = `/api/v1/enterprise-catalogs/${created.body.uuid}/generate_diff`;
    const keys = Array.from({ length: 60_000 }, (_, i) => `course-v1:Channel+Sent${i}+1T2026`);
    expect(JSON.stringify({ content_keys: keys }).length).toBeGreaterThan(2 * 1024 * 1024);
    const response = await service.call("postCatalogContentDiff", "POST", path, { body: { content_keys: keys } });
    expect(response.status).toBe(200);
    expect(response.body.items_not_found).toHaveLength(60_000);
    // Repeats count once.
    const most = Array.from({ length: 100_000 }, (_, i) => `k${i}`);
    expect((await service.call("postCatalogContentDiff", "POST", path, { body: { content_keys: [...most, ...most.slice(0, 10)] } })).status).toBe(200);
    const tooMany = await service.call("postCatalogContentDiff", "POST", path, { body: { content_keys: [...most, "one more"] } });
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.errors).toEqual([{ field: "content_keys", message: "must have at most 100000 items" }]);
  });
});

describe("catalog queries", () => {
  it("hashes a filter sent as a GET body or a POST body the way Python does", async () => {
    const raw = '{"content_type": "course", "partner": "edx", "level_type": ["Introductory", "Intermediate", "Advanced"], "availability": ["Current", "Starting Soon", "Upcoming"], "status": "published"}';
    const get = await service.call("getContentFilterHash", "GET", "/api/v1/catalog-queries/get_content_filter_hash", { rawBody: raw });
    expect(get.status).toBe(200);
    expect(get.body).toBe("13f6ce14cd7879ef535e777c61e06f08");
    const post = await service.call("postContentFilterHash", "POST", "/api/v1/catalog-queries/get_content_filter_hash/", { rawBody: '{"price": 1.0}' });
    // Python's json.dumps keeps 1.0: md5('{"price": 1.0}').
    expect(post.body).toBe("4753844e341628532155a85c291a5094");
    const bad = await service.call("postContentFilterHash", "POST", "/api/v1/catalog-queries/get_content_filter_hash", { rawBody: "nope" });
    expect(bad.status).toBe(400);
  });

  it("finds a query by hash, with the reference's errors", async () => {
    const made = (await create(newCatalog({ content_filter: { content_type: "program", partner: "edx" } }))).body;
    const hash = (await service.call("postContentFilterHash", "POST", "/api/v1/catalog-queries/get_content_filter_hash", { body: { partner: "edx", content_type: "program" } })).body;
    const found = await service.call("getCatalogQueryByHash", "GET", `/api/v1/catalog-queries/get_query_by_hash?hash=${hash}`);
    expect(found.status).toBe(200);
    expect(found.body.uuid).toBe(made.catalog_query_uuid);
    const missing = await service.call("getCatalogQueryByHash", "GET", `/api/v1/catalog-queries/get_query_by_hash?hash=${"0".repeat(32)}`);
    expect(missing.status).toBe(404);
    expect(missing.body.detail).toBe("Catalog query not found.");
    const invalid = await service.call("getCatalogQueryByHash", "GET", "/api/v1/catalog-queries/get_query_by_hash?hash=xyz");
    expect(invalid.status).toBe(400);
    expect(invalid.body.errors).toContainEqual({ field: "hash", message: "Invalid filter hash." });
    const absent = await service.call("getCatalogQueryByHash", "GET", "/api/v1/catalog-queries/get_query_by_hash");
    expect(absent.status).toBe(400);
  });
});

describe("operations", () => {
  it("answers /health, /ready and /api/schema", async () => {
    expect((await service.call("getHealth", "GET", "/health")).body).toEqual({ status: "ok" });
    // Memory has nothing to check (test/lifecycle/observability.test.ts checks PostgreSQL's /ready).
    expect((await service.call("getReady", "GET", "/ready")).body).toEqual({ status: "ready", checks: {} });
    const schema = await service.call("getApiSchema", "GET", "/api/schema");
    expect(schema.body).toContain("openapi: 3.1.0");
  });

  it("echoes a request id it is given and makes one otherwise", async () => {
    const given = await fetch(`${service.baseUrl}/health`, { headers: { "x-request-id": "abc-123" } });
    expect(given.headers.get("x-request-id")).toBe("abc-123");
    const made = await fetch(`${service.baseUrl}/health`);
    expect(made.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
  });
});
