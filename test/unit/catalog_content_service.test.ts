import { randomUUID } from "node:crypto";
import { beforeEach, describe, expect, it } from "vitest";
import { MemoryCatalogStore } from "../../adapters/memory/memory_catalog_store.ts";
import { MemoryCustomerDirectory } from "../../adapters/memory/memory_customer_directory.ts";
import { CustomerDetails } from "../../src/customers/customer_details.ts";
import { MemoryContentReader } from "../../adapters/memory/memory_content_reader.ts";
import { MemoryContentStore } from "../../adapters/memory/memory_content_store.ts";
import { MemoryDatabase } from "../../adapters/memory/memory_database.ts";
import type { EnterpriseCatalog } from "../../src/catalog/catalog.ts";
import { contentFilterFromValue } from "../../src/catalog/content_filter.ts";
import { CatalogContentService, MAX_KEYS_PER_REQUEST } from "../../src/content/catalog_content_service.ts";
import { type ContentRecord, contentRecordFromDiscovery } from "../../src/content/content_metadata.ts";
import { NotFoundError, ValidationError } from "../../src/errors.ts";
import type { JsonObject } from "../../src/json.ts";

const T0 = new Date("2026-01-01T00:00:00.000Z");
const CUSTOMER = "a94412c9-f91c-4d0d-87cb-1ca1c0d11457";
const OTHER = "6ae013d4-c5f4-474f-8a12-a4e1b8c0f2d3";

function record(raw: JsonObject): ContentRecord {
  return contentRecordFromDiscovery(raw) as ContentRecord;
}
const ACTIVE = [{ key: "x", status: "published", is_enrollable: true, is_marketable: true }];
const course = (key: string, runs: JsonObject[] = ACTIVE) => record({ content_type: "course", key, uuid: randomUUID(), course_runs: runs });
const run = (key: string, courseKey: string) => record({ content_type: "courserun", key, aggregation_key: `courserun:${courseKey}` });

let db: MemoryDatabase;
let service: CatalogContentService;

async function catalogWith(records: ContentRecord[], customer = CUSTOMER): Promise<EnterpriseCatalog> {
  const catalogs = new MemoryCatalogStore(db);
  const query = await catalogs.resolveQuery({ contentFilter: contentFilterFromValue({ n: randomUUID() }), now: T0 });
  await new MemoryContentStore(db).applyContentChange({
    queryUuid: query.uuid, upserts: records, addMembers: records.map((r) => r.contentKey), removeMembers: [], now: T0,
  });
  const catalog: EnterpriseCatalog = {
    uuid: randomUUID(), title: "Catalog", enterpriseCustomerUuid: customer, enterpriseCustomerName: "Acme", queryUuid: query.uuid,
    enabledCourseModes: [], publishAuditEnrollmentUrls: false, created: T0, modified: T0,
  };
  await catalogs.insertCatalog(catalog);
  return catalog;
}

beforeEach(() => {
  db = new MemoryDatabase();
  service = new CatalogContentService({
    reader: new MemoryContentReader(db),
    enrollment: { lmsBaseUrl: "http://lms", learnerPortalBaseUrl: "http://lp", ecommerceBaseUrl: "http://ecommerce" },
    customers: new CustomerDetails({ directory: new MemoryCustomerDirectory(), clock: { now: () => new Date() } }),
  });
});

describe("CatalogContentService", () => {
  it("catalogContains() answers ANY, 404s an unknown catalog before asking for keys, and limits the keys", async () => {
    const catalog = await catalogWith([course("edX+A"), run("course-v1:edX+B+1T", "edX+B")]);
    expect(await service.catalogContains(catalog.uuid, ["nope", "edX+B"])).toBe(true);
    expect(await service.catalogContains(catalog.uuid, ["nope"])).toBe(false);
    await expect(service.catalogContains(randomUUID(), [])).rejects.toBeInstanceOf(NotFoundError);
    await expect(service.catalogContains(catalog.uuid, [])).rejects.toBeInstanceOf(ValidationError);
    const many = Array.from({ length: MAX_KEYS_PER_REQUEST }, (_, i) => `k${i}`);
    expect(await service.catalogContains(catalog.uuid, many)).toBe(false);
    await expect(service.catalogContains(catalog.uuid, [...many, "one more"])).rejects.toThrow('At most 2000 content keys may be asked at once, got 2001');
  });

  it("catalogContains() and getCatalogSnapshot() within a customer treat another customer's catalog as missing", async () => {
    const catalog = await catalogWith([course("edX+A")]);
    const owner = catalog.enterpriseCustomerUuid;
    expect(await service.catalogContains(catalog.uuid, ["edX+A"], { customerUuid: owner.toUpperCase() })).toBe(true);
    await expect(service.catalogContains(catalog.uuid, ["edX+A"], { customerUuid: randomUUID() })).rejects.toBeInstanceOf(NotFoundError);
    expect((await service.getCatalogSnapshot(catalog.uuid, { customerUuid: owner.toUpperCase() })).catalog.uuid).toBe(catalog.uuid);
    await expect(service.getCatalogSnapshot(catalog.uuid, { customerUuid: randomUUID() })).rejects.toBeInstanceOf(NotFoundError);
  });

  it("customerContains() lists the customer's catalogs holding any key, and rejects a malformed customer", async () => {
    const a = await catalogWith([course("edX+A")]);
    await catalogWith([course("edX+C")]);
    await catalogWith([course("edX+A")], OTHER);
    expect(await service.customerContains(CUSTOMER, ["edX+A", "x"])).toEqual({ contains: true, catalogUuids: [a.uuid] });
    expect(await service.customerContains(randomUUID(), ["edX+A"])).toEqual({ contains: false, catalogUuids: [] });
    await expect(service.customerContains("abc", ["edX+A"])).rejects.toThrow('Invalid enterprise customer uuid: "abc"');
  });

  it("filterContentItems() keeps exact keys and courses with a held run, only from the customer's own catalogs", async () => {
    const mine = await catalogWith([course("edX+A"), run("course-v1:edX+B+1T", "edX+B")]);
    const alien = await catalogWith([course("edX+Z")], OTHER);
    const keys = ["edX+A", "edX+B", "course-v1:edX+A+9T", "edX+Z"];
    expect(await service.filterContentItems(CUSTOMER, keys)).toEqual(["edX+A", "edX+B"]);
    expect(await service.filterContentItems(CUSTOMER, keys, { catalogUuids: [alien.uuid] })).toEqual([]);
    expect(await service.filterContentItems(CUSTOMER, keys, { catalogUuids: [mine.uuid] })).toEqual(["edX+A", "edX+B"]);
  });

  it("catalogContent() pages the listed items, matches keys parent/child aware, and shows everything at once", async () => {
    const catalog = await catalogWith([course("c+1"), course("c+2", []), course("c+3"), run("course-v1:c+2+1T", "c+2")]);
    const snapshot = await service.getCatalogSnapshot(catalog.uuid);
    const page = await service.catalogContent(snapshot, { page: { page: 2, pageSize: 2 } });
    expect(page.count).toBe(3);
    expect(page.items.map((item) => item.key)).toEqual(["course-v1:c+2+1T"]);
    expect(page.items[0]).toMatchObject({ parent_content_key: "c+2", enrollment_url: expect.stringContaining("catalog=") });
    const matched = await service.catalogContent(snapshot, { contentKeys: ["course-v1:c+2+1T"] });
    expect(matched.items.map((item) => [item.key, item.active])).toEqual([["c+2", false], ["course-v1:c+2+1T", undefined]]);
    expect((await service.catalogContent(snapshot)).items).toHaveLength(3);
  });

  it("catalogContentDiff() splits keys into found, not found and not included", async () => {
    const catalog = await catalogWith([course("d+1"), course("d+2")]);
    expect(await service.catalogContentDiff(catalog.uuid, ["d+2", "d+9"])).toEqual({
      itemsNotFound: ["d+9"], itemsNotIncluded: ["d+1"], itemsFound: [{ contentKey: "d+2", dateUpdated: T0 }],
    });
  });

  it("distinctCatalogQueries() groups named catalogs by query and skips unknown ones", async () => {
    const a = await catalogWith([]);
    const result = await service.distinctCatalogQueries([a.uuid, randomUUID(), a.uuid]);
    expect(result.count).toBe(1);
    expect([...result.catalogUuidsByQuery.values()]).toEqual([[a.uuid]]);
  });

  it("getContent() and customerContent() find items by key or uuid and 404 otherwise", async () => {
    const c = course("g+1");
    await catalogWith([c, run("course-v1:g+1+1T", "g+1")]);
    expect(await service.getContent("course-v1:g+1+1T", { coerceToParentCourse: true })).toMatchObject({ key: "g+1", active: true });
    expect(await service.getContent(c.contentUuid as string)).toMatchObject({ key: "g+1" });
    await expect(service.getContent("nope")).rejects.toBeInstanceOf(NotFoundError);
    expect(await service.customerContent(CUSTOMER, "course-v1:g+1+1T")).toMatchObject({ key: "course-v1:g+1+1T", enrollment_url: expect.any(String) });
    expect(await service.customerContent(CUSTOMER, "g+1", { skipEnrollmentUrls: true })).toMatchObject({ key: "g+1", enrollment_url: null });
    await expect(service.customerContent(OTHER, "g+1")).rejects.toBeInstanceOf(NotFoundError);
  });
});
