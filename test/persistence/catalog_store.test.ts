import { describeCatalogStoreContract } from "../contracts/catalog_store_contract.ts";
import { memoryHarness, postgresHarness } from "../helpers/store_harness.ts";

describeCatalogStoreContract("MemoryCatalogStore", memoryHarness);
describeCatalogStoreContract("PostgresCatalogStore", postgresHarness);
