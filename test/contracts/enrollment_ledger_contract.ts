/** The `EnrollmentLedger` contract, run against every adapter of the port. */
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, beforeEach, describe, expect, test } from "vitest";
import type { Enrollment, PendingEnrollment } from "../../src/enrollment/enrollment.ts";
import { ConflictError, NotFoundError } from "../../src/errors.ts";
import type { EnrollmentLedger } from "../../src/ports/enrollment_ledger.ts";

/** One ledger adapter and how to empty it. */
export interface LedgerHarness {
  readonly ledger: EnrollmentLedger;
  /** Empties every table, between tests. */
  reset(): Promise<void>;
  /** Lets go of everything the harness holds. */
  close(): Promise<void>;
}

const T0 = new Date("2026-01-01T00:00:00.000Z");
const T1 = new Date("2026-01-02T00:00:00.000Z");
const CUSTOMER = "a94412c9-f91c-4d0d-87cb-1ca1c0d11457";
const OTHER_CUSTOMER = "6ae013d4-c5f4-474f-8a12-a4e1b8c0f2d3";
const RUN = "course-v1:edX+DemoX+2T2026";

function enrollment(userId: number, courseRunKey = RUN, extra: Partial<Enrollment> = {}): Enrollment {
  return {
    uuid: randomUUID(), userId, courseRunKey, mode: "verified", enterpriseCustomerUuid: CUSTOMER,
    licenseUuid: randomUUID(), transactionId: null, created: T0, ...extra,
  };
}

function pending(email: string, courseRunKey = RUN, extra: Partial<PendingEnrollment> = {}): PendingEnrollment {
  return {
    uuid: randomUUID(), enterpriseCustomerUuid: CUSTOMER, email, courseRunKey, mode: "audit",
    licenseUuid: null, transactionId: "ba1f7b61-9519-87dc-2e17-43fa4886b62d", discountPercentage: 12.5, created: T0, ...extra,
  };
}

/** Registers the suite; `setup` runs once, the harness is reset before every test. */
export function describeEnrollmentLedgerContract(name: string, setup: () => Promise<LedgerHarness>): void {
  describe(`EnrollmentLedger contract: ${name}`, () => {
    let harness: LedgerHarness;
    let ledger: EnrollmentLedger;

    beforeAll(async () => {
      harness = await setup();
      ledger = harness.ledger;
    });
    afterAll(async () => {
      await harness?.close();
    });
    beforeEach(async () => {
      await harness.reset();
    });

    test("registerLearners() inserts new user ids, changes emails of known ones and counts both", async () => {
      expect(await ledger.registerLearners([{ userId: 1, email: "a@acme.com" }, { userId: 2, email: "b@acme.com" }], T0))
        .toEqual({ created: 2, updated: 0, unchanged: 0 });
      expect(await ledger.registerLearners([{ userId: 1, email: "a@acme.com" }, { userId: 2, email: "b2@acme.com" }, { userId: 3, email: "c@acme.com" }], T1))
        .toEqual({ created: 1, updated: 1, unchanged: 1 });
      expect(await ledger.findLearners({ userIds: [1, 2, 3] })).toEqual([
        { userId: 1, email: "a@acme.com" }, { userId: 2, email: "b2@acme.com" }, { userId: 3, email: "c@acme.com" },
      ]);
    });

    test("registerLearners() throws ConflictError and writes nothing when an email would belong to two user ids", async () => {
      await ledger.registerLearners([{ userId: 1, email: "a@acme.com" }], T0);
      await expect(ledger.registerLearners([{ userId: 5, email: "new@acme.com" }, { userId: 2, email: "a@acme.com" }], T1))
        .rejects.toBeInstanceOf(ConflictError);
      expect(await ledger.findLearners({ userIds: [1, 2, 5], emails: ["new@acme.com"] })).toEqual([{ userId: 1, email: "a@acme.com" }]);
    });

    test("findLearners() matches user ids or emails, returns each learner once by user id, leaves absent keys out", async () => {
      await ledger.registerLearners([{ userId: 30, email: "x@acme.com" }, { userId: 10, email: "y@acme.com" }, { userId: 20, email: "z@acme.com" }], T0);
      expect(await ledger.findLearners({ userIds: [30, 99], emails: ["y@acme.com", "x@acme.com", "nobody@acme.com"] })).toEqual([
        { userId: 10, email: "y@acme.com" }, { userId: 30, email: "x@acme.com" },
      ]);
      expect(await ledger.findLearners({})).toEqual([]);
      expect(await ledger.findLearners({ userIds: [], emails: [] })).toEqual([]);
    });

    test("recordEnrollments() creates new enrollments and returns the stored one with created false on replay", async () => {
      await ledger.registerLearners([{ userId: 1, email: "a@acme.com" }, { userId: 2, email: "b@acme.com" }], T0);
      const first = [enrollment(1), enrollment(2)];
      const written = await ledger.recordEnrollments(first);
      expect(written).toEqual(first.map((record) => ({ record, created: true })));
      const replay = [enrollment(2, RUN, { mode: "audit", created: T1 }), enrollment(1)];
      expect(await ledger.recordEnrollments(replay)).toEqual([
        { record: first[1], created: false },
        { record: first[0], created: false },
      ]);
      expect(await ledger.listEnrollments({})).toHaveLength(2);
    });

    test("recordEnrollments() gives an input repeating an earlier one in the same call the earlier record, not created", async () => {
      await ledger.registerLearners([{ userId: 1, email: "a@acme.com" }], T0);
      const a = enrollment(1);
      const again = enrollment(1, RUN, { mode: "audit" });
      const other = enrollment(1, "course-v1:MITx+6.00x+1T2026");
      expect(await ledger.recordEnrollments([a, other, again])).toEqual([
        { record: a, created: true }, { record: other, created: true }, { record: a, created: false },
      ]);
    });

    test("recordEnrollments() throws NotFoundError and writes nothing when a learner is not registered", async () => {
      await ledger.registerLearners([{ userId: 1, email: "a@acme.com" }], T0);
      await expect(ledger.recordEnrollments([enrollment(1), enrollment(404)])).rejects.toBeInstanceOf(NotFoundError);
      expect(await ledger.listEnrollments({})).toEqual([]);
    });

    test("recordEnrollments() agrees on one row when two callers record the same enrollment at once", async () => {
      await ledger.registerLearners([{ userId: 1, email: "a@acme.com" }], T0);
      const [a, b] = await Promise.all([ledger.recordEnrollments([enrollment(1)]), ledger.recordEnrollments([enrollment(1)])]);
      const results = [a?.[0], b?.[0]];
      expect(results.filter((result) => result?.created)).toHaveLength(1);
      expect(results[0]?.record.uuid).toBe(results[1]?.record.uuid);
      expect(await ledger.listEnrollments({})).toHaveLength(1);
    });

    test("recordEnrollments() takes 12,000 records in one call, in order", async () => {
      const learners = Array.from({ length: 6000 }, (_, i) => ({ userId: i + 1, email: `learner${i + 1}@acme.com` }));
      expect((await ledger.registerLearners(learners, T0)).created).toBe(6000);
      const records = learners.flatMap((learner) => [enrollment(learner.userId), enrollment(learner.userId, "course-v1:MITx+6.00x+1T2026")]);
      const written = await ledger.recordEnrollments(records);
      expect(written.every((result, i) => result.created && result.record.uuid === records[i]?.uuid)).toBe(true);
      const replay = await ledger.recordEnrollments(records.map((record) => ({ ...record, uuid: randomUUID() })));
      expect(replay.every((result, i) => !result.created && result.record.uuid === records[i]?.uuid)).toBe(true);
    });

    test("listEnrollments() filters by customer and user ids, ordered by created then uuid", async () => {
      await ledger.registerLearners([{ userId: 1, email: "a@acme.com" }, { userId: 2, email: "b@acme.com" }], T0);
      const late = enrollment(1, RUN, { created: T1 });
      const early = enrollment(2, RUN);
      const other = enrollment(1, "course-v1:MITx+6.00x+1T2026", { enterpriseCustomerUuid: OTHER_CUSTOMER, transactionId: "tx-1", licenseUuid: null });
      await ledger.recordEnrollments([late, early, other]);
      const sameTime = [early, other].sort((x, y) => (x.uuid < y.uuid ? -1 : 1));
      expect(await ledger.listEnrollments({})).toEqual([...sameTime, late]);
      expect(await ledger.listEnrollments({ enterpriseCustomerUuid: CUSTOMER })).toEqual([early, late]);
      expect(await ledger.listEnrollments({ userIds: [1] })).toEqual([other, late]);
      expect(await ledger.listEnrollments({ enterpriseCustomerUuid: CUSTOMER, userIds: [2] })).toEqual([early]);
      expect(await ledger.listEnrollments({ enterpriseCustomerUuid: "not-a-uuid" })).toEqual([]);
    });

    test("recordPendingEnrollments() keys pending enrollments by customer, email and run; replays are not created", async () => {
      const first = [pending("new@acme.com"), pending("new@acme.com", RUN, { enterpriseCustomerUuid: OTHER_CUSTOMER })];
      expect(await ledger.recordPendingEnrollments(first)).toEqual(first.map((record) => ({ record, created: true })));
      const again = pending("new@acme.com", RUN, { licenseUuid: randomUUID(), transactionId: null });
      const repeated = pending("two@acme.com");
      expect(await ledger.recordPendingEnrollments([again, repeated, pending("two@acme.com")])).toEqual([
        { record: first[0], created: false }, { record: repeated, created: true }, { record: repeated, created: false },
      ]);
      expect(await ledger.listPendingEnrollments({ enterpriseCustomerUuid: CUSTOMER })).toHaveLength(2);
      expect(await ledger.listPendingEnrollments({ emails: ["new@acme.com"] })).toHaveLength(2);
      expect(await ledger.listPendingEnrollments({ enterpriseCustomerUuid: OTHER_CUSTOMER, emails: ["two@acme.com"] })).toEqual([]);
    });

    test("pending enrollments need no learner, and learners do not see them as enrollments", async () => {
      await ledger.recordPendingEnrollments([pending("ghost@acme.com")]);
      expect(await ledger.findLearners({ emails: ["ghost@acme.com"] })).toEqual([]);
      expect(await ledger.listEnrollments({})).toEqual([]);
    });

    test("convertPendingEnrollments() records the enrollments, deletes exactly those pending rows and changes nothing else", async () => {
      await ledger.registerLearners([{ userId: 1, email: "a@acme.com" }, { userId: 2, email: "b@acme.com" }], T0);
      const kept = enrollment(2, "course-v1:MITx+6.00x+1T2026");
      await ledger.recordEnrollments([kept]);
      const forA = pending("a@acme.com");
      const forB = pending("b@acme.com");
      const untouched = [pending("a@acme.com", "course-v1:MITx+6.00x+1T2026"), pending("ghost@acme.com")];
      await ledger.recordPendingEnrollments([forA, forB, ...untouched]);
      const fromA = enrollment(1, RUN, { mode: forA.mode, licenseUuid: null, transactionId: forA.transactionId, created: T1 });
      const fromB = enrollment(2, RUN, { mode: forB.mode, licenseUuid: null, transactionId: forB.transactionId, created: T1 });
      expect(await ledger.convertPendingEnrollments([{ pendingUuid: forA.uuid, enrollment: fromA }, { pendingUuid: forB.uuid, enrollment: fromB }]))
        .toEqual([{ record: fromA, created: true }, { record: fromB, created: true }]);
      expect(await ledger.listEnrollments({})).toEqual([kept, ...[fromA, fromB].sort((x, y) => (x.uuid < y.uuid ? -1 : 1))]);
      const remaining = await ledger.listPendingEnrollments({});
      expect(remaining).toEqual([...untouched].sort((x, y) => (x.uuid < y.uuid ? -1 : 1)));
    });

    test("convertPendingEnrollments() keeps an existing enrollment, not created, and still deletes its pending row; a replay records nothing", async () => {
      await ledger.registerLearners([{ userId: 1, email: "a@acme.com" }], T0);
      const existing = enrollment(1);
      await ledger.recordEnrollments([existing]);
      const waiting = pending("a@acme.com");
      await ledger.recordPendingEnrollments([waiting]);
      const conversion = { pendingUuid: waiting.uuid, enrollment: enrollment(1, RUN, { mode: "audit", created: T1 }) };
      expect(await ledger.convertPendingEnrollments([conversion])).toEqual([{ record: existing, created: false }]);
      expect(await ledger.listPendingEnrollments({})).toEqual([]);
      expect(await ledger.convertPendingEnrollments([{ ...conversion, enrollment: { ...conversion.enrollment, uuid: randomUUID() } }]))
        .toEqual([{ record: existing, created: false }]);
      expect(await ledger.listEnrollments({})).toEqual([existing]);
    });

    test("convertPendingEnrollments() throws NotFoundError and writes nothing when a learner is not registered", async () => {
      await ledger.registerLearners([{ userId: 1, email: "a@acme.com" }], T0);
      const forA = pending("a@acme.com");
      const forGhost = pending("ghost@acme.com");
      await ledger.recordPendingEnrollments([forA, forGhost]);
      await expect(ledger.convertPendingEnrollments([
        { pendingUuid: forA.uuid, enrollment: enrollment(1) },
        { pendingUuid: forGhost.uuid, enrollment: enrollment(404) },
      ])).rejects.toBeInstanceOf(NotFoundError);
      expect(await ledger.listEnrollments({})).toEqual([]);
      expect(await ledger.listPendingEnrollments({})).toHaveLength(2);
    });

    test("empty writes change nothing and return nothing", async () => {
      expect(await ledger.registerLearners([], T0)).toEqual({ created: 0, updated: 0, unchanged: 0 });
      expect(await ledger.recordEnrollments([])).toEqual([]);
      expect(await ledger.recordPendingEnrollments([])).toEqual([]);
      expect(await ledger.convertPendingEnrollments([])).toEqual([]);
    });
  });
}
