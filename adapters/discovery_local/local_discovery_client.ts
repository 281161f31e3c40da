/**
 * The embedded discovery: the HTTP discovery client talking to an in-process discovery server over
 * the bundled database, so the service runs with no outside discovery, and every request takes the
 * same path (paging, retries, validation) it takes against the real one, with no real waiting.
 */
import { HttpDiscoveryClient } from "../discovery_http/http_discovery_client.ts";
import type { DiscoveryDatabase } from "./discovery_database.ts";
import { createLocalDiscoveryServer, LOCAL_DISCOVERY_URL, type LocalDiscoveryServer } from "./local_discovery_server.ts";

/** How to build a LocalDiscoveryClient. */
export interface LocalDiscoveryClientOptions {
  /** The database to serve instead of the bundled one (ignored with `server`). */
  readonly database?: DiscoveryDatabase;
  /** The server to talk to, for its options (result window, clock, ...); default: one over `database`. */
  readonly server?: LocalDiscoveryServer;
  /** Records per `search/all` page (default: the HTTP client's). */
  readonly pageSize?: number;
}

/** `HttpDiscoveryClient` whose `fetch` is a local discovery server's. */
export class LocalDiscoveryClient extends HttpDiscoveryClient {
  constructor(options: LocalDiscoveryClientOptions = {}) {
    const server = options.server ?? createLocalDiscoveryServer(options.database === undefined ? {} : { database: options.database });
    super({
      baseUrl: LOCAL_DISCOVERY_URL,
      fetch: server.fetch,
      // A local answer does not get better by waiting: retries follow each other at once.
      sleep: () => Promise.resolve(),
      ...(options.pageSize === undefined ? {} : { pageSize: options.pageSize }),
    });
  }
}
