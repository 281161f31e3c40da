/** The change history's wire shape (`HistoryEntry` in openapi.yaml). */
import { type Change, changedFields } from "../../src/history/change.ts";
import type { Schemas } from "./operation_types.ts";

/** One change as the history endpoints show it. */
export function changeToWire(change: Change): Schemas["HistoryEntry"] {
  return {
    changed_at: change.changedAt.toISOString(),
    changed_by: change.actor,
    action: change.action,
    record_type: change.recordKind,
    record_uuid: change.recordUuid,
    changed_fields: changedFields(change),
    before: change.before,
    after: change.after,
  };
}
