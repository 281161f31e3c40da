/** The catalog store in memory, for unit tests of the core and for the contract suite. */
import { randomUUID } from "node:crypto";
import type { CatalogQuery, EnterpriseCatalog } from "../../src/catalog/catalog.ts";
import { NEVER_REFRESHED, publicQueryUuid } from "../../src/catalog/catalog.ts";
import { ConflictError, NotFoundError } from "../../src/errors.ts";
import type { Change, HistoryTrail } from "../../src/history/change.ts";
import type {
  CatalogListFilter,
  CatalogOrder,
  CatalogStore,
  NewQuery,
  QueryListFilter,
} from "../../src/ports/catalog_store.ts";
import type { Page, PageRequest } from "../../src/ports/page.ts";
import { MemoryChangeHistory } from "./memory_change_history.ts";
import { byCreatedThenUuid, compareText, copyCatalog, copyQuery, MemoryDatabase } from "./memory_database.ts";

/** `CatalogStore` over a `MemoryDatabase`; pass the same database to `MemoryContentStore`. */
export class MemoryCatalogStore implements CatalogStore {
  #db: MemoryDatabase;
  #history: MemoryChangeHistory;

  constructor(db: MemoryDatabase = new MemoryDatabase()) {
    this.#db = db;
    this.#history = new MemoryChangeHistory(db);
  }

  recordChanges(changes: readonly Change[]): Promise<void> {
    return this.#history.recordChanges(changes);
  }

  listChanges(trail: HistoryTrail, page: PageRequest): Promise<Page<Change>> {
    return this.#history.listChanges(trail, page);
  }

  async transaction<T>(work: (store: CatalogStore) => Promise<T>): Promise<T> {
    return await this.#db.transaction(() => work(this));
  }

  async getCatalog(uuid: string): Promise<EnterpriseCatalog | undefined> {
    const catalog = this.#db.tables.catalogs.get(key(uuid));
    return catalog === undefined ? undefined : copyCatalog(catalog);
  }

  /** Memory transactions run one at a time, so reading inside one is already holding the catalog. */
  async lockCatalog(uuid: string): Promise<EnterpriseCatalog | undefined> {
    if (!this.#db.inTransaction) throw new TypeError("lockCatalog() needs a transaction");
    return await this.getCatalog(uuid);
  }

  async getCatalogs(uuids: readonly string[]): Promise<ReadonlyMap<string, EnterpriseCatalog>> {
    const found = new Map<string, EnterpriseCatalog>();
    for (const uuid of uuids) {
      const catalog = this.#db.tables.catalogs.get(key(uuid));
      if (catalog !== undefined) found.set(catalog.uuid, copyCatalog(catalog));
    }
    return found;
  }

  async listCatalogs(filter: CatalogListFilter, page: PageRequest): Promise<Page<EnterpriseCatalog>> {
    checkPage(page);
    const customer = filter.enterpriseCustomerUuid === undefined ? undefined : key(filter.enterpriseCustomerUuid);
    const visible = filter.visibleCustomerUuids === undefined ? undefined : new Set(filter.visibleCustomerUuids.map(key));
    const matching = [...this.#db.tables.catalogs.values()]
      .filter((catalog) => customer === undefined || key(catalog.enterpriseCustomerUuid) === customer)
      .filter((catalog) => visible === undefined || visible.has(key(catalog.enterpriseCustomerUuid)))
      .filter((catalog) => filter.uuid === undefined || key(catalog.uuid) === key(filter.uuid))
      .filter((catalog) => filter.title === undefined || catalog.title === filter.title)
      .filter((catalog) => filter.created === undefined || catalog.created.getTime() === filter.created.getTime())
      .filter((catalog) => filter.modified === undefined || catalog.modified.getTime() === filter.modified.getTime())
      .sort((a, b) => compareInOrder(a, b, filter.ordering ?? []) || byCreatedThenUuid(a, b));
    const start = (page.page - 1) * page.pageSize;
    return { items: matching.slice(start, start + page.pageSize).map(copyCatalog), count: matching.length };
  }

  async listCustomerCatalogs(enterpriseCustomerUuid: string): Promise<readonly EnterpriseCatalog[]> {
    const customer = key(enterpriseCustomerUuid);
    return [...this.#db.tables.catalogs.values()]
      .filter((catalog) => key(catalog.enterpriseCustomerUuid) === customer)
      .sort(byCreatedThenUuid)
      .map(copyCatalog);
  }

  async insertCatalog(catalog: EnterpriseCatalog): Promise<void> {
    await this.#db.transaction(() => {
      const tables = this.#db.tables;
      if (tables.catalogs.has(key(catalog.uuid))) throw new ConflictError(`Catalog "${catalog.uuid}" already exists`);
      if (!tables.queries.has(key(catalog.queryUuid))) throw missingQuery(catalog.queryUuid);
      tables.catalogs.set(key(catalog.uuid), normalised(catalog));
    });
  }

  async updateCatalog(catalog: EnterpriseCatalog): Promise<void> {
    await this.#db.transaction(() => {
      const tables = this.#db.tables;
      if (!tables.queries.has(key(catalog.queryUuid))) throw missingQuery(catalog.queryUuid);
      const current = tables.catalogs.get(key(catalog.uuid));
      if (current === undefined) throw new NotFoundError(`Cannot find catalog "${catalog.uuid}"`);
      // The creation time is the stored one, as in Postgres.
      tables.catalogs.set(key(catalog.uuid), normalised({ ...catalog, created: current.created }));
    });
  }

  async deleteCatalog(uuid: string): Promise<boolean> {
    return await this.#db.transaction(() => this.#db.tables.catalogs.delete(key(uuid)));
  }

  async getQuery(uuid: string): Promise<CatalogQuery | undefined> {
    const query = this.#db.tables.queries.get(key(uuid));
    return query === undefined ? undefined : copyQuery(query);
  }

  async getQueries(uuids: readonly string[]): Promise<ReadonlyMap<string, CatalogQuery>> {
    const found = new Map<string, CatalogQuery>();
    for (const uuid of uuids) {
      const query = this.#db.tables.queries.get(key(uuid));
      if (query !== undefined) found.set(query.uuid, copyQuery(query));
    }
    return found;
  }

  async getQueryByHash(hash: string): Promise<CatalogQuery | undefined> {
    const query = this.#findByHash(hash);
    return query === undefined ? undefined : copyQuery(query);
  }

  async getQueryByPublicUuid(uuid: string): Promise<CatalogQuery | undefined> {
    const wanted = key(uuid);
    const query = [...this.#db.tables.queries.values()].find((candidate) => publicQueryUuid(candidate) === wanted);
    return query === undefined ? undefined : copyQuery(query);
  }

  async nameQuery(queryUuid: string, clientUuid: string): Promise<CatalogQuery> {
    return await this.#db.transaction(() => {
      const queries = this.#db.tables.queries;
      const target = queries.get(key(queryUuid));
      if (target === undefined) throw missingQuery(queryUuid);
      const name = key(clientUuid);
      if (publicQueryUuid(target) === name) return copyQuery(target);
      for (const [uuid, query] of queries) {
        if (uuid === target.uuid) continue;
        if (query.clientUuid === name) queries.set(uuid, withoutClientUuid(query));
        else if (uuid === name && query.clientUuid === undefined) queries.set(uuid, { ...query, clientUuid: randomUUID() });
      }
      const named = target.uuid === name ? withoutClientUuid(target) : { ...target, clientUuid: name };
      queries.set(target.uuid, named);
      return copyQuery(named);
    });
  }

  async listQueries(filter: QueryListFilter, page: PageRequest): Promise<Page<CatalogQuery>> {
    checkPage(page);
    let used: Set<string> | undefined;
    if (filter.usedByCustomerUuids !== undefined) {
      const customers = new Set(filter.usedByCustomerUuids.map(key));
      used = new Set(
        [...this.#db.tables.catalogs.values()]
          .filter((catalog) => customers.has(key(catalog.enterpriseCustomerUuid)))
          .map((catalog) => catalog.queryUuid),
      );
    }
    const matching = [...this.#db.tables.queries.values()]
      .filter((query) => used === undefined || used.has(query.uuid))
      .sort(byCreatedThenUuid);
    const start = (page.page - 1) * page.pageSize;
    return { items: matching.slice(start, start + page.pageSize).map(copyQuery), count: matching.length };
  }

  async resolveQuery(newQuery: NewQuery): Promise<CatalogQuery> {
    return await this.#db.transaction(() => {
      const existing = this.#findByHash(newQuery.contentFilter.hash);
      if (existing !== undefined) return copyQuery(existing);
      const queries = this.#db.tables.queries;
      const preferred = newQuery.preferredUuid === undefined ? undefined : key(newQuery.preferredUuid);
      const uuid = preferred !== undefined && !queries.has(preferred) ? preferred : randomUUID();
      const query: CatalogQuery = {
        uuid,
        title: newQuery.title ?? null,
        contentFilter: newQuery.contentFilter,
        created: newQuery.now,
        refresh: NEVER_REFRESHED,
      };
      queries.set(uuid, copyQuery(query));
      return copyQuery(query);
    });
  }

  async catalogsByQuery(queryUuids?: readonly string[]): Promise<ReadonlyMap<string, readonly string[]>> {
    const wanted = queryUuids === undefined ? undefined : new Set(queryUuids.map(key));
    const byQuery = new Map<string, string[]>();
    const catalogs = [...this.#db.tables.catalogs.values()].sort(byCreatedThenUuid);
    for (const catalog of catalogs) {
      if (wanted !== undefined && !wanted.has(catalog.queryUuid)) continue;
      const list = byQuery.get(catalog.queryUuid);
      if (list === undefined) byQuery.set(catalog.queryUuid, [catalog.uuid]);
      else list.push(catalog.uuid);
    }
    return byQuery;
  }

  #findByHash(hash: string): CatalogQuery | undefined {
    for (const query of this.#db.tables.queries.values()) {
      if (query.contentFilter.hash === hash) return query;
    }
    return undefined;
  }
}

/** Postgres stores uuids in one case; the memory store keys them the same way. */
function key(uuid: string): string {
  return uuid.toLowerCase();
}

function withoutClientUuid(query: CatalogQuery): CatalogQuery {
  const { clientUuid: _dropped, ...rest } = query;
  return rest;
}

/** The first of the keys on which the catalogs differ decides; 0 when they agree on all. */
function compareInOrder(a: EnterpriseCatalog, b: EnterpriseCatalog, ordering: readonly CatalogOrder[]): number {
  for (const { field, descending } of ordering) {
    const x = a[field];
    const y = b[field];
    // Stored uuids are lowercase already (see `normalised`).
    const order = x instanceof Date && y instanceof Date ? x.getTime() - y.getTime() : compareText(String(x), String(y));
    if (order !== 0) return descending ? -order : order;
  }
  return 0;
}

function normalised(catalog: EnterpriseCatalog): EnterpriseCatalog {
  return copyCatalog({
    ...catalog,
    uuid: key(catalog.uuid),
    enterpriseCustomerUuid: key(catalog.enterpriseCustomerUuid),
    queryUuid: key(catalog.queryUuid),
  });
}

function checkPage(page: PageRequest): void {
  if (!Number.isInteger(page.page) || page.page < 1 || !Number.isInteger(page.pageSize) || page.pageSize < 1) {
    throw new RangeError(`Page must be a positive integer and page size at least 1: ${page.page}, ${page.pageSize}`);
  }
}

function missingQuery(uuid: string): NotFoundError {
  return new NotFoundError(`Cannot find catalog query "${uuid}"`);
}
