/**
 * `PostgresReadModelChanges`: a version committed before `sync()` is heard before `sync()` resolves
 * (what makes answers from memory exact, decision 0018); a version bumped without a notice is heard
 * through the periodic check; a lost connection is told, and sync refuses until it is back; a
 * database that stops answering without closing the connection counts as lost after the sync bound.
 */
import { createServer, type Server, Socket } from "node:net";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, test, vi } from "vitest";
import { PostgresReadModelChanges, READ_MODEL_APPLICATION } from "../../adapters/postgres/postgres_read_model.ts";
import { READ_MODEL_CHANNEL } from "../../adapters/postgres/read_model_notify.ts";
import type { ReadModelVersion } from "../../src/ports/read_model_source.ts";
import { createTestDatabase, type TestDatabase } from "../helpers/database.ts";

let database: TestDatabase;
let writer: pg.Client;

beforeAll(async () => {
  database = await createTestDatabase();
  writer = new pg.Client({ connectionString: database.url });
  await writer.connect();
});
afterAll(async () => {
  await writer?.end();
  await database?.drop();
});

function listen(changes: PostgresReadModelChanges) {
  const heard: ReadModelVersion[] = [];
  let lost = 0;
  const stop = changes.subscribe({ changed: (version) => heard.push(version), lost: () => lost++ });
  return { heard, lost: () => lost, stop };
}

async function bump(part: "catalogs" | "content", notify: boolean): Promise<number> {
  await writer.query("begin");
  const { rows } = await writer.query<{ version: string }>("update read_model_version set version = version + 1 where part = $1 returning version", [part]);
  const version = Number(rows[0]?.version);
  if (notify) await writer.query(`select pg_notify('${READ_MODEL_CHANNEL}', $1)`, [`${part} ${version}`]);
  await writer.query("commit");
  return version;
}

describe("PostgresReadModelChanges", () => {
  test("sync() resolves only after every version committed before it was heard", async () => {
    const changes = new PostgresReadModelChanges(database.url, { checkMs: 60_000 });
    const { heard, stop } = listen(changes);
    try {
      expect(await changes.sync()).toBe(true);
      for (let i = 0; i < 20; i++) {
        const version = await bump(i % 2 === 0 ? "catalogs" : "content", true);
        expect(await changes.sync()).toBe(true);
        expect(heard.at(-1)).toEqual({ part: i % 2 === 0 ? "catalogs" : "content", version });
      }
    } finally {
      stop();
    }
  });

  test("a version bumped without a notice is heard through the periodic check", async () => {
    const changes = new PostgresReadModelChanges(database.url, { checkMs: 100 });
    const { heard, stop } = listen(changes);
    try {
      expect(await changes.sync()).toBe(true);
      const version = await bump("catalogs", false);
      await vi.waitFor(() => expect(heard).toContainEqual({ part: "catalogs", version }), { timeout: 5000, interval: 20 });
    } finally {
      stop();
    }
  });

  test("a lost connection is told, sync() refuses while it is down, and it reconnects", async () => {
    const changes = new PostgresReadModelChanges(database.url, { checkMs: 60_000, reconnectMs: 50 });
    const listener = listen(changes);
    try {
      expect(await changes.sync()).toBe(true);
      await writer.query(`select pg_terminate_backend(pid) from pg_stat_activity
        where datname = current_database() and application_name = $1`, [READ_MODEL_APPLICATION]);
      await vi.waitFor(() => expect(listener.lost()).toBe(1), { timeout: 5000, interval: 20 });
      await vi.waitFor(async () => expect(await changes.sync()).toBe(true), { timeout: 5000, interval: 50 });
      const version = await bump("content", true);
      expect(await changes.sync()).toBe(true);
      expect(listener.heard.at(-1)).toEqual({ part: "content", version });
    } finally {
      listener.stop();
    }
  });
  test("a database that stops answering is lost after the sync bound, and sync() refuses instead of waiting", async () => {
    const proxy = await startStallingProxy(new URL(database.url));
    const url = new URL(database.url);
    url.host = `127.0.0.1:${proxy.port}`;
    const changes = new PostgresReadModelChanges(url.toString(), { checkMs: 60_000, reconnectMs: 50, syncTimeoutMs: 200 });
    const listener = listen(changes);
    try {
      expect(await changes.sync()).toBe(true);
      proxy.stall(true);
      expect(await changes.sync()).toBe(false);
      expect(listener.lost()).toBe(1);
      expect(await changes.sync()).toBe(false);
      proxy.stall(false);
      await vi.waitFor(async () => expect(await changes.sync()).toBe(true), { timeout: 5000, interval: 50 });
    } finally {
      listener.stop();
      await proxy.close();
    }
  });
});

/** A TCP proxy to PostgreSQL that, while stalled, keeps every connection open and passes nothing on. */
async function startStallingProxy(target: URL): Promise<{ port: number; stall(on: boolean): void; close(): Promise<void> }> {
  let stalled = false;
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    const upstream = new Socket();
    sockets.add(client).add(upstream);
    upstream.connect(Number(target.port), target.hostname);
    client.on("data", (chunk) => void (stalled || upstream.write(chunk)));
    upstream.on("data", (chunk) => void (stalled || client.write(chunk)));
    for (const [socket, other] of [[client, upstream], [upstream, client]] as const) {
      socket.on("error", () => other.destroy());
      socket.on("close", () => other.destroy());
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("The proxy has no port");
  return {
    port: address.port,
    stall: (on) => void (stalled = on),
    close: () => {
      for (const socket of sockets) socket.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
