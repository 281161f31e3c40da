/** The content store over Postgres: set-based SQL through MikroORM's connection. */
import type { RefreshOutcome } from "../../src/catalog/catalog.ts";
import type { ContentMetadata } from "../../src/content/content_metadata.ts";
import { listedRunKeys } from "../../src/content/containment.ts";
import { isListedContent } from "../../src/content/listing.ts";
import { isActiveRestrictedRun } from "../../src/content/restricted_runs.ts";
import { NotFoundError } from "../../src/errors.ts";
import type {
  ContentChange,
  ContentStore,
  RefreshRun,
  RefreshStage,
  StoredContentState,
  StoredRestrictedRunState,
} from "../../src/ports/content_store.ts";
import type { RefreshTrigger } from "../../src/ports/refresh_scheduler.ts";
import { isUuid } from "../../src/validation.ts";
import {
  bulkQuery,
  type ContentColumns,
  contentFromColumns,
  type Em,
  jsonChunks,
  query,
  ROWS_PER_STATEMENT,
  sqlState,
  toDate,
  toInt,
  unitOf,
} from "./_internal.ts";
import { publishPart, publishQueryVersions } from "./read_model_notify.ts";

const FOREIGN_KEY_VIOLATION = "23503";
/** Keys are short: this many go in one statement. */
const KEYS_PER_STATEMENT = 10 * ROWS_PER_STATEMENT;
/** Stands in for a malformed uuid in lookups, which then find nothing instead of failing the cast. */
const NO_UUID = "00000000-0000-0000-0000-000000000000";

/**
 * `ContentStore` over Postgres. Build it over `orm.em` or a fork; `transaction()` (or a transaction
 * the caller opened on the EntityManager) makes every call join that transaction. Writes made
 * outside a transaction run in one of their own.
 *
 * `recordRefreshRun` stamps both the query's last attempt and (on success) its last refresh with the
 * run's `startedAt`: the content is as fresh as the moment its fetch began.
 */
export class PostgresContentStore implements ContentStore {
  #em: Em;

  constructor(em: Em) {
    this.#em = em;
  }

  async transaction<T>(work: (store: ContentStore) => Promise<T>): Promise<T> {
    return await this.#inTransaction((em) => work(new PostgresContentStore(em)));
  }

  async lockQuery(queryUuid: string): Promise<void> {
    if (!this.#em.isInTransaction()) throw new TypeError("lockQuery() needs a transaction");
    // Transaction-scoped: released by commit or rollback, never leaked by a failed refresh.
    await query(this.#em, "select pg_advisory_xact_lock(hashtextextended(?, 0))", [
      `enterprise-catalog:refresh:${queryUuid.toLowerCase()}`,
    ]);
  }

  async memberSearchFingerprints(queryUuid: string): Promise<ReadonlyMap<string, string | null>> {
    if (!isUuid(queryUuid)) return new Map();
    const rows = await query<{ content_key: string; search_fingerprint: string | null }>(
      unitOf(this.#em),
      "select content_key, search_fingerprint from query_content where query_uuid = ?::uuid",
      [queryUuid],
    );
    return new Map(rows.map((row) => [row.content_key, row.search_fingerprint]));
  }

  async contentStates(keys: readonly string[]): Promise<ReadonlyMap<string, StoredContentState>> {
    const em = unitOf(this.#em);
    const result = new Map<string, StoredContentState>();
    for (const chunk of keyChunks(keys)) {
      const rows = await query<{ content_key: string; fingerprint: string; search_fingerprint: string | null; enriched_at: unknown }>(
        em,
        `select content_key, fingerprint, search_fingerprint, enriched_at from content_metadata
          where content_key in (select jsonb_array_elements_text(?::jsonb))`,
        [chunk],
      );
      for (const row of rows) {
        result.set(row.content_key, {
          fingerprint: row.fingerprint,
          searchFingerprint: row.search_fingerprint,
          enrichedAt: row.enriched_at === null ? null : toDate(row.enriched_at),
        });
      }
    }
    return result;
  }

  async restrictedRunStates(queryUuid: string): Promise<ReadonlyMap<string, StoredRestrictedRunState>> {
    if (!isUuid(queryUuid)) return new Map();
    const rows = await query<{ run_key: string; course_key: string; fingerprint: string; search_fingerprint: string; enriched_at: unknown }>(
      unitOf(this.#em),
      "select run_key, course_key, fingerprint, search_fingerprint, enriched_at from query_restricted_run where query_uuid = ?::uuid",
      [queryUuid],
    );
    return new Map(rows.map((row) => [row.run_key, {
      courseKey: row.course_key,
      fingerprint: row.fingerprint,
      searchFingerprint: row.search_fingerprint,
      enrichedAt: toDate(row.enriched_at),
    }]));
  }

  async applyContentChange(change: ContentChange): Promise<void> {
    await this.#inTransaction((em) => applyChange(em, change));
  }

  async recordRefreshRun(run: RefreshRun): Promise<void> {
    await this.#inTransaction(async (em) => {
      let inserted: unknown[];
      try {
        // Inserts nothing for a missing query rather than failing (and aborting the caller's transaction).
        inserted = await query(
          em,
          `insert into refresh_run (uuid, query_uuid, trigger, started_at, finished_at, outcome, added, removed,
                                    updated, unchanged, discovery_requests, stage, message)
           select ?::uuid, q.uuid, ?, ?::timestamptz, ?::timestamptz, ?, ?, ?, ?, ?, ?, ?, ?
             from catalog_query q where q.uuid = ?::uuid
           returning 1`,
          [
            run.uuid, run.trigger, run.startedAt.toISOString(), run.finishedAt.toISOString(), run.outcome,
            run.added, run.removed, run.updated, run.unchanged, run.discoveryRequests, run.stage, run.message,
            isUuid(run.queryUuid) ? run.queryUuid : NO_UUID,
          ],
        );
      } catch (error) {
        if (sqlState(error) === FOREIGN_KEY_VIOLATION) throw missingQuery(run.queryUuid, error);
        throw error;
      }
      if (inserted.length === 0) throw missingQuery(run.queryUuid);
      await query(
        em,
        `update catalog_query
            set last_refresh_attempt_at = ?::timestamptz,
                last_refresh_outcome = ?,
                last_refreshed_at = case when ? then ?::timestamptz else last_refreshed_at end
          where uuid = ?::uuid`,
        [run.startedAt.toISOString(), run.outcome, run.outcome === "succeeded", run.startedAt.toISOString(), run.queryUuid],
      );
    });
  }

  async listRefreshRuns(queryUuid: string, limit: number): Promise<readonly RefreshRun[]> {
    if (!isUuid(queryUuid) || limit < 1) return [];
    const rows = await query<RefreshRunSqlRow>(
      unitOf(this.#em),
      `select uuid, query_uuid, trigger, started_at, finished_at, outcome, added, removed, updated, unchanged,
              discovery_requests, stage, message
         from refresh_run where query_uuid = ?::uuid
        order by started_at desc, uuid desc
        limit ?`,
      [queryUuid, Math.floor(limit)],
    );
    return rows.map(runFromRow);
  }

  async getContent(keys: readonly string[]): Promise<readonly ContentMetadata[]> {
    const em = unitOf(this.#em);
    const byKey = new Map<string, ContentMetadata>();
    for (const chunk of keyChunks(keys)) {
      const rows = await query<ContentSqlRow>(
        em,
        `select content_key, content_type, content_uuid, parent_content_key, json_metadata, fingerprint, modified
           from content_metadata where content_key in (select jsonb_array_elements_text(?::jsonb))`,
        [chunk],
      );
      for (const row of rows) byKey.set(row.content_key, contentFromRow(row));
    }
    // In the order asked for, each key once.
    return [...new Set(keys)].flatMap((key) => byKey.get(key) ?? []);
  }

  async deleteOrphanContent(): Promise<number> {
    return await this.#inTransaction(async (em) => {
      const rows = await query<{ deleted: unknown }>(
        em,
        `with gone as (
           delete from content_metadata cm
            where not exists (select 1 from query_content qc where qc.content_key = cm.content_key)
            returning 1)
         select count(*) as deleted from gone`,
      );
      const deleted = toInt(rows[0]?.deleted ?? 0);
      // A row gone can change which course a run key belongs to (`storedCourseOf`), in any query.
      if (deleted > 0) await publishPart(em, "content");
      return deleted;
    });
  }

  /** Runs `work` in the current transaction, or in a new one on a fresh fork. */
  async #inTransaction<T>(work: (em: Em) => Promise<T>): Promise<T> {
    if (this.#em.isInTransaction()) return await work(this.#em);
    return await this.#em.fork().transactional((em) => work(em));
  }
}

/**
 * Applies one refresh diff in a bounded number of statements: per chunk of at most
 * `ROWS_PER_STATEMENT` rows one upsert (which also re-syncs memberships and bumps sibling queries),
 * then one delete, one insert per chunk of keys, and one update of the query that also renumbers
 * the listing positions of every query whose listed members changed.
 */
async function applyChange(em: Em, change: ContentChange): Promise<void> {
  const queryUuid = change.queryUuid;
  const now = change.now.toISOString();
  const exists = await query(em, "select 1 from catalog_query where uuid = ?::uuid", [isUuid(queryUuid) ? queryUuid : NO_UUID]);
  if (exists.length === 0) throw missingQuery(queryUuid);

  let changedRows = 0;
  const bumpedSiblings = new Set<string>();
  // Queries whose memberships were re-synced (a row's listed flag, parent or type changed): their
  // listing positions are renumbered with this query's in the last statement.
  const resynced = new Set<string>();
  // Sorted so that concurrent refreshes sharing rows lock them in the same order.
  const sorted = [...change.upserts].sort((a, b) => (a.contentKey < b.contentKey ? -1 : a.contentKey > b.contentKey ? 1 : 0));
  const records = sorted.map((record) => ({
    content_key: record.contentKey,
    content_type: record.contentType,
    content_uuid: record.contentUuid,
    parent_content_key: record.parentContentKey,
    json_metadata: record.jsonMetadata,
    fingerprint: record.fingerprint,
    listed: isListedContent(record),
    search_fingerprint: record.searchFingerprint,
    enriched_at: record.enrichedAt?.toISOString() ?? null,
    course_run_keys: listedRunKeys(record),
  }));
  for await (const chunk of jsonChunks(records)) {
    // One statement: upsert only rows whose content differs, copy their parent key and type into
    // every membership that holds them, and bump (once per change) every other query holding them.
    const rows = await bulkQuery<{ changed: unknown; bumped: string[] | null; resynced: string[] | null }>(
      em,
      `with input as (
         select distinct on (content_key) *
           from jsonb_to_recordset(?::jsonb) as r(content_key text, content_type text, content_uuid uuid,
                                                   parent_content_key text, json_metadata jsonb, fingerprint text,
                                                   listed boolean, search_fingerprint text, enriched_at timestamptz,
                                                   course_run_keys text[])),
       upserted as (
         insert into content_metadata as cm
                (content_key, content_type, content_uuid, parent_content_key, json_metadata, fingerprint, modified, listed,
                 search_fingerprint, enriched_at, course_run_keys)
         select content_key, content_type, content_uuid, parent_content_key, json_metadata, fingerprint, ?::timestamptz, listed,
                search_fingerprint, enriched_at, course_run_keys
           from input
         on conflict (content_key) do update
            set content_type = excluded.content_type, content_uuid = excluded.content_uuid,
                parent_content_key = excluded.parent_content_key, json_metadata = excluded.json_metadata,
                fingerprint = excluded.fingerprint, modified = excluded.modified, listed = excluded.listed,
                search_fingerprint = excluded.search_fingerprint, enriched_at = excluded.enriched_at,
                course_run_keys = excluded.course_run_keys
          where cm.fingerprint is distinct from excluded.fingerprint
             or cm.content_type is distinct from excluded.content_type
             or cm.content_uuid is distinct from excluded.content_uuid
             or cm.parent_content_key is distinct from excluded.parent_content_key
             or cm.listed is distinct from excluded.listed
         returning content_key, content_type, parent_content_key, listed),
       -- Rows whose content is equal only take the new sources' bookkeeping: no new modified, no bump.
       restamped as (
         update content_metadata cm
            set search_fingerprint = i.search_fingerprint, enriched_at = i.enriched_at
           from input i
          where cm.content_key = i.content_key
            and i.content_key not in (select content_key from upserted)
            and (cm.search_fingerprint is distinct from i.search_fingerprint or cm.enriched_at is distinct from i.enriched_at)
         returning 1),
       synced as (
         update query_content qc
            set parent_content_key = u.parent_content_key, content_type = u.content_type, listed = u.listed
           from upserted u
          where qc.content_key = u.content_key
            and (qc.parent_content_key is distinct from u.parent_content_key or qc.content_type <> u.content_type
                 or qc.listed <> u.listed)
         returning qc.query_uuid),
       bumped as (
         update catalog_query q
            set content_version = q.content_version + 1,
                content_last_modified = greatest(q.content_last_modified, ?::timestamptz)
          where q.uuid <> ?::uuid
            and q.uuid not in (select value::uuid from jsonb_array_elements_text(?::jsonb))
            and q.uuid in (select qc.query_uuid from query_content qc join upserted u on u.content_key = qc.content_key)
         returning q.uuid)
       select (select count(*) from upserted) as changed,
              (select array_agg(uuid::text) from bumped) as bumped,
              (select array_agg(distinct query_uuid::text) from synced) as resynced`,
      [chunk, now, now, queryUuid, JSON.stringify([...bumpedSiblings])],
    );
    changedRows += toInt(rows[0]?.changed ?? 0);
    for (const uuid of rows[0]?.bumped ?? []) bumpedSiblings.add(uuid);
    for (const uuid of rows[0]?.resynced ?? []) resynced.add(uuid);
  }

  let removed = 0;
  for (const chunk of keyChunks(change.removeMembers)) {
    const rows = await query<{ removed: unknown }>(
      em,
      `with gone as (
         delete from query_content
          where query_uuid = ?::uuid and content_key in (select jsonb_array_elements_text(?::jsonb))
          returning 1)
       select count(*) as removed from gone`,
      [queryUuid, chunk],
    );
    removed += toInt(rows[0]?.removed ?? 0);
  }

  let added = 0;
  for (const chunk of keyChunks(change.addMembers)) {
    // Existing memberships are left alone (not rewritten); a key without a content row is a bug.
    const rows = await query<{ wanted: unknown; found: unknown; added: unknown }>(
      em,
      `with wanted as (select distinct value as content_key from jsonb_array_elements_text(?::jsonb)),
       found as (
         select cm.content_key, cm.parent_content_key, cm.content_type, cm.listed
           from wanted w join content_metadata cm on cm.content_key = w.content_key),
       inserted as (
         insert into query_content (query_uuid, content_key, parent_content_key, content_type, listed)
         select ?::uuid, content_key, parent_content_key, content_type, listed from found
         on conflict (query_uuid, content_key) do nothing
         returning 1)
       select (select count(*) from wanted) as wanted, (select count(*) from found) as found,
              (select count(*) from inserted) as added`,
      [chunk, queryUuid],
    );
    const row = rows[0];
    if (row !== undefined && toInt(row.found) < toInt(row.wanted)) {
      throw new TypeError(`Cannot add members to catalog query "${queryUuid}": some have no content row`);
    }
    added += toInt(row?.added ?? 0);
  }

  // Bookkeeping of what each member's search returned: no content change, so no version bump.
  const fingerprints = [...(change.memberSearchFingerprints ?? new Map<string, string>())]
    .map(([content_key, search_fingerprint]) => ({ content_key, search_fingerprint }));
  for await (const chunk of jsonChunks(fingerprints)) {
    await bulkQuery(
      em,
      `update query_content qc set search_fingerprint = f.search_fingerprint
         from jsonb_to_recordset(?::jsonb) as f(content_key text, search_fingerprint text)
        where qc.query_uuid = ?::uuid and qc.content_key = f.content_key
          and qc.search_fingerprint is distinct from f.search_fingerprint`,
      [chunk, queryUuid],
    );
  }

  const restrictedChanged = await replaceRestrictedRuns(em, change);
  const changed = changedRows + removed + added > 0 || restrictedChanged;
  if (changed) resynced.add(queryUuid.toLowerCase());
  // One statement: renumber the listed members of every query whose listing changed (1..n in
  // content_key order under the C collation; null for unlisted members, only rows that move are
  // written), then update this query's counts.
  await query(
    em,
    `with targets as (select value::uuid as q from jsonb_array_elements_text(?::jsonb)),
     ranked as (
       select qc.query_uuid, qc.content_key,
              case when qc.listed
                   then row_number() over (partition by qc.query_uuid, qc.listed order by qc.content_key collate "C")
              end as position
         from query_content qc where qc.query_uuid in (select q from targets)),
     positioned as (
       update query_content qc set position = r.position
         from ranked r
        where qc.query_uuid = r.query_uuid and qc.content_key = r.content_key
          and qc.position is distinct from r.position
        returning 1)
     update catalog_query q
        set content_version = q.content_version + (case when ? then 1 else 0 end),
            item_count = (select count(*) from query_content qc where qc.query_uuid = q.uuid),
            content_last_modified = greatest(
              (select max(cm.modified) from query_content qc join content_metadata cm on cm.content_key = qc.content_key
                where qc.query_uuid = q.uuid),
              (select max(rr.modified) from query_restricted_run rr where rr.query_uuid = q.uuid))
      where q.uuid = ?::uuid`,
    [JSON.stringify([...resynced]), changed, queryUuid],
  );
  // Last, so that the shared version's row lock is held only until the commit (decision 0018).
  await publishQueryVersions(em, changed ? [queryUuid, ...bumpedSiblings] : [...bumpedSiblings]);
  if (changedRows > 0) await publishPart(em, "content");
}

/**
 * Replaces the query's restricted runs (`ContentChange.restrictedRuns`): one statement removes those
 * neither kept nor written and checks that every kept run is stored and its course is a member; one
 * per chunk of upserts writes them (a run whose record is unchanged keeps its `modified` and only
 * takes the new bookkeeping) and checks their courses. Returns whether any run came, went or changed.
 */
async function replaceRestrictedRuns(em: Em, change: ContentChange): Promise<boolean> {
  const queryUuid = change.queryUuid;
  const upserts = change.restrictedRuns?.upserts ?? [];
  const kept = [...new Set(change.restrictedRuns?.kept ?? [])];
  const staying = [...new Set([...kept, ...upserts.map((run) => run.runKey)])];
  const [removal] = await query<{ removed: unknown; missing: unknown; orphaned: string | null }>(
    em,
    `with removed as (
       delete from query_restricted_run
        where query_uuid = ?::uuid and run_key not in (select jsonb_array_elements_text(?::jsonb))
        returning 1),
     kept as (
       select rr.run_key, rr.course_key from query_restricted_run rr
        where rr.query_uuid = ?::uuid and rr.run_key in (select jsonb_array_elements_text(?::jsonb)))
     select (select count(*) from removed) as removed,
            jsonb_array_length(?::jsonb) - (select count(*) from kept) as missing,
            (select min(k.run_key) from kept k
              where not exists (select 1 from query_content qc where qc.query_uuid = ?::uuid and qc.content_key = k.course_key)) as orphaned`,
    [queryUuid, JSON.stringify(staying), queryUuid, JSON.stringify(kept), JSON.stringify(kept), queryUuid],
  );
  if (toInt(removal?.missing ?? 0) > 0) throw new TypeError(`Cannot keep restricted runs of catalog query "${queryUuid}": some are not stored`);
  if (removal?.orphaned != null) throw orphanedRun(removal.orphaned, queryUuid);
  let written = 0;
  const rows = upserts.map((run) => ({
    run_key: run.runKey,
    course_key: run.courseKey,
    json_metadata: run.record,
    fingerprint: run.fingerprint,
    search_fingerprint: run.searchFingerprint,
    enriched_at: run.enrichedAt.toISOString(),
    active: isActiveRestrictedRun(run.record),
  }));
  for await (const chunk of jsonChunks(rows)) {
    const [result] = await bulkQuery<{ written: unknown; orphaned: string | null }>(
      em,
      `with input as (
         select distinct on (run_key) *
           from jsonb_to_recordset(?::jsonb) as r(run_key text, course_key text, json_metadata jsonb, fingerprint text,
                                                   search_fingerprint text, enriched_at timestamptz, active boolean)),
       written as (
         insert into query_restricted_run as rr
                (query_uuid, run_key, course_key, json_metadata, fingerprint, search_fingerprint, enriched_at, active, modified)
         select ?::uuid, run_key, course_key, json_metadata, fingerprint, search_fingerprint, enriched_at, active, ?::timestamptz
           from input
         on conflict (query_uuid, run_key) do update
            set course_key = excluded.course_key, json_metadata = excluded.json_metadata, fingerprint = excluded.fingerprint,
                search_fingerprint = excluded.search_fingerprint, enriched_at = excluded.enriched_at, active = excluded.active,
                modified = excluded.modified
          where rr.fingerprint is distinct from excluded.fingerprint or rr.course_key is distinct from excluded.course_key
         returning run_key),
       restamped as (
         update query_restricted_run rr
            set search_fingerprint = i.search_fingerprint, enriched_at = i.enriched_at
           from input i
          where rr.query_uuid = ?::uuid and rr.run_key = i.run_key
            and i.run_key not in (select run_key from written)
            and (rr.search_fingerprint is distinct from i.search_fingerprint or rr.enriched_at is distinct from i.enriched_at)
         returning 1)
       select (select count(*) from written) as written,
              (select min(i.run_key) from input i
                where not exists (select 1 from query_content qc where qc.query_uuid = ?::uuid and qc.content_key = i.course_key)) as orphaned`,
      [chunk, queryUuid, change.now.toISOString(), queryUuid, queryUuid],
    );
    // Thrown inside the caller's transaction: the rows just written roll back with it.
    if (result?.orphaned != null) throw orphanedRun(result.orphaned, queryUuid);
    written += toInt(result?.written ?? 0);
  }
  return toInt(removal?.removed ?? 0) + written > 0;
}

function orphanedRun(runKey: string, queryUuid: string): TypeError {
  return new TypeError(`Cannot allow restricted run "${runKey}" in catalog query "${queryUuid}": the query does not hold its course`);
}

/** Keys as JSON arrays, de-duplicated, at most `KEYS_PER_STATEMENT` per array. */
function keyChunks(keys: readonly string[]): string[] {
  const unique = [...new Set(keys)];
  const chunks: string[] = [];
  for (let start = 0; start < unique.length; start += KEYS_PER_STATEMENT) {
    chunks.push(JSON.stringify(unique.slice(start, start + KEYS_PER_STATEMENT)));
  }
  return chunks;
}

interface ContentSqlRow extends ContentColumns {
  modified: unknown;
}

function contentFromRow(row: ContentSqlRow): ContentMetadata {
  return contentFromColumns(row, row.modified);
}

interface RefreshRunSqlRow {
  uuid: string;
  query_uuid: string;
  trigger: string;
  started_at: unknown;
  finished_at: unknown;
  outcome: string;
  added: unknown;
  removed: unknown;
  updated: unknown;
  unchanged: unknown;
  discovery_requests: unknown;
  stage: string | null;
  message: string | null;
}

/** Maps a refresh-run row to the domain run. */
function runFromRow(row: RefreshRunSqlRow): RefreshRun {
  return {
    uuid: row.uuid,
    queryUuid: row.query_uuid,
    trigger: row.trigger as RefreshTrigger,
    startedAt: toDate(row.started_at),
    finishedAt: toDate(row.finished_at),
    outcome: row.outcome as RefreshOutcome,
    added: toInt(row.added),
    removed: toInt(row.removed),
    updated: toInt(row.updated),
    unchanged: toInt(row.unchanged),
    discoveryRequests: toInt(row.discovery_requests),
    stage: row.stage as RefreshStage | null,
    message: row.message,
  };
}

function missingQuery(uuid: string, cause?: unknown): NotFoundError {
  return new NotFoundError(`Cannot find catalog query "${uuid}"`, { cause });
}
