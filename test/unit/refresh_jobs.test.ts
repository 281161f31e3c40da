import { pino } from "pino";
import { describe, expect, it } from "vitest";
import { memoryPorts } from "../../adapters/memory/memory_ports.ts";
import { runRefreshJob } from "../../adapters/refresh_jobs.ts";
import { contentFilterFromValue } from "../../src/catalog/content_filter.ts";
import { createServices, type ServiceSettings } from "../../src/services.ts";
import { course, ScriptedDiscovery } from "../helpers/scripted_discovery.ts";

const CUSTOMER = "a94412c9-f91c-4d0d-87cb-1ca1c0d11457";
const SETTINGS: ServiceSettings = {
  enrollmentUrls: { lmsBaseUrl: "http://lms", learnerPortalBaseUrl: "http://portal", ecommerceBaseUrl: "http://shop" },
};
const logger = pino({ level: "silent" });
const AUTHOR = { actor: "test" };

describe("runRefreshJob()", () => {
  it("skips the query a catalog has moved away from, asking discovery nothing, and refreshes the one it uses now", async () => {
    const first = contentFilterFromValue({ content_type: "course", org: "FirstX" });
    const second = contentFilterFromValue({ content_type: "course", org: "SecondX" });
    const discovery = new ScriptedDiscovery().answer(first, [course("FirstX+1")]).answer(second, [course("SecondX+1")]);
    const services = createServices(memoryPorts({ discovery }), SETTINGS);
    const unit = services.unitOfWork();
    const created = await unit.catalogs.createCatalog({ title: "Moving", enterpriseCustomerUuid: CUSTOMER, contentFilter: first }, AUTHOR);
    const moved = await unit.catalogs.updateCatalog(created.catalog.uuid, { contentFilter: second }, AUTHOR);

    const left = await runRefreshJob(services, { jobId: "1", queryUuid: created.query.uuid, trigger: "catalog_saved", force: false }, { logger });
    expect(left.outcome).toBe("skipped");
    expect(discovery.calls.get(first.hash)).toBeUndefined();
    const used = await runRefreshJob(services, { jobId: "2", queryUuid: moved.query.uuid, trigger: "catalog_saved", force: false }, { logger });
    expect(used.outcome).toBe("succeeded");
    expect(discovery.calls.get(second.hash)).toBe(1);
  });
});
