/** What each role of the process opens: migrations, ORMs and the queue only where the role needs them. */
import { randomBytes } from "node:crypto";
import pg from "pg";
import { pino } from "pino";
import { afterEach, describe, expect, it } from "vitest";
import { loadConfig } from "../../adapters/config.ts";
import { migrateDatabase, openRuntime, readQueryFreshness, type RuntimeRole } from "../../adapters/composition.ts";
import { createTestDatabase, type TestDatabase } from "../helpers/database.ts";

const logger = pino({ level: "silent" });
let database: TestDatabase | undefined;
afterEach(async () => {
  await database?.drop();
  database = undefined;
});

/** A fresh database with no migrations applied, and the configuration that points at it. */
async function unmigrated() {
  database = await createTestDatabase({ migrate: false });
  const config = loadConfig({ DATABASE_URL: database.url, LOG_LEVEL: "silent", JWT_SECRET_KEY: randomBytes(32).toString("base64url") });
  const hasSchema = async (name: string) => {
    const client = new pg.Client({ connectionString: config.databaseUrl });
    await client.connect();
    try {
      return (await client.query<{ found: boolean }>("select to_regnamespace($1) is not null as found", [name])).rows[0]?.found;
    } finally {
      await client.end();
    }
  };
  return { config, hasSchema };
}

describe("runtime roles", () => {
  it("migrateDatabase() and readQueryFreshness() open no queue; status refuses an unmigrated database", async () => {
    const { config, hasSchema } = await unmigrated();
    await expect(readQueryFreshness(config, { logger })).rejects.toThrow(/not migrated .*catalog migrate/);
    expect((await migrateDatabase(config, { logger })).length).toBeGreaterThan(0);
    expect(await migrateDatabase(config, { logger })).toEqual([]);
    expect(await readQueryFreshness(config, { logger })).toEqual([]);
    expect(await hasSchema("pgboss")).toBe(false);
  });

  it("roles that do not migrate refuse an unmigrated database", async () => {
    const { config } = await unmigrated();
    for (const role of ["refresh", "in-process"] as const) {
      await expect(openRuntime(config, { role, logger })).rejects.toThrow(/not migrated/);
    }
  });

  it("only roles that run jobs get the jobs' use cases; a worker writes through the jobs' ORM alone", async () => {
    const { config } = await unmigrated();
    const opened: Record<string, { jobs: boolean; sameAsServices: boolean }> = {};
    for (const role of ["serve", "serve-with-worker", "worker", "refresh"] satisfies RuntimeRole[]) {
      const runtime = await openRuntime(config, { role, logger });
      try {
        opened[role] = { jobs: runtime.jobServices !== undefined, sameAsServices: runtime.jobServices === runtime.services };
        // Whatever the role, its use cases work.
        expect(await runtime.withServices(({ refresh }) => refresh.freshness())).toEqual([]);
      } finally {
        await runtime.close({ graceful: false });
      }
    }
    expect(opened).toEqual({
      serve: { jobs: false, sameAsServices: false },
      "serve-with-worker": { jobs: true, sameAsServices: false },
      worker: { jobs: true, sameAsServices: true },
      refresh: { jobs: false, sameAsServices: false },
    });
  });
});
