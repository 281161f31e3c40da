/**
 * The change history of catalogs and curation: who changed which record, when, and what it was
 * before and after (decisions/0013). The use cases that write build the changes; the stores record
 * them in the transaction of the write itself.
 */
import { jsonFingerprint } from "../content/content_metadata.ts";
import type { JsonObject } from "../json.ts";

/** Who makes a change. Every use case that writes takes one. */
export interface ChangeAuthor {
  /** The caller's JWT subject at the HTTP edge; in-process, a name the program chooses (`"script:backfill"`). */
  readonly actor: string;
}

/** Longest actor kept; longer ones are cut. */
export const MAX_ACTOR_LENGTH = 200;

/** What happened to the record. */
export const CHANGE_ACTIONS = ["created", "changed", "deleted"] as const;
/** One of `CHANGE_ACTIONS`. */
export type ChangeAction = (typeof CHANGE_ACTIONS)[number];

/** The kinds of record whose changes are kept. */
export const RECORD_KINDS = ["enterprise_catalog", "enterprise_curation", "highlight_set", "highlighted_content"] as const;
/** One of `RECORD_KINDS`. */
export type RecordKind = (typeof RECORD_KINDS)[number];

/** Whose history a change is part of: a catalog's, or a curation config's (its sets and their highlights included). */
export interface HistoryTrail {
  readonly kind: "catalog" | "curation";
  readonly uuid: string;
}

/** One change of one record. */
export interface Change {
  readonly trail: HistoryTrail;
  /** The enterprise the record belonged to when it changed. */
  readonly enterpriseCustomerUuid: string;
  readonly recordKind: RecordKind;
  readonly recordUuid: string;
  readonly action: ChangeAction;
  readonly actor: string;
  readonly changedAt: Date;
  /** The record before the change; null when it was created. */
  readonly before: JsonObject | null;
  /** The record after the change; null when it was deleted. */
  readonly after: JsonObject | null;
}

/** What `describeChange` needs to know of a change besides its snapshots. */
export interface ChangeContext {
  readonly trail: HistoryTrail;
  readonly enterpriseCustomerUuid: string;
  readonly recordKind: RecordKind;
  readonly recordUuid: string;
  readonly author: ChangeAuthor;
  readonly now: Date;
}

/**
 * The change from `before` to `after` (undefined: the record did not exist); undefined when the
 * two are equal, so that writes that change nothing leave no entry.
 */
export function describeChange(context: ChangeContext, before: JsonObject | undefined, after: JsonObject | undefined): Change | undefined {
  if (before === undefined && after === undefined) throw new TypeError("A change needs a record before or after it");
  if (before !== undefined && after !== undefined && jsonFingerprint(before) === jsonFingerprint(after)) return undefined;
  return {
    trail: context.trail,
    enterpriseCustomerUuid: context.enterpriseCustomerUuid,
    recordKind: context.recordKind,
    recordUuid: context.recordUuid,
    action: before === undefined ? "created" : after === undefined ? "deleted" : "changed",
    actor: actorOf(context.author),
    changedAt: context.now,
    before: before ?? null,
    after: after ?? null,
  };
}

/** The top-level fields whose values differ between the snapshots, sorted; every field of a created or deleted record. */
export function changedFields(change: Pick<Change, "before" | "after">): string[] {
  const before = change.before ?? {};
  const after = change.after ?? {};
  const fields = new Set([...Object.keys(before), ...Object.keys(after)]);
  return [...fields]
    .filter((field) => !(field in before) || !(field in after) || jsonFingerprint(before[field] ?? null) !== jsonFingerprint(after[field] ?? null))
    .sort();
}

/** The actor as recorded: trimmed and cut to `MAX_ACTOR_LENGTH`; TypeError when blank (a caller that says nobody is a bug). */
export function actorOf(author: ChangeAuthor): string {
  const actor = typeof author?.actor === "string" ? author.actor.trim() : "";
  if (actor === "") throw new TypeError("A change needs an actor: pass { actor } naming who makes it");
  return actor.slice(0, MAX_ACTOR_LENGTH);
}
