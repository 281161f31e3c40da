import pg from "pg";
import { MemoryCatalogStore } from "../../adapters/memory/memory_catalog_store.ts";
import { MemoryContentReader } from "../../adapters/memory/memory_content_reader.ts";
import { MemoryContentStore } from "../../adapters/memory/memory_content_store.ts";
import { MemoryDatabase } from "../../adapters/memory/memory_database.ts";
import { PostgresContentReader } from "../../adapters/postgres/postgres_content_reader.ts";
import { describeContentReaderContract } from "../contracts/content_reader_contract.ts";
import { modelReaderHarness } from "../helpers/read_model.ts";
import { postgresHarness } from "../helpers/store_harness.ts";

describeContentReaderContract("MemoryContentReader", async () => {
  const db = new MemoryDatabase();
  return {
    catalogs: new MemoryCatalogStore(db),
    content: new MemoryContentStore(db),
    reader: new MemoryContentReader(db),
    reset: async () => db.clear(),
    close: async () => {},
  };
});

describeContentReaderContract("PostgresContentReader", async () => {
  const stores = await postgresHarness();
  const pool = new pg.Pool({ connectionString: stores.database.url, max: 2 });
  return {
    catalogs: stores.catalogs,
    content: stores.content,
    reader: new PostgresContentReader(pool),
    reset: () => stores.reset(),
    close: async () => {
      await pool.end();
      await stores.close();
    },
  };
});

// The same cases against the containment read model (decision 0018): containment and catalog →
// query answered from memory only (the strict reader fails a question PostgreSQL had to answer).
describeContentReaderContract("ModelContentReader over Postgres", async () => {
  const stores = await postgresHarness();
  const pool = new pg.Pool({ connectionString: stores.database.url, max: 2 });
  const model = modelReaderHarness(stores.database.url, pool);
  return {
    catalogs: stores.catalogs,
    content: stores.content,
    reader: model.strict,
    reset: async () => {
      await stores.reset();
      model.reset();
    },
    close: async () => {
      model.close();
      await pool.end();
      await stores.close();
    },
  };
});
