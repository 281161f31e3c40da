/** A real HTTP discovery over a local discovery server (misbehaving ones: test/chaos/support/hostile_discovery.ts). */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import {
  createLocalDiscoveryServer,
  type LocalDiscoveryServer,
  type LocalDiscoveryServerOptions,
} from "../../adapters/discovery_local/local_discovery_server.ts";

/** A listening discovery. */
export interface DiscoveryServer {
  readonly url: string;
  close(): Promise<void>;
}

/** Serves discovery's endpoints over HTTP on a free local port, from `server` or a local discovery server with these options. */
export async function startDiscoveryServer(options: LocalDiscoveryServerOptions & { readonly server?: LocalDiscoveryServer } = {}): Promise<DiscoveryServer> {
  const discovery = options.server ?? createLocalDiscoveryServer(options);
  const server: Server = createServer((incoming, outgoing) => {
    answer(incoming, outgoing).catch((error: unknown) => {
      outgoing.writeHead(500, { "content-type": "text/plain" }).end(String(error));
    });
  });
  const answer = async (incoming: IncomingMessage, outgoing: ServerResponse): Promise<void> => {
    const chunks: Buffer[] = [];
    for await (const chunk of incoming) chunks.push(chunk as Buffer);
    const url = new URL(incoming.url ?? "/", base);
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
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  const port = typeof address === "object" && address !== null ? address.port : 0;
  const base = `http://127.0.0.1:${port}`;
  return {
    url: base,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
