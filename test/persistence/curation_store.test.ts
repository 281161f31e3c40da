import { describeCurationStoreContract } from "../contracts/curation_store_contract.ts";
import { memoryHarness, postgresHarness } from "../helpers/store_harness.ts";

describeCurationStoreContract("MemoryCurationStore", memoryHarness);
describeCurationStoreContract("PostgresCurationStore", postgresHarness);
