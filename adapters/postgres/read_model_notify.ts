/**
 * The writing side of the containment read model's versions (decision 0018): the statements a
 * writing transaction ends with, so that the new version and its notice commit with the write, and
 * the notice (`NOTIFY`, delivered on commit) cannot reach a listener before the data can be read.
 * Payloads: `catalogs <version>`, `content <version>`, `query <uuid> <version>`.
 */
import { type Em, query } from "./_internal.ts";

/** The channel every serving process listens on. */
export const READ_MODEL_CHANNEL = "catalog_read_model";

/** The shared parts whose version is a row of `read_model_version`. */
export type SharedPart = "catalogs" | "content";

/**
 * Bumps a shared part's version and notifies it. Its row stays locked until commit: writers of the
 * part serialize on it there, so it is the last statement of their transaction.
 */
export async function publishPart(em: Em, part: SharedPart): Promise<void> {
  await query(
    em,
    `with bumped as (update read_model_version set version = version + 1 where part = ? returning version)
     select pg_notify('${READ_MODEL_CHANNEL}', ? || ' ' || version) from bumped`,
    [part, part],
  );
}

/** Notifies the current content version of each of these queries (already bumped in this transaction). */
export async function publishQueryVersions(em: Em, queryUuids: readonly string[]): Promise<void> {
  if (queryUuids.length === 0) return;
  await query(
    em,
    `select pg_notify('${READ_MODEL_CHANNEL}', 'query ' || uuid::text || ' ' || content_version)
       from catalog_query where uuid in (select value::uuid from jsonb_array_elements_text(?::jsonb))`,
    [JSON.stringify([...new Set(queryUuids)])],
  );
}

/** A notice's payload read back; undefined when it is not one of ours. */
export function parseNotice(payload: string): { part: "catalogs" | "content"; version: number } | { part: "query"; queryUuid: string; version: number } | undefined {
  const [part, first, second] = payload.split(" ");
  if ((part === "catalogs" || part === "content") && first !== undefined && second === undefined) {
    const version = Number(first);
    return Number.isSafeInteger(version) ? { part, version } : undefined;
  }
  if (part === "query" && first !== undefined && second !== undefined) {
    const version = Number(second);
    return Number.isSafeInteger(version) ? { part, queryUuid: first.toLowerCase(), version } : undefined;
  }
  return undefined;
}
