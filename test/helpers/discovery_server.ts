/** A real HTTP stand-in for discovery's search/all, paging a corpus, with failures on demand. */
import { createServer, type Server } from "node:http";
import { CorpusIndex } from "../../adapters/discovery_local/local_discovery_client.ts";
import type { JsonObject } from "../../src/json.ts";
import { isJsonObject } from "../../src/json.ts";

/** A listening discovery stand-in. */
export interface DiscoveryServer {
  readonly url: string;
  /** Pages from this number on answer 503 (undefined: none fail). */
  failFromPage: number | undefined;
  /** Requests served, failures included. */
  readonly requests: number;
  close(): Promise<void>;
}

/** Serves `POST /api/v1/search/all/?page=N&page_size=M` over the records, as DRF pages it. */
export async function startDiscoveryServer(records: readonly JsonObject[]): Promise<DiscoveryServer> {
  const index = new CorpusIndex(records);
  let requests = 0;
  const state: { failFromPage: number | undefined } = { failFromPage: undefined };
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      requests++;
      const url = new URL(request.url ?? "/", "http://discovery.local");
      const page = Number(url.searchParams.get("page") ?? "1");
      const pageSize = Number(url.searchParams.get("page_size") ?? "20");
      const send = (status: number, body: unknown) => {
        response.writeHead(status, { "content-type": "application/json" });
        response.end(JSON.stringify(body));
      };
      if (url.pathname !== "/api/v1/search/all/" || request.method !== "POST") return send(404, { detail: "Not found." });
      if (state.failFromPage !== undefined && page >= state.failFromPage) return send(503, { detail: "Service unavailable" });
      let filter: unknown;
      try {
        filter = JSON.parse(Buffer.concat(chunks).toString("utf8"));
      } catch {
        return send(400, { detail: "JSON parse error" });
      }
      if (!isJsonObject(filter)) return send(400, { detail: "JSON parse error" });
      const matches = index.search(filter);
      const last = Math.max(1, Math.ceil(matches.length / pageSize));
      if (page > last) return send(404, { detail: "Invalid page." });
      const link = (target: number) => {
        const next = new URL(url);
        next.searchParams.set("page", String(target));
        return next.toString();
      };
      send(200, {
        count: matches.length,
        next: page < last ? link(page + 1) : null,
        previous: page > 1 ? link(page - 1) : null,
        results: matches.slice((page - 1) * pageSize, page * pageSize),
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  const port = typeof address === "object" && address !== null ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    get failFromPage() {
      return state.failFromPage;
    },
    set failFromPage(page) {
      state.failFromPage = page;
    },
    get requests() {
      return requests;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
