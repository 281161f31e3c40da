import { setupServer } from "msw/node";
import { afterAll, beforeAll } from "vitest";
import { HttpDiscoveryClient, type HttpDiscoveryClientOptions } from "../../adapters/discovery_http/http_discovery_client.ts";
import { LocalDiscoveryClient } from "../../adapters/discovery_local/local_discovery_client.ts";
import { createLocalDiscoveryServer } from "../../adapters/discovery_local/local_discovery_server.ts";
import { CONTRACT_DATABASE, describeDiscoveryClientContract } from "../contracts/discovery_client_contract.ts";
import { DISCOVERY_URL, fakeDiscovery, INTERNAL_ORIGIN } from "./fake_discovery.ts";

/** Past this many hits the small discovery refuses v1 pages, as discovery past its 15,000. */
const SMALL_WINDOW = 150;
const discovery = createLocalDiscoveryServer({ database: CONTRACT_DATABASE, origin: INTERNAL_ORIGIN });
const smallWindowDiscovery = createLocalDiscoveryServer({ database: CONTRACT_DATABASE, origin: INTERNAL_ORIGIN, maxResultWindow: SMALL_WINDOW });
const SMALL_WINDOW_URL = "https://small-window.discovery.test";
const server = setupServer(fakeDiscovery(discovery));

beforeAll(() => server.listen({ onUnhandledFrame: "error" }));
afterAll(() => server.close());

function httpClient(options: Partial<HttpDiscoveryClientOptions>): HttpDiscoveryClient {
  return new HttpDiscoveryClient({ baseUrl: DISCOVERY_URL, sleep: () => Promise.resolve(), ...options });
}

describeDiscoveryClientContract("HttpDiscoveryClient over v1 pages", () => ({
  client: httpClient({ searchApi: "v1" }),
  discovery: discovery.handle,
}));

describeDiscoveryClientContract("HttpDiscoveryClient over v2 cursors", () => ({
  client: httpClient({ searchApi: "v2" }),
  discovery: discovery.handle,
}));

describeDiscoveryClientContract("HttpDiscoveryClient, auto, past a small result window", () => ({
  client: new HttpDiscoveryClient({
    baseUrl: SMALL_WINDOW_URL,
    fetch: smallWindowDiscovery.fetch,
    maxResultWindow: SMALL_WINDOW,
    sleep: () => Promise.resolve(),
  }),
  // The same database, read through a discovery whose window holds it in one page.
  discovery: discovery.handle,
}));

describeDiscoveryClientContract("LocalDiscoveryClient", () => {
  const local = createLocalDiscoveryServer({ database: CONTRACT_DATABASE });
  return { client: new LocalDiscoveryClient({ server: local }), discovery: local.handle };
});
