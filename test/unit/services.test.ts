import { randomUUID } from "node:crypto";
import { pino } from "pino";
import { describe, expect, it } from "vitest";
import { memoryPorts } from "../../adapters/memory/memory_ports.ts";
import { startMemoryRefreshWorker } from "../../adapters/memory/memory_refresh_worker.ts";
import type { RefreshJobEvent } from "../../adapters/refresh_jobs.ts";
import { contentFilterFromValue } from "../../src/catalog/content_filter.ts";
import { createServices, type ServiceSettings } from "../../src/services.ts";
import { course, ScriptedDiscovery } from "../helpers/scripted_discovery.ts";

const CUSTOMER = "a94412c9-f91c-4d0d-87cb-1ca1c0d11457";
const SETTINGS: ServiceSettings = {
  enrollmentUrls: { lmsBaseUrl: "http://lms", learnerPortalBaseUrl: "http://portal", ecommerceBaseUrl: "http://shop" },
};

/** Memory ports whose stores count how often a unit of work opens them. */
function countingPorts(discovery = new ScriptedDiscovery()) {
  const ports = memoryPorts({ discovery });
  let opened = 0;
  return {
    ports: { ...ports, openStores: () => (opened++, ports.openStores()) },
    scheduler: ports.scheduler,
    opened: () => opened,
  };
}

describe("createServices()", () => {
  it("opens a unit of work's stores once, on first use of a use case that writes, and never for the read API", async () => {
    const counting = countingPorts();
    const services = createServices(counting.ports, SETTINGS);
    const unit = services.unitOfWork();
    expect(await unit.content.catalogOwner(randomUUID())).toBeUndefined();
    expect(counting.opened()).toBe(0);
    await unit.catalogs.listCatalogs({}, { page: 1, pageSize: 10 });
    await unit.refresh.freshness();
    await unit.enrollment.registerLearners([{ userId: 1, email: "a@example.com" }]);
    expect(counting.opened()).toBe(1);
    await services.unitOfWork().catalogs.listCatalogs({}, { page: 1, pageSize: 10 });
    expect(counting.opened()).toBe(2);
  });

  it("shares one read API between every unit of work", () => {
    const services = createServices(countingPorts().ports, SETTINGS);
    const [a, b] = [services.unitOfWork(), services.unitOfWork()];
    expect(a.content).toBe(services.content);
    expect(b.content).toBe(services.content);
    expect(a.legacy).toBe(b.legacy);
    expect(a.catalogs).toBe(a.catalogs);
    expect(a.catalogs).not.toBe(b.catalogs);
  });
});

describe("startMemoryRefreshWorker()", () => {
  it("runs each queued refresh after the call that queued it and settles it with its outcome", async () => {
    const discovery = new ScriptedDiscovery();
    const filter = contentFilterFromValue({ content_type: "course", org: "MITx" });
    discovery.answer(filter, [course("MITx+A"), course("MITx+B")]);
    const counting = countingPorts(discovery);
    const services = createServices(counting.ports, SETTINGS);
    const events: RefreshJobEvent[] = [];
    const worker = startMemoryRefreshWorker(counting.scheduler, services, { logger: pino({ level: "silent" }), onRefreshJob: (event) => events.push(event) });
    try {
      const created = await services.unitOfWork().catalogs.createCatalog({ title: "Catalog", enterpriseCustomerUuid: CUSTOMER, contentFilter: filter }, { actor: "test" });
      const jobId = created.refreshJobId as string;
      expect(await counting.scheduler.refreshProgress(jobId)).toEqual({ state: "queued" });
      await expect.poll(() => counting.scheduler.refreshProgress(jobId)).toEqual({ state: "completed", outcome: "succeeded" });
      expect(events).toEqual([expect.objectContaining({ jobId, queryUuid: created.query.uuid, outcome: "succeeded" })]);
      expect(await services.content.catalogContains(created.catalog.uuid, ["MITx+B"])).toBe(true);
    } finally {
      await worker.stop();
    }
  });
});
