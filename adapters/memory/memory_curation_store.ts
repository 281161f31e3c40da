/** The curation store in memory, for unit tests of the core, co-located use and the contract suite. */
import type { CurationConfig, HighlightedContent, HighlightSet } from "../../src/curation/curation.ts";
import { ConflictError, NotFoundError } from "../../src/errors.ts";
import type { Change, HistoryTrail } from "../../src/history/change.ts";
import type { CurationListFilter, CurationStore, HighlightSetListFilter } from "../../src/ports/curation_store.ts";
import type { Page, PageRequest } from "../../src/ports/page.ts";
import { isUuid } from "../../src/validation.ts";
import { MemoryChangeHistory } from "./memory_change_history.ts";
import { compareText, MemoryDatabase } from "./memory_database.ts";

/** `CurationStore` over a `MemoryDatabase`; behaves as `PostgresCurationStore` does. */
export class MemoryCurationStore implements CurationStore {
  #db: MemoryDatabase;
  #history: MemoryChangeHistory;

  constructor(db: MemoryDatabase = new MemoryDatabase()) {
    this.#db = db;
    this.#history = new MemoryChangeHistory(db);
  }

  async transaction<T>(work: (store: CurationStore) => Promise<T>): Promise<T> {
    return await this.#db.transaction(() => work(this));
  }

  async lockCuration(_curationUuid: string): Promise<void> {
    // Memory transactions already run one at a time.
    if (!this.#db.inTransaction) throw new TypeError("lockCuration() needs a transaction");
  }

  async getCuration(uuid: string): Promise<CurationConfig | undefined> {
    const curation = this.#db.tables.curations.get(key(uuid));
    return curation === undefined ? undefined : normalisedCuration(curation);
  }

  async getCustomerCuration(enterpriseCustomerUuid: string): Promise<CurationConfig | undefined> {
    const customer = key(enterpriseCustomerUuid);
    const curation = [...this.#db.tables.curations.values()].find((candidate) => candidate.enterpriseCustomerUuid === customer);
    return curation === undefined ? undefined : normalisedCuration(curation);
  }

  async listCurations(filter: CurationListFilter, page: PageRequest): Promise<Page<CurationConfig>> {
    const matching = [...this.#db.tables.curations.values()].filter((curation) => inFilter(curation.enterpriseCustomerUuid, filter)).sort(newestFirst);
    return pageOf(matching.map(normalisedCuration), page);
  }

  async insertCuration(curation: CurationConfig): Promise<void> {
    await this.#db.transaction(() => {
      const tables = this.#db.tables;
      const stored = normalisedCuration(curation);
      if (tables.curations.has(stored.uuid)) throw new ConflictError(`Curation "${stored.uuid}" already exists`);
      if ([...tables.curations.values()].some((other) => other.enterpriseCustomerUuid === stored.enterpriseCustomerUuid)) {
        throw new ConflictError(`Enterprise "${stored.enterpriseCustomerUuid}" already has a curation config`);
      }
      tables.curations.set(stored.uuid, stored);
    });
  }

  async updateCuration(curation: CurationConfig): Promise<void> {
    await this.#db.transaction(() => {
      const current = this.#db.tables.curations.get(key(curation.uuid));
      if (current === undefined) throw new NotFoundError(`Cannot find enterprise curation "${curation.uuid}"`);
      this.#db.tables.curations.set(current.uuid, {
        ...current,
        title: curation.title,
        isHighlightFeatureActive: curation.isHighlightFeatureActive,
        canOnlyViewHighlightSets: curation.canOnlyViewHighlightSets,
        modified: new Date(curation.modified.getTime()),
      });
    });
  }

  async deleteCuration(uuid: string): Promise<boolean> {
    return await this.#db.transaction(() => {
      const tables = this.#db.tables;
      if (!tables.curations.delete(key(uuid))) return false;
      for (const set of [...tables.highlightSets.values()]) {
        if (set.curationUuid === key(uuid)) this.#deleteSet(set.uuid);
      }
      return true;
    });
  }

  async getHighlightSet(uuid: string): Promise<HighlightSet | undefined> {
    const set = this.#db.tables.highlightSets.get(key(uuid));
    return set === undefined ? undefined : normalisedSet(set);
  }

  async listHighlightSets(filter: HighlightSetListFilter, page: PageRequest): Promise<Page<HighlightSet>> {
    const unpublishedOf = filter.unpublishedOf === undefined ? undefined : new Set(filter.unpublishedOf.map(key));
    const matching = [...this.#db.tables.highlightSets.values()]
      .filter((set) => inFilter(set.enterpriseCustomerUuid, filter))
      .filter((set) => set.isPublished || unpublishedOf === undefined || unpublishedOf.has(set.enterpriseCustomerUuid))
      .sort(newestFirst);
    return pageOf(matching.map(normalisedSet), page);
  }

  async highlightSetsOf(curationUuids: readonly string[]): Promise<ReadonlyMap<string, readonly HighlightSet[]>> {
    const wanted = new Set(curationUuids.map(key));
    const byCuration = new Map<string, HighlightSet[]>();
    for (const set of [...this.#db.tables.highlightSets.values()].sort(newestFirst)) {
      if (!wanted.has(set.curationUuid)) continue;
      byCuration.set(set.curationUuid, [...(byCuration.get(set.curationUuid) ?? []), normalisedSet(set)]);
    }
    return byCuration;
  }

  async insertHighlightSet(set: HighlightSet): Promise<void> {
    await this.#db.transaction(() => {
      const tables = this.#db.tables;
      const stored = normalisedSet(set);
      if (!tables.curations.has(stored.curationUuid)) throw new NotFoundError(`Cannot find enterprise curation "${stored.curationUuid}"`);
      if (tables.highlightSets.has(stored.uuid)) throw new ConflictError(`Highlight set "${stored.uuid}" already exists`);
      tables.highlightSets.set(stored.uuid, stored);
    });
  }

  async updateHighlightSet(set: HighlightSet): Promise<void> {
    await this.#db.transaction(() => {
      const current = this.#db.tables.highlightSets.get(key(set.uuid));
      if (current === undefined) throw new NotFoundError(`Cannot find highlight set "${set.uuid}"`);
      this.#db.tables.highlightSets.set(current.uuid, { ...current, title: set.title, isPublished: set.isPublished, modified: new Date(set.modified.getTime()) });
    });
  }

  async deleteHighlightSet(uuid: string): Promise<boolean> {
    return await this.#db.transaction(() => {
      if (!this.#db.tables.highlightSets.has(key(uuid))) return false;
      this.#deleteSet(key(uuid));
      return true;
    });
  }

  async getHighlight(uuid: string): Promise<HighlightedContent | undefined> {
    const highlight = this.#db.tables.highlights.get(key(uuid));
    return highlight === undefined ? undefined : normalisedHighlight(highlight);
  }

  async highlightsOf(setUuids: readonly string[]): Promise<ReadonlyMap<string, readonly HighlightedContent[]>> {
    const wanted = new Set(setUuids.map(key));
    const bySet = new Map<string, HighlightedContent[]>();
    const ordered = [...this.#db.tables.highlights.values()].sort((a, b) => a.position - b.position || compareText(a.uuid, b.uuid));
    for (const highlight of ordered) {
      if (!wanted.has(highlight.highlightSetUuid)) continue;
      bySet.set(highlight.highlightSetUuid, [...(bySet.get(highlight.highlightSetUuid) ?? []), normalisedHighlight(highlight)]);
    }
    return bySet;
  }

  async insertHighlights(highlights: readonly HighlightedContent[]): Promise<void> {
    if (highlights.length === 0) return;
    await this.#db.transaction(() => {
      const tables = this.#db.tables;
      const held = new Set([...tables.highlights.values()].map((highlight) => `${highlight.highlightSetUuid} ${highlight.contentKey}`));
      for (const highlight of highlights.map(normalisedHighlight)) {
        if (!tables.highlightSets.has(highlight.highlightSetUuid)) throw new NotFoundError(`Cannot find highlight set "${highlight.highlightSetUuid}"`);
        const pair = `${highlight.highlightSetUuid} ${highlight.contentKey}`;
        if (tables.highlights.has(highlight.uuid) || held.has(pair)) throw new ConflictError(`Highlight set "${highlight.highlightSetUuid}" already holds "${highlight.contentKey}"`);
        held.add(pair);
        tables.highlights.set(highlight.uuid, highlight);
      }
    });
  }

  async updateHighlight(highlight: HighlightedContent): Promise<void> {
    await this.#db.transaction(() => {
      const current = this.#db.tables.highlights.get(key(highlight.uuid));
      if (current === undefined) throw new NotFoundError(`Cannot find highlighted content "${highlight.uuid}"`);
      this.#db.tables.highlights.set(current.uuid, { ...current, isFavorite: highlight.isFavorite, modified: new Date(highlight.modified.getTime()) });
    });
  }

  async deleteHighlights(uuids: readonly string[]): Promise<number> {
    return await this.#db.transaction(() => uuids.filter((uuid) => this.#db.tables.highlights.delete(key(uuid))).length);
  }

  recordChanges(changes: readonly Change[]): Promise<void> {
    return this.#history.recordChanges(changes);
  }

  listChanges(trail: HistoryTrail, page: PageRequest): Promise<Page<Change>> {
    return this.#history.listChanges(trail, page);
  }

  /** Deletes a set and its content, as the foreign keys cascade in Postgres. */
  #deleteSet(setUuid: string): void {
    const tables = this.#db.tables;
    tables.highlightSets.delete(setUuid);
    for (const highlight of [...tables.highlights.values()]) {
      if (highlight.highlightSetUuid === setUuid) tables.highlights.delete(highlight.uuid);
    }
  }
}

/** Map keys and stored uuids are lowercase, as Postgres returns uuids. Copies share no Date with the tables. */
function key(uuid: string): string {
  return uuid.toLowerCase();
}

function inFilter(customer: string, filter: CurationListFilter): boolean {
  if (filter.enterpriseCustomerUuid !== undefined && key(filter.enterpriseCustomerUuid) !== customer) return false;
  return filter.visibleCustomerUuids === undefined || filter.visibleCustomerUuids.some((visible) => key(visible) === customer);
}

/** Newest first, then by uuid, as `order by created desc, uuid` does. */
function newestFirst(a: { created: Date; uuid: string }, b: { created: Date; uuid: string }): number {
  return b.created.getTime() - a.created.getTime() || compareText(a.uuid, b.uuid);
}

function pageOf<T>(items: readonly T[], page: PageRequest): Page<T> {
  if (!Number.isInteger(page.page) || page.page < 1 || !Number.isInteger(page.pageSize) || page.pageSize < 1) {
    throw new RangeError(`Page must be a positive integer and page size at least 1: ${page.page}, ${page.pageSize}`);
  }
  const start = (page.page - 1) * page.pageSize;
  return { items: items.slice(start, start + page.pageSize), count: items.length };
}

function normalisedCuration(curation: CurationConfig): CurationConfig {
  return {
    ...curation, uuid: key(curation.uuid), enterpriseCustomerUuid: key(curation.enterpriseCustomerUuid),
    created: new Date(curation.created.getTime()), modified: new Date(curation.modified.getTime()),
  };
}

function normalisedSet(set: HighlightSet): HighlightSet {
  return {
    ...set, uuid: key(set.uuid), curationUuid: key(set.curationUuid), enterpriseCustomerUuid: key(set.enterpriseCustomerUuid),
    created: new Date(set.created.getTime()), modified: new Date(set.modified.getTime()),
  };
}

function normalisedHighlight(highlight: HighlightedContent): HighlightedContent {
  if (!isUuid(highlight.uuid)) throw new TypeError(`Highlighted content needs a uuid: "${highlight.uuid}"`);
  return {
    ...highlight, uuid: key(highlight.uuid), highlightSetUuid: key(highlight.highlightSetUuid),
    created: new Date(highlight.created.getTime()), modified: new Date(highlight.modified.getTime()),
  };
}
