import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { HttpDiscoveryClient } from "../../adapters/discovery_http/http_discovery_client.ts";
import { generateDiscoveryDatabase } from "../../tools/discovery_corpus/generate_database.ts";
import { type DiscoveryServer, startDiscoveryServer } from "../helpers/discovery_server.ts";
import { type PostgresTestService, startTestService } from "../helpers/service.ts";

const CUSTOMER = "a94412c9-f91c-4d0d-87cb-1ca1c0d11457";
let discovery: DiscoveryServer;
let service: PostgresTestService;

beforeAll(async () => {
  discovery = await startDiscoveryServer({ database: generateDiscoveryDatabase({ courses: 150, seed: 7 }) });
  const client = new HttpDiscoveryClient({ baseUrl: discovery.url, maxAttempts: 2, timeoutMs: 5000, backoff: { baseMs: 1, maxMs: 5 } });
  service = await startTestService({ discovery: client, worker: true });
});
afterAll(async () => {
  await service?.stop();
  await discovery?.close();
});

/** Every content row the query holds, with its metadata, as the database has it. */
async function contentOf(queryUuid: string) {
  return await service.runtime.orm.em.getConnection().execute(
    `select cm.content_key, cm.fingerprint, cm.modified, cm.json_metadata::text as json
       from query_content qc join content_metadata cm using (content_key)
      where qc.query_uuid = ? order by cm.content_key`, [queryUuid]);
}

describe("discovery over HTTP failing mid-pagination", () => {
  it("leaves the catalog's previous content exactly as it was and records a failed run", async () => {
    const created = await service.call("createEnterpriseCatalog", "POST", "/api/v1/enterprise-catalogs/", {
      body: { title: "All courses and runs", enterprise_customer: CUSTOMER, content_filter: { content_type: ["course", "courserun"] } },
    });
    const { uuid, catalog_query_uuid: queryUuid } = created.body;
    const first = await service.nextRefresh(queryUuid);
    expect(first.outcome).toBe("succeeded");
    expect(first.run?.discoveryRequests).toBeGreaterThan(2);
    const before = await contentOf(queryUuid);
    expect(before.length).toBe(first.run?.added);

    discovery.failFromPage = 2;
    await service.call("refreshEnterpriseCatalogMetadata", "POST", `/api/v1/enterprise-catalogs/${uuid}/refresh_metadata/`);
    const failed = await service.nextRefresh(queryUuid);
    expect(failed.outcome).toBe("error");
    expect(await contentOf(queryUuid)).toEqual(before);
    const query = await service.call("getCatalogQuery", "GET", `/api/v1/catalog-queries/${queryUuid}/`);
    expect(query.body.last_refresh_outcome).toBe("failed");
    expect(query.body.last_runs[0]).toMatchObject({ outcome: "failed", stage: "search", discovery_requests: 3 });
    expect(query.body.last_runs[0].message).toMatch(/503/);

    discovery.failFromPage = undefined;
  });
});
