import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { createLocalDiscoveryServer } from "../../adapters/discovery_local/local_discovery_server.ts";
import type { JsonObject } from "../../src/json.ts";
import { generateDiscoveryDatabase } from "../../tools/discovery_corpus/generate_database.ts";
import { type DiscoveryServer, startDiscoveryServer } from "../helpers/discovery_server.ts";

const DATABASE = generateDiscoveryDatabase({ courses: 80, seed: 4 });
const inProcess = createLocalDiscoveryServer({ database: DATABASE });
let served: DiscoveryServer;

beforeAll(async () => {
  served = await startDiscoveryServer({ database: DATABASE });
});
afterAll(async () => {
  await served?.close();
});

const searchInit = (body: JsonObject): RequestInit => ({
  method: "POST",
  headers: { "content-type": "application/json" },
  body: JSON.stringify(body),
});

describe("startDiscoveryServer()", () => {
  test("answers over HTTP what the in-process handler answers, links on its own host", async () => {
    const paths: [string, RequestInit][] = [
      ["/api/v1/search/all/?page_size=30&page=2", searchInit({ content_type: "courserun", org: "MITx" })],
      ["/api/v2/search/all/?page_size=30", searchInit({ content_type: "course" })],
      ["/api/v1/courses/?limit=5", {}],
      ["/api/v1/nothing/", {}],
    ];
    for (const [path, init] of paths) {
      const [remote, local] = await Promise.all([fetch(`${served.url}${path}`, init), inProcess.fetch(`${served.url}${path}`, init)]);
      expect(remote.status, path).toBe(local.status);
      expect(remote.headers.get("content-type"), path).toBe(local.headers.get("content-type"));
      expect(await remote.text(), path).toBe(await local.text());
    }
  });
});
