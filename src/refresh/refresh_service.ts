/** Use cases that keep every catalog query's content fresh from discovery. */
import type { CatalogQuery } from "../catalog/catalog.ts";
import { type ContentRecord, contentRecordFromDiscovery } from "../content/content_metadata.ts";
import { NotFoundError, UpstreamUnavailableError } from "../errors.ts";
import type { JsonObject } from "../json.ts";
import type { CatalogStore } from "../ports/catalog_store.ts";
import type { Clock } from "../ports/clock.ts";
import type { ContentStore, RefreshRun } from "../ports/content_store.ts";
import type { DiscoveryClient } from "../ports/discovery_client.ts";
import type { IdGenerator } from "../ports/id_generator.ts";
import type { RefreshScheduler, RefreshTrigger } from "../ports/refresh_scheduler.ts";
import { requireUuid } from "../validation.ts";
import { isAllowedContent } from "./content_policy.ts";

/** When a shrinking result is held for review instead of applied. */
export interface ShrinkGuardrail {
  /** Results are only held when the query held more than this many items. */
  readonly floor: number;
  /** Held when more than this share of the items would go (0.8 = more than 80 %). */
  readonly maxShrinkShare: number;
}

/** The reference's numbers: more than 80 % of over 50 items. */
export const DEFAULT_GUARDRAIL: ShrinkGuardrail = Object.freeze({ floor: 50, maxShrinkShare: 0.8 });

/** How often every query must be refreshed, and how early the sweep acts. */
export interface FreshnessPolicy {
  /** A query whose last success is older than this is stale. */
  readonly windowMs: number;
  /** The sweep refreshes queries this long before they go stale. */
  readonly marginMs: number;
}

/** Fresh within 24 hours, refreshed from 20 hours on so that a failed try has time to be retried. */
export const DEFAULT_FRESHNESS: FreshnessPolicy = Object.freeze({ windowMs: 24 * 3600_000, marginMs: 4 * 3600_000 });

/** What refreshing needs from the outside. */
export interface RefreshServiceDeps {
  readonly catalogs: CatalogStore;
  readonly content: ContentStore;
  readonly discovery: DiscoveryClient;
  readonly scheduler: RefreshScheduler;
  readonly clock: Clock;
  readonly ids: IdGenerator;
  readonly guardrail?: ShrinkGuardrail;
  readonly freshness?: FreshnessPolicy;
}

/** How to run one refresh. */
export interface RefreshOptions {
  readonly trigger: RefreshTrigger;
  /** Apply even a result the shrink guardrail would hold. */
  readonly force?: boolean;
  readonly signal?: AbortSignal;
}

/** What the sweep found and queued. */
export interface SweepResult {
  /** Queries with at least one catalog. */
  readonly queriesInUse: number;
  /** Queries queued because they are stale or about to be. */
  readonly queued: readonly { readonly queryUuid: string; readonly jobId: string }[];
}

/** One query's freshness, as operators see it. */
export interface QueryFreshness {
  readonly query: CatalogQuery;
  readonly catalogUuids: readonly string[];
  /** Milliseconds since the last successful refresh, or null if there was none. */
  readonly ageMs: number | null;
  readonly stale: boolean;
}

/** Fetches queries from discovery and applies the results; finds and queues stale queries. */
export class RefreshService {
  #deps: RefreshServiceDeps;
  #guardrail: ShrinkGuardrail;
  #freshness: FreshnessPolicy;

  constructor(deps: RefreshServiceDeps) {
    this.#deps = deps;
    this.#guardrail = deps.guardrail ?? DEFAULT_GUARDRAIL;
    this.#freshness = deps.freshness ?? DEFAULT_FRESHNESS;
  }

  /**
   * Refreshes one query: fetches its complete result set, then applies the diff in one
   * transaction. A failed fetch records a failed run, leaves the content as it was and throws
   * UpstreamUnavailableError; a drastic shrink is held and recorded, not applied.
   */
  async refreshQuery(queryUuid: string, options: RefreshOptions): Promise<RefreshRun> {
    const uuid = requireUuid(queryUuid, "query_uuid");
    const query = await this.#deps.catalogs.getQuery(uuid);
    if (!query) throw new NotFoundError(`Cannot find catalog query "${uuid}"`);
    const startedAt = this.#deps.clock.now();
    let requests = 0;
    const run = (fields: Partial<RefreshRun> & Pick<RefreshRun, "outcome">): RefreshRun => ({
      uuid: this.#deps.ids.uuid(), queryUuid: uuid, trigger: options.trigger, startedAt,
      finishedAt: this.#deps.clock.now(), added: 0, removed: 0, updated: 0, unchanged: 0,
      discoveryRequests: requests, message: null, ...fields,
    });

    let records: ContentRecord[];
    try {
      const result = await this.#deps.discovery.searchAll(query.contentFilter, {
        signal: options.signal,
        onRequest: () => requests++,
      });
      if (result.records.length !== result.count) {
        throw new UpstreamUnavailableError(`Discovery reported ${result.count} results but sent ${result.records.length}`);
      }
      records = toContentRecords(result.records);
    } catch (error) {
      const failed = run({ outcome: "failed", message: failureMessage(error) });
      await this.#deps.content.recordRefreshRun(failed);
      if (error instanceof UpstreamUnavailableError) throw error;
      throw new UpstreamUnavailableError(`Refreshing catalog query "${uuid}" failed: ${failed.message}`, { cause: error });
    }

    return this.#deps.content.transaction(async (store) => {
      await store.lockQuery(uuid);
      const members = await store.memberFingerprints(uuid);
      const stored = await store.contentFingerprints(records.map((record) => record.contentKey));
      const incoming = new Set(records.map((record) => record.contentKey));
      const removeMembers = [...members.keys()].filter((key) => !incoming.has(key));
      const addMembers = records.filter((record) => !members.has(record.contentKey)).map((record) => record.contentKey);
      const upserts = records.filter((record) => stored.get(record.contentKey) !== record.fingerprint);
      const updated = upserts.filter((record) => members.has(record.contentKey)).length;
      const counts = {
        added: addMembers.length,
        removed: removeMembers.length,
        updated,
        unchanged: records.length - addMembers.length - updated,
      };
      if (!options.force && this.#isDrasticShrink(members.size, incoming.size)) {
        const held = run({
          outcome: "held",
          ...counts,
          message: `Held for review: the result shrank from ${members.size} to ${incoming.size} items; refresh with force to apply it`,
        });
        await store.recordRefreshRun(held);
        return held;
      }
      await store.applyContentChange({ queryUuid: uuid, upserts, addMembers, removeMembers, now: this.#deps.clock.now() });
      const succeeded = run({ outcome: "succeeded", ...counts });
      await store.recordRefreshRun(succeeded);
      return succeeded;
    });
  }

  /** Queues every query in use whose last success is older than the window minus the margin. */
  async sweepStale(): Promise<SweepResult> {
    const freshness = await this.freshness();
    const dueBefore = this.#deps.clock.now().getTime() - (this.#freshness.windowMs - this.#freshness.marginMs);
    const queued: { queryUuid: string; jobId: string }[] = [];
    for (const { query } of freshness) {
      const last = query.refresh.lastRefreshedAt;
      if (last !== null && last.getTime() > dueBefore) continue;
      const jobId = await this.#deps.scheduler.enqueueRefresh({ queryUuid: query.uuid, queryHash: query.contentFilter.hash, trigger: "sweep" });
      queued.push({ queryUuid: query.uuid, jobId });
    }
    return { queriesInUse: freshness.length, queued };
  }

  /** Every query in use with its catalogs and age, stalest first. */
  async freshness(): Promise<readonly QueryFreshness[]> {
    const byQuery = await this.#deps.catalogs.catalogsByQuery();
    const queries = await this.#deps.catalogs.getQueries([...byQuery.keys()]);
    const now = this.#deps.clock.now().getTime();
    const rows = [...queries.values()].map((query) => {
      const last = query.refresh.lastRefreshedAt;
      const ageMs = last === null ? null : now - last.getTime();
      return {
        query,
        catalogUuids: byQuery.get(query.uuid) ?? [],
        ageMs,
        stale: ageMs === null || ageMs > this.#freshness.windowMs,
      };
    });
    return rows.sort((a, b) => (b.ageMs ?? Infinity) - (a.ageMs ?? Infinity) || a.query.uuid.localeCompare(b.query.uuid));
  }

  /** Queues a refresh of a catalog's query; returns the job id. */
  async requestCatalogRefresh(catalogUuid: string, options: { force?: boolean } = {}): Promise<string> {
    const uuid = requireUuid(catalogUuid, "uuid");
    const catalog = await this.#deps.catalogs.getCatalog(uuid);
    if (!catalog) throw new NotFoundError(`Cannot find catalog "${uuid}"`);
    return this.requestQueryRefresh(catalog.queryUuid, options);
  }

  /** Queues a refresh of a query; returns the job id. */
  async requestQueryRefresh(queryUuid: string, options: { force?: boolean } = {}): Promise<string> {
    const uuid = requireUuid(queryUuid, "query_uuid");
    const query = await this.#deps.catalogs.getQuery(uuid);
    if (!query) throw new NotFoundError(`Cannot find catalog query "${uuid}"`);
    return this.#deps.scheduler.enqueueRefresh({
      queryUuid: uuid, queryHash: query.contentFilter.hash, trigger: "on_demand", force: options.force,
    });
  }

  /** The query's latest refresh runs, newest first. */
  recentRuns(queryUuid: string, limit = 10): Promise<readonly RefreshRun[]> {
    return this.#deps.content.listRefreshRuns(requireUuid(queryUuid, "query_uuid"), limit);
  }

  /** Removes content that no query holds any more; returns how many rows went. */
  cleanUpContent(): Promise<number> {
    return this.#deps.content.deleteOrphanContent();
  }

  #isDrasticShrink(before: number, after: number): boolean {
    if (before <= this.#guardrail.floor || after >= before) return false;
    return (before - after) / before > this.#guardrail.maxShrinkShare;
  }
}

/** Maps and de-duplicates discovery records; the first record of a key wins. */
function toContentRecords(records: readonly JsonObject[]): ContentRecord[] {
  const byKey = new Map<string, ContentRecord>();
  for (const raw of records) {
    if (!isAllowedContent(raw)) continue;
    const record = contentRecordFromDiscovery(raw);
    if (record !== undefined && !byKey.has(record.contentKey)) byKey.set(record.contentKey, record);
  }
  return [...byKey.values()];
}

function failureMessage(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.slice(0, 1000);
}
