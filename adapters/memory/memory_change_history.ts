/** The change history in a `MemoryDatabase`, shared by the memory catalog and curation stores. */
import type { Change, HistoryTrail } from "../../src/history/change.ts";
import type { ChangeHistory } from "../../src/ports/change_history.ts";
import type { Page, PageRequest } from "../../src/ports/page.ts";
import { isUuid } from "../../src/validation.ts";
import type { MemoryDatabase } from "./memory_database.ts";

/** `ChangeHistory` over a `MemoryDatabase`; its writes join the database's running transaction. */
export class MemoryChangeHistory implements ChangeHistory {
  #db: MemoryDatabase;

  constructor(db: MemoryDatabase) {
    this.#db = db;
  }

  async recordChanges(changes: readonly Change[]): Promise<void> {
    if (changes.length === 0) return;
    await this.#db.transaction(() => {
      this.#db.tables.changes = [...this.#db.tables.changes, ...changes.map(copyChange)];
    });
  }

  async listChanges(trail: HistoryTrail, page: PageRequest): Promise<Page<Change>> {
    if (!Number.isInteger(page.page) || page.page < 1 || !Number.isInteger(page.pageSize) || page.pageSize < 1) {
      throw new RangeError(`Page must be a positive integer and page size at least 1: ${page.page}, ${page.pageSize}`);
    }
    if (!isUuid(trail.uuid)) return { items: [], count: 0 };
    const uuid = trail.uuid.toLowerCase();
    const matching = this.#db.tables.changes.filter((change) => change.trail.kind === trail.kind && change.trail.uuid === uuid).reverse();
    const start = (page.page - 1) * page.pageSize;
    return { items: matching.slice(start, start + page.pageSize).map(copyChange), count: matching.length };
  }
}

/** A copy of a change that shares nothing with the original, its uuids in lowercase as Postgres gives them. */
function copyChange(change: Change): Change {
  return {
    ...change,
    trail: { kind: change.trail.kind, uuid: change.trail.uuid.toLowerCase() },
    enterpriseCustomerUuid: change.enterpriseCustomerUuid.toLowerCase(),
    recordUuid: change.recordUuid.toLowerCase(),
    changedAt: new Date(change.changedAt.getTime()),
    before: change.before === null ? null : structuredClone(change.before),
    after: change.after === null ? null : structuredClone(change.after),
  };
}
