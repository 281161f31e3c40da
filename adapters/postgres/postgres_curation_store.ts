/** The curation store over Postgres through MikroORM. */
import type { FilterQuery } from "@mikro-orm/core";
import type { CurationConfig, HighlightedContent, HighlightSet } from "../../src/curation/curation.ts";
import { ConflictError, NotFoundError } from "../../src/errors.ts";
import type { Change, HistoryTrail } from "../../src/history/change.ts";
import type { CurationListFilter, CurationStore, HighlightSetListFilter } from "../../src/ports/curation_store.ts";
import type { Page, PageRequest } from "../../src/ports/page.ts";
import { isUuid } from "../../src/validation.ts";
import { type Em, query, sqlState, unitOf } from "./_internal.ts";
import {
  type CurationRow,
  CurationSchema,
  type HighlightedContentRow,
  HighlightedContentSchema,
  type HighlightSetRow,
  HighlightSetSchema,
} from "./curation_schema.ts";
import { PostgresChangeHistory } from "./postgres_change_history.ts";

const UNIQUE_VIOLATION = "23505";
const FOREIGN_KEY_VIOLATION = "23503";

/**
 * `CurationStore` over Postgres. Every call outside a transaction runs on a fresh fork; inside
 * `transaction()` (or one the caller opened on the EntityManager) every call joins it.
 */
export class PostgresCurationStore implements CurationStore {
  #em: Em;
  #history: PostgresChangeHistory;

  constructor(em: Em) {
    this.#em = em;
    this.#history = new PostgresChangeHistory(em);
  }

  async transaction<T>(work: (store: CurationStore) => Promise<T>): Promise<T> {
    if (this.#em.isInTransaction()) return await work(this);
    return await this.#em.fork().transactional((em) => work(new PostgresCurationStore(em)));
  }

  async lockCuration(curationUuid: string): Promise<void> {
    if (!this.#em.isInTransaction()) throw new TypeError("lockCuration() needs a transaction");
    if (!isUuid(curationUuid)) return;
    await query(this.#em, "select 1 from enterprise_curation where uuid = ?::uuid for update", [curationUuid]);
  }

  async getCuration(uuid: string): Promise<CurationConfig | undefined> {
    if (!isUuid(uuid)) return undefined;
    const row = await unitOf(this.#em).findOne(CurationSchema, { uuid }, { disableIdentityMap: true });
    return row === null ? undefined : curationFromRow(row);
  }

  async getCustomerCuration(enterpriseCustomerUuid: string): Promise<CurationConfig | undefined> {
    if (!isUuid(enterpriseCustomerUuid)) return undefined;
    const row = await unitOf(this.#em).findOne(CurationSchema, { enterpriseCustomerUuid }, { disableIdentityMap: true });
    return row === null ? undefined : curationFromRow(row);
  }

  async listCurations(filter: CurationListFilter, page: PageRequest): Promise<Page<CurationConfig>> {
    const where = customerFilter<CurationRow>(filter);
    if (where === undefined) return { items: [], count: 0 };
    const [rows, count] = await unitOf(this.#em).findAndCount(CurationSchema, { $and: where }, { ...newestFirst(page), disableIdentityMap: true });
    return { items: rows.map(curationFromRow), count };
  }

  async insertCuration(curation: CurationConfig): Promise<void> {
    try {
      await unitOf(this.#em).insert(CurationSchema, {
        uuid: curation.uuid,
        enterpriseCustomerUuid: curation.enterpriseCustomerUuid,
        title: curation.title,
        isHighlightFeatureActive: curation.isHighlightFeatureActive,
        canOnlyViewHighlightSets: curation.canOnlyViewHighlightSets,
        created: curation.created,
        modified: curation.modified,
      });
    } catch (error) {
      if (sqlState(error) === UNIQUE_VIOLATION) throw new ConflictError(`Enterprise "${curation.enterpriseCustomerUuid}" already has a curation config`, { cause: error });
      throw error;
    }
  }

  async updateCuration(curation: CurationConfig): Promise<void> {
    const updated = isUuid(curation.uuid)
      ? await unitOf(this.#em).nativeUpdate(CurationSchema, { uuid: curation.uuid }, {
        title: curation.title,
        isHighlightFeatureActive: curation.isHighlightFeatureActive,
        canOnlyViewHighlightSets: curation.canOnlyViewHighlightSets,
        modified: curation.modified,
      })
      : 0;
    if (updated === 0) throw new NotFoundError(`Cannot find enterprise curation "${curation.uuid}"`);
  }

  async deleteCuration(uuid: string): Promise<boolean> {
    if (!isUuid(uuid)) return false;
    return await unitOf(this.#em).nativeDelete(CurationSchema, { uuid }) > 0;
  }

  async getHighlightSet(uuid: string): Promise<HighlightSet | undefined> {
    if (!isUuid(uuid)) return undefined;
    const row = await unitOf(this.#em).findOne(HighlightSetSchema, { uuid }, { disableIdentityMap: true });
    return row === null ? undefined : setFromRow(row);
  }

  async listHighlightSets(filter: HighlightSetListFilter, page: PageRequest): Promise<Page<HighlightSet>> {
    const where = customerFilter<HighlightSetRow>(filter);
    if (where === undefined) return { items: [], count: 0 };
    if (filter.unpublishedOf !== undefined) {
      const unpublishedOf = filter.unpublishedOf.filter(isUuid);
      where.push(unpublishedOf.length === 0 ? { isPublished: true } : { $or: [{ isPublished: true }, { enterpriseCustomerUuid: { $in: unpublishedOf } }] });
    }
    const [rows, count] = await unitOf(this.#em).findAndCount(HighlightSetSchema, { $and: where }, { ...newestFirst(page), disableIdentityMap: true });
    return { items: rows.map(setFromRow), count };
  }

  async highlightSetsOf(curationUuids: readonly string[]): Promise<ReadonlyMap<string, readonly HighlightSet[]>> {
    const wanted = [...new Set(curationUuids.filter(isUuid).map((uuid) => uuid.toLowerCase()))];
    if (wanted.length === 0) return new Map();
    const rows = await unitOf(this.#em).find(HighlightSetSchema, { curationUuid: { $in: wanted } }, {
      orderBy: [{ created: "desc" }, { uuid: "asc" }],
      disableIdentityMap: true,
    });
    return groupBy(rows.map(setFromRow), (set) => set.curationUuid);
  }

  async insertHighlightSet(set: HighlightSet): Promise<void> {
    try {
      await unitOf(this.#em).insert(HighlightSetSchema, {
        uuid: set.uuid,
        curationUuid: set.curationUuid,
        enterpriseCustomerUuid: set.enterpriseCustomerUuid,
        title: set.title,
        isPublished: set.isPublished,
        created: set.created,
        modified: set.modified,
      });
    } catch (error) {
      if (sqlState(error) === FOREIGN_KEY_VIOLATION) throw new NotFoundError(`Cannot find enterprise curation "${set.curationUuid}"`, { cause: error });
      if (sqlState(error) === UNIQUE_VIOLATION) throw new ConflictError(`Highlight set "${set.uuid}" already exists`, { cause: error });
      throw error;
    }
  }

  async updateHighlightSet(set: HighlightSet): Promise<void> {
    const updated = isUuid(set.uuid)
      ? await unitOf(this.#em).nativeUpdate(HighlightSetSchema, { uuid: set.uuid }, { title: set.title, isPublished: set.isPublished, modified: set.modified })
      : 0;
    if (updated === 0) throw new NotFoundError(`Cannot find highlight set "${set.uuid}"`);
  }

  async deleteHighlightSet(uuid: string): Promise<boolean> {
    if (!isUuid(uuid)) return false;
    return await unitOf(this.#em).nativeDelete(HighlightSetSchema, { uuid }) > 0;
  }

  async getHighlight(uuid: string): Promise<HighlightedContent | undefined> {
    if (!isUuid(uuid)) return undefined;
    const row = await unitOf(this.#em).findOne(HighlightedContentSchema, { uuid }, { disableIdentityMap: true });
    return row === null ? undefined : highlightFromRow(row);
  }

  async highlightsOf(setUuids: readonly string[]): Promise<ReadonlyMap<string, readonly HighlightedContent[]>> {
    const wanted = [...new Set(setUuids.filter(isUuid).map((uuid) => uuid.toLowerCase()))];
    if (wanted.length === 0) return new Map();
    const rows = await unitOf(this.#em).find(HighlightedContentSchema, { highlightSetUuid: { $in: wanted } }, {
      orderBy: [{ position: "asc" }, { uuid: "asc" }],
      disableIdentityMap: true,
    });
    return groupBy(rows.map(highlightFromRow), (highlight) => highlight.highlightSetUuid);
  }

  async insertHighlights(highlights: readonly HighlightedContent[]): Promise<void> {
    if (highlights.length === 0) return;
    try {
      await unitOf(this.#em).insertMany(HighlightedContentSchema, highlights.map((highlight) => ({
        uuid: highlight.uuid,
        highlightSetUuid: highlight.highlightSetUuid,
        contentKey: highlight.contentKey,
        isFavorite: highlight.isFavorite,
        position: highlight.position,
        created: highlight.created,
        modified: highlight.modified,
      })));
    } catch (error) {
      if (sqlState(error) === FOREIGN_KEY_VIOLATION) throw new NotFoundError("Cannot find the highlight set to add content to", { cause: error });
      if (sqlState(error) === UNIQUE_VIOLATION) throw new ConflictError("The highlight set already holds that content", { cause: error });
      throw error;
    }
  }

  async updateHighlight(highlight: HighlightedContent): Promise<void> {
    const updated = isUuid(highlight.uuid)
      ? await unitOf(this.#em).nativeUpdate(HighlightedContentSchema, { uuid: highlight.uuid }, { isFavorite: highlight.isFavorite, modified: highlight.modified })
      : 0;
    if (updated === 0) throw new NotFoundError(`Cannot find highlighted content "${highlight.uuid}"`);
  }

  async deleteHighlights(uuids: readonly string[]): Promise<number> {
    const wanted = [...new Set(uuids.filter(isUuid).map((uuid) => uuid.toLowerCase()))];
    if (wanted.length === 0) return 0;
    return await unitOf(this.#em).nativeDelete(HighlightedContentSchema, { uuid: { $in: wanted } });
  }

  recordChanges(changes: readonly Change[]): Promise<void> {
    return this.#history.recordChanges(changes);
  }

  listChanges(trail: HistoryTrail, page: PageRequest): Promise<Page<Change>> {
    return this.#history.listChanges(trail, page);
  }
}

/** The conditions of a customer filter, or undefined when it can match nothing. */
function customerFilter<Row extends { enterpriseCustomerUuid: string }>(filter: CurationListFilter): FilterQuery<Row>[] | undefined {
  const where: FilterQuery<Row>[] = [];
  if (filter.enterpriseCustomerUuid !== undefined) {
    if (!isUuid(filter.enterpriseCustomerUuid)) return undefined;
    where.push({ enterpriseCustomerUuid: filter.enterpriseCustomerUuid.toLowerCase() } as FilterQuery<Row>);
  }
  if (filter.visibleCustomerUuids !== undefined) {
    const visible = filter.visibleCustomerUuids.filter(isUuid);
    if (visible.length === 0) return undefined;
    where.push({ enterpriseCustomerUuid: { $in: visible } } as FilterQuery<Row>);
  }
  return where;
}

function newestFirst(page: PageRequest) {
  if (!Number.isInteger(page.page) || page.page < 1 || !Number.isInteger(page.pageSize) || page.pageSize < 1) {
    throw new RangeError(`Page must be a positive integer and page size at least 1: ${page.page}, ${page.pageSize}`);
  }
  return { orderBy: [{ created: "desc" as const }, { uuid: "asc" as const }], limit: page.pageSize, offset: (page.page - 1) * page.pageSize };
}

function groupBy<T>(items: readonly T[], keyOf: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const group = groups.get(keyOf(item));
    if (group === undefined) groups.set(keyOf(item), [item]);
    else group.push(item);
  }
  return groups;
}

function curationFromRow(row: CurationRow): CurationConfig {
  return {
    uuid: row.uuid,
    enterpriseCustomerUuid: row.enterpriseCustomerUuid,
    title: row.title,
    isHighlightFeatureActive: row.isHighlightFeatureActive,
    canOnlyViewHighlightSets: row.canOnlyViewHighlightSets,
    created: new Date(row.created.getTime()),
    modified: new Date(row.modified.getTime()),
  };
}

function setFromRow(row: HighlightSetRow): HighlightSet {
  return {
    uuid: row.uuid,
    curationUuid: row.curationUuid,
    enterpriseCustomerUuid: row.enterpriseCustomerUuid,
    title: row.title,
    isPublished: row.isPublished,
    created: new Date(row.created.getTime()),
    modified: new Date(row.modified.getTime()),
  };
}

function highlightFromRow(row: HighlightedContentRow): HighlightedContent {
  return {
    uuid: row.uuid,
    highlightSetUuid: row.highlightSetUuid,
    contentKey: row.contentKey,
    isFavorite: row.isFavorite,
    position: row.position,
    created: new Date(row.created.getTime()),
    modified: new Date(row.modified.getTime()),
  };
}
