/** A real HTTP discovery over a local discovery server, with failures on demand. */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import {
  createLocalDiscoveryServer,
  type LocalDiscoveryServer,
  type LocalDiscoveryServerOptions,
} from "../../adapters/discovery_local/local_discovery_server.ts";

/** A listening discovery. */
export interface DiscoveryServer {
  readonly url: string;
  /**
   * `search/all` pages from this number on answer 503 (undefined: none fail). A v1 page is its
   * `page`; a v2 request is page 1 without `search_after` and one more with each cursor after it.
   */
  failFromPage: number | undefined;
  /** Requests served, failures included. */
  readonly requests: number;
  close(): Promise<void>;
}

/** Serves discovery's endpoints over HTTP on a free local port, from `server` or a local discovery server with these options. */
export async function startDiscoveryServer(options: LocalDiscoveryServerOptions & { readonly server?: LocalDiscoveryServer } = {}): Promise<DiscoveryServer> {
  const discovery = options.server ?? createLocalDiscoveryServer(options);
  const state = { failFromPage: undefined as number | undefined, requests: 0, cursorPage: 0 };
  const server: Server = createServer((incoming, outgoing) => {
    state.requests++;
    answer(incoming, outgoing).catch((error: unknown) => {
      outgoing.writeHead(500, { "content-type": "text/plain" }).end(String(error));
    });
  });
  const answer = async (incoming: IncomingMessage, outgoing: ServerResponse): Promise<void> => {
    const chunks: Buffer[] = [];
    for await (const chunk of incoming) chunks.push(chunk as Buffer);
    const url = new URL(incoming.url ?? "/", base);
    if (state.failFromPage !== undefined && url.pathname.endsWith("/search/all/") && pageOf(url) >= state.failFromPage) {
      outgoing.writeHead(503, { "content-type": "application/json" }).end(JSON.stringify({ detail: "Service unavailable" }));
      return;
    }
    const headers = new Headers();
    for (const [name, value] of Object.entries(incoming.headers)) {
      if (typeof value === "string") headers.set(name, value);
    }
    const method = incoming.method ?? "GET";
    const body = method === "GET" || method === "HEAD" ? null : Buffer.concat(chunks);
    const response = await discovery.handle(new Request(url, { method, headers, body }));
    outgoing.writeHead(response.status, Object.fromEntries(response.headers));
    outgoing.end(Buffer.from(await response.arrayBuffer()));
  };
  const pageOf = (url: URL): number => {
    if (url.pathname.startsWith("/api/v1/")) return Number(url.searchParams.get("page") ?? "1");
    state.cursorPage = url.searchParams.has("search_after") ? state.cursorPage + 1 : 1;
    return state.cursorPage;
  };
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  const port = typeof address === "object" && address !== null ? address.port : 0;
  const base = `http://127.0.0.1:${port}`;
  return {
    url: base,
    get failFromPage() {
      return state.failFromPage;
    },
    set failFromPage(page) {
      state.failFromPage = page;
    },
    get requests() {
      return state.requests;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
