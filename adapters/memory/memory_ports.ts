/** Every port in memory, for tests and for co-located use without PostgreSQL. */
import { randomUUID } from "node:crypto";
import type { Clock } from "../../src/ports/clock.ts";
import type { DiscoveryClient } from "../../src/ports/discovery_client.ts";
import type { IdGenerator } from "../../src/ports/id_generator.ts";
import type { ServicePorts, UnitStores } from "../../src/services.ts";
import { LocalDiscoveryClient } from "../discovery_local/local_discovery_client.ts";
import { MemoryCatalogStore } from "./memory_catalog_store.ts";
import { MemoryContentReader } from "./memory_content_reader.ts";
import { MemoryContentStore } from "./memory_content_store.ts";
import { MemoryCurationStore } from "./memory_curation_store.ts";
import { MemoryCustomerDirectory } from "./memory_customer_directory.ts";
import { MemoryDatabase } from "./memory_database.ts";
import { MemoryEnrollmentLedger } from "./memory_enrollment_ledger.ts";
import { MemoryRefreshScheduler } from "./memory_refresh_scheduler.ts";

/** The ports over one memory database, with the adapters a test reaches into. */
export interface MemoryPorts extends ServicePorts {
  readonly database: MemoryDatabase;
  readonly ledger: MemoryEnrollmentLedger;
  readonly scheduler: MemoryRefreshScheduler;
  readonly customers: MemoryCustomerDirectory;
}

/** What a caller may choose; the rest is in memory. */
export interface MemoryPortsOptions {
  /** Discovery to refresh from; the bundled corpus by default, as `npm start` has it. */
  readonly discovery?: DiscoveryClient;
  readonly clock?: Clock;
  readonly ids?: IdGenerator;
}

/** Memory adapters of every port; every unit of work shares the same stores (memory has one identity). */
export function memoryPorts(options: MemoryPortsOptions = {}): MemoryPorts {
  const database = new MemoryDatabase();
  const ledger = new MemoryEnrollmentLedger();
  const stores: UnitStores = {
    catalogs: new MemoryCatalogStore(database), content: new MemoryContentStore(database), ledger, curations: new MemoryCurationStore(database),
  };
  return {
    database,
    ledger,
    scheduler: new MemoryRefreshScheduler(),
    reader: new MemoryContentReader(database),
    openStores: () => stores,
    discovery: options.discovery ?? new LocalDiscoveryClient(),
    customers: new MemoryCustomerDirectory(),
    clock: options.clock ?? { now: () => new Date() },
    ids: options.ids ?? { uuid: () => randomUUID() },
  };
}
