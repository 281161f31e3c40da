/**
 * In-memory state shared by `MemoryCatalogStore`, `MemoryContentStore` (a query's refresh state
 * belongs to both) and `MemoryCurationStore` (the change history belongs to catalogs and curation), with transactions: one at a time, rolled back by restoring a snapshot.
 */
import { AsyncLocalStorage } from "node:async_hooks";
import type { CatalogQuery, EnterpriseCatalog } from "../../src/catalog/catalog.ts";
import type { ContentFilter } from "../../src/catalog/content_filter.ts";
import type { ContentMetadata } from "../../src/content/content_metadata.ts";
import type { CurationConfig, HighlightedContent, HighlightSet } from "../../src/curation/curation.ts";
import type { Change } from "../../src/history/change.ts";
import type { RestrictedRunRecord } from "../../src/content/restricted_runs.ts";
import type { RefreshRun } from "../../src/ports/content_store.ts";

interface Tables {
  catalogs: Map<string, EnterpriseCatalog>;
  queries: Map<string, CatalogQuery>;
  content: Map<string, ContentMetadata>;
  /** query uuid → content keys it holds. */
  members: Map<string, Set<string>>;
  /** query uuid → content key → fingerprint of the record as that query's search returned it. */
  memberSearchFingerprints: Map<string, Map<string, string>>;
  /** content key → what its row was built from. */
  sources: Map<string, ContentSources>;
  /** query uuid → run key → a restricted run the query allows. */
  restrictedRuns: Map<string, Map<string, StoredRestrictedRun>>;
  runs: RefreshRun[];
  /** The change history, oldest first. */
  changes: Change[];
  curations: Map<string, CurationConfig>;
  highlightSets: Map<string, HighlightSet>;
  highlights: Map<string, HighlightedContent>;
}

/** A restricted run as a query stores it. */
export interface StoredRestrictedRun extends RestrictedRunRecord {
  readonly modified: Date;
}

/** A content row's search fingerprint and enrichment time, which `ContentMetadata` does not carry. */
export interface ContentSources {
  readonly searchFingerprint: string | null;
  readonly enrichedAt: Date | null;
}

/**
 * The tables both memory stores read and write. Objects in it are never changed in place: writers
 * replace them, so a snapshot only copies the collections.
 *
 * Every write runs in a transaction; transactions run one after another (the mutex), and a call
 * made while one is running in the same async context joins it, whichever store it goes through.
 * Reads outside a transaction do not wait: unlike Postgres, they may see a running transaction's
 * writes.
 */
export class MemoryDatabase {
  #tables: Tables = emptyTables();
  #tail: Promise<void> = Promise.resolve();
  #context = new AsyncLocalStorage<MemoryDatabase>();

  /** The current tables; only for the memory stores. */
  get tables(): Tables {
    return this.#tables;
  }

  /** Whether the caller runs inside one of this database's transactions. */
  get inTransaction(): boolean {
    return this.#context.getStore() === this;
  }

  /** Runs `work` atomically; joins the running transaction when called from inside it. */
  async transaction<T>(work: () => Promise<T> | T): Promise<T> {
    if (this.inTransaction) return await work();
    const release = await this.#lock();
    const snapshot = copyTables(this.#tables);
    try {
      return await this.#context.run(this, async () => await work());
    } catch (error) {
      this.#tables = snapshot;
      throw error;
    } finally {
      release();
    }
  }

  /** Empties every table (between tests). */
  clear(): void {
    this.#tables = emptyTables();
  }

  #lock(): Promise<() => void> {
    let release!: () => void;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    const acquired = this.#tail.then(() => release);
    this.#tail = this.#tail.then(() => held);
    return acquired;
  }
}

function emptyTables(): Tables {
  return {
    catalogs: new Map(), queries: new Map(), content: new Map(), members: new Map(),
    memberSearchFingerprints: new Map(), sources: new Map(), restrictedRuns: new Map(), runs: [],
    changes: [], curations: new Map(), highlightSets: new Map(), highlights: new Map(),
  };
}

function copyTables(tables: Tables): Tables {
  return {
    catalogs: new Map(tables.catalogs),
    queries: new Map(tables.queries),
    content: new Map(tables.content),
    members: new Map([...tables.members].map(([query, keys]) => [query, new Set(keys)])),
    memberSearchFingerprints: new Map([...tables.memberSearchFingerprints].map(([query, keys]) => [query, new Map(keys)])),
    sources: new Map(tables.sources),
    restrictedRuns: new Map([...tables.restrictedRuns].map(([query, runs]) => [query, new Map(runs)])),
    runs: [...tables.runs],
    changes: [...tables.changes],
    curations: new Map(tables.curations),
    highlightSets: new Map(tables.highlightSets),
    highlights: new Map(tables.highlights),
  };
}

/** A copy of a catalog that shares nothing with the original. */
export function copyCatalog(catalog: EnterpriseCatalog): EnterpriseCatalog {
  return {
    uuid: catalog.uuid,
    title: catalog.title,
    enterpriseCustomerUuid: catalog.enterpriseCustomerUuid,
    enterpriseCustomerName: catalog.enterpriseCustomerName,
    queryUuid: catalog.queryUuid,
    enabledCourseModes: [...catalog.enabledCourseModes],
    publishAuditEnrollmentUrls: catalog.publishAuditEnrollmentUrls,
    created: new Date(catalog.created.getTime()),
    modified: new Date(catalog.modified.getTime()),
  };
}

/** A copy of a query that shares nothing with the original. */
export function copyQuery(query: CatalogQuery): CatalogQuery {
  const refresh = query.refresh;
  return {
    uuid: query.uuid,
    ...(query.clientUuid === undefined ? {} : { clientUuid: query.clientUuid }),
    title: query.title,
    contentFilter: copyFilter(query.contentFilter),
    created: new Date(query.created.getTime()),
    refresh: {
      contentVersion: refresh.contentVersion,
      contentLastModified: copyDate(refresh.contentLastModified),
      lastRefreshedAt: copyDate(refresh.lastRefreshedAt),
      lastRefreshAttemptAt: copyDate(refresh.lastRefreshAttemptAt),
      lastRefreshOutcome: refresh.lastRefreshOutcome,
      itemCount: refresh.itemCount,
    },
  };
}

function copyFilter(filter: ContentFilter): ContentFilter {
  return Object.freeze({ value: structuredClone(filter.value), canonicalJson: filter.canonicalJson, hash: filter.hash });
}

/** A copy of content metadata that shares nothing with the original. */
export function copyContent(content: ContentMetadata): ContentMetadata {
  return { ...content, jsonMetadata: structuredClone(content.jsonMetadata), modified: new Date(content.modified.getTime()) };
}

/** A copy of a refresh run that shares nothing with the original. */
export function copyRun(run: RefreshRun): RefreshRun {
  return { ...run, startedAt: new Date(run.startedAt.getTime()), finishedAt: new Date(run.finishedAt.getTime()) };
}

function copyDate(date: Date | null): Date | null {
  return date === null ? null : new Date(date.getTime());
}

/** Orders like Postgres' `order by created, uuid` (uuids compare as lowercase hex). */
export function byCreatedThenUuid(a: { created: Date; uuid: string }, b: { created: Date; uuid: string }): number {
  return a.created.getTime() - b.created.getTime() || compareText(a.uuid.toLowerCase(), b.uuid.toLowerCase());
}

/** Plain code-unit comparison, as Postgres compares uuids and C-collated keys. */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
