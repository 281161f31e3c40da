/** Use cases on enterprise catalogs and catalog queries. */
import { ConflictError, NotFoundError, ValidationError } from "../errors.ts";
import { actorOf, type Change, type ChangeAuthor } from "../history/change.ts";
import type { JsonObject } from "../json.ts";
import type { CatalogListFilter, CatalogStore, QueryListFilter } from "../ports/catalog_store.ts";
import type { Clock } from "../ports/clock.ts";
import type { IdGenerator } from "../ports/id_generator.ts";
import type { Page, PageRequest } from "../ports/page.ts";
import type { RefreshScheduler } from "../ports/refresh_scheduler.ts";
import { requireText, requireUuid } from "../validation.ts";
import {
  type CatalogQuery,
  type CatalogWithQuery,
  DEFAULT_ENABLED_COURSE_MODES,
  type EnterpriseCatalog,
  publicQueryUuid,
} from "./catalog.ts";
import { catalogChange } from "./catalog_history.ts";
import { type ContentFilter, contentFilterFromValue, isContentFilterHash, toContentFilter } from "./content_filter.ts";

/** Longest catalog title, as in the reference. */
export const MAX_TITLE_LENGTH = 255;
/** Longest query title, as in the reference. */
export const MAX_QUERY_TITLE_LENGTH = 100;
/** Most course modes one catalog may enable. */
export const MAX_COURSE_MODES = 20;

/** The writable fields of a catalog; on update, absent fields keep their current value. */
export interface CatalogFields {
  readonly title?: string;
  readonly enterpriseCustomerUuid?: string;
  readonly enterpriseCustomerName?: string;
  /** The filter, already parsed (keeps float lexemes) or as a plain JSON object. */
  readonly contentFilter?: ContentFilter | JsonObject;
  readonly enabledCourseModes?: readonly string[];
  readonly publishAuditEnrollmentUrls?: boolean;
  /** The uuid edx-enterprise gives its own query; used when the filter makes a new query. */
  readonly catalogQueryUuid?: string;
  /** Title for a query this write creates. */
  readonly queryTitle?: string | null;
}

/** What creating a catalog needs: a title and a customer at least. */
export interface NewCatalog extends CatalogFields {
  /** A client-chosen uuid (edx-enterprise mirrors its own); a new one when absent. */
  readonly uuid?: string;
  readonly title: string;
  readonly enterpriseCustomerUuid: string;
}

/** The result of a write: the catalog, its query, and whether a refresh was queued for it. */
export interface CatalogWriteResult extends CatalogWithQuery {
  /** The refresh job queued because the catalog's query has no content yet, or null. */
  readonly refreshJobId: string | null;
}

/** What the catalog use cases need from the outside. */
export interface CatalogServiceDeps {
  readonly catalogs: CatalogStore;
  readonly scheduler: RefreshScheduler;
  readonly clock: Clock;
  readonly ids: IdGenerator;
}

/** Creates, reads, changes and deletes catalogs; resolves their queries by filter hash. */
export class CatalogService {
  #deps: CatalogServiceDeps;

  constructor(deps: CatalogServiceDeps) {
    this.#deps = deps;
  }

  /** Creates a catalog, recorded in its history as `author`'s; an identical filter (in any key order) reuses the existing query. */
  async createCatalog(input: NewCatalog, author: ChangeAuthor): Promise<CatalogWriteResult> {
    actorOf(author);
    const uuid = input.uuid === undefined ? this.#deps.ids.uuid() : requireUuid(input.uuid, "uuid");
    const fields = checkFields(input);
    const now = this.#deps.clock.now();
    const written = await this.#deps.catalogs.transaction(async (store) => {
      if (await store.getCatalog(uuid)) throw duplicateCatalog(uuid);
      const query = await nameAsClientDoes(store, await store.resolveQuery({
        contentFilter: fields.contentFilter ?? contentFilterFromValue({}),
        preferredUuid: fields.catalogQueryUuid,
        title: fields.queryTitle,
        now,
      }), fields.catalogQueryUuid);
      const catalog: EnterpriseCatalog = {
        uuid,
        title: fields.title as string,
        enterpriseCustomerUuid: fields.enterpriseCustomerUuid as string,
        enterpriseCustomerName: fields.enterpriseCustomerName ?? "",
        queryUuid: query.uuid,
        enabledCourseModes: fields.enabledCourseModes ?? DEFAULT_ENABLED_COURSE_MODES,
        publishAuditEnrollmentUrls: fields.publishAuditEnrollmentUrls ?? false,
        created: now,
        modified: now,
      };
      await store.insertCatalog(catalog);
      await recordChange(store, catalogChange(undefined, { catalog, query }, { author, now }));
      return { catalog, query };
    });
    return { ...written, refreshJobId: await this.#refreshIfEmpty(written.query) };
  }

  /**
   * Changes a catalog. A new filter moves the catalog to the query with that filter's hash
   * (creating it when needed): queries are never changed in place, so sibling catalogs that
   * shared the old query keep their content (copy-on-write). Recorded in its history as `author`'s
   * when an admin-set field changed.
   */
  async updateCatalog(uuid: string, input: CatalogFields, author: ChangeAuthor): Promise<CatalogWriteResult> {
    actorOf(author);
    const catalogUuid = requireUuid(uuid, "uuid");
    const fields = checkFields(input);
    const written = await this.#deps.catalogs.transaction(async (store) => {
      // Held until commit: a change read alongside would otherwise write back the fields this one
      // replaces (a lost update) and record its history from a state that no longer stands.
      const current = await store.lockCatalog(catalogUuid);
      if (!current) throw missingCatalog(catalogUuid);
      // Read once the lock is held, so that changes are stamped in the order they are made.
      const now = this.#deps.clock.now();
      const currentQuery = await store.getQuery(current.queryUuid);
      if (!currentQuery) throw new TypeError(`Catalog "${catalogUuid}" points at a missing query`);
      let query = currentQuery;
      if (fields.contentFilter !== undefined && fields.contentFilter.hash !== query.contentFilter.hash) {
        query = await store.resolveQuery({
          contentFilter: fields.contentFilter,
          preferredUuid: fields.catalogQueryUuid,
          title: fields.queryTitle,
          now,
        });
      }
      query = await nameAsClientDoes(store, query, fields.catalogQueryUuid);
      const catalog: EnterpriseCatalog = {
        ...current,
        title: fields.title ?? current.title,
        enterpriseCustomerUuid: fields.enterpriseCustomerUuid ?? current.enterpriseCustomerUuid,
        enterpriseCustomerName: fields.enterpriseCustomerName ?? current.enterpriseCustomerName,
        queryUuid: query.uuid,
        enabledCourseModes: fields.enabledCourseModes ?? current.enabledCourseModes,
        publishAuditEnrollmentUrls: fields.publishAuditEnrollmentUrls ?? current.publishAuditEnrollmentUrls,
        modified: now,
      };
      await store.updateCatalog(catalog);
      await recordChange(store, catalogChange({ catalog: current, query: currentQuery }, { catalog, query }, { author, now }));
      return { catalog, query };
    });
    return { ...written, refreshJobId: await this.#refreshIfEmpty(written.query) };
  }

  /** Deletes a catalog, recorded in its history as `author`'s; its query stays for other catalogs (or for the cleanup sweep). */
  async deleteCatalog(uuid: string, author: ChangeAuthor): Promise<void> {
    actorOf(author);
    const catalogUuid = requireUuid(uuid, "uuid");
    await this.#deps.catalogs.transaction(async (store) => {
      const catalog = await store.lockCatalog(catalogUuid);
      const now = this.#deps.clock.now();
      const query = catalog === undefined ? undefined : await store.getQuery(catalog.queryUuid);
      if (catalog === undefined || !(await store.deleteCatalog(catalogUuid))) throw missingCatalog(catalogUuid);
      if (query === undefined) throw new TypeError(`Catalog "${catalogUuid}" points at a missing query`);
      await recordChange(store, catalogChange({ catalog, query }, undefined, { author, now }));
    });
  }

  /**
   * A page of the catalog's change history, newest first; it stays readable after the catalog is
   * deleted. NotFoundError when there is no such catalog and no history of one.
   */
  async catalogHistory(uuid: string, page: PageRequest): Promise<Page<Change>> {
    const catalogUuid = requireUuid(uuid, "uuid");
    const changes = await this.#deps.catalogs.listChanges({ kind: "catalog", uuid: catalogUuid }, page);
    if (changes.count === 0 && (await this.#deps.catalogs.getCatalog(catalogUuid)) === undefined) throw missingCatalog(catalogUuid);
    return changes;
  }

  /**
   * The enterprise whose admins may read the catalog's history: its owner, or for a deleted catalog
   * the owner its last change recorded; undefined when there is neither.
   */
  async catalogHistoryOwner(uuid: string): Promise<string | undefined> {
    const catalog = await this.#deps.catalogs.getCatalog(uuid);
    if (catalog !== undefined) return catalog.enterpriseCustomerUuid;
    const latest = await this.#deps.catalogs.listChanges({ kind: "catalog", uuid }, { page: 1, pageSize: 1 });
    return latest.items[0]?.enterpriseCustomerUuid;
  }

  /** The catalog with its query; NotFoundError when absent. */
  async getCatalog(uuid: string): Promise<CatalogWithQuery> {
    const catalogUuid = requireUuid(uuid, "uuid");
    const catalog = await this.#deps.catalogs.getCatalog(catalogUuid);
    if (!catalog) throw missingCatalog(catalogUuid);
    const query = await this.#deps.catalogs.getQuery(catalog.queryUuid);
    if (!query) throw new TypeError(`Catalog "${catalogUuid}" points at a missing query`);
    return { catalog, query };
  }

  /** A page of catalogs with their queries, oldest first. */
  async listCatalogs(filter: CatalogListFilter, page: PageRequest): Promise<Page<CatalogWithQuery>> {
    const found = await this.#deps.catalogs.listCatalogs(filter, page);
    const queries = await this.#deps.catalogs.getQueries([...new Set(found.items.map((c) => c.queryUuid))]);
    return {
      count: found.count,
      items: found.items.map((catalog) => {
        const query = queries.get(catalog.queryUuid);
        if (!query) throw new TypeError(`Catalog "${catalog.uuid}" points at a missing query`);
        return { catalog, query };
      }),
    };
  }

  /** The query clients know by this uuid (`publicQueryUuid`); NotFoundError when absent. */
  async getQuery(uuid: string): Promise<CatalogQuery> {
    const queryUuid = requireUuid(uuid, "uuid");
    const query = await this.#deps.catalogs.getQueryByPublicUuid(queryUuid);
    if (!query) throw new NotFoundError(`Cannot find catalog query "${queryUuid}"`);
    return query;
  }

  /** The query whose filter has this hash; NotFoundError when none has. */
  async getQueryByHash(hash: string): Promise<CatalogQuery> {
    if (!isContentFilterHash(hash)) {
      throw new ValidationError(`Invalid filter hash: "${hash.slice(0, 80)}"`, {
        fieldErrors: [{ field: "hash", message: "Invalid filter hash." }],
      });
    }
    const query = await this.#deps.catalogs.getQueryByHash(hash);
    if (!query) throw new NotFoundError(`Cannot find a catalog query with hash "${hash}"`);
    return query;
  }

  /** The enterprise customers whose catalogs use the query, sorted; NotFoundError when there is no such query. */
  async customersUsingQuery(queryUuid: string): Promise<readonly string[]> {
    const query = await this.getQuery(queryUuid);
    const catalogUuids = (await this.#deps.catalogs.catalogsByQuery([query.uuid])).get(query.uuid) ?? [];
    const catalogs = await this.#deps.catalogs.getCatalogs(catalogUuids);
    return [...new Set([...catalogs.values()].map((catalog) => catalog.enterpriseCustomerUuid.toLowerCase()))].sort();
  }

  /** A page of queries, oldest first. */
  listQueries(filter: QueryListFilter, page: PageRequest): Promise<Page<CatalogQuery>> {
    return this.#deps.catalogs.listQueries(filter, page);
  }

  async #refreshIfEmpty(query: CatalogQuery): Promise<string | null> {
    if (query.refresh.lastRefreshedAt !== null) return null;
    try {
      return await this.#deps.scheduler.enqueueRefresh({ queryUuid: query.uuid, queryHash: query.contentFilter.hash, trigger: "catalog_saved" });
    } catch {
      // The write stands; the freshness sweep enqueues every never-refreshed query on its next pass.
      return null;
    }
  }
}

/**
 * The query as the client names it: a write that names its query (edx-enterprise sends its own
 * query's uuid with every write) makes that uuid the public uuid of the query the filter resolved
 * to, so the client's uuid follows its filter; the query that had it keeps its filter and catalogs
 * (decision 0001), under another uuid.
 */
async function nameAsClientDoes(store: CatalogStore, query: CatalogQuery, clientUuid: string | undefined): Promise<CatalogQuery> {
  if (clientUuid === undefined || publicQueryUuid(query) === clientUuid) return query;
  return await store.nameQuery(query.uuid, clientUuid);
}

interface CheckedFields extends Omit<CatalogFields, "contentFilter"> {
  readonly contentFilter?: ContentFilter;
}

function checkFields(input: CatalogFields): CheckedFields {
  const modes = input.enabledCourseModes;
  if (modes !== undefined) {
    if (modes.length > MAX_COURSE_MODES || modes.some((mode) => typeof mode !== "string" || mode.trim() === "" || mode.length > 64)) {
      throw new ValidationError(`Invalid enabled course modes`, {
        fieldErrors: [{ field: "enabled_course_modes", message: `must be at most ${MAX_COURSE_MODES} non-blank mode names` }],
      });
    }
  }
  const filter = input.contentFilter;
  return {
    ...input,
    title: input.title === undefined ? undefined : requireText(input.title, "title", MAX_TITLE_LENGTH),
    enterpriseCustomerUuid: input.enterpriseCustomerUuid === undefined
      ? undefined
      : requireUuid(input.enterpriseCustomerUuid, "enterprise_customer"),
    enterpriseCustomerName: input.enterpriseCustomerName === undefined
      ? undefined
      : checkLength(input.enterpriseCustomerName.trim(), "enterprise_customer_name", MAX_TITLE_LENGTH),
    catalogQueryUuid: input.catalogQueryUuid === undefined
      ? undefined
      : requireUuid(input.catalogQueryUuid, "catalog_query_uuid"),
    queryTitle: input.queryTitle === undefined || input.queryTitle === null
      ? input.queryTitle
      : requireText(input.queryTitle, "query_title", MAX_QUERY_TITLE_LENGTH),
    contentFilter: filter === undefined ? undefined : toContentFilter(filter),
  };
}

function checkLength(text: string, field: string, maxLength: number): string {
  if (text.length > maxLength) {
    throw new ValidationError(`"${field}" is longer than ${maxLength} characters`, {
      fieldErrors: [{ field, message: `must be at most ${maxLength} characters` }],
    });
  }
  return text;
}

async function recordChange(store: CatalogStore, change: Change | undefined): Promise<void> {
  if (change !== undefined) await store.recordChanges([change]);
}

function missingCatalog(uuid: string): NotFoundError {
  return new NotFoundError(`Cannot find catalog "${uuid}"`);
}

function duplicateCatalog(uuid: string): ConflictError {
  return new ConflictError(`A catalog with uuid "${uuid}" already exists`);
}
