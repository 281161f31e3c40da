import { describeChangeHistoryContract } from "../contracts/change_history_contract.ts";
import { memoryHarness, postgresHarness } from "../helpers/store_harness.ts";

describeChangeHistoryContract("MemoryCatalogStore", memoryHarness, (harness) => harness.catalogs);
describeChangeHistoryContract("MemoryCurationStore", memoryHarness, (harness) => harness.curations);
describeChangeHistoryContract("PostgresCatalogStore", postgresHarness, (harness) => harness.catalogs);
describeChangeHistoryContract("PostgresCurationStore", postgresHarness, (harness) => harness.curations);
