import { describeContentStoreContract } from "../contracts/content_store_contract.ts";
import { memoryHarness, postgresHarness } from "../helpers/store_harness.ts";

describeContentStoreContract("MemoryContentStore", memoryHarness);
describeContentStoreContract("PostgresContentStore", postgresHarness);
