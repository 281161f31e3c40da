/**
 * The containment read model's Postgres side (decision 0018): `PostgresReadModelSource` loads its
 * parts, each with its version from one snapshot, on the read pool; `PostgresReadModelChanges`
 * listens for versions on a dedicated connection (`LISTEN`, notified by `read_model_notify.ts` on
 * commit), re-reads every version each `checkMs` in case a notice was missed, and synchronizes with
 * a round trip on that same connection: Postgres delivers a listening session every notice committed
 * before a statement ahead of that statement's answer.
 */
import pg from "pg";
import type { CatalogEntry } from "../../src/content/membership_model.ts";
import type { ReadModelChanges, ReadModelSource, ReadModelVersion } from "../../src/ports/read_model_source.ts";
import { isUuid } from "../../src/validation.ts";
import { parseNotice, READ_MODEL_CHANNEL } from "./read_model_notify.ts";

/** How long after a version is committed a missed notice can hide it at most, by default. */
export const DEFAULT_CHECK_MS = 1000;
/** The default of `ReadModelChangesOptions.syncTimeoutMs`: a trivial statement answers in far less. */
const DEFAULT_SYNC_TIMEOUT_MS = 500;

/** The listening connection's `application_name`, to tell it apart in `pg_stat_activity`. */
export const READ_MODEL_APPLICATION = "catalog-read-model";

/** `ReadModelSource` over the read pool (the caller's to end). */
export class PostgresReadModelSource implements ReadModelSource {
  readonly #pool: pg.Pool;

  constructor(pool: pg.Pool) {
    this.#pool = pool;
  }

  async loadCatalogs(): Promise<{ readonly version: number; readonly catalogs: readonly CatalogEntry[] }> {
    return await this.#snapshot(async (client) => {
      const version = await sharedVersion(client, "catalogs");
      const { rows } = await client.query<[string, string, string, Date]>({
        text: `select uuid::text, enterprise_customer_uuid::text, catalog_query_uuid::text, created from enterprise_catalog`,
        rowMode: "array",
      });
      return { version, catalogs: rows.map(([uuid, customerUuid, queryUuid, created]) => ({ uuid, customerUuid, queryUuid, created })) };
    });
  }

  async loadContent() {
    return await this.#snapshot(async (client) => {
      const version = await sharedVersion(client, "content");
      const { rows } = await client.query<[string, string | null, string[]]>({
        text: `select content_key, parent_content_key, course_run_keys from content_metadata`,
        rowMode: "array",
      });
      return {
        version,
        rows: { keys: rows.map((row) => row[0]), parents: rows.map((row) => row[1]), listedRuns: rows.map((row) => row[2] ?? []) },
      };
    });
  }

  async loadQuery(queryUuid: string) {
    if (!isUuid(queryUuid)) return undefined;
    return await this.#snapshot(async (client) => {
      const versions = await client.query<[number]>({ text: "select content_version from catalog_query where uuid = $1", values: [queryUuid], rowMode: "array" });
      const version = versions.rows[0]?.[0];
      if (version === undefined) return undefined;
      const members = await client.query<[string, string | null]>({
        text: "select content_key, parent_content_key from query_content where query_uuid = $1", values: [queryUuid], rowMode: "array",
      });
      const restricted = await client.query<[string, string]>({
        text: "select run_key, course_key from query_restricted_run where query_uuid = $1", values: [queryUuid], rowMode: "array",
      });
      return {
        version: Number(version),
        rows: {
          keys: members.rows.map((row) => row[0]),
          parents: members.rows.map((row) => row[1]),
          restrictedRuns: restricted.rows.map((row) => row[0]),
          restrictedCourses: restricted.rows.map((row) => row[1]),
        },
      };
    });
  }

  /** Runs `read` in one read-only repeatable-read snapshot. */
  async #snapshot<T>(read: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    const client = await this.#pool.connect();
    try {
      await client.query("begin isolation level repeatable read read only");
      const result = await read(client);
      await client.query("commit");
      return result;
    } catch (error) {
      await client.query("rollback").catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }
}

async function sharedVersion(client: pg.PoolClient, part: "catalogs" | "content"): Promise<number> {
  const { rows } = await client.query<[string]>({ text: "select version from read_model_version where part = $1", values: [part], rowMode: "array" });
  const version = rows[0]?.[0];
  if (version === undefined) throw new TypeError(`No read-model version row for "${part}": is the database migrated?`);
  return Number(version);
}

/** Every version: both shared parts' and every query's. */
const ALL_VERSIONS = `select part, version::bigint from read_model_version
  union all select 'query ' || uuid::text, content_version::bigint from catalog_query`;

/** What `PostgresReadModelChanges` is told to do. */
export interface ReadModelChangesOptions {
  /** How often every version is re-read (the bound on a missed notice); `DEFAULT_CHECK_MS` by default. */
  readonly checkMs?: number;
  /** How long to wait before reconnecting a lost connection. */
  readonly reconnectMs?: number;
  /**
   * How long a sync round trip (or the first connection) may take before the connection counts as
   * lost and the question is answered from PostgreSQL, whose own waits are bounded: a database that
   * stops answering without closing its connections must not hold a read forever.
   */
  readonly syncTimeoutMs?: number;
  /** How long opening the listening connection may take (`CATALOG_DB_CONNECT_TIMEOUT_MS` when served). */
  readonly connectTimeoutMs?: number;
  /** Told about connection failures (they cost answers from memory, never correctness). */
  readonly onError?: (error: unknown) => void;
}

type Listener = Parameters<ReadModelChanges["subscribe"]>[0];

/** `ReadModelChanges` over `LISTEN/NOTIFY` on a connection of its own. */
export class PostgresReadModelChanges implements ReadModelChanges {
  readonly #databaseUrl: string;
  readonly #checkMs: number;
  readonly #reconnectMs: number;
  readonly #syncTimeoutMs: number;
  readonly #connectTimeoutMs: number;
  readonly #onError: (error: unknown) => void;
  readonly #listeners = new Set<Listener>();
  #client: pg.Client | undefined;
  /** True once `LISTEN` has been answered on `#client`, until the connection is lost. */
  #listening = false;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #inFlight: Promise<boolean> | undefined;
  /** True while `#inFlight` waits for its turn and has not been sent. */
  #pending = false;
  #next: Promise<boolean> | undefined;
  #closed = false;
  /** The first connection, while it is being made: `sync()` waits for it rather than fail at start-up. */
  #starting: Promise<void> | undefined;

  constructor(databaseUrl: string, options: ReadModelChangesOptions = {}) {
    this.#databaseUrl = databaseUrl;
    this.#checkMs = options.checkMs ?? DEFAULT_CHECK_MS;
    this.#reconnectMs = options.reconnectMs ?? 1000;
    this.#syncTimeoutMs = options.syncTimeoutMs ?? DEFAULT_SYNC_TIMEOUT_MS;
    this.#connectTimeoutMs = options.connectTimeoutMs ?? 1500;
    this.#onError = options.onError ?? (() => {});
  }

  subscribe(listener: Listener): () => void {
    this.#listeners.add(listener);
    this.#closed = false;
    if (this.#client === undefined) {
      const starting = this.#connect().finally(() => {
        if (this.#starting === starting) this.#starting = undefined;
      });
      this.#starting = starting;
    }
    return () => {
      this.#listeners.delete(listener);
      if (this.#listeners.size === 0) void this.close();
    };
  }

  sync(): Promise<boolean> {
    if (!this.#listening) return this.#starting === undefined ? Promise.resolve(false) : within(this.#starting, this.#syncTimeoutMs).then((started) => started === "answered" && this.sync());
    // A round trip already on its way may have left before this call: share the next one.
    if (this.#inFlight === undefined) return this.#roundTrip();
    // Not yet sent (still waiting for its turn): this call is before it, so it may share it.
    if (this.#pending) return this.#inFlight;
    return this.#next ??= this.#inFlight.then(() => {
      this.#next = undefined;
      return this.#roundTrip();
    });
  }

  /** Stops listening and closes the connection. */
  async close(): Promise<void> {
    this.#closed = true;
    clearTimeout(this.#timer);
    const client = this.#client;
    this.#client = undefined;
    this.#listening = false;
    this.#starting = undefined;
    await client?.end().catch(() => undefined);
  }

  /**
   * One round trip, sent one event-loop turn after its first caller (so the questions that arrived
   * in the same turn share it, as the reader's coalescer does) and always after every caller.
   */
  #roundTrip(): Promise<boolean> {
    this.#pending = true;
    const trip = new Promise<void>((resolve) => setImmediate(resolve)).then(() => {
      this.#pending = false;
      const client = this.#client;
      if (!this.#listening || client === undefined) return false;
      return within(client.query("select 1"), this.#syncTimeoutMs).then((outcome) => {
        if (outcome === "timed out") this.#lose(client, new Error(`Read-model listener: no answer to a sync within ${this.#syncTimeoutMs} ms`));
        return outcome === "answered" && this.#client === client && this.#listening;
      });
    });
    this.#inFlight = trip;
    void trip.finally(() => {
      if (this.#inFlight === trip) this.#inFlight = undefined;
    });
    return trip;
  }

  async #connect(): Promise<void> {
    const client = new pg.Client({ connectionString: this.#databaseUrl, application_name: READ_MODEL_APPLICATION, connectionTimeoutMillis: this.#connectTimeoutMs });
    this.#client = client;
    client.on("notification", (message) => {
      if (message.channel !== READ_MODEL_CHANNEL || message.payload === undefined) return;
      const notice = parseNotice(message.payload);
      if (notice !== undefined) this.#deliver(notice);
    });
    client.on("error", (error) => this.#lose(client, error));
    client.on("end", () => this.#lose(client, new Error("Read-model listener connection ended")));
    try {
      await client.connect();
      await client.query(`listen ${READ_MODEL_CHANNEL}`);
      if (this.#client !== client) return;
      this.#listening = true;
      await this.#check(client);
    } catch (error) {
      this.#lose(client, error);
    }
  }

  /** Re-reads every version, then again after `checkMs`, while this connection lasts. */
  async #check(client: pg.Client): Promise<void> {
    if (this.#client !== client) return;
    try {
      const { rows } = await client.query<[string, string]>({ text: ALL_VERSIONS, rowMode: "array" });
      for (const [part, version] of rows) {
        const notice = parseNotice(`${part} ${version}`);
        if (notice !== undefined) this.#deliver(notice);
      }
    } catch (error) {
      this.#lose(client, error);
      return;
    }
    if (this.#client !== client) return;
    this.#timer = setTimeout(() => void this.#check(client), this.#checkMs);
    this.#timer.unref?.();
  }

  #deliver(version: ReadModelVersion): void {
    for (const listener of this.#listeners) listener.changed(version);
  }

  #lose(client: pg.Client, error: unknown): void {
    if (this.#client !== client) return;
    this.#client = undefined;
    this.#listening = false;
    clearTimeout(this.#timer);
    client.end().catch(() => undefined);
    if (this.#closed) return;
    this.#onError(error);
    for (const listener of this.#listeners) listener.lost();
    this.#timer = setTimeout(() => {
      if (!this.#closed && this.#client === undefined && this.#listeners.size > 0) void this.#connect();
    }, this.#reconnectMs);
    this.#timer.unref?.();
  }
}

/** How `work` went within `ms`: settled with a value, failed, or still waiting when the time ran out. */
function within(work: Promise<unknown>, ms: number): Promise<"answered" | "failed" | "timed out"> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve("timed out"), ms);
    work.then(
      () => (clearTimeout(timer), resolve("answered")),
      () => (clearTimeout(timer), resolve("failed")),
    );
  });
}
