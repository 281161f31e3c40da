/**
 * The content reader over Postgres: one parameterised, named (so prepared once per connection)
 * statement per answer, on a `pg` pool of its own so that the hot read path skips the ORM.
 */
import pg from "pg";
import type { EnterpriseCatalog } from "../../src/catalog/catalog.ts";
import type { ContentMetadata } from "../../src/content/content_metadata.ts";
import type { MatchKind } from "../../src/content/containment.ts";
import type { RestrictedRun } from "../../src/content/restricted_runs.ts";
import type {
  CatalogScope,
  CatalogSnapshot,
  Containment,
  ContentDiff,
  ContentLookup,
  ContentReader,
  ListingOptions,
  ListingRange,
} from "../../src/ports/content_reader.ts";
import type { Page, PageRequest } from "../../src/ports/page.ts";
import { isUuid } from "../../src/validation.ts";
import { type ContentColumns, contentFromColumns, toDate, toInt } from "./_internal.ts";
import { boundedPoolConfig, type WaitBounds } from "./bounded_pool.ts";
import { Coalescer } from "./coalescer.ts";
import { matchesInQuery, matchingMembers, namedCourses, perKind, withStoredCourse } from "./containment_sql.ts";

/** Positions are `int`: a range end past this means "to the end". */
const MAX_POSITION = 2_147_483_647;

const CATALOG_COLUMNS = `c.uuid::text as catalog_uuid, c.title, c.enterprise_customer_uuid::text as enterprise_customer_uuid,
  c.enterprise_customer_name, c.catalog_query_uuid::text as catalog_query_uuid, c.enabled_course_modes,
  c.publish_audit_enrollment_urls, c.created, c.modified, q.content_version, q.content_last_modified`;

const CONTENT_COLUMNS = `cm.content_key, cm.content_type, cm.content_uuid::text as content_uuid, cm.parent_content_key,
  cm.json_metadata, cm.fingerprint, cm.modified as content_modified`;

const GET_CATALOGS = `select ${CATALOG_COLUMNS}
  from enterprise_catalog c join catalog_query q on q.uuid = c.catalog_query_uuid
 where c.uuid = any($1::uuid[])`;

/** Requested keys of a one-question statement: `$1` the keys, `$2` the course each names. */
const REQUESTED = "(select distinct k, named from unnest($1::text[], $2::text[]) as t(k, named))";

/**
 * Containment over a scope of several catalogs in one statement: one row per (catalog, matched
 * key), plus a row with a null key for every catalog of the scope, in catalog order. Each key is
 * probed once per way, through the membership indexes, for the queries of the scope.
 */
function containmentSql(kind: MatchKind, where: string): string {
  return `with scope as (select uuid, catalog_query_uuid, created from enterprise_catalog where ${where}),
  queries as (select distinct catalog_query_uuid as q from scope),
  requested as (${withStoredCourse(kind, REQUESTED)}),
  matches as (select distinct m.q, m.k from (${matchingMembers(kind, "requested", "in (select q from queries)")}) m)
  select s.uuid::text as catalog_uuid, m.k
    from scope s left join matches m on m.q = s.catalog_query_uuid
   order by s.created, s.uuid`;
}

/**
 * Containment for a batch of catalog questions in one statement. `$1` numbers the questions, `$2`
 * names each one's catalog and `$6` the customer it must belong to (null: any); `$3`/`$4`/`$5` pair
 * question numbers with keys and the course each key names. One row per question whose catalog
 * exists (null key) or per matched key. Each distinct key's stored course is found once; then per
 * (question, key), one probe of the catalog's query per way, stopping at the first hit.
 *
 * A catalog of another owner is dropped at the end: filtering the scope itself would make the
 * planner expect no row there and probe every key once per question instead of once.
 */
const BATCHED_CATALOG_CONTAINMENT = perKind((kind) => `with req as (select * from unnest($1::int[], $2::uuid[], $6::uuid[]) as r(i, target, owner)),
  catalogs as (select uuid, catalog_query_uuid, created, enterprise_customer_uuid from enterprise_catalog where uuid = any($2::uuid[])),
  scope as (select r.i, c.uuid, c.catalog_query_uuid as q, c.created, (r.owner is null or c.enterprise_customer_uuid = r.owner) as owned
              from req r join catalogs c on c.uuid = r.target),
  keys as (select distinct i, k, named from unnest($3::int[], $4::text[], $5::text[]) as k(i, k, named)),
  requested as (${withStoredCourse(kind, "(select distinct k, named from keys)")}),
  pairs as (select distinct s.i, s.q, r.k, r.course from scope s join keys k on k.i = s.i join requested r on r.k = k.k),
  hits as materialized (select r.i, r.q, r.k from pairs r where ${matchesInQuery(kind)})
  select s.i, null as target, s.uuid::text as catalog_uuid, h.k
    from scope s left join hits h on h.i = s.i and h.q = s.q
   where s.owned
   order by s.i, s.created, s.uuid`);

/**
 * Containment for a batch of customer questions in one statement, parameters as for catalogs
 * (`$2` names customers; no `$6`). A customer has up to hundreds of catalogs, so each distinct key
 * is probed once per way through the membership indexes (every query holding a match), and kept
 * for the queries of the customer's catalogs. Rows: each distinct customer's catalogs once (null
 * `i`), then one per (question, catalog, matched key); both in catalog order.
 *
 * The customers' catalogs are read per distinct customer through the customer index; the
 * `offset 0` keeps the planner from flattening that into a scan of every catalog (decision 0007).
 */
const BATCHED_CUSTOMER_CONTAINMENT = perKind((kind) => `with req as (select * from unnest($1::int[], $2::uuid[]) as r(i, target)),
  scope as (select t.target, c.uuid, c.catalog_query_uuid as q, c.created
              from (select distinct target from req) t
             cross join lateral (select uuid, catalog_query_uuid, created from enterprise_catalog
                                  where enterprise_customer_uuid = t.target offset 0) c),
  keys as (select distinct i, k, named from unnest($3::int[], $4::text[], $5::text[]) as k(i, k, named)),
  requested as (${withStoredCourse(kind, "(select distinct k, named from keys)")}),
  matched as (select distinct m.q, m.k from (${matchingMembers(kind, "requested")}) m),
  hits as (select k.i, m.q, m.k from keys k join matched m on m.k = k.k),
  answer as (
    select null::int as i, s.target, s.uuid, null::text as k, s.created from scope s
    union all
    select h.i, null, s.uuid, h.k, s.created from hits h join req r on r.i = h.i join scope s on s.target = r.target and s.q = h.q)
  select i, target::text as target, uuid::text as catalog_uuid, k from answer
   order by i nulls first, target, created, uuid`);

const BATCHED_CONTAINMENT = { catalog: BATCHED_CATALOG_CONTAINMENT, customer: BATCHED_CUSTOMER_CONTAINMENT };

const CONTAINMENT_BY_CATALOGS = perKind((kind) => containmentSql(kind, "uuid = any($3::uuid[])"));

const CONTAINMENT_BY_CUSTOMER_CATALOGS = perKind((kind) => containmentSql(kind, "enterprise_customer_uuid = $4::uuid and uuid = any($3::uuid[])"));

/** A page of the listing by position (an index range, however deep), and the listed count, in one row set. */
const LIST_QUERY_CONTENT = `select t.total, p.*
  from (select coalesce(max(position), 0) as total from query_content where query_uuid = $1) t
  left join lateral (
    select ${CONTENT_COLUMNS}
      from query_content qc join content_metadata cm on cm.content_key = qc.content_key
     where qc.query_uuid = $1 and qc.position > $2 and qc.position <= $3
     order by qc.position) p on true`;

/**
 * The `/api/v2` listing: the listed members and the courses listed only through an active restricted
 * run the query allows. While there are no such courses it is the listing by position above; with
 * some, the members are ranked by key (as deep pages go, slower, but only such queries pay for it).
 * Postgres decides which of the two branches runs once, before reading either.
 */
const LIST_QUERY_CONTENT_WITH_RESTRICTED = `with extra as (
    select distinct rr.course_key as k
      from query_restricted_run rr
      join query_content qc on qc.query_uuid = rr.query_uuid and qc.content_key = rr.course_key and not qc.listed
     where rr.query_uuid = $1 and rr.active),
  total as (
    select coalesce(max(position), 0) + (select count(*) from extra) as total from query_content where query_uuid = $1),
  page as (
    select ${CONTENT_COLUMNS}, qc.position as rank
      from query_content qc join content_metadata cm on cm.content_key = qc.content_key
     where not exists (select 1 from extra) and qc.query_uuid = $1 and qc.position > $2 and qc.position <= $3
    union all
    select * from (
      select ${CONTENT_COLUMNS}, row_number() over (order by qc.content_key collate "C") as rank
        from query_content qc join content_metadata cm on cm.content_key = qc.content_key
       where exists (select 1 from extra) and qc.query_uuid = $1 and (qc.listed or qc.content_key in (select k from extra))) ranked
     where rank > $2 and rank <= $3)
  select t.total, p.content_key, p.content_type, p.content_uuid, p.parent_content_key, p.json_metadata, p.fingerprint, p.content_modified
    from total t left join page p on true
   order by p.rank`;

/** The restricted runs the query allows of these courses. */
const RESTRICTED_RUNS = `select run_key, course_key, json_metadata, modified
  from query_restricted_run where query_uuid = $1 and course_key = any($2::text[])`;

/** The query's members matching the keys (`$3` the course each names), in listing order. */
const MATCH_QUERY_CONTENT = perKind((kind) => `with requested as (${withStoredCourse(kind, "(select distinct k, named from unnest($2::text[], $3::text[]) as t(k, named))")}),
  matched as (select distinct m.member from (${matchingMembers(kind, "requested", "= $1")}) m)
  select ${CONTENT_COLUMNS}
    from matched m join content_metadata cm on cm.content_key = m.member
   order by cm.content_key collate "C"`);

const DIFF_QUERY_CONTENT = `with requested as (select distinct k from unnest($2::text[]) as k)
  select qc.content_key, r.k is not null as requested, case when r.k is not null then cm.modified end as modified
    from query_content qc
    left join requested r on r.k = qc.content_key
    left join content_metadata cm on r.k is not null and cm.content_key = qc.content_key
   where qc.query_uuid = $1
   order by qc.content_key collate "C"`;

/** Most requested keys one diff statement carries; a longer diff is read in chunks, in one snapshot. */
export const DIFF_KEYS_PER_STATEMENT = 10_000;

/** A chunk of a long diff: the requested keys the query holds, with their row's `modified`. */
const DIFF_FOUND = `select qc.content_key, cm.modified
  from (select distinct k from unnest($2::text[]) as k) r
  join query_content qc on qc.query_uuid = $1 and qc.content_key = r.k
  join content_metadata cm on cm.content_key = qc.content_key`;

/** The rest of a long diff: every key the query holds, in listing order. */
const DIFF_MEMBERS = `select content_key from query_content where query_uuid = $1 order by content_key collate "C"`;

const CATALOG_QUERIES = `select uuid::text as catalog_uuid, catalog_query_uuid::text as query_uuid
  from enterprise_catalog where uuid = any($1::uuid[])`;

/** Catalog-less lookups: the hits (by key or uuid, or everything), optionally coerced to their courses. */
function lookUpSql(filtered: boolean, coerce: boolean): string {
  const hits = filtered
    ? `select * from content_metadata where content_key = any($3::text[]) or content_uuid = any($4::uuid[])`
    : `select * from content_metadata`;
  const chosen = coerce
    ? `select distinct coalesce(case when h.content_type = 'courserun' then h.parent_content_key end, h.content_key) as k from hits h`
    : `select h.content_key as k from hits h`;
  return `with hits as (${hits}), chosen as (${chosen})
  select ${CONTENT_COLUMNS}, count(*) over () as total
    from chosen c join content_metadata cm on cm.content_key = c.k
   ${coerce ? "where cm.content_type <> 'courserun'" : ""}
   order by cm.content_key collate "C"
   limit $1 offset $2`;
}

const LOOK_UP = {
  all: lookUpSql(false, false),
  allCoerced: lookUpSql(false, true),
  filtered: lookUpSql(true, false),
  filteredCoerced: lookUpSql(true, true),
};

/** The customer's first catalog holding content with this uuid, joined with everything the answer needs. */
const CUSTOMER_CONTENT_BY_UUID = `select ${CATALOG_COLUMNS}, ${CONTENT_COLUMNS}
  from enterprise_catalog c join catalog_query q on q.uuid = c.catalog_query_uuid
  join query_content qc on qc.query_uuid = c.catalog_query_uuid
  join content_metadata cm on cm.content_key = qc.content_key
 where c.enterprise_customer_uuid = $1::uuid and cm.content_uuid = $2::uuid
 order by c.created, c.uuid, cm.content_key collate "C"
 limit 1`;

/**
 * The customer's first catalog holding content matching this key (`$3` the course it names), and the
 * best match in it: the best way first (`MATCH_WAYS` order), then listing order.
 */
const CUSTOMER_CONTENT_BY_KEY = perKind((kind) => `with requested as (${withStoredCourse(kind, "(select $2::text as k, $3::text as named)")}),
  matched as (${matchingMembers(kind, "requested", "in (select catalog_query_uuid from enterprise_catalog where enterprise_customer_uuid = $1::uuid)")})
  select ${CATALOG_COLUMNS}, ${CONTENT_COLUMNS}
    from matched m
    join enterprise_catalog c on c.catalog_query_uuid = m.q and c.enterprise_customer_uuid = $1::uuid
    join catalog_query q on q.uuid = c.catalog_query_uuid
    join content_metadata cm on cm.content_key = m.member
   order by c.created, c.uuid, m.way_rank, cm.content_key collate "C"
   limit 1`);

/**
 * A pool for `PostgresContentReader`. Its sessions use generic plans: every statement is a few index
 * lookups whose plan does not depend on the values, and Postgres would otherwise keep re-planning
 * them (planning costs ten times what executing does).
 */
export function createReadPool(databaseUrl: string, options: { size: number; bounds?: WaitBounds }): pg.Pool {
  return new pg.Pool({
    ...boundedPoolConfig(options.bounds),
    connectionString: databaseUrl,
    max: options.size,
    idleTimeoutMillis: 30_000,
    options: "-c plan_cache_mode=force_generic_plan",
  });
}

/** Whether a batched containment question names one catalog or a customer. */
type ScopeKind = "catalog" | "customer";

/** One containment question of a batch: a catalog (of `owner`, when given) or a customer, and keys. */
interface ScopedQuestion {
  readonly target: string;
  readonly owner?: string;
  readonly keys: readonly string[];
}

/** How the hot lookups (catalogs, containment) are batched; see `Coalescer`. */
const BATCHING = { maxBatch: 200, maxInFlight: 4 };

/**
 * `ContentReader` over Postgres. The pool (see `createReadPool`) is the caller's to create and to end.
 * Catalog lookups and single-scope containment are coalesced across concurrent callers into one
 * statement per batch; every other answer is one statement of its own.
 */
export class PostgresContentReader implements ContentReader {
  #pool: pg.Pool;
  #catalogs: Coalescer<string, CatalogSnapshot | undefined>;
  #containers: { readonly [S in ScopeKind]: { readonly [K in MatchKind]: Coalescer<ScopedQuestion, Containment> } };

  constructor(pool: pg.Pool) {
    this.#pool = pool;
    this.#catalogs = new Coalescer((uuids) => this.#getCatalogs(uuids), BATCHING);
    const containment = (scope: ScopeKind, kind: MatchKind) =>
      new Coalescer<ScopedQuestion, Containment>((questions) => this.#containmentBatch(scope, kind, questions), BATCHING);
    this.#containers = { catalog: perKind((kind) => containment("catalog", kind)), customer: perKind((kind) => containment("customer", kind)) };
  }

  async getCatalog(catalogUuid: string): Promise<CatalogSnapshot | undefined> {
    if (!isUuid(catalogUuid)) return undefined;
    return await this.#catalogs.ask(catalogUuid.toLowerCase());
  }

  async #getCatalogs(uuids: readonly string[]): Promise<(CatalogSnapshot | undefined)[]> {
    const rows = await this.#query<CatalogSqlRow>("reader_get_catalogs", GET_CATALOGS, [[...new Set(uuids)]]);
    const byUuid = new Map(rows.map((row) => [row.catalog_uuid, snapshotFromRow(row)]));
    return uuids.map((uuid) => byUuid.get(uuid));
  }

  async #containmentBatch(kind: ScopeKind, match: MatchKind, questions: readonly ScopedQuestion[]): Promise<Containment[]> {
    const keyOwners: number[] = [];
    const keys: string[] = [];
    questions.forEach((question, i) => {
      for (const key of question.keys) {
        keyOwners.push(i);
        keys.push(key);
      }
    });
    const values: unknown[] = [questions.map((_, i) => i), questions.map((question) => question.target), keyOwners, keys, namedCourses(keys)];
    if (kind === "catalog") values.push(questions.map((question) => question.owner ?? null));
    const rows = await this.#query<{ i: number | null; target: string | null; catalog_uuid: string; k: string | null }>(
      `reader_batch_contain_${kind}_${match}`, BATCHED_CONTAINMENT[kind][match], values,
    );
    // Customer batches list each customer's catalogs once, shared by that customer's questions; a
    // catalog question's catalog comes with its own rows.
    const customerCatalogs = new Map<string, string[]>();
    const catalogsOf = (customer: string) => {
      let list = customerCatalogs.get(customer);
      if (list === undefined) customerCatalogs.set(customer, list = []);
      return list;
    };
    const answers = questions.map((question) => ({
      catalogUuids: kind === "customer" ? catalogsOf(question.target) : [] as string[],
      matches: new Map<string, string[]>(),
    }));
    for (const row of rows) {
      if (row.i === null) {
        customerCatalogs.get(row.target as string)?.push(row.catalog_uuid);
        continue;
      }
      const answer = answers[row.i] as (typeof answers)[number];
      if (kind === "catalog" && answer.catalogUuids.at(-1) !== row.catalog_uuid) answer.catalogUuids.push(row.catalog_uuid);
      if (row.k === null) continue;
      const containing = answer.matches.get(row.k) ?? [];
      if (containing.at(-1) !== row.catalog_uuid) containing.push(row.catalog_uuid);
      answer.matches.set(row.k, containing);
    }
    return answers;
  }

  async findContainment(scope: CatalogScope, keys: readonly string[], kind: MatchKind): Promise<Containment> {
    const catalogUuids = scope.catalogUuids?.filter(isUuid);
    const empty = { catalogUuids: [], matches: new Map() };
    if (scope.customerUuid !== undefined && !isUuid(scope.customerUuid)) return empty;
    if (catalogUuids !== undefined && catalogUuids.length === 0) return empty;
    const unique = [...new Set(keys)];
    if (catalogUuids?.length === 1) {
      const owner = scope.customerUuid?.toLowerCase();
      return await this.#containers.catalog[kind].ask({ target: (catalogUuids[0] as string).toLowerCase(), owner, keys: unique });
    }
    if (scope.customerUuid !== undefined && catalogUuids === undefined) {
      return await this.#containers.customer[kind].ask({ target: scope.customerUuid.toLowerCase(), keys: unique });
    }
    const requested = [unique, namedCourses(unique)];
    let rows: { catalog_uuid: string; k: string | null }[];
    if (scope.customerUuid === undefined && catalogUuids !== undefined) {
      rows = await this.#query(`reader_contain_catalogs_${kind}`, CONTAINMENT_BY_CATALOGS[kind], [...requested, catalogUuids]);
    } else if (scope.customerUuid !== undefined && catalogUuids !== undefined) {
      rows = await this.#query(`reader_contain_customer_catalogs_${kind}`, CONTAINMENT_BY_CUSTOMER_CATALOGS[kind], [...requested, catalogUuids, scope.customerUuid]);
    } else {
      throw new TypeError("A containment scope needs catalogUuids, customerUuid or both");
    }
    const catalogs: string[] = [];
    const matches = new Map<string, string[]>();
    for (const row of rows) {
      if (catalogs.at(-1) !== row.catalog_uuid) catalogs.push(row.catalog_uuid);
      if (row.k === null) continue;
      const containing = matches.get(row.k) ?? [];
      if (containing.at(-1) !== row.catalog_uuid) containing.push(row.catalog_uuid);
      matches.set(row.k, containing);
    }
    return { catalogUuids: catalogs, matches };
  }

  async listQueryContent(queryUuid: string, range: ListingRange, options: ListingOptions = {}): Promise<Page<ContentMetadata>> {
    if (!isUuid(queryUuid)) return { count: 0, items: [] };
    const from = Math.min(Math.max(0, Math.floor(range.offset)), MAX_POSITION);
    const to = Math.min(from + Math.max(0, Math.floor(range.limit)), MAX_POSITION);
    const [name, sql] = options.withRestrictedRuns
      ? ["reader_list_content_restricted", LIST_QUERY_CONTENT_WITH_RESTRICTED]
      : ["reader_list_content", LIST_QUERY_CONTENT];
    const rows = await this.#query<ContentSqlRow & { total: unknown }>(name, sql, [queryUuid, from, to]);
    return {
      count: toInt(rows[0]?.total ?? 0),
      items: rows.filter((row) => row.content_key !== null).map(contentFromRow),
    };
  }

  async restrictedRuns(queryUuid: string, courseKeys: readonly string[]): Promise<ReadonlyMap<string, readonly RestrictedRun[]>> {
    const result = new Map<string, RestrictedRun[]>();
    if (!isUuid(queryUuid) || courseKeys.length === 0) return result;
    const rows = await this.#query<{ run_key: string; course_key: string; json_metadata: RestrictedRun["record"]; modified: unknown }>(
      "reader_restricted_runs", RESTRICTED_RUNS, [queryUuid, [...new Set(courseKeys)]],
    );
    for (const row of rows) {
      const run: RestrictedRun = { runKey: row.run_key, courseKey: row.course_key, record: row.json_metadata, modified: toDate(row.modified) };
      result.set(row.course_key, [...(result.get(row.course_key) ?? []), run]);
    }
    return result;
  }

  async matchQueryContent(queryUuid: string, keys: readonly string[], kind: MatchKind): Promise<readonly ContentMetadata[]> {
    if (!isUuid(queryUuid) || keys.length === 0) return [];
    const unique = [...new Set(keys)];
    const rows = await this.#query<ContentSqlRow>(`reader_match_content_${kind}`, MATCH_QUERY_CONTENT[kind], [queryUuid, unique, namedCourses(unique)]);
    return rows.map(contentFromRow);
  }

  async diffQueryContent(queryUuid: string, keys: readonly string[]): Promise<ContentDiff> {
    const found = new Map<string, Date>();
    const notRequested: string[] = [];
    if (!isUuid(queryUuid)) return { found, notRequested };
    const unique = [...new Set(keys)];
    if (unique.length > DIFF_KEYS_PER_STATEMENT) return await this.#diffInChunks(queryUuid, unique);
    const rows = await this.#query<{ content_key: string; requested: boolean; modified: unknown }>(
      "reader_diff_content", DIFF_QUERY_CONTENT, [queryUuid, unique],
    );
    for (const row of rows) {
      if (row.requested) found.set(row.content_key, toDate(row.modified));
      else notRequested.push(row.content_key);
    }
    return { found, notRequested };
  }

  /**
   * A diff of more keys than one statement carries (an integrated channel's whole catalog): the
   * held keys a chunk at a time, then the query's keys, all in one read-only snapshot, so that a
   * refresh committing in between cannot make the parts disagree.
   */
  async #diffInChunks(queryUuid: string, keys: readonly string[]): Promise<ContentDiff> {
    const client = await this.#pool.connect();
    try {
      await client.query("begin isolation level repeatable read read only");
      const found = new Map<string, Date>();
      for (let start = 0; start < keys.length; start += DIFF_KEYS_PER_STATEMENT) {
        const chunk = keys.slice(start, start + DIFF_KEYS_PER_STATEMENT);
        const { rows } = await client.query<{ content_key: string; modified: unknown }>({ name: "reader_diff_found", text: DIFF_FOUND, values: [queryUuid, chunk] });
        for (const row of rows) found.set(row.content_key, toDate(row.modified));
      }
      const { rows } = await client.query<{ content_key: string }>({ name: "reader_diff_members", text: DIFF_MEMBERS, values: [queryUuid] });
      await client.query("commit");
      return { found, notRequested: rows.map((row) => row.content_key).filter((key) => !found.has(key)) };
    } catch (error) {
      await client.query("rollback").catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  async catalogQueries(catalogUuids: readonly string[]): Promise<ReadonlyMap<string, string>> {
    const uuids = [...new Set(catalogUuids.filter(isUuid).map((uuid) => uuid.toLowerCase()))];
    if (uuids.length === 0) return new Map();
    const rows = await this.#query<{ catalog_uuid: string; query_uuid: string }>("reader_catalog_queries", CATALOG_QUERIES, [uuids]);
    return new Map(rows.map((row) => [row.catalog_uuid, row.query_uuid]));
  }

  async lookUpContent(lookup: ContentLookup, page: PageRequest): Promise<Page<ContentMetadata>> {
    const filtered = lookup.contentKeys !== undefined || lookup.contentUuids !== undefined;
    const coerce = lookup.coerceToParentCourse === true;
    const limit = Math.max(0, Math.floor(page.pageSize));
    const offset = Math.max(0, (Math.floor(page.page) - 1) * limit);
    const params: unknown[] = [limit, offset];
    if (filtered) params.push([...(lookup.contentKeys ?? [])], (lookup.contentUuids ?? []).filter(isUuid));
    const [name, sql] = filtered
      ? (coerce ? ["reader_look_up_filtered_coerced", LOOK_UP.filteredCoerced] : ["reader_look_up_filtered", LOOK_UP.filtered])
      : (coerce ? ["reader_look_up_all_coerced", LOOK_UP.allCoerced] : ["reader_look_up_all", LOOK_UP.all]);
    const rows = await this.#query<ContentSqlRow & { total: unknown }>(name, sql, params);
    if (rows.length === 0) {
      // Past the end the window gives no count; only an empty first page is certain to be 0.
      if (offset === 0) return { count: 0, items: [] };
      const first = await this.lookUpContent(lookup, { page: 1, pageSize: 1 });
      return { count: first.count, items: [] };
    }
    return { count: toInt(rows[0]?.total), items: rows.map(contentFromRow) };
  }

  async findCustomerContent(
    customerUuid: string,
    identifier: { readonly contentUuid: string } | { readonly contentKey: string },
    kind: MatchKind,
  ): Promise<{ readonly catalog: CatalogSnapshot; readonly content: ContentMetadata } | undefined> {
    if (!isUuid(customerUuid)) return undefined;
    let rows: (CatalogSqlRow & ContentSqlRow)[];
    if ("contentUuid" in identifier) {
      if (!isUuid(identifier.contentUuid)) return undefined;
      rows = await this.#query("reader_customer_content_uuid", CUSTOMER_CONTENT_BY_UUID, [customerUuid, identifier.contentUuid]);
    } else {
      const key = identifier.contentKey;
      rows = await this.#query(`reader_customer_content_key_${kind}`, CUSTOMER_CONTENT_BY_KEY[kind], [customerUuid, key, namedCourses([key])[0]]);
    }
    const row = rows[0];
    return row === undefined ? undefined : { catalog: snapshotFromRow(row), content: contentFromRow(row) };
  }

  async #query<T>(name: string, text: string, values: unknown[]): Promise<T[]> {
    const result = await this.#pool.query({ name, text, values });
    return result.rows as T[];
  }
}

interface CatalogSqlRow {
  catalog_uuid: string;
  title: string;
  enterprise_customer_uuid: string;
  enterprise_customer_name: string;
  catalog_query_uuid: string;
  enabled_course_modes: string[];
  publish_audit_enrollment_urls: boolean;
  created: unknown;
  modified: unknown;
  content_version: unknown;
  content_last_modified: unknown;
}

interface ContentSqlRow extends ContentColumns {
  content_modified: unknown;
}

function snapshotFromRow(row: CatalogSqlRow): CatalogSnapshot {
  const catalog: EnterpriseCatalog = {
    uuid: row.catalog_uuid,
    title: row.title,
    enterpriseCustomerUuid: row.enterprise_customer_uuid,
    enterpriseCustomerName: row.enterprise_customer_name,
    queryUuid: row.catalog_query_uuid,
    enabledCourseModes: row.enabled_course_modes,
    publishAuditEnrollmentUrls: row.publish_audit_enrollment_urls,
    created: toDate(row.created),
    modified: toDate(row.modified),
  };
  return {
    catalog,
    contentVersion: toInt(row.content_version),
    contentLastModified: row.content_last_modified === null ? null : toDate(row.content_last_modified),
  };
}

function contentFromRow(row: ContentSqlRow): ContentMetadata {
  return contentFromColumns(row, row.content_modified);
}
