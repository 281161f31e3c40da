/**
 * Discovery over HTTP that misbehaves on demand, for the "discovery misbehaves" scenario: honest
 * answers come from a local discovery server over a generated corpus, and one endpoint at a time
 * can hang, drip, lie or break. Every record it sends is one the local server made: a lie only
 * removes, repeats or recounts, it never invents a field.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { Socket } from "node:net";
import type { LocalDiscoveryServer } from "../../../adapters/discovery_local/local_discovery_server.ts";

/** How an endpoint misbehaves. */
export type Misbehaviour =
  /** Accepts the request and never answers (the connection stays open). */
  | "hang"
  /** Sends the status and headers, then the honest body one byte a second. */
  | "drip"
  /** `200`, `application/json`, a body cut off mid-document. */
  | "invalid-json"
  /** `200` with an HTML error page, as a proxy in front may send. */
  | "html"
  /** `503` on every page from the second on. */
  | "unavailable-from-page-2"
  /** The first record of page 1 loses `key` and `uuid`. */
  | "record-without-key"
  /** The first record of page 1 loses `content_type`. */
  | "record-without-content-type"
  /** Each page from the second on starts with page 1's first record in place of its own. */
  | "duplicate-across-pages"
  /** Each page repeats its own first half in place of its second half, the count unchanged. */
  | "repeat-within-page"
  /** Pages from the second on count one record more than page 1. */
  | "count-changes"
  /** Streams one page that never ends, 1 MiB at a time, until the client goes away. */
  | "endless";

/** The endpoints a refresh calls. */
export type DiscoveryPath = "search" | "courses" | "programs" | "reviews";

/** A listening discovery whose endpoints can be made to misbehave. */
export interface HostileDiscovery {
  readonly url: string;
  /** Makes one endpoint misbehave (the others stay honest); `undefined` makes every endpoint honest. */
  misbehave(path: DiscoveryPath | undefined, misbehaviour?: Misbehaviour): void;
  /**
   * Appends this text to the title of every course and program `search/all` sends, so that the
   * next refresh fetches their full records (`/courses`, `/programs`) again.
   */
  reviseTitles(suffix: string | undefined): void;
  /** Requests per endpoint since the last `misbehave()`. */
  readonly requests: Readonly<Record<DiscoveryPath, number>>;
  close(): Promise<void>;
}

const PATHS: Readonly<Record<string, DiscoveryPath>> = {
  "/api/v1/search/all/": "search",
  "/api/v2/search/all/": "search",
  "/api/v1/courses/": "courses",
  "/api/v1/programs/": "programs",
  "/api/v1/course_review/": "reviews",
};

type Page = { count: number; next: string | null; previous?: string | null; results: Record<string, unknown>[] };

/** Serves `local` over HTTP on a free loopback port. */
export async function startHostileDiscovery(local: LocalDiscoveryServer): Promise<HostileDiscovery> {
  const state = {
    path: undefined as DiscoveryPath | undefined,
    misbehaviour: undefined as Misbehaviour | undefined,
    suffix: undefined as string | undefined,
    requests: { search: 0, courses: 0, programs: 0, reviews: 0 } as Record<DiscoveryPath, number>,
  };
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();

  const honest = async (url: URL, method: string, body: Buffer | null): Promise<{ status: number; text: string }> => {
    const answer = await local.handle(new Request(url, { method, body, headers: { "content-type": "application/json" } }));
    let text = await answer.text();
    if (state.suffix !== undefined && PATHS[url.pathname] === "search" && answer.ok) {
      const page = JSON.parse(text) as Page;
      for (const record of page.results) {
        if ((record.content_type === "course" || record.content_type === "program") && typeof record.title === "string") record.title += state.suffix;
      }
      text = JSON.stringify(page);
    }
    return { status: answer.status, text };
  };

  const pageNumber = (url: URL): number => Number(url.searchParams.get("page") ?? "1");

  const answer = async (incoming: IncomingMessage, outgoing: ServerResponse): Promise<void> => {
    const chunks: Buffer[] = [];
    for await (const chunk of incoming) chunks.push(chunk as Buffer);
    const url = new URL(incoming.url ?? "/", "http://discovery.test");
    const method = incoming.method ?? "GET";
    const body = method === "GET" || method === "HEAD" ? null : Buffer.concat(chunks);
    const path = PATHS[url.pathname];
    if (path !== undefined) state.requests[path]++;
    const misbehaviour = path !== undefined && path === state.path ? state.misbehaviour : undefined;
    const json = (status: number, text: string) => outgoing.writeHead(status, { "content-type": "application/json" }).end(text);
    switch (misbehaviour) {
      case undefined: {
        const { status, text } = await honest(url, method, body);
        return void json(status, text);
      }
      case "hang":
        return;
      case "drip": {
        const { status, text } = await honest(url, method, body);
        outgoing.writeHead(status, { "content-type": "application/json", "content-length": String(Buffer.byteLength(text)) });
        let at = 0;
        const timer = setInterval(() => {
          if (outgoing.destroyed || at >= text.length) {
            clearInterval(timer);
            timers.delete(timer);
            return;
          }
          outgoing.write(text[at++]);
        }, 1000);
        timers.add(timer);
        return;
      }
      case "invalid-json": {
        const { text } = await honest(url, method, body);
        return void json(200, text.slice(0, Math.max(1, Math.floor(text.length / 2))));
      }
      case "html":
        return void outgoing.writeHead(200, { "content-type": "text/html" })
          .end("<!doctype html><html><head><title>502 Bad Gateway</title></head><body><h1>Bad Gateway</h1></body></html>");
      case "unavailable-from-page-2": {
        if (pageNumber(url) >= 2) return void json(503, JSON.stringify({ detail: "Service unavailable" }));
        const { status, text } = await honest(url, method, body);
        return void json(status, text);
      }
      case "endless":
        return endless(outgoing);
      default: {
        const { status, text } = await honest(url, method, body);
        const page = JSON.parse(text) as Page;
        const first = pageNumber(url) === 1;
        if (misbehaviour === "record-without-key" && first && page.results[0] !== undefined) {
          const { key: _key, uuid: _uuid, ...rest } = page.results[0];
          page.results[0] = rest;
        } else if (misbehaviour === "record-without-content-type" && first && page.results[0] !== undefined) {
          const { content_type: _type, ...rest } = page.results[0];
          page.results[0] = rest;
        } else if (misbehaviour === "duplicate-across-pages" && !first && page.results.length > 0) {
          const one = new URL(url);
          one.searchParams.set("page", "1");
          const pageOne = JSON.parse((await honest(one, method, body)).text) as Page;
          if (pageOne.results[0] !== undefined) page.results[0] = pageOne.results[0];
        } else if (misbehaviour === "repeat-within-page") {
          const half = Math.ceil(page.results.length / 2);
          page.results = [...page.results.slice(0, half), ...page.results.slice(0, page.results.length - half)];
        } else if (misbehaviour === "count-changes" && !first) {
          page.count += 1;
        }
        return void json(status, JSON.stringify(page));
      }
    }
  };

  const server: Server = createServer((incoming, outgoing) => {
    answer(incoming, outgoing).catch((error: unknown) => {
      if (!outgoing.headersSent) outgoing.writeHead(500, { "content-type": "text/plain" }).end(String(error));
    });
  });
  server.on("connection", (socket: Socket) => {
    sockets.add(socket);
    socket.once("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  const port = typeof address === "object" && address !== null ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    misbehave(path, misbehaviour) {
      state.path = path;
      state.misbehaviour = path === undefined ? undefined : misbehaviour;
      state.requests = { search: 0, courses: 0, programs: 0, reviews: 0 };
    },
    reviseTitles(suffix) {
      state.suffix = suffix;
    },
    get requests() {
      return state.requests;
    },
    close: () => new Promise<void>((resolve) => {
      for (const timer of timers) clearInterval(timer);
      for (const socket of sockets) socket.destroy();
      server.close(() => resolve());
    }),
  };
}

/** A JSON page that never ends, 1 MiB a write, as fast as the client reads, until it goes away. */
function endless(response: ServerResponse): void {
  const record = JSON.stringify({ aggregation_key: "course:edX+Flood", content_type: "course", key: "edX+Flood" });
  const chunk = Buffer.from(`${Array.from({ length: Math.ceil((1 << 20) / (record.length + 1)) }, () => record).join(",")},`);
  response.writeHead(200, { "content-type": "application/json" });
  response.write('{"count": 100, "next": null, "previous": null, "results": [');
  const more = (): void => {
    while (!response.destroyed && response.write(chunk));
    if (!response.destroyed) response.once("drain", more);
  };
  response.on("close", () => response.removeAllListeners("drain"));
  more();
}
