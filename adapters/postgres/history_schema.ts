/** The change history table, written by the catalog and curation stores (decisions/0013). */
import { defineEntity, type InferEntity, p } from "@mikro-orm/core";
import type { JsonObject } from "../../src/json.ts";

/**
 * One change of one record. `seq` orders the entries as they were recorded; `history_kind` and
 * `history_uuid` name the catalog or curation config whose history the entry is part of. No
 * foreign keys: the history outlives what it describes.
 */
export const ChangeHistorySchema = defineEntity({
  name: "ChangeHistoryRow",
  tableName: "change_history",
  properties: {
    seq: p.bigint("number").primary().autoincrement(),
    historyKind: p.text(),
    historyUuid: p.uuid(),
    enterpriseCustomerUuid: p.uuid(),
    recordKind: p.text(),
    recordUuid: p.uuid(),
    action: p.text(),
    actor: p.text(),
    changedAt: p.datetime(),
    snapshotBefore: p.json<JsonObject>().nullable(),
    snapshotAfter: p.json<JsonObject>().nullable(),
  },
  indexes: [{ properties: ["historyKind", "historyUuid", "seq"] }],
});
/** A `change_history` row. */
export type ChangeHistoryRow = InferEntity<typeof ChangeHistorySchema>;

/** The history's entities, for `ENTITIES` in `schema.ts`. */
export const HISTORY_ENTITIES = [ChangeHistorySchema] as const;
