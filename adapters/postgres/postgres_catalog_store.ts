/** The catalog store over Postgres through MikroORM. */
import { randomUUID } from "node:crypto";
import { type FilterQuery, LockMode, raw } from "@mikro-orm/core";
import type { CatalogQuery, EnterpriseCatalog, RefreshOutcome } from "../../src/catalog/catalog.ts";
import { contentFilterFromJson } from "../../src/catalog/content_filter.ts";
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
import { isUuid } from "../../src/validation.ts";
import { type Em, query, sqlState, unitOf } from "./_internal.ts";
import { PostgresChangeHistory } from "./postgres_change_history.ts";
import { publishPart } from "./read_model_notify.ts";
import {
  type CatalogQueryRow,
  CatalogQuerySchema,
  type EnterpriseCatalogRow,
  EnterpriseCatalogSchema,
} from "./schema.ts";

const UNIQUE_VIOLATION = "23505";
const FOREIGN_KEY_VIOLATION = "23503";
const RESOLVE_ATTEMPTS = 5;

/**
 * `CatalogStore` over Postgres. Build it over `orm.em` or a per-request fork; every call outside a
 * transaction runs on a fresh fork, and `transaction()` (or a transaction the caller opened on the
 * EntityManager) makes every call join that transaction.
 */
export class PostgresCatalogStore implements CatalogStore {
  #em: Em;
  #history: PostgresChangeHistory;

  constructor(em: Em) {
    this.#em = em;
    this.#history = new PostgresChangeHistory(em);
  }

  recordChanges(changes: readonly Change[]): Promise<void> {
    return this.#history.recordChanges(changes);
  }

  listChanges(trail: HistoryTrail, page: PageRequest): Promise<Page<Change>> {
    return this.#history.listChanges(trail, page);
  }

  async transaction<T>(work: (store: CatalogStore) => Promise<T>): Promise<T> {
    if (this.#em.isInTransaction()) return await work(this);
    return await this.#em.fork().transactional((em) => work(new PostgresCatalogStore(em)));
  }

  async getCatalog(uuid: string): Promise<EnterpriseCatalog | undefined> {
    if (!isUuid(uuid)) return undefined;
    const row = await unitOf(this.#em).findOne(EnterpriseCatalogSchema, { uuid }, { disableIdentityMap: true });
    return row === null ? undefined : catalogFromRow(row);
  }

  async lockCatalog(uuid: string): Promise<EnterpriseCatalog | undefined> {
    if (!this.#em.isInTransaction()) throw new TypeError("lockCatalog() needs a transaction");
    if (!isUuid(uuid)) return undefined;
    const row = await unitOf(this.#em).findOne(EnterpriseCatalogSchema, { uuid }, { disableIdentityMap: true, lockMode: LockMode.PESSIMISTIC_WRITE });
    return row === null ? undefined : catalogFromRow(row);
  }

  async getCatalogs(uuids: readonly string[]): Promise<ReadonlyMap<string, EnterpriseCatalog>> {
    const wanted = [...new Set(uuids.filter(isUuid).map((uuid) => uuid.toLowerCase()))];
    if (wanted.length === 0) return new Map();
    const rows = await unitOf(this.#em).find(EnterpriseCatalogSchema, { uuid: { $in: wanted } }, { disableIdentityMap: true });
    return new Map(rows.map((row) => [row.uuid, catalogFromRow(row)]));
  }

  async listCatalogs(filter: CatalogListFilter, page: PageRequest): Promise<Page<EnterpriseCatalog>> {
    checkPage(page);
    const where: FilterQuery<EnterpriseCatalogRow>[] = [];
    if (filter.enterpriseCustomerUuid !== undefined) {
      if (!isUuid(filter.enterpriseCustomerUuid)) return { items: [], count: 0 };
      where.push({ enterpriseCustomerUuid: filter.enterpriseCustomerUuid });
    }
    if (filter.visibleCustomerUuids !== undefined) {
      const visible = filter.visibleCustomerUuids.filter(isUuid);
      if (visible.length === 0) return { items: [], count: 0 };
      where.push({ enterpriseCustomerUuid: { $in: visible } });
    }
    if (filter.uuid !== undefined) {
      if (!isUuid(filter.uuid)) return { items: [], count: 0 };
      where.push({ uuid: filter.uuid.toLowerCase() });
    }
    if (filter.title !== undefined) where.push({ title: filter.title });
    if (filter.created !== undefined) where.push({ created: filter.created });
    if (filter.modified !== undefined) where.push({ modified: filter.modified });
    const [rows, count] = await unitOf(this.#em).findAndCount(
      EnterpriseCatalogSchema,
      where.length === 0 ? {} : { $and: where },
      {
        orderBy: [...(filter.ordering ?? []).map(orderByOf), { created: "asc" }, { uuid: "asc" }],
        limit: page.pageSize,
        offset: (page.page - 1) * page.pageSize,
        disableIdentityMap: true,
      },
    );
    return { items: rows.map(catalogFromRow), count };
  }

  async listCustomerCatalogs(enterpriseCustomerUuid: string): Promise<readonly EnterpriseCatalog[]> {
    if (!isUuid(enterpriseCustomerUuid)) return [];
    const rows = await unitOf(this.#em).find(
      EnterpriseCatalogSchema,
      { enterpriseCustomerUuid },
      { orderBy: [{ created: "asc" }, { uuid: "asc" }], disableIdentityMap: true },
    );
    return rows.map(catalogFromRow);
  }

  async insertCatalog(catalog: EnterpriseCatalog): Promise<void> {
    await this.#publishingCatalogs((em) => insertCatalog(em, catalog));
  }

  async updateCatalog(catalog: EnterpriseCatalog): Promise<void> {
    await this.#publishingCatalogs((em) => updateCatalog(em, catalog));
  }

  async deleteCatalog(uuid: string): Promise<boolean> {
    if (!isUuid(uuid)) return false;
    return await this.#publishingCatalogs(async (em) => await em.nativeDelete(EnterpriseCatalogSchema, { uuid }) > 0);
  }

  /**
   * Runs a catalog write in the caller's transaction or one of its own, and ends it by bumping and
   * notifying the catalogs' read-model version, so that every serving process sees the write as
   * soon as it is acknowledged (decision 0018).
   */
  async #publishingCatalogs<T>(write: (em: Em) => Promise<T>): Promise<T> {
    const run = async (em: Em) => {
      const result = await write(em);
      if (result !== false) await publishPart(em, "catalogs");
      return result;
    };
    if (this.#em.isInTransaction()) return await run(this.#em);
    return await this.#em.fork().transactional(run);
  }

  async getQuery(uuid: string): Promise<CatalogQuery | undefined> {
    if (!isUuid(uuid)) return undefined;
    const row = await unitOf(this.#em).findOne(CatalogQuerySchema, { uuid }, { disableIdentityMap: true });
    return row === null ? undefined : queryFromRow(row);
  }

  async getQueries(uuids: readonly string[]): Promise<ReadonlyMap<string, CatalogQuery>> {
    const wanted = [...new Set(uuids.filter(isUuid))];
    if (wanted.length === 0) return new Map();
    const rows = await unitOf(this.#em).find(CatalogQuerySchema, { uuid: { $in: wanted } }, { disableIdentityMap: true });
    return new Map(rows.map((row) => [row.uuid, queryFromRow(row)]));
  }

  async getQueryByHash(hash: string): Promise<CatalogQuery | undefined> {
    const row = await unitOf(this.#em).findOne(
      CatalogQuerySchema,
      { contentFilterHash: hash },
      { disableIdentityMap: true },
    );
    return row === null ? undefined : queryFromRow(row);
  }

  async getQueryByPublicUuid(uuid: string): Promise<CatalogQuery | undefined> {
    if (!isUuid(uuid)) return undefined;
    const wanted = uuid.toLowerCase();
    const row = await unitOf(this.#em).findOne(
      CatalogQuerySchema,
      { $or: [{ clientUuid: wanted }, { uuid: wanted, clientUuid: null }] },
      { disableIdentityMap: true },
    );
    return row === null ? undefined : queryFromRow(row);
  }

  async nameQuery(queryUuid: string, clientUuid: string): Promise<CatalogQuery> {
    return await this.transaction(async (store) => {
      const em = unitOf((store as PostgresCatalogStore).#em);
      const name = clientUuid.toLowerCase();
      const target = isUuid(queryUuid) ? await em.findOne(CatalogQuerySchema, { uuid: queryUuid.toLowerCase() }, { disableIdentityMap: true }) : null;
      if (target === null) throw new NotFoundError(`Cannot find catalog query "${queryUuid}"`);
      if ((target.clientUuid ?? target.uuid) === name) return queryFromRow(target);
      // Order matters for the unique index on client_uuid: free the name first, then give it.
      await em.nativeUpdate(CatalogQuerySchema, { clientUuid: name }, { clientUuid: null });
      // A query whose own uuid is the name now shows a fresh one (its catalogs keep it, and its content).
      if (target.uuid !== name) await em.nativeUpdate(CatalogQuerySchema, { uuid: name, clientUuid: null }, { clientUuid: randomUUID() });
      await em.nativeUpdate(CatalogQuerySchema, { uuid: target.uuid }, { clientUuid: target.uuid === name ? null : name });
      const named = await em.findOne(CatalogQuerySchema, { uuid: target.uuid }, { disableIdentityMap: true });
      if (named === null) throw new NotFoundError(`Cannot find catalog query "${queryUuid}"`);
      return queryFromRow(named);
    });
  }

  async listQueries(filter: QueryListFilter, page: PageRequest): Promise<Page<CatalogQuery>> {
    checkPage(page);
    const em = unitOf(this.#em);
    let where: FilterQuery<CatalogQueryRow> = {};
    if (filter.usedByCustomerUuids !== undefined) {
      const customers = filter.usedByCustomerUuids.filter(isUuid);
      if (customers.length === 0) return { items: [], count: 0 };
      const used = await query<{ uuid: string }>(
        em,
        `select distinct catalog_query_uuid as uuid from enterprise_catalog
          where enterprise_customer_uuid in (select value::uuid from jsonb_array_elements_text(?::jsonb))`,
        [JSON.stringify(customers)],
      );
      if (used.length === 0) return { items: [], count: 0 };
      where = { uuid: { $in: used.map((row) => row.uuid) } };
    }
    const [rows, count] = await em.findAndCount(CatalogQuerySchema, where, {
      orderBy: [{ created: "asc" }, { uuid: "asc" }],
      limit: page.pageSize,
      offset: (page.page - 1) * page.pageSize,
      disableIdentityMap: true,
    });
    return { items: rows.map(queryFromRow), count };
  }

  async resolveQuery(newQuery: NewQuery): Promise<CatalogQuery> {
    const em = unitOf(this.#em);
    const filter = newQuery.contentFilter;
    for (let attempt = 0; attempt < RESOLVE_ATTEMPTS; attempt++) {
      const preferred = attempt === 0 && newQuery.preferredUuid !== undefined && isUuid(newQuery.preferredUuid)
        ? newQuery.preferredUuid
        : undefined;
      // No conflict target: a taken hash and a taken uuid both leave the insert undone instead of
      // failing it (a failed statement would abort the caller's transaction). A concurrent insert
      // of the same hash makes this wait for it to commit.
      const inserted = await query<{ uuid: string }>(
        em,
        `insert into catalog_query (uuid, title, content_filter, content_filter_hash, created)
         values (?::uuid, ?, ?, ?, ?::timestamptz)
         on conflict do nothing
         returning uuid`,
        [preferred ?? randomUUID(), newQuery.title ?? null, filter.canonicalJson, filter.hash, newQuery.now.toISOString()],
      );
      const row = inserted[0] !== undefined
        ? await em.findOne(CatalogQuerySchema, { uuid: inserted[0].uuid }, { disableIdentityMap: true })
        : await em.findOne(CatalogQuerySchema, { contentFilterHash: filter.hash }, { disableIdentityMap: true });
      if (row !== null) return queryFromRow(row);
      // Neither inserted nor found by hash: the uuid was taken; try again with a fresh one.
    }
    throw new Error(`Cannot resolve catalog query for filter hash "${filter.hash}"`);
  }

  async catalogsByQuery(queryUuids?: readonly string[]): Promise<ReadonlyMap<string, readonly string[]>> {
    let where: FilterQuery<EnterpriseCatalogRow> = {};
    if (queryUuids !== undefined) {
      const wanted = [...new Set(queryUuids.filter(isUuid))];
      if (wanted.length === 0) return new Map();
      where = { catalogQueryUuid: { $in: wanted } };
    }
    const rows = await unitOf(this.#em).find(EnterpriseCatalogSchema, where, {
      fields: ["uuid", "catalogQueryUuid"],
      orderBy: [{ created: "asc" }, { uuid: "asc" }],
      disableIdentityMap: true,
    });
    const byQuery = new Map<string, string[]>();
    for (const row of rows) {
      const list = byQuery.get(row.catalogQueryUuid);
      if (list === undefined) byQuery.set(row.catalogQueryUuid, [row.uuid]);
      else list.push(row.uuid);
    }
    return byQuery;
  }
}

/** One listing order key; titles compare by code point (`collate "C"`), as the memory store compares them. */
function orderByOf(order: CatalogOrder): Record<string, "asc" | "desc"> {
  const direction = order.descending ? "desc" : "asc";
  if (order.field === "title") return { [raw((alias: string) => `${alias}.title collate "C"`)]: direction };
  return { [order.field]: direction };
}

function catalogFields(catalog: EnterpriseCatalog) {
  return {
    title: catalog.title,
    enterpriseCustomerUuid: catalog.enterpriseCustomerUuid,
    enterpriseCustomerName: catalog.enterpriseCustomerName,
    catalogQueryUuid: catalog.queryUuid,
    enabledCourseModes: [...catalog.enabledCourseModes],
    publishAuditEnrollmentUrls: catalog.publishAuditEnrollmentUrls,
    modified: catalog.modified,
  };
}

/** Maps a catalog row to the domain catalog. */
function catalogFromRow(row: EnterpriseCatalogRow): EnterpriseCatalog {
  return {
    uuid: row.uuid,
    title: row.title,
    enterpriseCustomerUuid: row.enterpriseCustomerUuid,
    enterpriseCustomerName: row.enterpriseCustomerName,
    queryUuid: row.catalogQueryUuid,
    enabledCourseModes: [...row.enabledCourseModes],
    publishAuditEnrollmentUrls: row.publishAuditEnrollmentUrls,
    created: new Date(row.created.getTime()),
    modified: new Date(row.modified.getTime()),
  };
}

/** Maps a query row to the domain query; the stored canonical text rebuilds the filter exactly. */
function queryFromRow(row: CatalogQueryRow): CatalogQuery {
  return {
    uuid: row.uuid,
    ...(row.clientUuid === null || row.clientUuid === undefined ? {} : { clientUuid: row.clientUuid }),
    title: row.title ?? null,
    contentFilter: contentFilterFromJson(row.contentFilter),
    created: new Date(row.created.getTime()),
    refresh: {
      contentVersion: row.contentVersion,
      contentLastModified: copyDate(row.contentLastModified),
      lastRefreshedAt: copyDate(row.lastRefreshedAt),
      lastRefreshAttemptAt: copyDate(row.lastRefreshAttemptAt),
      lastRefreshOutcome: (row.lastRefreshOutcome ?? null) as RefreshOutcome | null,
      itemCount: row.itemCount,
    },
  };
}

function copyDate(value: Date | null | undefined): Date | null {
  return value === null || value === undefined ? null : new Date(value.getTime());
}

function checkPage(page: PageRequest): void {
  if (!Number.isInteger(page.page) || page.page < 1 || !Number.isInteger(page.pageSize) || page.pageSize < 1) {
    throw new RangeError(`Page must be a positive integer and page size at least 1: ${page.page}, ${page.pageSize}`);
  }
}

function duplicateCatalog(uuid: string, cause?: unknown): ConflictError {
  return new ConflictError(`Catalog "${uuid}" already exists`, { cause });
}

function missingCatalog(uuid: string): NotFoundError {
  return new NotFoundError(`Cannot find catalog "${uuid}"`);
}

function missingQuery(uuid: string, cause?: unknown): NotFoundError {
  return new NotFoundError(`Cannot find catalog query "${uuid}"`, { cause });
}

async function insertCatalog(em: Em, catalog: EnterpriseCatalog): Promise<void> {
  // Checked first so the common duplicate does not abort the caller's transaction.
  if (await em.count(EnterpriseCatalogSchema, { uuid: catalog.uuid }) > 0) throw duplicateCatalog(catalog.uuid);
  if (await em.count(CatalogQuerySchema, { uuid: catalog.queryUuid }) === 0) throw missingQuery(catalog.queryUuid);
  try {
    await em.insert(EnterpriseCatalogSchema, {
      uuid: catalog.uuid,
      ...catalogFields(catalog),
      created: catalog.created,
    });
  } catch (error) {
    if (sqlState(error) === UNIQUE_VIOLATION) throw duplicateCatalog(catalog.uuid, error);
    if (sqlState(error) === FOREIGN_KEY_VIOLATION) throw missingQuery(catalog.queryUuid, error);
    throw error;
  }
}

async function updateCatalog(em: Em, catalog: EnterpriseCatalog): Promise<void> {
  if (!isUuid(catalog.uuid)) throw missingCatalog(catalog.uuid);
  if (await em.count(CatalogQuerySchema, { uuid: catalog.queryUuid }) === 0) throw missingQuery(catalog.queryUuid);
  let updated: number;
  try {
    updated = await em.nativeUpdate(EnterpriseCatalogSchema, { uuid: catalog.uuid }, catalogFields(catalog));
  } catch (error) {
    if (sqlState(error) === FOREIGN_KEY_VIOLATION) throw missingQuery(catalog.queryUuid, error);
    throw error;
  }
  if (updated === 0) throw missingCatalog(catalog.uuid);
}
