/**
 * Replay: edx-enterprise's `EnterpriseCatalogApiClient` and the signals that drive it (catalog
 * sync on save, query edits, refreshes), as its enterprise worker user sends them, against the
 * real service. Request ids E1–E14 are those of docs/compatibility.md.
 */
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { JsonObject } from "../../src/json.ts";
import { CUST, keyOf, pick, type ReadFixture, startReadFixture } from "../contract/read_fixture.ts";
import { getWithForm, pythonParams, traverse } from "./replay.ts";

let f: ReadFixture;
let worker: string;
beforeAll(async () => {
  f = await startReadFixture();
  worker = await f.service.authorization({ roles: ["enterprise_openedx_operator:*"], subject: "enterprise_worker" });
});
afterAll(async () => {
  await f?.stop();
});

const api = "/api/v1";
/** What `update_enterprise_catalog_data` sends on create (publish_audit as `json.dumps` text) and on update (as a bool). */
function syncBody(fields: { uuid?: string; title: string; filter: JsonObject; queryUuid: string | null; queryTitle?: string | null }) {
  return {
    ...(fields.uuid === undefined ? {} : { uuid: fields.uuid }),
    title: fields.title,
    enterprise_customer: CUST,
    enterprise_customer_name: "Acme Corp",
    content_filter: fields.filter,
    enabled_course_modes: ["verified", "professional", "no-id-professional", "audit", "honor"],
    publish_audit_enrollment_urls: fields.uuid === undefined ? false : "false",
    catalog_query_uuid: fields.queryUuid,
    query_title: fields.queryTitle ?? null,
    include_exec_ed_2u_courses: false,
  };
}

describe("edx-enterprise: catalog sync (signals.update_enterprise_catalog_data)", () => {
  it("E1 GET enterprise-catalogs/{uuid}/ answers 404 for a catalog it has not created yet, which the client reads as 'create it'", async () => {
    const response = await f.service.call("getEnterpriseCatalog", "GET", `${api}/enterprise-catalogs/${randomUUID()}/`, { headers: { authorization: worker } });
    expect(response.status).toBe(404);
  });

  it("E2 POST enterprise-catalogs/ with the client's uuid, name, modes, audit flag as text, query uuid and title", async () => {
    const uuid = randomUUID();
    const queryUuid = randomUUID();
    const created = await f.service.call("createEnterpriseCatalog", "POST", `${api}/enterprise-catalogs/`, {
      headers: { authorization: worker }, body: syncBody({ uuid, title: "E2", filter: { content_type: "course", partner: "edx", n: uuid }, queryUuid, queryTitle: "E2 query" }),
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ uuid, title: "E2", enterprise_customer: CUST, catalog_query_uuid: queryUuid, query_title: "E2 query" });
    const read = await f.service.call("getEnterpriseCatalog", "GET", `${api}/enterprise-catalogs/${uuid}/`, { headers: { authorization: worker } });
    expect(read.status).toBe(200);
    expect(read.body.uuid).toBe(uuid);
  });

  it("E3 PUT enterprise-catalogs/{uuid}/ with every field again, the audit flag as a bool and a null query uuid", async () => {
    const uuid = randomUUID();
    await f.service.call("createEnterpriseCatalog", "POST", `${api}/enterprise-catalogs/`, { headers: { authorization: worker }, body: syncBody({ uuid, title: "E3", filter: { n: uuid }, queryUuid: null }) });
    const updated = await f.service.call("replaceEnterpriseCatalog", "PUT", `${api}/enterprise-catalogs/${uuid}/`, {
      headers: { authorization: worker }, body: { ...syncBody({ title: "E3 renamed", filter: { n: uuid, m: 1 }, queryUuid: null }), publish_audit_enrollment_urls: true },
    });
    expect(updated.status).toBe(200);
    expect(updated.body).toMatchObject({ uuid, title: "E3 renamed" });
  });

  it("E4 DELETE enterprise-catalogs/{uuid}/ answers 2xx, and 404 for one already gone (logged as a warning)", async () => {
    const uuid = randomUUID();
    await f.service.call("createEnterpriseCatalog", "POST", `${api}/enterprise-catalogs/`, { headers: { authorization: worker }, body: syncBody({ uuid, title: "E4", filter: { n: uuid }, queryUuid: null }) });
    expect((await f.service.call("deleteEnterpriseCatalog", "DELETE", `${api}/enterprise-catalogs/${uuid}/`, { headers: { authorization: worker } })).status).toBe(204);
    expect((await f.service.call("deleteEnterpriseCatalog", "DELETE", `${api}/enterprise-catalogs/${uuid}/`, { headers: { authorization: worker } })).status).toBe(404);
  });

  it("E5 POST enterprise-catalogs/{uuid}/refresh_metadata/ with no body answers async_task_id", async () => {
    const response = await f.service.call("refreshEnterpriseCatalogMetadata", "POST", `${api}/enterprise-catalogs/${f.catalogs.CAT.uuid}/refresh_metadata/`, { headers: { authorization: worker } });
    expect(response.status).toBe(200);
    expect(response.body.async_task_id).toEqual(expect.any(String));
  });
});

describe("edx-enterprise: content (integrated channels, enrollment checks)", () => {
  it("E6 GET get_content_metadata/?page_size=50, following next, gives every listed item once, keyed by key or uuid", async () => {
    const first = await f.service.call("getCatalogContentMetadata", "GET", `${api}/enterprise-catalogs/${f.catalogs.CAT.uuid}/get_content_metadata/?${pythonParams({ page_size: "50" })}`, { headers: { authorization: worker } });
    const items = await traverse(f.service, "getCatalogContentMetadata", first, { authorization: worker }) as JsonObject[];
    expect(items.length).toBe(first.body.count);
    const ids = items.map((item) => (item.content_type === "program" ? item.uuid : item.key));
    expect(new Set(ids).size).toBe(ids.length);
  });

  it("E6 GET get_content_metadata/?page_size=50&content_keys=… (keys in chunks of 50) gives the matching items", async () => {
    const keys = f.catalogs.CAT.records.slice(0, 3).map(keyOf);
    const response = await f.service.call("getCatalogContentMetadata", "GET", `${api}/enterprise-catalogs/${f.catalogs.CAT.uuid}/get_content_metadata/?${pythonParams({ page_size: "50", content_keys: keys })}`, { headers: { authorization: worker } });
    expect(response.status).toBe(200);
    const results = response.body.results as JsonObject[];
    expect(results.map(keyOf)).toEqual(expect.arrayContaining(keys));
    // Parent/child aware: a course key also brings the catalog's runs of it.
    for (const item of results) expect(keys.includes(keyOf(item)) || keys.includes(String(item.parent_content_key))).toBe(true);
  });

  it("E7 POST generate_diff/ {content_keys} answers items_not_found, items_not_included, items_found with date_updated", async () => {
    const held = keyOf(f.catalogs.CAT.records[0] as JsonObject);
    const response = await f.service.call("postCatalogContentDiff", "POST", `${api}/enterprise-catalogs/${f.catalogs.CAT.uuid}/generate_diff/`, { headers: { authorization: worker }, body: { content_keys: [held, "edX+Gone"] } });
    expect(response.status).toBe(200);
    expect(response.body.items_not_found).toEqual([{ content_key: "edX+Gone" }]);
    expect(response.body.items_found).toEqual([{ content_key: held, date_updated: expect.any(String) }]);
    expect(response.body.items_not_included.length).toBeGreaterThan(0);
  });

  it("E8 GET enterprise-catalogs/{uuid}/contains_content_items/?course_run_ids=…&course_run_ids=… answers contains_content_items", async () => {
    const run = keyOf(pick(f.catalogs.CAT.records, (r) => r.content_type === "courserun"));
    const yes = await f.service.call("catalogContainsContentItems", "GET", `${api}/enterprise-catalogs/${f.catalogs.CAT.uuid}/contains_content_items/?${pythonParams({ course_run_ids: [run, "edX+Nope"] })}`, { headers: { authorization: worker } });
    expect(yes.body).toEqual({ contains_content_items: true });
    const program = keyOf(f.catalogs.CAT2.records[0] as JsonObject);
    const programAsRun = await f.service.call("catalogContainsContentItems", "GET", `${api}/enterprise-catalogs/${f.catalogs.CAT2.uuid}/contains_content_items/?${pythonParams({ course_run_ids: [program] })}`, { headers: { authorization: worker } });
    expect(programAsRun.body).toEqual({ contains_content_items: true });
  });

  it("E9 GET enterprise-customer/{uuid}/contains_content_items/?course_run_ids=…&get_catalogs_containing_specified_content_ids=True answers catalog_list too", async () => {
    const run = keyOf(pick(f.catalogs.CAT.records, (r) => r.content_type === "courserun"));
    const response = await f.service.call("customerContainsContentItems", "GET", `${api}/enterprise-customer/${CUST}/contains_content_items/?${pythonParams({ course_run_ids: [run], get_catalogs_containing_specified_content_ids: true })}`, { headers: { authorization: worker } });
    expect(response.body).toEqual({ contains_content_items: true, catalog_list: expect.arrayContaining([f.catalogs.CAT.uuid]) });
  });

  it("E10 GET enterprise-customer/{uuid}/content-metadata/{key}/ answers the item, 404 (read as {}) when no catalog holds it", async () => {
    const course = keyOf(pick(f.catalogs.CAT.records, (r) => r.content_type === "course"));
    const found = await f.service.call("getCustomerContentMetadata", "GET", `${api}/enterprise-customer/${CUST}/content-metadata/${encodeURIComponent(course)}/`, { headers: { authorization: worker } });
    expect(found.status).toBe(200);
    expect(found.body).toMatchObject({ key: course, content_type: "course", enrollment_url: expect.any(String) });
    expect((await f.service.call("getCustomerContentMetadata", "GET", `${api}/enterprise-customer/${CUST}/content-metadata/edX+Nowhere/`, { headers: { authorization: worker } })).status).toBe(404);
  });

  it("E11 GET content-metadata/{key}/?coerce_to_parent_course=True answers a run's course", async () => {
    const run = pick(f.catalogs.CAT.records, (r) => r.content_type === "courserun");
    const response = await f.service.call("getContentMetadata", "GET", `${api}/content-metadata/${encodeURIComponent(keyOf(run))}/?${pythonParams({ coerce_to_parent_course: true })}`, { headers: { authorization: worker } });
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ content_type: "course", key: String(run.aggregation_key).slice("courserun:".length) });
  });
});

describe("edx-enterprise: catalog queries (admin checks, query edits)", () => {
  it("E12 GET catalog-queries/get_content_filter_hash with the filter form-encoded answers the hash as a bare string", async () => {
    const filter = { content_type: "course", partner: "edx" };
    const form = pythonParams(filter);
    const hashed = await getWithForm(f.service, `${api}/catalog-queries/get_content_filter_hash`, form, worker);
    // md5(json.dumps({"content_type": "course", "partner": "edx"}, sort_keys=True)), as for the JSON body.
    const asJson = await f.service.call("getContentFilterHash", "GET", `${api}/catalog-queries/get_content_filter_hash`, { headers: { authorization: worker }, rawBody: JSON.stringify(filter) });
    expect(hashed).toEqual({ status: 200, body: asJson.body });
    expect(asJson.body).toMatch(/^[0-9a-f]{32}$/);
  });

  it("E13 GET catalog-queries/get_query_by_hash?hash= answers the query with its uuid and filter", async () => {
    const hash = (await f.service.call("postContentFilterHash", "POST", `${api}/catalog-queries/get_content_filter_hash`, { headers: { authorization: worker }, body: { content_type: "program" } })).body;
    const response = await f.service.call("getCatalogQueryByHash", "GET", `${api}/catalog-queries/get_query_by_hash?hash=${hash}`, { headers: { authorization: worker } });
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ uuid: f.catalogs.CAT2.queryUuid, content_filter: { content_type: "program" }, content_filter_hash: hash });
  });

  it("E14 an edited query: each catalog's PUT with the new filter and the client's query uuid keeps that uuid; the query by hash and by uuid follow; the old filter's other catalogs keep theirs", async () => {
    const queryUuid = randomUUID();
    const oldFilter = { content_type: "course", org: "MITx", edit: queryUuid };
    const [first, second] = [randomUUID(), randomUUID()];
    for (const uuid of [first, second]) {
      await f.service.call("createEnterpriseCatalog", "POST", `${api}/enterprise-catalogs/`, { headers: { authorization: worker }, body: syncBody({ uuid, title: "E14", filter: oldFilter, queryUuid }) });
    }
    // Another customer's catalog with the same filter and no client query: copy-on-write keeps it on the old filter.
    const bystander = await f.service.call("createEnterpriseCatalog", "POST", `${api}/enterprise-catalogs/`, {
      body: { title: "Bystander", enterprise_customer: randomUUID(), content_filter: oldFilter },
    });
    const newFilter = { content_type: "course", org: "HarvardX", edit: queryUuid };
    for (const uuid of [first, second]) {
      const updated = await f.service.call("replaceEnterpriseCatalog", "PUT", `${api}/enterprise-catalogs/${uuid}/`, { headers: { authorization: worker }, body: syncBody({ title: "E14", filter: newFilter, queryUuid }) });
      expect(updated.status).toBe(200);
      expect(updated.body.catalog_query_uuid).toBe(queryUuid);
    }
    const hash = (await f.service.call("postContentFilterHash", "POST", `${api}/catalog-queries/get_content_filter_hash`, { headers: { authorization: worker }, body: newFilter })).body;
    const byHash = await f.service.call("getCatalogQueryByHash", "GET", `${api}/catalog-queries/get_query_by_hash?hash=${hash}`, { headers: { authorization: worker } });
    expect(byHash.body).toMatchObject({ uuid: queryUuid, content_filter: newFilter });
    const byUuid = await f.service.call("getCatalogQuery", "GET", `${api}/catalog-queries/${queryUuid}/`, { headers: { authorization: worker } });
    expect(byUuid.body).toMatchObject({ uuid: queryUuid, content_filter: newFilter });
    const kept = await f.service.call("getEnterpriseCatalog", "GET", `${api}/enterprise-catalogs/${bystander.body.uuid}/`);
    expect(kept.body.catalog_query_uuid).not.toBe(queryUuid);
    const keptQuery = await f.service.call("getCatalogQuery", "GET", `${api}/catalog-queries/${kept.body.catalog_query_uuid}/`);
    expect(keptQuery.body.content_filter).toEqual(oldFilter);
  });
});
