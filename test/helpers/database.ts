/** A fresh, migrated database per test file, on the server `test/global_setup.ts` provides. */
import { randomBytes } from "node:crypto";
import pg from "pg";
import { inject } from "vitest";
import { createOrm, migrate, type Orm } from "../../adapters/postgres/orm.ts";

/** A database of one's own, and how to get rid of it. */
export interface TestDatabase {
  readonly url: string;
  readonly orm: Orm;
  /** Closes the ORM and drops the database. */
  drop(): Promise<void>;
}

/** Options for `createTestDatabase`. */
export interface CreateTestDatabaseOptions {
  /** Apply the migrations (default true). */
  readonly migrate?: boolean;
}

/** Creates a uniquely named database, connects an ORM to it and (by default) migrates it. */
export async function createTestDatabase(options: CreateTestDatabaseOptions = {}): Promise<TestDatabase> {
  const serverUrl = inject("databaseUrl");
  if (serverUrl === undefined || serverUrl === "") throw new TypeError("No database server: is test/global_setup.ts configured?");
  const name = `test_${process.pid}_${randomBytes(4).toString("hex")}`;
  await adminQuery(serverUrl, `create database ${pg.escapeIdentifier(name)}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  let orm: Orm | undefined;
  try {
    orm = await createOrm({ databaseUrl: url.toString(), poolSize: 6 });
    if (options.migrate ?? true) await migrate(orm);
  } catch (error) {
    await orm?.close(true);
    await adminQuery(serverUrl, `drop database if exists ${pg.escapeIdentifier(name)} with (force)`);
    throw error;
  }
  const opened = orm;
  let dropped: Promise<void> | undefined;
  return {
    url: url.toString(),
    orm: opened,
    drop() {
      dropped ??= (async () => {
        await opened.close(true);
        await dropDatabase(serverUrl, name);
      })();
      return dropped;
    },
  };
}

/**
 * Drops the database once the sessions its test ended have left. A pool's `end()` resolves while
 * its clients are still saying goodbye, and `with (force)` would then terminate them mid-goodbye:
 * pg emits that termination as an error nobody listens for any more, an unhandled error of the run.
 * Sessions still there after the wait (a test that left one open) are terminated.
 */
async function dropDatabase(serverUrl: string, name: string): Promise<void> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    for (let waited = 0; waited < 2000; waited += 20) {
      const { rows } = await client.query<{ sessions: string }>("select count(*) as sessions from pg_stat_activity where datname = $1", [name]);
      if (rows[0]?.sessions === "0") break;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    await client.query(`drop database if exists ${pg.escapeIdentifier(name)} with (force)`);
  } finally {
    await client.end();
  }
}

async function adminQuery(serverUrl: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}
