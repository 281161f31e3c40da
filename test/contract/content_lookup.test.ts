/**
 * Contract: single items and comparisons (enterprise-catalog-ida.md §2.5, §2.7 "Single item", §2.8
 * distinct-catalog-queries, §2.9): `generate_diff`, `enterprise-customer/{uuid}/content-metadata/{id}/`,
 * `content-metadata/` and `content-metadata/{id}/`, `distinct-catalog-queries/`.
 */
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { compareContentKeys } from "../../src/content/listing.ts";
import type { JsonObject } from "../../src/json.ts";
import { CUST, keyOf, learnerOf, OTHER, pick, type ReadFixture, startReadFixture, orgOf } from "./read_fixture.ts";

let f: ReadFixture;
beforeAll(async () => {
  f = await startReadFixture();
});
afterAll(async () => {
  await f?.stop();
});

describe("generate_diff", () => {
  it("splits keys into found (with date_updated), not found and the catalog's keys not sent, by GET or POST", async () => {
    const keys = f.catalogs.CAT2.records.map(keyOf);
    const [sent, ...rest] = keys;
    const missing = randomUUID();
    const get = await f.service.call("getCatalogContentDiff", "GET", `/api/v1/enterprise-catalogs/${f.catalogs.CAT2.uuid}/generate_diff?content_keys=${sent}&content_keys=${missing}`);
    expect(get.status).toBe(200);
    expect(Object.keys(get.body)).toEqual(["items_not_found", "items_not_included", "items_found"]);
    expect(get.body.items_not_found).toEqual([{ content_key: missing }]);
    expect(new Set(get.body.items_not_included.map((item: { content_key: string }) => item.content_key))).toEqual(new Set(rest));
    expect(get.body.items_found).toEqual([{ content_key: sent, date_updated: expect.any(String) }]);
    const post = await f.service.call("postCatalogContentDiff", "POST", `/api/v1/enterprise-catalogs/${f.catalogs.CAT2.uuid}/generate_diff/`, { body: { content_keys: [sent, missing] } });
    expect(post.body).toEqual(get.body);
    const empty = await f.service.call("postCatalogContentDiff", "POST", `/api/v1/enterprise-catalogs/${f.catalogs.CAT2.uuid}/generate_diff`);
    expect(empty.body.items_not_included).toHaveLength(keys.length);
  });

  it("answers the reference's 400s for a GET without keys or with more than 100, and 404 for unknown catalogs", async () => {
    const path = `/api/v1/enterprise-catalogs/${f.catalogs.CAT2.uuid}/generate_diff`;
    const none = await f.service.call("getCatalogContentDiff", "GET", path);
    expect(none.status).toBe(400);
    expect(none.body.detail).toBe("You must provide at least one of the following query parameters: content_keys.");
    const many = await f.service.call("getCatalogContentDiff", "GET", `${path}?${Array.from({ length: 101 }, (_, i) => `content_keys=k${i}`).join("&")}`);
    expect(many.status).toBe(400);
    expect(many.body.detail).toContain("supports up to 100");
    expect((await f.service.call("getCatalogContentDiff", "GET", `/api/v1/enterprise-catalogs/${randomUUID()}/generate_diff?content_keys=x`)).status).toBe(404);
  });
});

describe("enterprise-customer content-metadata", () => {
  it("finds an item by key or content uuid in the customer's catalogs, shown with that catalog's links", async () => {
    const course = pick(f.catalogs.CAT.records, (r) => r.content_type === "course");
    const byKey = await f.service.call("getCustomerContentMetadata", "GET", `/api/v1/enterprise-customer/${CUST}/content-metadata/${course.key}/`);
    expect(byKey.status).toBe(200);
    expect(byKey.body).toMatchObject({ key: course.key, uuid: course.uuid, parent_content_key: null, enrollment_url: expect.stringContaining(`catalog=${f.catalogs.CAT.uuid}`) });
    const byUuid = await f.service.call("getCustomerContentMetadata", "GET", `/api/v1/enterprise-customer/${CUST}/content-metadata/${course.uuid}/`);
    expect(byUuid.body).toEqual(byKey.body);
    const skipped = await f.service.call("getCustomerContentMetadata", "GET", `/api/v1/enterprise-customer/${CUST}/content-metadata/${course.key}/?skip_customer_fetch=1`);
    expect(skipped.body.enrollment_url).toBeNull();
  });

  it("maps a run key to its course in a catalog that holds only the course, and 404s with the reference's text", async () => {
    const harvardRun = pick(f.catalogs.ALIEN.records, (r) => r.content_type === "courserun" && r.org === "HarvardX");
    const response = await f.service.call("getCustomerContentMetadata", "GET", `/api/v1/enterprise-customer/${CUST}/content-metadata/${harvardRun.key}/`);
    expect(response.body.key).toBe(String(harvardRun.aggregation_key).slice("courserun:".length));
    const delft = keyOf(pick(f.catalogs.ALIEN.records, (r) => orgOf(r) === "DelftX"));
    const missing = await f.service.call("getCustomerContentMetadata", "GET", `/api/v1/enterprise-customer/${CUST}/content-metadata/${delft}/`);
    expect(missing.status).toBe(404);
    expect(missing.body.detail).toBe("No matching content in any catalog for this customer");
    const other = await f.service.call("getCustomerContentMetadata", "GET", `/api/v1/enterprise-customer/${CUST}/content-metadata/${delft}/`, { headers: { authorization: await learnerOf(f.service, OTHER) } });
    expect(other.status).toBe(403);
  });
});

describe("content-metadata", () => {
  it("lists stored content by key or uuid in DRF's page-number envelope, with no catalog links", async () => {
    const course = pick(f.catalogs.CAT.records, (r) => r.content_type === "course");
    const program = pick(f.catalogs.CAT2.records, () => true);
    const response = await f.service.call("listContentMetadata", "GET", `/api/v1/content-metadata/?content_identifiers=${course.key}&content_identifiers=${program.uuid}&content_identifiers=nope`);
    expect(response.status).toBe(200);
    expect(Object.keys(response.body)).toEqual(["count", "next", "previous", "results"]);
    expect(response.body.results.map((item: JsonObject) => keyOf(item))).toEqual([String(course.key), String(program.uuid)].sort(compareContentKeys));
    const item = response.body.results.find((entry: JsonObject) => entry.key === course.key);
    expect(item).toMatchObject({ parent_content_key: null, active: expect.any(Boolean), content_last_modified: expect.any(String) });
    expect(item).not.toHaveProperty("enrollment_url");
  });

  it("coerces runs to their courses and returns no runs; pages everything else", async () => {
    const run = pick(f.catalogs.CAT.records, (r) => r.content_type === "courserun");
    const course = String(run.aggregation_key).slice("courserun:".length);
    const coerced = await f.service.call("listContentMetadata", "GET", `/api/v1/content-metadata/?content_identifiers=${run.key}&coerce_to_parent_course=1`);
    expect(coerced.body.results.map((item: JsonObject) => item.key)).toEqual([course]);
    const page = await f.service.call("listContentMetadata", "GET", "/api/v1/content-metadata/?coerce_to_parent_course=true&page_size=5&page=2");
    expect(page.body.results).toHaveLength(5);
    expect(page.body.results.every((item: JsonObject) => item.content_type !== "courserun")).toBe(true);
    expect(new URL(page.body.previous).searchParams.has("page")).toBe(false);
    expect((await f.service.call("listContentMetadata", "GET", "/api/v1/content-metadata/?page=99999")).status).toBe(404);
  });

  it("retrieves one item by key or uuid, a run's course on request, and answers 404 \"Not found.\"", async () => {
    const run = pick(f.catalogs.CAT.records, (r) => r.content_type === "courserun");
    const retrieved = await f.service.call("getContentMetadata", "GET", `/api/v1/content-metadata/${run.key}/`);
    expect(retrieved.body).toMatchObject({ key: run.key, content_type: "courserun", parent_content_key: String(run.aggregation_key).slice("courserun:".length) });
    const coerced = await f.service.call("getContentMetadata", "GET", `/api/v1/content-metadata/${run.key}/?coerce_to_parent_course=1`);
    expect(coerced.body).toMatchObject({ content_type: "course", key: retrieved.body.parent_content_key });
    const missing = await f.service.call("getContentMetadata", "GET", `/api/v1/content-metadata/${randomUUID()}/`);
    expect(missing.status).toBe(404);
    expect(missing.body.detail).toBe("Not found.");
    expect((await f.service.call("getContentMetadata", "GET", `/api/v1/content-metadata/${run.key}/`, { headers: { authorization: await learnerOf(f.service, OTHER) } })).status).toBe(200);
    expect((await f.service.call("getContentMetadata", "GET", `/api/v1/content-metadata/${run.key}/`, { anonymous: true })).status).toBe(401);
  });
});

describe("distinct-catalog-queries", () => {
  it("groups catalogs by the query they share, counting distinct queries", async () => {
    const twin = await f.createCatalog({ content_type: "program" }, { customer: OTHER });
    expect(twin.queryUuid).toBe(f.catalogs.CAT2.queryUuid);
    const response = await f.service.call("distinctCatalogQueries", "POST", "/api/v1/distinct-catalog-queries/", {
      body: { enterprise_catalog_uuids: [f.catalogs.CAT2.uuid, twin.uuid, f.catalogs.CAT.uuid, randomUUID()] },
    });
    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      num_distinct_query_ids: 2,
      catalog_uuids_by_catalog_query_id: {
        [f.catalogs.CAT2.queryUuid]: [f.catalogs.CAT2.uuid, twin.uuid],
        [f.catalogs.CAT.queryUuid]: [f.catalogs.CAT.uuid],
      },
    });
    expect((await f.service.call("distinctCatalogQueries", "POST", "/api/v1/distinct-catalog-queries/", { body: { enterprise_catalog_uuids: ["x"] } })).status).toBe(400);
    const learner = await f.service.call("distinctCatalogQueries", "POST", "/api/v1/distinct-catalog-queries/", {
      body: { enterprise_catalog_uuids: [] }, headers: { authorization: await learnerOf(f.service, CUST) },
    });
    expect(learner.status).toBe(403);
  });
});
