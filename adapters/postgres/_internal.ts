/** Helpers shared by the Postgres stores; not part of the adapter's public face. */
import { DriverException } from "@mikro-orm/core";
import type { EntityManager } from "@mikro-orm/postgresql";
// MikroORM's own query layer (a dependency of @mikro-orm/sql); only its compiled-query value is used.
import { CompiledQuery } from "kysely";
import type { ContentMetadata, ContentType } from "../../src/content/content_metadata.ts";
import type { JsonObject } from "../../src/json.ts";

/** The EntityManager the stores are built over: `orm.em`, a request fork, or a transaction's. */
export type Em = EntityManager;

/** Largest number of rows one set-based statement carries; more are split into several. */
export const ROWS_PER_STATEMENT = 5_000;

/** Largest JSON payload, in characters, one statement carries before it is split. */
export const CHARS_PER_STATEMENT = 16 * 1024 * 1024;

/**
 * The EntityManager one operation runs on: the transaction's when there is one (also when the
 * caller opened it around the store), otherwise a fresh fork so nothing lingers in an identity map.
 */
export function unitOf(em: Em): Em {
  return em.isInTransaction() ? em : em.fork();
}

/**
 * Runs raw SQL on `em` (inside its transaction, if any) and returns the rows. Parameters are `?`
 * placeholders; MikroORM quotes them into the statement, so pass collections as JSON text.
 */
export async function query<T extends object>(em: Em, sql: string, params: readonly unknown[] = []): Promise<T[]> {
  return await em.execute<T[]>(sql, [...params], "all");
}

/**
 * Like `query`, but the parameters travel as bind parameters of the statement instead of being
 * quoted into it. MikroORM quotes a string one character at a time on the event loop: a refresh's
 * multi-megabyte JSON payload then blocks the serving process for hundreds of milliseconds and
 * churns the heap. Every `?` is a parameter and every parameter must be text (JSON, a uuid, an ISO
 * timestamp) cast in the SQL (`?::jsonb`), since Postgres infers an uncast parameter's type.
 */
export async function bulkQuery<T extends object>(em: Em, sql: string, params: readonly string[]): Promise<T[]> {
  let index = 0;
  // Through MikroORM's `onQuery` hook as its own statements go, so whatever watches them sees these.
  const text = em.config.get("onQuery")(sql, [...params]);
  const numbered = text.replace(/\?/g, () => `$${++index}`);
  if (index !== params.length) throw new TypeError(`bulkQuery: ${index} placeholders for ${params.length} parameters`);
  // Bound to the EntityManager's transaction when it is in one, as `em.execute` is.
  try {
    const result = await em.getKysely().executeQuery<T>(CompiledQuery.raw(numbered, [...params]));
    return [...result.rows];
  } catch (error) {
    // The same error types (and `sqlState`) as statements run through `query`.
    throw error instanceof Error ? em.getDriver().convertException(error) : error;
  }
}

/** A `timestamptz` from a raw row (MikroORM makes `pg` return them as text) or an entity. */
export function toDate(value: unknown): Date {
  if (value instanceof Date) return new Date(value.getTime());
  if (typeof value !== "string") throw new TypeError(`Expected a timestamp, got ${typeof value}`);
  // Postgres writes "2026-11-22 02:31:00.123+00"; Date wants "T" and a full "+00:00" offset.
  const iso = value.replace(" ", "T").replace(/([+-]\d\d)$/, "$1:00");
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) throw new TypeError(`Cannot read timestamp "${value}"`);
  return date;
}

/** A count or integer column, which `pg` may return as text (bigint). */
export function toInt(value: unknown): number {
  const number = typeof value === "number" ? value : Number(value);
  if (!Number.isSafeInteger(number)) throw new TypeError(`Expected an integer, got "${String(value)}"`);
  return number;
}


/** SQLSTATE of a database error MikroORM wrapped, if it is one. */
export function sqlState(error: unknown): string | undefined {
  if (!(error instanceof DriverException)) return undefined;
  return error.sqlState ?? error.code;
}

/** Items serialized between two yields to the event loop by `jsonChunks`. */
const ITEMS_PER_SLICE = 200;

/**
 * Items as JSON arrays of at most `ROWS_PER_STATEMENT` items under `CHARS_PER_STATEMENT`, one chunk
 * at a time, yielding to the event loop every `ITEMS_PER_SLICE` items: a refresh's thousands of
 * records take long to serialize, and the process serving reads runs it.
 */
export async function* jsonChunks(items: readonly unknown[]): AsyncGenerator<string> {
  let parts: string[] = [];
  let size = 0;
  let sinceYield = 0;
  for (const item of items) {
    if (++sinceYield === ITEMS_PER_SLICE) {
      sinceYield = 0;
      await new Promise((resolve) => setImmediate(resolve));
    }
    const json = JSON.stringify(item);
    if (parts.length > 0 && (parts.length >= ROWS_PER_STATEMENT || size + json.length > CHARS_PER_STATEMENT)) {
      yield `[${parts.join(",")}]`;
      parts = [];
      size = 0;
    }
    parts.push(json);
    size += json.length + 1;
  }
  if (parts.length > 0) yield `[${parts.join(",")}]`;
}

/** The columns of a `content_metadata` row that every content query selects. */
export interface ContentColumns {
  content_key: string;
  content_type: string;
  content_uuid: string | null;
  parent_content_key: string | null;
  json_metadata: JsonObject;
  fingerprint: string;
}

/** Maps a content row and its `modified` (selected under whichever alias the query needs) to content metadata. */
export function contentFromColumns(row: ContentColumns, modified: unknown): ContentMetadata {
  return {
    contentKey: row.content_key,
    contentType: row.content_type as ContentType,
    contentUuid: row.content_uuid,
    parentContentKey: row.parent_content_key,
    jsonMetadata: row.json_metadata,
    fingerprint: row.fingerprint,
    modified: toDate(modified),
  };
}
