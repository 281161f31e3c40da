/**
 * The use cases wired over their ports, once per process. `createServices(ports, settings)` builds
 * what every unit of work shares (the read API over the reader); `unitOfWork()` hands one request,
 * job or in-process call the use cases that write, over stores of its own opened on first use.
 */
import { CatalogService } from "./catalog/catalog_service.ts";
import { CatalogContentService } from "./content/catalog_content_service.ts";
import type { EnrollmentUrlSettings } from "./content/enrollment_urls.ts";
import { CurationService } from "./curation/curation_service.ts";
import { HighlightSetService } from "./curation/highlight_set_service.ts";
import { CustomerDetails, type CustomerDetailsPolicy } from "./customers/customer_details.ts";
import { LegacyCatalogService } from "./content/legacy_catalog_service.ts";
import { EnrollmentService } from "./enrollment/enrollment_service.ts";
import type { CatalogStore } from "./ports/catalog_store.ts";
import type { Clock } from "./ports/clock.ts";
import type { ContentReader } from "./ports/content_reader.ts";
import type { ContentStore } from "./ports/content_store.ts";
import type { CurationStore } from "./ports/curation_store.ts";
import type { CustomerDirectory } from "./ports/customer_directory.ts";
import type { DiscoveryClient } from "./ports/discovery_client.ts";
import type { EnrollmentLedger } from "./ports/enrollment_ledger.ts";
import type { IdGenerator } from "./ports/id_generator.ts";
import type { RefreshScheduler } from "./ports/refresh_scheduler.ts";
import { FullRecordFetches } from "./refresh/full_record_fetches.ts";
import { type FreshnessPolicy, RefreshService } from "./refresh/refresh_service.ts";

/** The stores one unit of work reads and writes through (on Postgres: over one forked EntityManager). */
export interface UnitStores {
  readonly catalogs: CatalogStore;
  readonly content: ContentStore;
  readonly ledger: EnrollmentLedger;
  readonly curations: CurationStore;
}

/** The driven ports the use cases run over. */
export interface ServicePorts {
  /** The read path, shared by every unit of work. */
  readonly reader: ContentReader;
  /** Opens the stores of a new unit of work; called at most once per unit, when a use case first needs them. */
  readonly openStores: () => UnitStores;
  readonly scheduler: RefreshScheduler;
  readonly discovery: DiscoveryClient;
  /** The LMS's enterprise customers (slug, learner portal), for enrollment URLs. */
  readonly customers: CustomerDirectory;
  readonly clock: Clock;
  readonly ids: IdGenerator;
}

/** What shapes the use cases besides their ports. */
export interface ServiceSettings {
  /** Where enrollment links point; the legacy API's links take its `lmsBaseUrl`. */
  readonly enrollmentUrls: EnrollmentUrlSettings;
  /** How fresh queries must be; `DEFAULT_FRESHNESS` when absent. */
  readonly freshness?: FreshnessPolicy;
  /** How long customer records from the LMS are trusted and waited for; `DEFAULT_CUSTOMER_DETAILS_POLICY` when absent. */
  readonly customerDetails?: Partial<CustomerDetailsPolicy>;
}

/** The use cases of one unit of work: one request, job or in-process call. */
export interface UseCases {
  readonly catalogs: CatalogService;
  readonly refresh: RefreshService;
  readonly enrollment: EnrollmentService;
  /** Curation configs and their history. */
  readonly curation: CurationService;
  /** Highlight sets and their content. */
  readonly highlightSets: HighlightSetService;
  /** The read API; shared by every unit of work (it reads through the reader). */
  readonly content: CatalogContentService;
  /** The legacy `/enterprise/api/v1/` read API over the same reader. */
  readonly legacy: LegacyCatalogService;
}

/** The use cases of a process, built once. */
export interface Services {
  readonly content: CatalogContentService;
  readonly legacy: LegacyCatalogService;
  /** A new unit of work; its stores are opened when one of its use cases is first used. */
  unitOfWork(): UseCases;
}

/** Wires the use cases over the ports. */
export function createServices(ports: ServicePorts, settings: ServiceSettings): Services {
  // One per process: what the LMS said of each customer, shared by every request.
  const customers = new CustomerDetails({ directory: ports.customers, clock: ports.clock, policy: settings.customerDetails });
  const content = new CatalogContentService({ reader: ports.reader, enrollment: settings.enrollmentUrls, customers });
  const legacy = new LegacyCatalogService({ reader: ports.reader, lmsBaseUrl: settings.enrollmentUrls.lmsBaseUrl });
  // One per process: refreshes running side by side share the full records they fetch.
  const fullRecords = new FullRecordFetches({ discovery: ports.discovery, clock: ports.clock });
  const shared = { content, legacy, fullRecords };
  return {
    content,
    legacy,
    unitOfWork: () => new UnitOfWork(ports, settings, shared),
  };
}

/** What every unit of work of a process shares. */
interface SharedServices {
  readonly content: CatalogContentService;
  readonly legacy: LegacyCatalogService;
  readonly fullRecords: FullRecordFetches;
}

/**
 * One unit of work's use cases. Lazy: its stores (on Postgres, a forked EntityManager) are opened
 * on first use, so requests that only read through the reader never pay for them. A class, so the
 * getters live on the prototype instead of being new closures for every request (decisions/0007).
 */
class UnitOfWork implements UseCases {
  readonly content: CatalogContentService;
  readonly legacy: LegacyCatalogService;
  readonly #ports: ServicePorts;
  readonly #settings: ServiceSettings;
  #stores: UnitStores | undefined;
  #catalogs: CatalogService | undefined;
  #refresh: RefreshService | undefined;
  #enrollment: EnrollmentService | undefined;
  #curation: CurationService | undefined;
  #highlightSets: HighlightSetService | undefined;

  readonly #fullRecords: FullRecordFetches;

  constructor(ports: ServicePorts, settings: ServiceSettings, shared: SharedServices) {
    this.#ports = ports;
    this.#settings = settings;
    this.content = shared.content;
    this.legacy = shared.legacy;
    this.#fullRecords = shared.fullRecords;
  }

  get catalogs(): CatalogService {
    return this.#catalogs ??= catalogService(this.#opened(), this.#ports);
  }

  get refresh(): RefreshService {
    return this.#refresh ??= refreshService(this.#opened(), this.#ports, this.#settings, this.#fullRecords);
  }

  get enrollment(): EnrollmentService {
    return this.#enrollment ??= enrollmentService(this.#opened(), this.#ports);
  }

  get curation(): CurationService {
    return this.#curation ??= new CurationService({ curations: this.#opened().curations, reader: this.#ports.reader, clock: this.#ports.clock, ids: this.#ports.ids });
  }

  get highlightSets(): HighlightSetService {
    return this.#highlightSets ??= new HighlightSetService({ curations: this.#opened().curations, reader: this.#ports.reader, clock: this.#ports.clock, ids: this.#ports.ids });
  }

  #opened(): UnitStores {
    return this.#stores ??= this.#ports.openStores();
  }
}

function catalogService(stores: UnitStores, ports: ServicePorts): CatalogService {
  return new CatalogService({ catalogs: stores.catalogs, scheduler: ports.scheduler, clock: ports.clock, ids: ports.ids });
}

function refreshService(stores: UnitStores, ports: ServicePorts, settings: ServiceSettings, fullRecords: FullRecordFetches): RefreshService {
  return new RefreshService({
    catalogs: stores.catalogs, content: stores.content, discovery: ports.discovery, scheduler: ports.scheduler,
    clock: ports.clock, ids: ports.ids, freshness: settings.freshness, fullRecords,
  });
}

function enrollmentService(stores: UnitStores, ports: ServicePorts): EnrollmentService {
  return new EnrollmentService({
    ledger: stores.ledger, catalogs: stores.catalogs, content: stores.content, reader: ports.reader, clock: ports.clock, ids: ports.ids,
  });
}
