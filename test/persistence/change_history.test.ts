import { describeChangeHistoryContract } from "../contracts/change_history_contract.ts";
import { memoryHarness, postgresHarness } from "../helpers/store_harness.ts";

describeChangeHistoryContract("MemoryCatalogStore", memoryHarness, (harness) => harness.catalogs);
describeChangeHistoryContract("PostgresCatalogStore", postgresHarness, (harness) => harness.catalogs);
