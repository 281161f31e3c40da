/**
 * `PostgresReadModelChanges`: a version committed before `sync()` is heard before `sync()` resolves
 * (what makes answers from memory exact, decision 0018); a version bumped without a notice is heard
 * through the periodic check; a lost connection is told, and sync refuses until it is back.
 */
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
});
