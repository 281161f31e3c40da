/** The committed migrations: current with `schema.ts`, safe to run at once, loadable by plain Node. */
import { execFile } from "node:child_process";
import { readdir } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { createOrm, MIGRATIONS_PATH, migrate, type Orm, pendingMigrations } from "../../adapters/postgres/orm.ts";
import type { ContentType } from "../../src/content/content_metadata.ts";
import { listedRunKeys } from "../../src/content/containment.ts";
import type { JsonObject } from "../../src/json.ts";
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

  test("the course_run_keys migration fills the column of stored rows as listedRunKeys() does", async () => {
    const before = await createTestDatabase({ migrate: false });
    try {
      const names = await migrationNames();
      const added = names.findIndex((name) => name.endsWith("_course_run_keys"));
      await before.orm.migrator.up({ to: names[added - 1] as string });
      const records: Record<string, { content_type: string; json_metadata: JsonObject }> = {
        "Mixed+1": { content_type: "course", json_metadata: { course_runs: [{ key: "course-v1:Mixed+1+1T" }, "course-v1:Mixed+1+2T", { key: 3 }, {}, [{ key: "x" }], { key: "course-v1:Mixed+1+é" }] } },
        "Object+1": { content_type: "course", json_metadata: { course_runs: { key: "course-v1:Object+1+1T" } } },
        "None+1": { content_type: "course", json_metadata: {} },
        "Path+1": { content_type: "learnerpathway", json_metadata: { course_runs: [{ key: "course-v1:Path+1+1T" }] } },
      };
      for (const [key, record] of Object.entries(records)) {
        await before.orm.em.fork().execute(
          `insert into content_metadata (content_key, content_type, json_metadata, fingerprint, modified) values (?, ?, ?::jsonb, ?, now())`,
          [key, record.content_type, JSON.stringify(record.json_metadata), "0".repeat(32)],
        );
      }
      await migrate(before.orm);
      const rows = await before.orm.em.fork().execute<{ content_key: string; course_run_keys: string[] }[]>("select content_key, course_run_keys from content_metadata");
      expect(Object.fromEntries(rows.map((row) => [row.content_key, row.course_run_keys]))).toEqual(Object.fromEntries(
        Object.entries(records).map(([key, record]) => [key, listedRunKeys({ contentType: record.content_type as ContentType, jsonMetadata: record.json_metadata })]),
      ));
      expect(rows.find((row) => row.content_key === "Mixed+1")?.course_run_keys).toEqual(["course-v1:Mixed+1+1T", "course-v1:Mixed+1+é"]);
    } finally {
      await before.drop();
    }
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
