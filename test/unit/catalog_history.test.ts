/** The catalog use cases record who changed what in the catalog's history, in the write's own transaction. */
import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { memoryPorts } from "../../adapters/memory/memory_ports.ts";
import { ConflictError, createServices, NotFoundError, type ServiceSettings } from "../../src/mod.ts";

const CUSTOMER = "a94412c9-f91c-4d0d-87cb-1ca1c0d11457";
const OTHER = "6ae013d4-c5f4-474f-8a12-a4e1b8c0f2d3";
const SETTINGS: ServiceSettings = {
  enrollmentUrls: { lmsBaseUrl: "http://lms", learnerPortalBaseUrl: "http://portal", ecommerceBaseUrl: "http://shop" },
};
const PAGE = { page: 1, pageSize: 100 };

function setup() {
  const ports = memoryPorts();
  const catalogs = createServices(ports, SETTINGS).unitOfWork().catalogs;
  return { ports, catalogs };
}

describe("CatalogService history", () => {
  it("records a creation, each real change and the deletion, newest first, each with its actor and snapshots", async () => {
    const { catalogs } = setup();
    const { catalog } = await catalogs.createCatalog({ title: "Acme", enterpriseCustomerUuid: CUSTOMER, contentFilter: { content_type: "course" } }, { actor: "alice" });
    await catalogs.updateCatalog(catalog.uuid, { title: "Acme" }, { actor: "nobody-changed-anything" });
    const moved = await catalogs.updateCatalog(catalog.uuid, { title: "Acme courses", contentFilter: { content_type: "courserun" } }, { actor: "bob" });
    await catalogs.deleteCatalog(catalog.uuid, { actor: "carol" });

    const history = await catalogs.catalogHistory(catalog.uuid, PAGE);
    expect(history.items.map((change) => [change.action, change.actor])).toEqual([["deleted", "carol"], ["changed", "bob"], ["created", "alice"]]);
    const [deleted, changed, created] = history.items;
    expect(created?.before).toBeNull();
    expect(created?.after).toMatchObject({ uuid: catalog.uuid, title: "Acme", enterprise_customer: CUSTOMER, content_filter: { content_type: "course" }, enabled_course_modes: expect.any(Array) });
    expect(changed?.before).toMatchObject({ title: "Acme", content_filter: { content_type: "course" } });
    expect(changed?.after).toMatchObject({ title: "Acme courses", content_filter: { content_type: "courserun" }, catalog_query_uuid: moved.query.uuid });
    expect(deleted).toMatchObject({ after: null, before: { title: "Acme courses" }, trail: { kind: "catalog", uuid: catalog.uuid }, enterpriseCustomerUuid: CUSTOMER });
  });

  it("keeps a deleted catalog's history readable, owned by the enterprise it had last", async () => {
    const { catalogs } = setup();
    const { catalog } = await catalogs.createCatalog({ title: "Moving", enterpriseCustomerUuid: CUSTOMER }, { actor: "alice" });
    await catalogs.updateCatalog(catalog.uuid, { enterpriseCustomerUuid: OTHER }, { actor: "alice" });
    expect(await catalogs.catalogHistoryOwner(catalog.uuid)).toBe(OTHER);
    await catalogs.deleteCatalog(catalog.uuid, { actor: "alice" });
    expect(await catalogs.catalogHistoryOwner(catalog.uuid)).toBe(OTHER);
    expect((await catalogs.catalogHistory(catalog.uuid, PAGE)).count).toBe(3);
    expect(await catalogs.catalogHistoryOwner(randomUUID())).toBeUndefined();
    await expect(catalogs.catalogHistory(randomUUID(), PAGE)).rejects.toBeInstanceOf(NotFoundError);
  });

  it("writes neither the catalog nor its history without an actor, on a refused write, or when the history cannot be written", async () => {
    const { ports, catalogs } = setup();
    const uuid = randomUUID();
    await expect(catalogs.createCatalog({ uuid, title: "No one", enterpriseCustomerUuid: CUSTOMER }, { actor: "" })).rejects.toBeInstanceOf(TypeError);
    await expect(catalogs.createCatalog({ uuid, title: "No one", enterpriseCustomerUuid: CUSTOMER }, undefined as never)).rejects.toBeInstanceOf(TypeError);
    expect(ports.database.tables.catalogs.size).toBe(0);
    await catalogs.createCatalog({ uuid, title: "First", enterpriseCustomerUuid: CUSTOMER }, { actor: "alice" });
    await expect(catalogs.createCatalog({ uuid, title: "Again", enterpriseCustomerUuid: CUSTOMER }, { actor: "alice" })).rejects.toBeInstanceOf(ConflictError);
    expect(ports.database.tables.changes).toHaveLength(1);

    const stores = ports.openStores();
    stores.catalogs.recordChanges = async () => {
      throw new Error("history is down");
    };
    await expect(catalogs.updateCatalog(uuid, { title: "Changed" }, { actor: "alice" })).rejects.toThrow("history is down");
    await expect(catalogs.deleteCatalog(uuid, { actor: "alice" })).rejects.toThrow("history is down");
    expect((await catalogs.getCatalog(uuid)).catalog.title).toBe("First");
    expect(ports.database.tables.changes).toHaveLength(1);
  });
});
