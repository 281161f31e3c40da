/** MikroORM set-up for the service's Postgres database: entities, migrations, readiness. */
import { fileURLToPath } from "node:url";
import { Migrator } from "@mikro-orm/migrations";
import { defineConfig, MikroORM } from "@mikro-orm/postgresql";
import { boundedPoolConfig, type WaitBounds } from "./bounded_pool.ts";
import { ENTITIES } from "./schema.ts";

/** The ORM instance the Postgres adapters work with. */
export type Orm = MikroORM;

/** Where the committed migrations (and MikroORM's schema snapshot) live. */
export const MIGRATIONS_PATH = fileURLToPath(new URL("./migrations", import.meta.url));

/** Both `migrate()` and refresh locks hash a text into one 64-bit advisory-lock space. */
const MIGRATION_LOCK = "enterprise-catalog:migrate";

/** How to connect. */
export interface CreateOrmOptions {
  /** `postgresql://user:password@host:port/database`. */
  readonly databaseUrl: string;
  /** Logs every query through MikroORM's logger. */
  readonly debug?: boolean;
  /** Largest number of pooled connections; default 10, at least 2 (`migrate()` holds one for its lock). */
  readonly poolSize?: number;
  /** How long its connections may wait on the database; unset: as long as it takes. */
  readonly bounds?: WaitBounds;
}

/**
 * Connects MikroORM to the database with the service's entities and the migrator. The database
 * must exist; call `migrate()` before using the stores. Close it with `orm.close()`.
 */
export async function createOrm(options: CreateOrmOptions): Promise<Orm> {
  return await MikroORM.init(defineConfig({
    clientUrl: options.databaseUrl,
    entities: [...ENTITIES],
    extensions: [Migrator],
    debug: options.debug ?? false,
    // Databases are provisioned outside the app (embedded Postgres, tests, operators).
    ensureDatabase: false,
    pool: { min: 0, max: Math.max(2, options.poolSize ?? 10) },
    driverOptions: boundedPoolConfig(options.bounds),
    migrations: {
      path: MIGRATIONS_PATH,
      pathTs: MIGRATIONS_PATH,
      emit: "ts",
      // One snapshot name whatever the database is called, and never rewritten by `up()`: the
      // committed snapshot is what `create_migration.ts` diffs against.
      snapshotName: ".snapshot-catalog",
      snapshotOnMigrate: false,
      // The caller logs what `migrate()` returns instead.
      silent: true,
    },
  }));
}

/**
 * Applies pending migrations and returns their names. Safe when several processes start at once:
 * a transaction-scoped advisory lock serialises them, and the later ones find nothing to do.
 */
export async function migrate(orm: Orm): Promise<readonly string[]> {
  const connection = orm.em.getConnection();
  return await connection.transactional(async (trx) => {
    await connection.execute("select pg_advisory_xact_lock(hashtextextended(?, 0))", [MIGRATION_LOCK], "all", trx);
    const applied = await orm.migrator.up();
    return applied.map((migration) => migration.name);
  });
}

/** Names of the committed migrations the database has not applied yet (for a readiness check). */
export async function pendingMigrations(orm: Orm): Promise<readonly string[]> {
  const pending = await orm.migrator.getPending();
  return pending.map((migration) => migration.name);
}
