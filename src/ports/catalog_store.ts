import type { CatalogQuery, EnterpriseCatalog } from "../catalog/catalog.ts";
import type { ContentFilter } from "../catalog/content_filter.ts";
import type { ChangeHistory } from "./change_history.ts";
import type { Page, PageRequest } from "./page.ts";

/** A catalog field listings can be ordered by. */
export type CatalogOrderField = "uuid" | "title" | "enterpriseCustomerUuid" | "created" | "modified";

/** One key of a listing's order; text compares by code point. */
export interface CatalogOrder {
  readonly field: CatalogOrderField;
  readonly descending: boolean;
}

/** Which catalogs a listing returns, and in which order. */
export interface CatalogListFilter {
  /** Only catalogs of this customer. */
  readonly enterpriseCustomerUuid?: string;
  /** Only catalogs of these customers; undefined means every customer. */
  readonly visibleCustomerUuids?: readonly string[];
  /** Only the catalog with this uuid. */
  readonly uuid?: string;
  /** Only catalogs with exactly this title. */
  readonly title?: string;
  /** Only catalogs created (or last modified) at exactly this instant, to the millisecond. */
  readonly created?: Date;
  readonly modified?: Date;
  /** Ordered by these keys first; ties (and no keys) fall back to creation time, then uuid. */
  readonly ordering?: readonly CatalogOrder[];
}

/** Which queries a listing returns. */
export interface QueryListFilter {
  /** Only queries used by a catalog of one of these customers; undefined means every query. */
  readonly usedByCustomerUuids?: readonly string[];
}

/** What creating a query needs besides its filter. */
export interface NewQuery {
  readonly contentFilter: ContentFilter;
  /** The uuid to give the query when it is new and the uuid is free; otherwise a fresh one. */
  readonly preferredUuid?: string;
  readonly title?: string | null;
  readonly now: Date;
}

/**
 * Catalogs and catalog queries.
 *
 * Lookups return undefined when absent. Writes throw ConflictError on a duplicate catalog uuid and
 * NotFoundError when the catalog to change is gone. Listings are ordered by creation time, then uuid.
 * It keeps the catalogs' change history too (`ChangeHistory`), so a change and its entry share a transaction.
 */
export interface CatalogStore extends ChangeHistory {
  /** Runs `work` atomically: every write in it lands, or none does. Nested calls join the outer one. */
  transaction<T>(work: (store: CatalogStore) => Promise<T>): Promise<T>;

  getCatalog(uuid: string): Promise<EnterpriseCatalog | undefined>;
  /**
   * Reads a catalog and holds it until the transaction ends: another transaction's `lockCatalog`
   * of the same catalog waits, then reads what this one committed. Undefined when absent;
   * TypeError outside a transaction.
   */
  lockCatalog(uuid: string): Promise<EnterpriseCatalog | undefined>;
  /** Looks several catalogs up at once; absent uuids are left out of the map. */
  getCatalogs(uuids: readonly string[]): Promise<ReadonlyMap<string, EnterpriseCatalog>>;
  listCatalogs(filter: CatalogListFilter, page: PageRequest): Promise<Page<EnterpriseCatalog>>;
  /** Every catalog of one customer, oldest first. */
  listCustomerCatalogs(enterpriseCustomerUuid: string): Promise<readonly EnterpriseCatalog[]>;
  /** Throws ConflictError when a catalog with the same uuid exists. */
  insertCatalog(catalog: EnterpriseCatalog): Promise<void>;
  /** Throws NotFoundError when the catalog does not exist. */
  updateCatalog(catalog: EnterpriseCatalog): Promise<void>;
  /** Returns false when there was nothing to delete. */
  deleteCatalog(uuid: string): Promise<boolean>;

  getQuery(uuid: string): Promise<CatalogQuery | undefined>;
  /** Looks several queries up at once; absent uuids are left out of the map. */
  getQueries(uuids: readonly string[]): Promise<ReadonlyMap<string, CatalogQuery>>;
  getQueryByHash(hash: string): Promise<CatalogQuery | undefined>;
  /** The query clients know by this uuid (`publicQueryUuid`); undefined when none. */
  getQueryByPublicUuid(uuid: string): Promise<CatalogQuery | undefined>;
  /**
   * Makes `clientUuid` the public uuid of the query, taking it from the query that had it (which
   * then shows its own uuid, or a fresh one when `clientUuid` was its own): public uuids stay
   * unique, and no query's filter or content changes. Throws NotFoundError for an unknown query.
   */
  nameQuery(queryUuid: string, clientUuid: string): Promise<CatalogQuery>;
  listQueries(filter: QueryListFilter, page: PageRequest): Promise<Page<CatalogQuery>>;
  /**
   * Returns the query whose filter has this hash, creating it when there is none. Safe when two
   * callers resolve the same new filter at once: both get the same query.
   */
  resolveQuery(query: NewQuery): Promise<CatalogQuery>;
  /** The uuids of the catalogs that use each query, for queries used by at least one catalog. */
  catalogsByQuery(queryUuids?: readonly string[]): Promise<ReadonlyMap<string, readonly string[]>>;
}
