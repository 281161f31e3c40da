import { describe, expect, it } from "vitest";
import { MemoryCustomerDirectory } from "../../adapters/memory/memory_customer_directory.ts";
import type { EnterpriseCatalog } from "../../src/catalog/catalog.ts";
import { catalogCustomer } from "../../src/customers/catalog_customer.ts";
import { CustomerDetails } from "../../src/customers/customer_details.ts";
import type { EnterpriseCustomerRecord } from "../../src/ports/customer_directory.ts";

const UUID = "47130371-0b6d-43f5-91de-71942664de2b";
const ACME: EnterpriseCustomerRecord = { uuid: UUID, name: "Acme Corp", slug: "acme", learnerPortalEnabled: true, modified: new Date("2026-01-02T03:04:05Z") };
const CATALOG: EnterpriseCatalog = {
  uuid: "7467c9d2-433c-4f7e-ba2e-c5c7798527b2", title: "All", enterpriseCustomerUuid: UUID, enterpriseCustomerName: "Acme Corporation Ltd",
  queryUuid: "0b7e0f3a-5f3e-4d2e-9a7c-1f0f9d8e7c6b", enabledCourseModes: [], publishAuditEnrollmentUrls: false, created: new Date(0), modified: new Date(0),
};

/** A clock a test steps by hand. */
function steppingClock() {
  let now = Date.parse("2026-06-01T00:00:00Z");
  return { now: () => new Date(now), step: (ms: number) => void (now += ms) };
}

/** Lets background lookups (already settled promises) run their callbacks. */
const settle = () => new Promise((resolve) => setImmediate(resolve));

describe("CustomerDetails", () => {
  it("recordOf() waits for the first answer, then answers from memory until the record is past its age", async () => {
    const directory = new MemoryCustomerDirectory([ACME]);
    const clock = steppingClock();
    const details = new CustomerDetails({ directory, clock, policy: { maxAgeMs: 60_000, waitMs: 1000 } });
    expect(await details.recordOf(UUID.toUpperCase())).toEqual(ACME);
    directory.put({ ...ACME, slug: "acme-renamed" });
    clock.step(59_000);
    expect((await details.recordOf(UUID))?.slug).toBe("acme");
    clock.step(2000);
    // Past its age: the old record is answered at once, while a fresh one is fetched behind it.
    expect((await details.recordOf(UUID))?.slug).toBe("acme");
    await settle();
    expect((await details.recordOf(UUID))?.slug).toBe("acme-renamed");
  });

  it("recordOf() never waits past waitMs for a hanging LMS, and has the record once the LMS answers", async () => {
    const directory = new MemoryCustomerDirectory([ACME]);
    directory.setOutage("hanging");
    const details = new CustomerDetails({ directory, clock: steppingClock(), policy: { waitMs: 50 } });
    const started = performance.now();
    expect(await details.recordOf(UUID)).toBeUndefined();
    expect(performance.now() - started).toBeLessThan(1000);
    directory.setOutage(undefined);
    await settle();
    expect(await details.recordOf(UUID)).toEqual(ACME);
  });

  it("recordOf() keeps the last known record while the LMS fails, and asks again only after the pause", async () => {
    const directory = new MemoryCustomerDirectory([ACME]);
    const clock = steppingClock();
    const details = new CustomerDetails({ directory, clock, policy: { maxAgeMs: 1000, retryAfterFailureMs: 10_000 } });
    expect(await details.recordOf(UUID)).toEqual(ACME);
    directory.setOutage("failing");
    clock.step(5000);
    expect(await details.recordOf(UUID)).toEqual(ACME);
    await settle();
    directory.setOutage(undefined);
    directory.put({ ...ACME, learnerPortalEnabled: false });
    clock.step(5000);
    await details.recordOf(UUID);
    await settle();
    // Still within the pause after the failure: nothing was asked, the old record stands.
    expect((await details.recordOf(UUID))?.learnerPortalEnabled).toBe(true);
    clock.step(5001);
    await details.recordOf(UUID);
    await settle();
    expect((await details.recordOf(UUID))?.learnerPortalEnabled).toBe(false);
  });

  it("recordOf() answers undefined for a customer the LMS does not know, and customerOf() then names it from the catalog", async () => {
    const details = new CustomerDetails({ directory: new MemoryCustomerDirectory(), clock: steppingClock() });
    expect(await details.recordOf(UUID)).toBeUndefined();
    expect(await details.customerOf(CATALOG)).toEqual({ name: "Acme Corporation Ltd", slug: "acme-corporation-ltd", learnerPortalEnabled: false, modified: null });
  });

  it("forgets the least recently asked customers past maxCustomers", async () => {
    const other = { ...ACME, uuid: "6ae013d4-c5f4-474f-8a12-a4e1b8c0f2d3" };
    const directory = new MemoryCustomerDirectory([ACME, other]);
    const details = new CustomerDetails({ directory, clock: steppingClock(), policy: { maxCustomers: 2, waitMs: 10 } });
    const third = { ...ACME, uuid: "0fa8c2e9-ba23-4749-86d9-0bfa84991490" };
    directory.put(third);
    await details.recordOf(ACME.uuid);
    await details.recordOf(other.uuid);
    await details.recordOf(ACME.uuid);
    await details.recordOf(third.uuid);
    directory.setOutage("hanging");
    // `other` was asked least recently and forgotten, so asking again goes to the (now hanging) LMS.
    expect(await details.recordOf(ACME.uuid)).toEqual(ACME);
    expect(await details.recordOf(other.uuid)).toBeUndefined();
    directory.setOutage(undefined);
  });
});

describe("catalogCustomer()", () => {
  it("takes name, slug, portal and date from the LMS record, together, and the catalog's name when the record has none", () => {
    expect(catalogCustomer(CATALOG, ACME)).toEqual({ name: "Acme Corp", slug: "acme", learnerPortalEnabled: true, modified: ACME.modified });
    expect(catalogCustomer(CATALOG, { ...ACME, name: "", slug: "" })).toMatchObject({ name: "Acme Corporation Ltd", slug: "acme-corporation-ltd" });
  });
});
