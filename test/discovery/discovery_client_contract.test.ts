import { setupServer } from "msw/node";
import { afterAll, afterEach, beforeAll, describe, expect, test } from "vitest";
import { HttpDiscoveryClient } from "../../adapters/discovery_http/http_discovery_client.ts";
import { CorpusIndex, LocalDiscoveryClient } from "../../adapters/discovery_local/local_discovery_client.ts";
import { contentFilterFromValue } from "../../src/catalog/content_filter.ts";
import {
  CONTRACT_CORPUS,
  CONTRACT_FILTERS,
  describeDiscoveryClientContract,
  describeDiscoveryFetchContract,
} from "../contracts/discovery_client_contract.ts";
import { DISCOVERY_URL, handMadeDiscovery, holdingsOf } from "./hand_made_discovery.ts";

const INDEX = new CorpusIndex(CONTRACT_CORPUS.records);
const HOLDINGS = holdingsOf(CONTRACT_CORPUS.records);
const server = setupServer(...handMadeDiscovery({ search: (filter) => INDEX.search(filter), ...HOLDINGS }));

beforeAll(() => server.listen({ onUnhandledFrame: "error" }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

function httpClient(): HttpDiscoveryClient {
  return new HttpDiscoveryClient({ baseUrl: DISCOVERY_URL, sleep: () => Promise.resolve() });
}

describeDiscoveryClientContract("LocalDiscoveryClient", (corpus) => new LocalDiscoveryClient({ corpus }));

describeDiscoveryClientContract("HttpDiscoveryClient", (corpus) => {
  // The stand-in serves CONTRACT_CORPUS; a contract run over another corpus would need its own server.
  expect(corpus).toBe(CONTRACT_CORPUS);
  return httpClient();
});

describeDiscoveryFetchContract("HttpDiscoveryClient", () => Promise.resolve({ client: httpClient(), holdings: HOLDINGS }));

describe("LocalDiscoveryClient and HttpDiscoveryClient", () => {
  const local = new LocalDiscoveryClient({ corpus: INDEX });
  const remote = httpClient();
  const filters = {
    ...CONTRACT_FILTERS,
    "E: subscription courses with ECS-only keys": {
      content_type: "course",
      partner: "edx",
      enterprise_subscription_inclusion: true,
      restricted_runs_allowed: { "course:edX+FUN": ["course-v1:edX+FUN+3T2024"] },
      enterprise_force_include_aggregation_keys: ["edX+UnlistedX"],
    },
    "everything": {},
  };

  for (const [label, value] of Object.entries(filters)) {
    test(`return identical results for ${label}`, async () => {
      const filter = contentFilterFromValue(value);
      const [fromLocal, fromHttp] = await Promise.all([local.searchAll(filter), remote.searchAll(filter)]);
      expect(fromHttp.records).toEqual(fromLocal.records);
      expect(fromHttp.count).toBe(fromLocal.count);
      expect(fromHttp.requests).toBe(fromLocal.requests);
    });
  }
});
