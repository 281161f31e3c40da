/** The committed migrations: current with `schema.ts`, safe to run at once, loadable by plain Node. */
import { execFile } from "node:child_process";
import { readdir } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { createOrm, MIGRATIONS_PATH, migrate, type Orm, pendingMigrations } from "../../adapters/postgres/orm.ts";
import { createTestDatabase, type TestDatabase } from "../helpers/database.ts";

async function migrationNames(): Promise<string[]> {
  const files = await readdir(MIGRATIONS_PATH);
  return files.filter((file) => /^Migration\w+\.ts$/.test(file)).map((file) => file.replace(/\.ts$/, "")).sort();
}

describe("migrations", () => {
  let database: TestDatabase;
  let second: Orm;

  beforeAll(async () => {
    database = await createTestDatabase({ migrate: false });
    second = await createOrm({ databaseUrl: database.url, poolSize: 2 });
  });
  afterAll(async () => {
    await second?.close(true);
    await database?.drop();
  });

  test("migrate() from two processes at once applies every migration exactly once", async () => {
    const names = await migrationNames();
    expect(names.length).toBeGreaterThan(0);
    expect(await pendingMigrations(database.orm)).toEqual(names);

    const [a, b] = await Promise.all([migrate(database.orm), migrate(second)]);
    expect([...a, ...b].sort()).toEqual(names);
    expect(await pendingMigrations(database.orm)).toEqual([]);
    expect(await migrate(second)).toEqual([]);
  });

  test("the migrated schema matches schema.ts: no schema changes are pending", async () => {
    await migrate(database.orm);
    expect(await database.orm.schema.getUpdateSchemaSQL({ wrap: false })).toBe("");
    // The committed snapshot (what create_migration.ts diffs against) matches the entities too.
    expect(await database.orm.migrator.checkSchema()).toBe(false);
  });

  test("every migration loads under plain Node type stripping", async () => {
    const files = (await migrationNames()).map((name) => join(MIGRATIONS_PATH, `${name}.ts`));
    const script = `for (const file of ${JSON.stringify(files)}) {
      const module = await import(file);
      const found = Object.values(module).some((value) => typeof value === "function" && typeof value.prototype.up === "function");
      if (!found) throw new Error("No migration class in " + file);
    }`;
    await promisify(execFile)(process.execPath, ["--input-type=module", "--eval", script], { cwd: process.cwd() });
  });
});
