/** The enrollment ledger in memory, for unit tests of the core and for the contract suite. */
import type { Enrollment, Learner, PendingEnrollment } from "../../src/enrollment/enrollment.ts";
import { ConflictError, NotFoundError } from "../../src/errors.ts";
import type {
  EnrollmentFilter,
  EnrollmentLedger,
  LearnerLookup,
  LearnerRegistration,
  PendingConversion,
  PendingEnrollmentFilter,
  Recorded,
} from "../../src/ports/enrollment_ledger.ts";
import { compareText } from "./memory_database.ts";

/**
 * `EnrollmentLedger` in memory. Every call completes synchronously between awaits, so each write
 * is atomic; stored objects are never shared with callers.
 */
export class MemoryEnrollmentLedger implements EnrollmentLedger {
  #learners = new Map<number, Learner>();
  #enrollments = new Map<string, Enrollment>();
  #pending = new Map<string, PendingEnrollment>();

  /** Every learner, enrollment and pending enrollment, copied (for tests that check what a call wrote). */
  contents(): { readonly learners: readonly Learner[]; readonly enrollments: readonly Enrollment[]; readonly pending: readonly PendingEnrollment[] } {
    return {
      learners: [...this.#learners.values()].sort((a, b) => a.userId - b.userId).map((learner) => ({ ...learner })),
      enrollments: [...this.#enrollments.values()].sort(byCreatedThenUuid).map(copyEnrollment),
      pending: [...this.#pending.values()].sort(byCreatedThenUuid).map(copyPending),
    };
  }

  /** Forgets everything (between tests). */
  clear(): void {
    this.#learners = new Map();
    this.#enrollments = new Map();
    this.#pending = new Map();
  }

  async registerLearners(learners: readonly Learner[], _now: Date): Promise<LearnerRegistration> {
    const next = new Map(this.#learners);
    let created = 0;
    let updated = 0;
    for (const learner of learners) {
      const known = next.get(learner.userId);
      if (known === undefined) created++;
      else if (known.email !== learner.email) updated++;
      next.set(learner.userId, { userId: learner.userId, email: learner.email });
    }
    const owners = new Map<string, number>();
    for (const learner of next.values()) {
      const owner = owners.get(learner.email);
      if (owner !== undefined) throw new ConflictError(`Email "${learner.email}" belongs to learners "${owner}" and "${learner.userId}"`);
      owners.set(learner.email, learner.userId);
    }
    this.#learners = next;
    return { created, updated, unchanged: learners.length - created - updated };
  }

  async findLearners(lookup: LearnerLookup): Promise<readonly Learner[]> {
    const ids = new Set(lookup.userIds ?? []);
    const emails = new Set(lookup.emails ?? []);
    return [...this.#learners.values()]
      .filter((learner) => ids.has(learner.userId) || emails.has(learner.email))
      .sort((a, b) => a.userId - b.userId)
      .map((learner) => ({ ...learner }));
  }

  async recordEnrollments(enrollments: readonly Enrollment[]): Promise<readonly Recorded<Enrollment>[]> {
    return this.#recordEnrollments(enrollments);
  }

  #recordEnrollments(enrollments: readonly Enrollment[]): Recorded<Enrollment>[] {
    const missing = enrollments.find((enrollment) => !this.#learners.has(enrollment.userId));
    if (missing !== undefined) throw new NotFoundError(`Cannot find learner with user id "${missing.userId}"`);
    return record(this.#enrollments, enrollments, (e) => `${e.userId}\u0000${e.courseRunKey}`, copyEnrollment);
  }

  async recordPendingEnrollments(pending: readonly PendingEnrollment[]): Promise<readonly Recorded<PendingEnrollment>[]> {
    return record(this.#pending, pending, (p) => `${p.enterpriseCustomerUuid.toLowerCase()}\u0000${p.email}\u0000${p.courseRunKey}`, copyPending);
  }

  async convertPendingEnrollments(conversions: readonly PendingConversion[]): Promise<readonly Recorded<Enrollment>[]> {
    // No await in between: the enrollments and the deletions land together.
    const recorded = this.#recordEnrollments(conversions.map((conversion) => conversion.enrollment));
    const uuids = new Set(conversions.map((conversion) => conversion.pendingUuid.toLowerCase()));
    for (const [key, pending] of this.#pending) {
      if (uuids.has(pending.uuid.toLowerCase())) this.#pending.delete(key);
    }
    return recorded;
  }

  async listEnrollments(filter: EnrollmentFilter): Promise<readonly Enrollment[]> {
    const ids = filter.userIds === undefined ? undefined : new Set(filter.userIds);
    return [...this.#enrollments.values()]
      .filter((e) => filter.enterpriseCustomerUuid === undefined || e.enterpriseCustomerUuid === filter.enterpriseCustomerUuid.toLowerCase())
      .filter((e) => ids === undefined || ids.has(e.userId))
      .sort(byCreatedThenUuid)
      .map(copyEnrollment);
  }

  async listPendingEnrollments(filter: PendingEnrollmentFilter): Promise<readonly PendingEnrollment[]> {
    const emails = filter.emails === undefined ? undefined : new Set(filter.emails);
    return [...this.#pending.values()]
      .filter((p) => filter.enterpriseCustomerUuid === undefined || p.enterpriseCustomerUuid === filter.enterpriseCustomerUuid.toLowerCase())
      .filter((p) => emails === undefined || emails.has(p.email))
      .sort(byCreatedThenUuid)
      .map(copyPending);
  }
}

function record<T>(table: Map<string, T>, inputs: readonly T[], keyOf: (item: T) => string, copy: (item: T) => T): Recorded<T>[] {
  return inputs.map((input) => {
    const key = keyOf(input);
    const stored = table.get(key);
    if (stored !== undefined) return { record: copy(stored), created: false };
    table.set(key, copy(input));
    return { record: copy(input), created: true };
  });
}

function copyEnrollment(enrollment: Enrollment): Enrollment {
  return { ...enrollment, uuid: enrollment.uuid.toLowerCase(), enterpriseCustomerUuid: enrollment.enterpriseCustomerUuid.toLowerCase(), created: new Date(enrollment.created.getTime()) };
}

function copyPending(pending: PendingEnrollment): PendingEnrollment {
  return { ...pending, uuid: pending.uuid.toLowerCase(), enterpriseCustomerUuid: pending.enterpriseCustomerUuid.toLowerCase(), created: new Date(pending.created.getTime()) };
}

function byCreatedThenUuid(a: { created: Date; uuid: string }, b: { created: Date; uuid: string }): number {
  return a.created.getTime() - b.created.getTime() || compareText(a.uuid, b.uuid);
}
