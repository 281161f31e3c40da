import { randomUUID } from "node:crypto";
import { describe, expect, test } from "vitest";
import { MemoryEnrollmentLedger } from "../../adapters/memory/memory_enrollment_ledger.ts";
import { PostgresEnrollmentLedger } from "../../adapters/postgres/postgres_enrollment_ledger.ts";
import { describeEnrollmentLedgerContract, type LedgerHarness } from "../contracts/enrollment_ledger_contract.ts";
import { createTestDatabase } from "../helpers/database.ts";

describeEnrollmentLedgerContract("MemoryEnrollmentLedger", async () => {
  const ledger = new MemoryEnrollmentLedger();
  return { ledger, reset: async () => ledger.clear(), close: async () => {} };
});

describeEnrollmentLedgerContract("PostgresEnrollmentLedger", postgresLedger);

async function postgresLedger(): Promise<LedgerHarness & { count(work: () => Promise<unknown>): Promise<number> }> {
  const database = await createTestDatabase();
  const orm = database.orm;
  return {
    ledger: new PostgresEnrollmentLedger(orm.em),
    reset: async () => {
      await orm.em.fork().execute("delete from enrollment; delete from pending_enrollment; delete from learner");
    },
    close: () => database.drop(),
    async count(work) {
      const original = orm.config.get("onQuery");
      let statements = 0;
      orm.config.set("onQuery", (text: string, params: readonly unknown[]) => {
        statements++;
        return original(text, params);
      });
      try {
        await work();
      } finally {
        orm.config.set("onQuery", original);
      }
      return statements;
    },
  };
}

describe("PostgresEnrollmentLedger", () => {
  test("writes 10,000 learners, enrollments, pending enrollments and conversions in a handful of statements each", async () => {
    const harness = await postgresLedger();
    try {
      const now = new Date("2026-01-01T00:00:00Z");
      const learners = Array.from({ length: 10_000 }, (_, i) => ({ userId: i + 1, email: `l${i + 1}@acme.com` }));
      const customer = randomUUID();
      const enrollments = learners.map((learner) => ({
        uuid: randomUUID(), userId: learner.userId, courseRunKey: "course-v1:edX+DemoX+2T2026", mode: "audit",
        enterpriseCustomerUuid: customer, licenseUuid: "lic", transactionId: null, created: now,
      }));
      const pending = learners.map((learner) => ({
        uuid: randomUUID(), enterpriseCustomerUuid: customer, email: `p${learner.userId}@acme.com`, courseRunKey: "course-v1:edX+DemoX+2T2026",
        mode: "audit", licenseUuid: "lic", transactionId: null, discountPercentage: 100, created: now,
      }));
      expect(await harness.count(() => harness.ledger.registerLearners(learners, now))).toBeLessThanOrEqual(5);
      expect(await harness.count(() => harness.ledger.findLearners({ userIds: learners.map((l) => l.userId) }))).toBe(1);
      expect(await harness.count(() => harness.ledger.recordEnrollments(enrollments))).toBeLessThanOrEqual(5);
      expect(await harness.count(() => harness.ledger.recordPendingEnrollments(pending))).toBeLessThanOrEqual(5);
      const conversions = pending.map((p, i) => ({
        pendingUuid: p.uuid, enrollment: { ...(enrollments[i] as (typeof enrollments)[number]), uuid: randomUUID(), courseRunKey: "course-v1:edX+DemoX+3T2026" },
      }));
      expect(await harness.count(() => harness.ledger.convertPendingEnrollments(conversions))).toBeLessThanOrEqual(5);
      expect(await harness.ledger.listPendingEnrollments({})).toEqual([]);
    } finally {
      await harness.close();
    }
  });
});
