/**
 * Tools of the resource-abuse scenario: the service as its own `catalog serve` process (so that
 * its memory is its own), its resident memory, and requests written byte by byte on a raw socket,
 * which no HTTP client would send.
 */
import { connect, type Socket } from "node:net";
import { rssMib, startCatalogProcess } from "../../helpers/catalog_process.ts";
import type { LogWatcher } from "../../helpers/run_catalog.ts";

/** A running `catalog serve`. */
export interface ServeProcess {
  readonly port: number;
  readonly pid: number;
  readonly logs: LogWatcher;
  /** Resident memory now, in bytes. */
  rss(): Promise<number>;
  /** V8 heap in use now, in bytes, as the process's `/metrics` says. */
  heapUsed(): Promise<number>;
  /** SIGTERM, then SIGKILL after 10 s. */
  stop(): Promise<void>;
}

/** Starts `catalog serve` with this environment (added to the test's) and waits until it listens. */
export async function startServeProcess(env: Record<string, string>): Promise<ServeProcess> {
  const serving = startCatalogProcess(["serve"], env, (message) => message.startsWith("listening on"));
  const listening = await serving.ready;
  const pid = serving.child.pid;
  if (pid === undefined) throw new Error("catalog serve has no pid");
  return {
    port: Number(listening.port),
    pid,
    logs: serving.logs,
    async rss() {
      const mib = rssMib(pid);
      if (mib === undefined) throw new Error(`No VmRSS for process ${pid}`);
      return mib * 2 ** 20;
    },
    async heapUsed() {
      const metrics = await (await fetch(`http://127.0.0.1:${listening.port}/metrics`)).text();
      const value = /^nodejs_heap_size_used_bytes (\d+(?:\.\d+)?)/m.exec(metrics)?.[1];
      if (value === undefined) throw new Error("No nodejs_heap_size_used_bytes in /metrics");
      return Number(value);
    },
    async stop() {
      const { child } = serving;
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill("SIGTERM");
      const killer = setTimeout(() => serving.kill(), 10_000);
      await serving.exited;
      clearTimeout(killer);
    },
  };
}

/** How a raw request ended. */
export interface RawAnswer {
  /** The status line's code, or null when the connection closed (or the time ran out) without one. */
  readonly status: number | null;
  /** The answer's status line and headers, as far as they came. */
  readonly head: string;
  /** The answer's content type, when one came. */
  readonly contentType: string | null;
  /** The answer's body as far as it came (the first 64 KiB). */
  readonly body: string;
  /** The server closed or reset the connection. */
  readonly closed: boolean;
  /** From the first byte written to the status line (or the close). */
  readonly ms: number;
  /** Body bytes written before the answer came. */
  readonly bodyBytesSent: number;
}

/** What to write after the head. */
export interface RawBody {
  /** Bytes of `x` to stream (as fast as the socket takes them), stopping as soon as an answer comes. */
  readonly streamBytes?: number;
  /** Send it chunked (the head must say `Transfer-Encoding: chunked`). */
  readonly chunked?: boolean;
  /** A fixed body. */
  readonly bytes?: Buffer;
}

/**
 * Writes `head` (the request line and headers, CRLF-separated, ending with an empty line) and the
 * body on a fresh loopback connection, and resolves once the answer's head and body (up to its
 * Content-Length) arrived, the connection closed, or `timeoutMs` passed.
 */
export function rawRequest(port: number, head: string, body: RawBody = {}, timeoutMs = 30_000): Promise<RawAnswer> {
  return new Promise((resolve) => {
    const started = performance.now();
    const socket: Socket = connect(port, "127.0.0.1");
    let received = Buffer.alloc(0);
    let status: number | null = null;
    let answeredAt: number | null = null;
    let sent = 0;
    let done = false;
    const finish = (closed: boolean) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      const text = received.toString("latin1");
      const split = text.indexOf("\r\n\r\n");
      const headers = split < 0 ? text : text.slice(0, split);
      resolve({
        status,
        head: headers,
        contentType: /\r\ncontent-type:\s*([^\r\n]+)/i.exec(headers)?.[1]?.trim() ?? null,
        body: split < 0 ? "" : Buffer.from(text.slice(split + 4), "latin1").toString("utf8"),
        closed,
        ms: Math.round((answeredAt ?? performance.now()) - started),
        bodyBytesSent: sent,
      });
      socket.destroy();
    };
    const timer = setTimeout(() => finish(false), timeoutMs);
    socket.on("data", (chunk: Buffer) => {
      if (received.length < 65_536) received = Buffer.concat([received, chunk]);
      const text = received.toString("latin1");
      const match = /^HTTP\/1\.[01] (\d{3})/.exec(text);
      if (match !== null && status === null) {
        status = Number(match[1]);
        answeredAt = performance.now();
      }
      const split = text.indexOf("\r\n\r\n");
      if (status !== null && split >= 0) {
        const length = Number(/\r\ncontent-length:\s*(\d+)/i.exec(text.slice(0, split))?.[1] ?? "0");
        if (Buffer.byteLength(text.slice(split + 4), "latin1") >= length) finish(false);
      }
    });
    socket.on("close", () => finish(true));
    socket.on("error", () => finish(true));
    socket.on("connect", async () => {
      socket.write(head);
      if (body.bytes !== undefined) {
        socket.write(body.bytes);
        sent = body.bytes.length;
      }
      if (body.streamBytes === undefined) return;
      const chunk = Buffer.alloc(64 * 1024, "x");
      while (sent < body.streamBytes && !done && status === null) {
        const size = Math.min(chunk.length, body.streamBytes - sent);
        const piece = body.chunked ? Buffer.concat([Buffer.from(`${size.toString(16)}\r\n`), chunk.subarray(0, size), Buffer.from("\r\n")]) : chunk.subarray(0, size);
        const flushed = socket.write(piece);
        sent += size;
        if (!flushed) await new Promise<void>((next) => {
          const go = () => {
            socket.off("drain", go);
            socket.off("close", go);
            next();
          };
          socket.on("drain", go);
          socket.on("close", go);
        });
      }
      if (body.chunked && !done && status === null) socket.write("0\r\n\r\n");
    });
  });
}

/** Figures of a slowloris run. */
export interface SlowlorisFigures {
  readonly connectionsOpened: number;
  /** Connections the server ended (with an answer or without). */
  readonly closedByServer: number;
  /** Of those, how many got a 408 first. */
  readonly answered408: number;
  /** Seconds from opening to the server's close: median and longest. */
  readonly heldP50Ms: number;
  readonly heldMaxMs: number;
  /** Connections still open when the run ended. */
  readonly stillOpen: number;
}

/**
 * Keeps `connections` connections open for `durationMs`, each sending a request head one header
 * line every `dripMs` and never finishing it; a connection the server closes is replaced by a new
 * one. Everything is closed at the end.
 */
export async function slowloris(port: number, options: { readonly connections: number; readonly durationMs: number; readonly dripMs: number }): Promise<SlowlorisFigures> {
  const deadline = performance.now() + options.durationMs;
  const held: number[] = [];
  let opened = 0;
  let answered408 = 0;
  /** Open connections, each with what ends it on our side (no replacement, not counted). */
  const open = new Map<Socket, () => void>();
  const openOne = (): void => {
    if (performance.now() >= deadline) return;
    opened++;
    const started = performance.now();
    const socket = connect(port, "127.0.0.1");
    let ended = false;
    const drip = setInterval(() => {
      if (socket.writable) socket.write(`X-Slow-${Math.floor(Math.random() * 1e6)}: x\r\n`);
    }, options.dripMs);
    const end = (byServer: boolean) => {
      if (ended) return;
      ended = true;
      clearInterval(drip);
      open.delete(socket);
      if (byServer) {
        held.push(performance.now() - started);
        openOne();
      }
    };
    open.set(socket, () => end(false));
    socket.on("connect", () => socket.write("GET /api/v1/enterprise-catalogs/ HTTP/1.1\r\nHost: 127.0.0.1\r\n"));
    socket.on("data", (chunk: Buffer) => {
      if (/^HTTP\/1\.1 408/.test(chunk.toString("latin1"))) answered408++;
    });
    socket.on("close", () => end(true));
    socket.on("error", () => {});
  };
  for (let i = 0; i < options.connections; i++) openOne();
  await new Promise((resolve) => setTimeout(resolve, Math.max(0, deadline - performance.now())));
  const stillOpen = open.size;
  for (const [socket, end] of [...open]) {
    end();
    socket.destroy();
  }
  const sorted = [...held].sort((a, b) => a - b);
  return {
    connectionsOpened: opened,
    closedByServer: held.length,
    answered408,
    heldP50Ms: Math.round(sorted[Math.floor(sorted.length / 2)] ?? 0),
    heldMaxMs: Math.round(sorted.at(-1) ?? 0),
    stillOpen,
  };
}
