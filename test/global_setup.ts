import { rm } from "node:fs/promises";
import { join, resolve } from "node:path";
import type { TestProject } from "vitest/node";
import { startEmbeddedPostgres } from "../adapters/embedded_postgres/embedded_postgres.ts";

declare module "vitest" {
  export interface ProvidedContext {
    /** A Postgres server URL; tests create their own databases on it (`test/helpers/database.ts`). */
    databaseUrl: string;
  }
}

/**
 * Provides the server tests create their databases on: `DATABASE_URL` when set, otherwise a
 * throwaway embedded Postgres under `.data/test-<pid>/`, stopped and removed at the end.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const external = process.env.DATABASE_URL;
  if (external !== undefined && external !== "") {
    project.provide("databaseUrl", external);
    return async () => {};
  }
  const dir = resolve(".data", `test-${process.pid}`);
  const server = await startEmbeddedPostgres({
    dataDir: join(dir, "pg"),
    port: 55000 + (process.pid % 1000),
    persistent: false,
    database: "postgres",
  });
  project.provide("databaseUrl", server.url);
  return async () => {
    await server.stop();
    await rm(dir, { recursive: true, force: true });
  };
}
