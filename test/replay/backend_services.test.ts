/**
 * Replay: the enterprise-catalog clients of license-manager, enterprise-access (v1 part),
 * enterprise-subsidy (v1 part) and ecommerce, as each sends its requests (Python `requests`
 * params, service-user JWTs), against the real service. Request ids are those of
 * docs/compatibility.md; the v2 requests are served by /api/v2 (issue 24).
 */
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { JsonObject } from "../../src/json.ts";
import { CUST, keyOf, pick, type ReadFixture, startReadFixture } from "../contract/read_fixture.ts";
import { pythonParams } from "./replay.ts";

let f: ReadFixture;
/** Backend services call as their own service users, which hold the operator role everywhere. */
let serviceUser: string;
beforeAll(async () => {
  f = await startReadFixture();
  serviceUser = await f.service.authorization({ roles: ["enterprise_openedx_operator:*"], subject: "service_worker" });
});
afterAll(async () => {
  await f?.stop();
});

const call = (operationId: string, method: string, path: string, body?: unknown) =>
  f.service.call(operationId, method, path, { headers: { authorization: serviceUser }, body });

describe("license-manager", () => {
  it("L1 GET enterprise-catalogs/{uuid}/contains_content_items/?course_run_ids=… reads contains_content_items", async () => {
    const course = keyOf(pick(f.catalogs.CAT.records, (r) => r.content_type === "course"));
    const response = await call("catalogContainsContentItems", "GET", `/api/v1/enterprise-catalogs/${f.catalogs.CAT.uuid}/contains_content_items/?${pythonParams({ course_run_ids: [course] })}`);
    expect(response.body).toEqual({ contains_content_items: true });
    const other = await call("catalogContainsContentItems", "GET", `/api/v1/enterprise-catalogs/${f.catalogs.CAT.uuid}/contains_content_items/?${pythonParams({ course_run_ids: ["edX+Nope"] })}`);
    expect(other.body).toEqual({ contains_content_items: false });
  });

  it("L2 POST distinct-catalog-queries/ {enterprise_catalog_uuids} reads num_distinct_query_ids and catalog_uuids_by_catalog_query_id", async () => {
    const twin = await f.createCatalog({ content_type: ["course", "courserun"], org: "MITx" });
    const response = await call("distinctCatalogQueries", "POST", "/api/v1/distinct-catalog-queries/", { enterprise_catalog_uuids: [f.catalogs.CAT.uuid, twin.uuid, f.catalogs.CAT2.uuid] });
    expect(response.status).toBe(200);
    expect(response.body.num_distinct_query_ids).toBe(2);
    expect(Object.values(response.body.catalog_uuids_by_catalog_query_id)).toEqual(expect.arrayContaining([[f.catalogs.CAT.uuid, twin.uuid], [f.catalogs.CAT2.uuid]]));
  });
});

describe("enterprise-access", () => {
  it("A4 GET content-metadata/{content_id} (no slash) and ?coerce_to_parent_course=True read the item, 404 raises", async () => {
    const course = pick(f.catalogs.CAT.records, (r) => r.content_type === "course");
    const item = await call("getContentMetadata", "GET", `/api/v1/content-metadata/${encodeURIComponent(keyOf(course))}`);
    expect(item.status).toBe(200);
    expect(item.body).toMatchObject({ key: course.key, content_type: "course", uuid: course.uuid });
    const run = pick(f.catalogs.CAT.records, (r) => r.content_type === "courserun");
    const coerced = await call("getContentMetadata", "GET", `/api/v1/content-metadata/${encodeURIComponent(keyOf(run))}?${pythonParams({ coerce_to_parent_course: true })}`);
    expect(coerced.body).toMatchObject({ content_type: "course", key: String(run.aggregation_key).slice("courserun:".length) });
    expect((await call("getContentMetadata", "GET", `/api/v1/content-metadata/${randomUUID()}`)).status).toBe(404);
  });
});

describe("enterprise-subsidy", () => {
  it("S1 GET content-metadata/?content_identifiers=<key or uuid> reads results[0]: uuid, key, product_source", async () => {
    const course = pick(f.catalogs.CAT.records, (r) => r.content_type === "course");
    for (const identifier of [keyOf(course), String(course.uuid)]) {
      const response = await call("listContentMetadata", "GET", `/api/v1/content-metadata/?${pythonParams({ content_identifiers: [identifier] })}`);
      expect(response.status).toBe(200);
      const [first] = response.body.results as JsonObject[];
      expect(first).toMatchObject({ uuid: course.uuid, key: course.key, content_type: "course" });
      expect(first?.product_source).toMatchObject({ name: expect.any(String) });
    }
    const none = await call("listContentMetadata", "GET", `/api/v1/content-metadata/?${pythonParams({ content_identifiers: ["edX+Nope"] })}`);
    expect(none.body.results).toEqual([]);
  });

  it("S3 GET enterprise-customer/{uuid}/content-metadata/{id}/[?skip_customer_fetch=True] reads the item, 404 raises", async () => {
    const course = pick(f.catalogs.CAT.records, (r) => r.content_type === "course");
    const path = `/api/v1/enterprise-customer/${CUST}/content-metadata/${course.uuid}/`;
    const full = await call("getCustomerContentMetadata", "GET", path);
    expect(full.body).toMatchObject({ uuid: course.uuid, key: course.key, enrollment_url: expect.any(String) });
    const skipped = await call("getCustomerContentMetadata", "GET", `${path}?${pythonParams({ skip_customer_fetch: true })}`);
    expect(skipped.body).toMatchObject({ uuid: course.uuid, key: course.key, enrollment_url: null });
    expect((await call("getCustomerContentMetadata", "GET", `/api/v1/enterprise-customer/${CUST}/content-metadata/${randomUUID()}/`)).status).toBe(404);
  });
});

describe("ecommerce", () => {
  it("C1 GET enterprise-customer/{uuid}/contains_content_items/?course_run_ids=a&course_run_ids=b reads contains_content_items", async () => {
    const run = keyOf(pick(f.catalogs.CAT.records, (r) => r.content_type === "courserun"));
    const response = await call("customerContainsContentItems", "GET", `/api/v1/enterprise-customer/${CUST}/contains_content_items/?${pythonParams({ course_run_ids: [run, "course-v1:edX+Nope+1T"] })}`);
    expect(response.body).toEqual({ contains_content_items: true });
    const foreign = await call("customerContainsContentItems", "GET", `/api/v1/enterprise-customer/${randomUUID()}/contains_content_items/?${pythonParams({ course_run_ids: [run] })}`);
    expect(foreign.body).toEqual({ contains_content_items: false });
  });

  it("C2 GET enterprise-catalogs/{uuid}/contains_content_items/?course_run_ids=… (a coupon's catalog) reads contains_content_items", async () => {
    const run = keyOf(pick(f.catalogs.CAT.records, (r) => r.content_type === "courserun"));
    const response = await call("catalogContainsContentItems", "GET", `/api/v1/enterprise-catalogs/${f.catalogs.CAT.uuid}/contains_content_items/?${pythonParams({ course_run_ids: [run] })}`);
    expect(response.body).toEqual({ contains_content_items: true });
  });

  it("C3 GET /enterprise/api/v1/enterprise_catalogs/{uuid}/?limit=&page= (the legacy mount) reads count, next, previous, results", async () => {
    const response = await call("getLegacyEnterpriseCatalog", "GET", `/enterprise/api/v1/enterprise_catalogs/${f.catalogs.CAT.uuid}/?${pythonParams({ limit: "10", page: "1" })}`);
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ uuid: f.catalogs.CAT.uuid, count: expect.any(Number), previous: null });
    expect(Array.isArray(response.body.results)).toBe(true);
    expect(response.body.next === null || String(response.body.next).includes("page=2")).toBe(true);
  });
});
