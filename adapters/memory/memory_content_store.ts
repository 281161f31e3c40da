/** The content store in memory, for unit tests of the core and for the contract suite. */
import type { CatalogQuery } from "../../src/catalog/catalog.ts";
import type { ContentMetadata } from "../../src/content/content_metadata.ts";
import { NotFoundError } from "../../src/errors.ts";
import type {
  ContentChange,
  ContentStore,
  RefreshRun,
  StoredContentState,
  StoredRestrictedRunState,
} from "../../src/ports/content_store.ts";
import { compareText, copyContent, copyQuery, copyRun, MemoryDatabase, type StoredRestrictedRun } from "./memory_database.ts";

/**
 * `ContentStore` over a `MemoryDatabase`; pass the same database to `MemoryCatalogStore`.
 * Behaves as `PostgresContentStore` does, including which refresh-state fields change and when.
 */
export class MemoryContentStore implements ContentStore {
  #db: MemoryDatabase;

  constructor(db: MemoryDatabase = new MemoryDatabase()) {
    this.#db = db;
  }

  async transaction<T>(work: (store: ContentStore) => Promise<T>): Promise<T> {
    return await this.#db.transaction(() => work(this));
  }

  async lockQuery(_queryUuid: string): Promise<void> {
    // Transactions already run one at a time; only the contract's precondition is left to check.
    if (!this.#db.inTransaction) throw new TypeError("lockQuery() needs a transaction");
  }

  async memberSearchFingerprints(queryUuid: string): Promise<ReadonlyMap<string, string | null>> {
    const uuid = queryUuid.toLowerCase();
    const fingerprints = this.#db.tables.memberSearchFingerprints.get(uuid);
    const result = new Map<string, string | null>();
    for (const contentKey of this.#db.tables.members.get(uuid) ?? []) result.set(contentKey, fingerprints?.get(contentKey) ?? null);
    return result;
  }

  async contentStates(keys: readonly string[]): Promise<ReadonlyMap<string, StoredContentState>> {
    const result = new Map<string, StoredContentState>();
    for (const contentKey of keys) {
      const content = this.#db.tables.content.get(contentKey);
      if (content === undefined) continue;
      const sources = this.#db.tables.sources.get(contentKey);
      result.set(contentKey, {
        fingerprint: content.fingerprint,
        searchFingerprint: sources?.searchFingerprint ?? null,
        enrichedAt: sources?.enrichedAt ?? null,
      });
    }
    return result;
  }

  async restrictedRunStates(queryUuid: string): Promise<ReadonlyMap<string, StoredRestrictedRunState>> {
    const result = new Map<string, StoredRestrictedRunState>();
    for (const [runKey, run] of this.#db.tables.restrictedRuns.get(queryUuid.toLowerCase()) ?? []) {
      result.set(runKey, { courseKey: run.courseKey, fingerprint: run.fingerprint, searchFingerprint: run.searchFingerprint, enrichedAt: new Date(run.enrichedAt.getTime()) });
    }
    return result;
  }

  async applyContentChange(change: ContentChange): Promise<void> {
    await this.#db.transaction(() => {
      const tables = this.#db.tables;
      const queryUuid = change.queryUuid.toLowerCase();
      const query = tables.queries.get(queryUuid);
      if (query === undefined) throw new NotFoundError(`Cannot find catalog query "${change.queryUuid}"`);

      const changedKeys = new Set<string>();
      for (const record of change.upserts) {
        tables.sources.set(record.contentKey, { searchFingerprint: record.searchFingerprint, enrichedAt: record.enrichedAt });
        const stored = tables.content.get(record.contentKey);
        const same = stored !== undefined && stored.fingerprint === record.fingerprint &&
          stored.contentType === record.contentType && stored.contentUuid === record.contentUuid &&
          stored.parentContentKey === record.parentContentKey;
        if (same) continue;
        const { searchFingerprint: _search, enrichedAt: _enriched, ...content } = record;
        tables.content.set(record.contentKey, copyContent({ ...content, modified: change.now }));
        changedKeys.add(record.contentKey);
      }
      // Every other query holding a changed row has new content too: bump it once.
      for (const [otherUuid, keys] of tables.members) {
        if (otherUuid === queryUuid || ![...changedKeys].some((contentKey) => keys.has(contentKey))) continue;
        const other = tables.queries.get(otherUuid);
        if (other === undefined) continue;
        tables.queries.set(otherUuid, withRefresh(other, {
          contentVersion: other.refresh.contentVersion + 1,
          contentLastModified: latest(other.refresh.contentLastModified, change.now),
        }));
      }

      const members = new Set(tables.members.get(queryUuid) ?? []);
      let removed = 0;
      for (const contentKey of new Set(change.removeMembers)) if (members.delete(contentKey)) removed++;
      const adding = [...new Set(change.addMembers)];
      if (adding.some((contentKey) => !tables.content.has(contentKey))) {
        throw new TypeError(`Cannot add members to catalog query "${change.queryUuid}": some have no content row`);
      }
      let added = 0;
      for (const contentKey of adding) {
        if (!members.has(contentKey)) {
          members.add(contentKey);
          added++;
        }
      }
      tables.members.set(queryUuid, members);
      const fingerprints = new Map(tables.memberSearchFingerprints.get(queryUuid) ?? []);
      for (const [contentKey, fingerprint] of change.memberSearchFingerprints ?? []) {
        if (members.has(contentKey)) fingerprints.set(contentKey, fingerprint);
      }
      for (const contentKey of fingerprints.keys()) if (!members.has(contentKey)) fingerprints.delete(contentKey);
      tables.memberSearchFingerprints.set(queryUuid, fingerprints);
      const restricted = replaceRestrictedRuns(tables.restrictedRuns.get(queryUuid) ?? new Map(), members, change);
      tables.restrictedRuns.set(queryUuid, restricted.runs);

      let lastModified: Date | null = null;
      for (const contentKey of members) {
        const content = tables.content.get(contentKey);
        if (content !== undefined) lastModified = latest(lastModified, content.modified);
      }
      for (const run of restricted.runs.values()) lastModified = latest(lastModified, run.modified);
      const changed = changedKeys.size + removed + added > 0 || restricted.changed;
      tables.queries.set(queryUuid, withRefresh(query, {
        contentVersion: query.refresh.contentVersion + (changed ? 1 : 0),
        itemCount: members.size,
        contentLastModified: lastModified,
      }));
    });
  }

  async recordRefreshRun(run: RefreshRun): Promise<void> {
    await this.#db.transaction(() => {
      const tables = this.#db.tables;
      const queryUuid = run.queryUuid.toLowerCase();
      const query = tables.queries.get(queryUuid);
      if (query === undefined) throw new NotFoundError(`Cannot find catalog query "${run.queryUuid}"`);
      tables.runs.push(copyRun({ ...run, queryUuid }));
      tables.queries.set(queryUuid, withRefresh(query, {
        lastRefreshAttemptAt: run.startedAt,
        lastRefreshOutcome: run.outcome,
        ...(run.outcome === "succeeded" ? { lastRefreshedAt: run.startedAt } : {}),
      }));
    });
  }

  async listRefreshRuns(queryUuid: string, limit: number): Promise<readonly RefreshRun[]> {
    if (limit < 1) return [];
    const uuid = queryUuid.toLowerCase();
    return this.#db.tables.runs
      .filter((run) => run.queryUuid === uuid)
      .sort((a, b) => b.startedAt.getTime() - a.startedAt.getTime() || compareText(b.uuid, a.uuid))
      .slice(0, Math.floor(limit))
      .map(copyRun);
  }

  async getContent(keys: readonly string[]): Promise<readonly ContentMetadata[]> {
    return [...new Set(keys)].flatMap((contentKey) => {
      const content = this.#db.tables.content.get(contentKey);
      return content === undefined ? [] : [copyContent(content)];
    });
  }

  async deleteOrphanContent(): Promise<number> {
    return await this.#db.transaction(() => {
      const tables = this.#db.tables;
      const held = new Set<string>();
      for (const keys of tables.members.values()) for (const contentKey of keys) held.add(contentKey);
      let deleted = 0;
      for (const contentKey of [...tables.content.keys()]) {
        if (!held.has(contentKey)) {
          tables.content.delete(contentKey);
          tables.sources.delete(contentKey);
          deleted++;
        }
      }
      return deleted;
    });
  }
}

/**
 * The query's restricted runs after the change: the kept ones as stored, the upserts (a run whose
 * record is unchanged keeps its `modified`), and whether anything differs from `before`.
 */
function replaceRestrictedRuns(
  before: ReadonlyMap<string, StoredRestrictedRun>,
  members: ReadonlySet<string>,
  change: ContentChange,
): { runs: Map<string, StoredRestrictedRun>; changed: boolean } {
  const runs = new Map<string, StoredRestrictedRun>();
  let changed = false;
  for (const runKey of change.restrictedRuns?.kept ?? []) {
    const stored = before.get(runKey);
    if (stored === undefined) throw new TypeError(`Cannot keep restricted run "${runKey}" of catalog query "${change.queryUuid}": it is not stored`);
    runs.set(runKey, stored);
  }
  for (const record of change.restrictedRuns?.upserts ?? []) {
    const stored = before.get(record.runKey);
    const same = stored !== undefined && stored.fingerprint === record.fingerprint && stored.courseKey === record.courseKey;
    if (!same) changed = true;
    runs.set(record.runKey, {
      ...record,
      record: structuredClone(record.record),
      enrichedAt: new Date(record.enrichedAt.getTime()),
      modified: same ? stored.modified : change.now,
    });
  }
  for (const run of runs.values()) {
    if (!members.has(run.courseKey)) {
      throw new TypeError(`Cannot allow restricted run "${run.runKey}" in catalog query "${change.queryUuid}": the query does not hold its course "${run.courseKey}"`);
    }
  }
  for (const runKey of before.keys()) if (!runs.has(runKey)) changed = true;
  return { runs, changed };
}

function withRefresh(query: CatalogQuery, changes: Partial<CatalogQuery["refresh"]>): CatalogQuery {
  return copyQuery({ ...query, refresh: { ...query.refresh, ...changes } });
}

function latest(a: Date | null, b: Date): Date {
  return a === null || b.getTime() > a.getTime() ? b : a;
}
