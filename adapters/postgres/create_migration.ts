/**
 * Writes a migration for the difference between `schema.ts` and the committed schema snapshot:
 * `node adapters/postgres/create_migration.ts [name]` (or `npm run migration:create -- [name]`).
 *
 * It needs a scratch database, never the real one: a throwaway embedded Postgres, or with
 * `DATABASE_URL` set a temporary database created on that server and dropped afterwards.
 */
import { rm } from "node:fs/promises";
import { resolve } from "node:path";
import pg from "pg";
import { freePort, startEmbeddedPostgres, type EmbeddedPostgresServer } from "../embedded_postgres/embedded_postgres.ts";
import { createOrm } from "./orm.ts";

const name = process.argv[2];
if (name !== undefined && !/^[A-Za-z][A-Za-z0-9_]*$/.test(name)) {
  console.error(`Migration name must be letters, digits and underscores: "${name}"`);
  process.exit(2);
}

const scratch = await openScratchDatabase();
try {
  const orm = await createOrm({ databaseUrl: scratch.url });
  try {
    const result = await orm.migrator.create(undefined, false, false, name);
    if (result.fileName === "") console.log("No schema changes: nothing written");
    else console.log(`Wrote adapters/postgres/migrations/${result.fileName}`);
  } finally {
    await orm.close(true);
  }
} finally {
  await scratch.close();
}

async function openScratchDatabase(): Promise<{ url: string; close(): Promise<void> }> {
  const serverUrl = process.env.DATABASE_URL;
  if (serverUrl === undefined || serverUrl === "") {
    const dir = resolve(".data", `migration-${process.pid}`);
    const server: EmbeddedPostgresServer = await startEmbeddedPostgres({
      dataDir: resolve(dir, "pg"),
      port: await freePort(),
      persistent: false,
    });
    return {
      url: server.url,
      async close() {
        await server.stop();
        await rm(dir, { recursive: true, force: true });
      },
    };
  }
  const database = `catalog_migration_${process.pid}`;
  const admin = new pg.Client(serverUrl);
  await admin.connect();
  await admin.query(`create database ${admin.escapeIdentifier(database)}`);
  const url = new URL(serverUrl);
  url.pathname = `/${database}`;
  return {
    url: url.toString(),
    async close() {
      await admin.query(`drop database if exists ${admin.escapeIdentifier(database)} with (force)`);
      await admin.end();
    },
  };
}
