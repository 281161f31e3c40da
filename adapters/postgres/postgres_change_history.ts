/** The change history over Postgres, shared by the catalog and curation stores: it writes on their EntityManager. */
import { type Change, type ChangeAction, type HistoryTrail, type RecordKind } from "../../src/history/change.ts";
import type { ChangeHistory } from "../../src/ports/change_history.ts";
import type { Page, PageRequest } from "../../src/ports/page.ts";
import { isUuid } from "../../src/validation.ts";
import { type Em, toDate, toInt, unitOf } from "./_internal.ts";
import { type ChangeHistoryRow, ChangeHistorySchema } from "./history_schema.ts";

/**
 * `ChangeHistory` on an EntityManager: inside the store's transaction (the EntityManager it was built
 * over, or one the caller opened) its entries join that transaction.
 */
export class PostgresChangeHistory implements ChangeHistory {
  #em: Em;

  constructor(em: Em) {
    this.#em = em;
  }

  async recordChanges(changes: readonly Change[]): Promise<void> {
    if (changes.length === 0) return;
    // One statement, in the order given: identity values follow the rows' order.
    await unitOf(this.#em).insertMany(ChangeHistorySchema, changes.map((change) => ({
      historyKind: change.trail.kind,
      historyUuid: change.trail.uuid,
      enterpriseCustomerUuid: change.enterpriseCustomerUuid,
      recordKind: change.recordKind,
      recordUuid: change.recordUuid,
      action: change.action,
      actor: change.actor,
      changedAt: change.changedAt,
      snapshotBefore: change.before,
      snapshotAfter: change.after,
    })));
  }

  async listChanges(trail: HistoryTrail, page: PageRequest): Promise<Page<Change>> {
    if (!Number.isInteger(page.page) || page.page < 1 || !Number.isInteger(page.pageSize) || page.pageSize < 1) {
      throw new RangeError(`Page must be a positive integer and page size at least 1: ${page.page}, ${page.pageSize}`);
    }
    if (!isUuid(trail.uuid)) return { items: [], count: 0 };
    const [rows, count] = await unitOf(this.#em).findAndCount(
      ChangeHistorySchema,
      { historyKind: trail.kind, historyUuid: trail.uuid.toLowerCase() },
      { orderBy: { seq: "desc" }, limit: page.pageSize, offset: (page.page - 1) * page.pageSize, disableIdentityMap: true },
    );
    return { items: rows.map(changeFromRow), count: toInt(count) };
  }
}

function changeFromRow(row: ChangeHistoryRow): Change {
  return {
    trail: { kind: row.historyKind as HistoryTrail["kind"], uuid: row.historyUuid },
    enterpriseCustomerUuid: row.enterpriseCustomerUuid,
    recordKind: row.recordKind as RecordKind,
    recordUuid: row.recordUuid,
    action: row.action as ChangeAction,
    actor: row.actor,
    changedAt: toDate(row.changedAt),
    before: row.snapshotBefore ?? null,
    after: row.snapshotAfter ?? null,
  };
}
