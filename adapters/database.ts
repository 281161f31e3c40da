/** Finds the database: `DATABASE_URL`, an embedded cluster another process runs, or a new embedded one. */
import { existsSync } from "node:fs";
import { join } from "node:path";
import pg from "pg";
import type { Logger } from "pino";
import type { AppConfig } from "./config.ts";
import { startEmbeddedPostgres } from "./embedded_postgres/embedded_postgres.ts";

/** A database to connect to, and how to let go of it. */
export interface DatabaseHandle {
  readonly url: string;
  /** `external`: DATABASE_URL; `shared`: an embedded cluster another process runs; `embedded`: ours. */
  readonly kind: "external" | "shared" | "embedded";
  /** Stops the embedded cluster this process started; does nothing otherwise. */
  release(): Promise<void>;
}

/**
 * Uses `DATABASE_URL` when set. Otherwise reuses the embedded cluster under `.data/pg` when another
 * process (say `npm start`) already runs it, so `catalog` commands in a second terminal reach the
 * same data; else starts it.
 */
export async function openDatabase(config: AppConfig, logger: Logger): Promise<DatabaseHandle> {
  if (config.databaseUrl !== undefined) return { url: config.databaseUrl, kind: "external", release: async () => {} };
  const dataDir = join(config.dataDir, "pg");
  const url = `postgresql://postgres:postgres@127.0.0.1:${config.embeddedPostgresPort}/catalog`;
  if (existsSync(join(dataDir, "postmaster.pid")) && (await answers(url))) {
    logger.info({ dataDir }, "using the embedded PostgreSQL another process runs");
    return { url, kind: "shared", release: async () => {} };
  }
  const started = performance.now();
  const server = await startEmbeddedPostgres({
    dataDir,
    port: config.embeddedPostgresPort,
    persistent: true,
    leaveSignalsToCaller: true,
    onError: (message) => logger.error({ postgres: message }, "embedded PostgreSQL error"),
  });
  logger.info({ dataDir, port: server.port, ms: Math.round(performance.now() - started) }, "embedded PostgreSQL started");
  return { url: server.url, kind: "embedded", release: () => server.stop() };
}

async function answers(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.query("select 1");
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => {});
  }
}
