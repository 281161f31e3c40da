/** Use cases that keep every catalog query's content fresh from discovery. */
import type { CatalogQuery } from "../catalog/catalog.ts";
import { type ContentRecord, contentRecordFromDiscovery, jsonFingerprint } from "../content/content_metadata.ts";
import { NotFoundError, UpstreamUnavailableError } from "../errors.ts";
import type { JsonObject } from "../json.ts";
import type { CatalogStore } from "../ports/catalog_store.ts";
import type { Clock } from "../ports/clock.ts";
import type { ContentStore, RefreshRun, RefreshStage, RestrictedRunChange } from "../ports/content_store.ts";
import type { DiscoveryCallOptions, DiscoveryClient } from "../ports/discovery_client.ts";
import type { IdGenerator } from "../ports/id_generator.ts";
import type { RefreshScheduler, RefreshTrigger } from "../ports/refresh_scheduler.ts";
import { requireUuid } from "../validation.ts";
import { type QueryFreshness, queryFreshness } from "./freshness.ts";
import {
  enrichedCourse,
  enrichedProgram,
  forceIncludedCourseKeys,
  forceIncludedStub,
  isFullRecordDue,
  needsFullRecord,
} from "./enrichment.ts";
import { FullRecordFetches, type FullRecordSession } from "./full_record_fetches.ts";
import { fetchRestrictedRuns } from "./restricted_runs.ts";
import { type SearchRecord, searchRecords } from "./search_result.ts";

/** When a refresh's result is held for review instead of applied (the reference's ADR 0009, both ways). */
export interface SwingGuardrail {
  /** Results are only held when the query held more than this many items (an empty result is held whatever the size). */
  readonly floor: number;
  /** Held when the item count moves by more than this share, up or down (0.8 = more than 80 %). */
  readonly maxChangeShare: number;
}

/** The reference's numbers: a change of more than 80 % of over 50 items. */
export const DEFAULT_GUARDRAIL: SwingGuardrail = Object.freeze({ floor: 50, maxChangeShare: 0.8 });

/** How often every query must be refreshed, and how early the sweep acts. */
export interface FreshnessPolicy {
  /** A query whose last success is older than this is stale. */
  readonly windowMs: number;
  /**
   * The sweep refreshes queries this long before they go stale. A full course or program record
   * older than half of it is fetched again, so it is never older than the window (decisions/0010).
   */
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
  readonly guardrail?: SwingGuardrail;
  readonly freshness?: FreshnessPolicy;
  /** Full records shared with the process's other refreshes (default: this service's own). */
  readonly fullRecords?: FullRecordFetches;
}

/** How to run one refresh. */
export interface RefreshOptions {
  readonly trigger: RefreshTrigger;
  /** Apply even a result the guardrail would hold. */
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

/** Fetches queries from discovery and applies the results; finds and queues stale queries. */
export class RefreshService {
  #deps: RefreshServiceDeps;
  #guardrail: SwingGuardrail;
  #freshness: FreshnessPolicy;
  #fullRecords: FullRecordFetches;

  constructor(deps: RefreshServiceDeps) {
    this.#deps = deps;
    this.#fullRecords = deps.fullRecords ?? new FullRecordFetches(deps);
    this.#guardrail = deps.guardrail ?? DEFAULT_GUARDRAIL;
    this.#freshness = deps.freshness ?? DEFAULT_FRESHNESS;
  }

  /**
   * Refreshes one query: fetches its complete result set and the full records it lacks, then
   * applies the diff in one transaction. A failure in any stage records a failed run naming the
   * stage, leaves the content as it was and throws UpstreamUnavailableError; a drastic swing or an
   * empty result for a query with content is held and recorded, not applied.
   */
  async refreshQuery(queryUuid: string, options: RefreshOptions): Promise<RefreshRun> {
    const uuid = requireUuid(queryUuid, "query_uuid");
    const query = await this.#deps.catalogs.getQuery(uuid);
    if (!query) throw new NotFoundError(`Cannot find catalog query "${uuid}"`);
    const startedAt = this.#deps.clock.now();
    const progress = { requests: 0, stage: "search" as RefreshStage };
    const run = (fields: Partial<RefreshRun> & Pick<RefreshRun, "outcome">): RefreshRun => ({
      uuid: this.#deps.ids.uuid(), queryUuid: uuid, trigger: options.trigger, startedAt,
      finishedAt: this.#deps.clock.now(), added: 0, removed: 0, updated: 0, unchanged: 0,
      discoveryRequests: progress.requests, stage: null, message: null, ...fields,
    });

    const call = { signal: options.signal, onRequest: () => progress.requests++ };
    // The records this refresh fetches are shared with refreshes running beside it until it ends.
    const records = this.#fullRecords.open(call);
    try {
      return await this.#refresh(query, options, { progress, call, records, run });
    } finally {
      records.close();
    }
  }

  async #refresh(query: CatalogQuery, options: RefreshOptions, attempt: RefreshAttempt): Promise<RefreshRun> {
    const { progress, run } = attempt;
    const uuid = query.uuid;
    let result: FetchedContent;
    try {
      result = await this.#fetchContent(query, attempt);
    } catch (error) {
      const failed = run({ outcome: "failed", stage: progress.stage, message: failureMessage(error) });
      await this.#deps.content.recordRefreshRun(failed);
      if (error instanceof UpstreamUnavailableError) throw error;
      throw new UpstreamUnavailableError(`Refreshing catalog query "${uuid}" failed: ${failed.message}`, { cause: error });
    }

    return this.#deps.content.transaction(async (store) => {
      await store.lockQuery(uuid);
      const current = await store.memberSearchFingerprints(uuid);
      const stored = await store.contentStates(result.records.map((record) => record.contentKey));
      const removeMembers = [...current.keys()].filter((key) => !result.members.has(key));
      const addMembers = [...result.members.keys()].filter((key) => !current.has(key));
      const memberSearchFingerprints = new Map([...result.members].filter(([key, fingerprint]) => current.get(key) !== fingerprint));
      const updated = result.records.filter((record) =>
        current.has(record.contentKey) && stored.get(record.contentKey)?.fingerprint !== record.fingerprint
      ).length;
      const counts = {
        added: addMembers.length,
        removed: removeMembers.length,
        updated,
        unchanged: result.members.size - addMembers.length - updated,
      };
      const held = options.force ? null : this.#heldReason(query, current.size, result.members.size);
      if (held !== null) {
        const heldRun = run({ outcome: "held", ...counts, message: held });
        await store.recordRefreshRun(heldRun);
        return heldRun;
      }
      await store.applyContentChange({
        queryUuid: uuid, upserts: result.records, addMembers, removeMembers, memberSearchFingerprints,
        restrictedRuns: result.restrictedRuns, now: this.#deps.clock.now(),
      });
      const succeeded = run({ outcome: "succeeded", ...counts });
      await store.recordRefreshRun(succeeded);
      return succeeded;
    });
  }

  /**
   * The search, then the full records of the courses and programs that need them (and the reviews
   * when a course does), then the restricted runs the filter allows of the courses it holds, as
   * content records to upsert, the query's new members with the fingerprint of what its search
   * returned for each, and its restricted runs.
   */
  async #fetchContent(query: CatalogQuery, attempt: RefreshAttempt): Promise<FetchedContent> {
    const { progress, records: fullRecords } = attempt;
    const found = searchRecords(await this.#deps.discovery.searchAll(query.contentFilter, attempt.call));
    const inSearch = new Set(found.map((item) => item.contentKey));
    const forced = forceIncludedCourseKeys(query.contentFilter.value).filter((key) => !inSearch.has(key));
    const [current, stored] = await Promise.all([
      this.#deps.content.memberSearchFingerprints(query.uuid),
      this.#deps.content.contentStates([...inSearch, ...forced]),
    ]);
    const now = this.#deps.clock.now();
    const maxAgeMs = this.#freshness.marginMs / 2;
    const wanted = (item: SearchRecord): boolean => needsFullRecord(item.record, {
      stored: stored.get(item.contentKey), memberSearchFingerprint: current.get(item.contentKey),
      lastRefreshedAt: query.refresh.lastRefreshedAt, now, maxAgeMs,
    });
    // Deciding fingerprints each course and program found: in slices, as building the records below.
    const courseKeys: string[] = [];
    const programUuids: string[] = [];
    let sinceYield = 0;
    for (const item of found) {
      if (++sinceYield === ITEMS_PER_SLICE) {
        sinceYield = 0;
        await yieldToEventLoop();
      }
      const type = item.record.content_type;
      if (type === "course" && wanted(item)) courseKeys.push(item.contentKey);
      else if (type === "program" && wanted(item)) programUuids.push(item.contentKey);
    }
    courseKeys.push(...forced.filter((key) => isFullRecordDue(stored.get(key), { now, maxAgeMs })));

    progress.stage = "courses";
    const courses = courseKeys.length === 0 ? new Map<string, JsonObject>() : await fullRecords.courses(courseKeys);
    progress.stage = "programs";
    const programs = programUuids.length === 0 ? new Map<string, JsonObject>() : await fullRecords.programs(programUuids);
    progress.stage = "reviews";
    const reviews = courseKeys.length === 0 ? new Map<string, JsonObject>() : await fullRecords.reviews();

    const fetchedCourses = new Set(courseKeys);
    const fetchedPrograms = new Set(programUuids);
    const records: ContentRecord[] = [];
    const members = new Map<string, string>();
    const enriched = { enrichedAt: now };
    sinceYield = 0;
    for (const { contentKey, record } of found) {
      // Fingerprinting thousands of records is CPU work: let a serving process answer between slices.
      if (++sinceYield === ITEMS_PER_SLICE) {
        sinceYield = 0;
        await yieldToEventLoop();
      }
      members.set(contentKey, jsonFingerprint(record));
      let built: ContentRecord | undefined;
      if (record.content_type === "course") {
        if (!fetchedCourses.has(contentKey)) continue;
        const jsonMetadata = enrichedCourse(contentKey, { search: record, full: courses.get(contentKey), review: reviews.get(contentKey) });
        built = contentRecordFromDiscovery(record, { jsonMetadata, ...enriched });
      } else if (record.content_type === "program") {
        if (!fetchedPrograms.has(contentKey)) continue;
        built = contentRecordFromDiscovery(record, { jsonMetadata: enrichedProgram(record, programs.get(contentKey)), ...enriched });
      } else {
        built = contentRecordFromDiscovery(record);
      }
      if (built !== undefined) records.push(built);
    }
    for (const key of forced) {
      const full = courses.get(key);
      if (fetchedCourses.has(key) && full === undefined) continue; // discovery knows no such course: nothing to include
      const stub = forceIncludedStub(key);
      members.set(key, jsonFingerprint(stub));
      if (full === undefined) continue; // not fetched: the stored row stands
      const jsonMetadata = enrichedCourse(key, { full, review: reviews.get(key), forceIncluded: true });
      const identity = typeof full.uuid === "string" ? { ...stub, uuid: full.uuid } : stub;
      const built = contentRecordFromDiscovery(identity, { jsonMetadata, ...enriched });
      if (built !== undefined) records.push(built);
    }

    progress.stage = "restricted";
    const heldCourses = new Set([...found.filter((item) => item.record.content_type === "course").map((item) => item.contentKey), ...forced]);
    const restrictedRuns = await fetchRestrictedRuns({
      queryUuid: query.uuid, filter: query.contentFilter.value, heldCourses: new Set([...heldCourses].filter((key) => members.has(key))),
      discovery: this.#deps.discovery, content: this.#deps.content, now, maxAgeMs, call: attempt.call,
    });
    progress.stage = "apply";
    return { records, members, restrictedRuns };
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
  freshness(): Promise<readonly QueryFreshness[]> {
    return queryFreshness(this.#deps.catalogs, { now: this.#deps.clock.now(), windowMs: this.#freshness.windowMs });
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

  /** Why a result is held for review, or null to apply it. */
  #heldReason(query: CatalogQuery, before: number, after: number): string | null {
    const force = "refresh with force to apply it";
    if (before > 0 && after === 0) return `Held for review: discovery returned nothing for a query that held ${before} items; ${force}`;
    if (before <= this.#guardrail.floor || isSameUtcDay(query.created, this.#deps.clock.now())) return null;
    if (Math.abs(after - before) / before <= this.#guardrail.maxChangeShare) return null;
    const way = after < before ? "shrank" : "grew";
    return `Held for review: the result ${way} from ${before} to ${after} items; ${force}`;
  }
}

/**
 * Records fingerprinted and built between two yields to the event loop in the fetch stages (a few
 * milliseconds of work), so that reads served by the same process wait that long, not the whole set.
 */
const ITEMS_PER_SLICE = 200;

/** Lets timers and I/O waiting behind the current work run (a macrotask turn, not a microtask). */
function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

/** One refresh under way: its stage and request count so far, its full records, and how to record its run. */
interface RefreshAttempt {
  readonly progress: { requests: number; stage: RefreshStage };
  /** Every discovery request of the refresh reports to it. */
  readonly call: DiscoveryCallOptions;
  readonly records: FullRecordSession;
  run(fields: Partial<RefreshRun> & Pick<RefreshRun, "outcome">): RefreshRun;
}

/** What the fetch stages produced for the apply stage. */
interface FetchedContent {
  /** Rows to upsert: new content, and content whose records were fetched again. */
  readonly records: readonly ContentRecord[];
  /** Every member of the new result → the fingerprint of the record this query's search returned. */
  readonly members: ReadonlyMap<string, string>;
  /** The restricted runs the query allows after this refresh. */
  readonly restrictedRuns: RestrictedRunChange;
}

/** The reference skips the guardrail for a query edited today (UTC); queries here change by being created. */
function isSameUtcDay(a: Date, b: Date): boolean {
  return a.toISOString().slice(0, 10) === b.toISOString().slice(0, 10);
}

function failureMessage(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.slice(0, 1000);
}
