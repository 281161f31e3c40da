/**
 * Discovery for msw: every request under DISCOVERY_URL is answered by a local discovery server,
 * the same handler LocalDiscoveryClient and the HTTP test server use.
 */
import { http } from "msw";
import type { LocalDiscoveryServer } from "../../adapters/discovery_local/local_discovery_server.ts";

/** Where tests point HttpDiscoveryClient. */
export const DISCOVERY_URL = "https://discovery.test";
/** The LMS token endpoint tests use. */
export const TOKEN_URL = "https://lms.test/oauth2/access_token";
/** Discovery behind a proxy writes `next` with its internal host: pass it as the server's `origin`. */
export const INTERNAL_ORIGIN = "http://discovery.internal:18381";

/** One request as discovery saw it. */
export interface SeenRequest {
  readonly method: string;
  readonly url: URL;
  /** The body as text ("" for none). */
  readonly body: string;
  readonly headers: Headers;
}

/** An msw handler answering DISCOVERY_URL with the server; `seen` collects every request, in order. */
export function fakeDiscovery(server: LocalDiscoveryServer, seen: SeenRequest[] = []) {
  return http.all(`${DISCOVERY_URL}/*`, async ({ request }) => {
    seen.push({ method: request.method, url: new URL(request.url), body: await request.clone().text(), headers: request.headers });
    return await server.handle(request);
  });
}
