import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LocalDiscoveryClient } from "../../adapters/discovery_local/local_discovery_client.ts";
import { generateDiscoveryDatabase } from "../../tools/discovery_corpus/generate_database.ts";
import { runCatalog } from "../helpers/run_catalog.ts";
import { type PostgresTestService, startTestService } from "../helpers/service.ts";

let service: PostgresTestService;

beforeAll(async () => {
  service = await startTestService({ worker: true, discovery: new LocalDiscoveryClient({ database: generateDiscoveryDatabase({ courses: 120, seed: 3 }) }) });
});
afterAll(async () => {
  await service?.stop();
});

/** Runs `catalog <args>` against the test database; the test service is the worker. */
function catalog(args: string[]) {
  return runCatalog(args, { ...process.env, DATABASE_URL: service.runtime.database.url, LOG_LEVEL: "warn" });
}

describe("the catalog command", () => {
  it("refresh --all --wait refreshes every query through the scheduler, then status shows each fresh", async () => {
    const customer = "a94412c9-f91c-4d0d-87cb-1ca1c0d11457";
    const filters = [{ content_type: "course", org: "MITx" }, { content_type: "course", org: "HarvardX" }, { content_type: "program" }];
    const queries = new Set<string>();
    for (const filter of filters) {
      const created = await service.call("createEnterpriseCatalog", "POST", "/api/v1/enterprise-catalogs/", {
        body: { title: "Catalog", enterprise_customer: customer, content_filter: filter },
      });
      queries.add(created.body.catalog_query_uuid);
      await service.nextRefresh(created.body.catalog_query_uuid);
    }

    const refreshed = await catalog(["refresh", "--all", "--wait", "--timeout", "60"]);
    expect(refreshed.stderr).toBe("");
    expect(refreshed.code).toBe(0);
    for (const uuid of queries) {
      expect(refreshed.stdout).toContain(`queued  query ${uuid}`);
      expect(refreshed.stdout).toMatch(new RegExp(`succeeded query ${uuid}  \\+0 -0 ~0 =\\d+  \\d+ discovery requests`));
    }

    const status = await catalog(["status", "--json"]);
    expect(status.code).toBe(0);
    const rows = JSON.parse(status.stdout) as { query_uuid: string; stale: boolean; last_outcome: string; item_count: number; catalogs: string[] }[];
    expect(rows.map((row) => row.query_uuid).sort()).toEqual([...queries].sort());
    for (const row of rows) expect(row).toMatchObject({ stale: false, last_outcome: "succeeded", catalogs: [expect.any(String)] });
  });

  it("refresh without a target explains itself and exits non-zero", async () => {
    const result = await catalog(["refresh"]);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(/--all, --catalog <uuid> or --query <uuid>/);
  });

  it("refresh --wait exits 1 and says why when a refresh fails", async () => {
    const result = await catalog(["refresh", "--query", "00000000-0000-4000-8000-000000000000", "--wait"]);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(/Cannot find catalog query/);
  });
});
