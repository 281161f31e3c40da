/** Both store adapters behind one shape, for the contract suites in `test/contracts/`. */
import { MemoryCatalogStore } from "../../adapters/memory/memory_catalog_store.ts";
import { MemoryContentStore } from "../../adapters/memory/memory_content_store.ts";
import { MemoryCurationStore } from "../../adapters/memory/memory_curation_store.ts";
import { MemoryDatabase } from "../../adapters/memory/memory_database.ts";
import { PostgresCatalogStore } from "../../adapters/postgres/postgres_catalog_store.ts";
import { PostgresContentStore } from "../../adapters/postgres/postgres_content_store.ts";
import { PostgresCurationStore } from "../../adapters/postgres/postgres_curation_store.ts";
import type { CatalogStore } from "../../src/ports/catalog_store.ts";
import type { ContentStore } from "../../src/ports/content_store.ts";
import type { CurationStore } from "../../src/ports/curation_store.ts";
import { createTestDatabase, type TestDatabase } from "./database.ts";

/** A catalog store, a content store and a curation store over the same data. */
export interface StoreHarness {
  readonly catalogs: CatalogStore;
  readonly content: ContentStore;
  readonly curations: CurationStore;
  /** Empties every table, between tests. */
  reset(): Promise<void>;
  /** Lets go of everything the harness holds. */
  close(): Promise<void>;
}

/** The memory adapters over one `MemoryDatabase`. */
export async function memoryHarness(): Promise<StoreHarness> {
  const db = new MemoryDatabase();
  return {
    catalogs: new MemoryCatalogStore(db),
    content: new MemoryContentStore(db),
    curations: new MemoryCurationStore(db),
    reset: async () => db.clear(),
    close: async () => {},
  };
}

/** The Postgres adapters over a fresh migrated database; `database` gives tests SQL access. */
export async function postgresHarness(): Promise<StoreHarness & { readonly database: TestDatabase }> {
  const database = await createTestDatabase();
  const em = database.orm.em;
  return {
    database,
    catalogs: new PostgresCatalogStore(em),
    content: new PostgresContentStore(em),
    curations: new PostgresCurationStore(em),
    reset: async () => {
      // DELETE beats TRUNCATE by far on a handful of rows (no new files per table).
      await em.fork().execute(
        "delete from query_content; delete from refresh_run; delete from enterprise_catalog; " +
          "delete from content_metadata; delete from catalog_query; " +
          "delete from enterprise_curation; delete from change_history",
      );
    },
    close: () => database.drop(),
  };
}
