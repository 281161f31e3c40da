import type { Enrollment, Learner, PendingEnrollment } from "../enrollment/enrollment.ts";

/** Which learners to look up; a learner matching either list is returned once. */
export interface LearnerLookup {
  readonly userIds?: readonly number[];
  /** Lower-cased emails (the core normalizes them before they reach the ledger). */
  readonly emails?: readonly string[];
}

/** What registering learners changed. */
export interface LearnerRegistration {
  /** User ids the ledger did not know. */
  readonly created: number;
  /** Known user ids whose email changed. */
  readonly updated: number;
  /** Known user ids with the same email. */
  readonly unchanged: number;
}

/** One written record and whether this call created it. */
export interface Recorded<T> {
  /** The stored record: the new one, or the one that was already there. */
  readonly record: T;
  readonly created: boolean;
}

/** A pending enrollment to turn into an enrollment: the pending row's uuid and the enrollment to record for it. */
export interface PendingConversion {
  readonly pendingUuid: string;
  readonly enrollment: Enrollment;
}

/** Which enrollments a listing returns; absent fields do not filter. */
export interface EnrollmentFilter {
  readonly enterpriseCustomerUuid?: string;
  readonly userIds?: readonly number[];
}

/** Which pending enrollments a listing returns; absent fields do not filter. */
export interface PendingEnrollmentFilter {
  readonly enterpriseCustomerUuid?: string;
  readonly emails?: readonly string[];
}

/**
 * Learners, their enrollments in course runs, and pending enrollments for emails no learner has yet.
 *
 * Every write is atomic: all of a call's records land, or none do. Writes are set-based: a call
 * with thousands of records costs a handful of statements, not one per record. Enrollments are
 * unique per (user id, course run key) and pending enrollments per (customer, email, course run
 * key); recording one that exists leaves the stored one untouched and returns it with
 * `created: false`. Lookups leave absent keys out; listings are ordered by `created`, then uuid.
 */
export interface EnrollmentLedger {
  /**
   * Inserts unknown user ids and changes the email of known ones. Throws ConflictError, writing
   * nothing, when an email would belong to two user ids. User ids and emails are unique in the input.
   */
  registerLearners(learners: readonly Learner[], now: Date): Promise<LearnerRegistration>;
  /** The learners having one of these user ids or emails, ordered by user id. */
  findLearners(lookup: LearnerLookup): Promise<readonly Learner[]>;
  /**
   * Records enrollments; returns one entry per input, in input order. An input repeating an earlier
   * input's (user id, course run key) gets the earlier one's record with `created: false`. Throws
   * NotFoundError, writing nothing, when a user id is not a registered learner.
   */
  recordEnrollments(enrollments: readonly Enrollment[]): Promise<readonly Recorded<Enrollment>[]>;
  /** Records pending enrollments, with the same rules as `recordEnrollments` per (customer, email, course run key). */
  recordPendingEnrollments(pending: readonly PendingEnrollment[]): Promise<readonly Recorded<PendingEnrollment>[]>;
  /**
   * Turns pending enrollments into enrollments in one atomic write: records each conversion's
   * enrollment with the rules of `recordEnrollments` (an existing (user id, course run key) is kept
   * and returned with `created: false`) and deletes the pending rows named by `pendingUuid`, also
   * when the enrollment existed. A pending uuid that is gone is ignored (its enrollment is still
   * recorded), so a replay or a concurrent conversion records nothing twice. Returns one entry per input, in input order. Throws NotFoundError, writing nothing, when a
   * user id is not a registered learner.
   */
  convertPendingEnrollments(conversions: readonly PendingConversion[]): Promise<readonly Recorded<Enrollment>[]>;
  listEnrollments(filter: EnrollmentFilter): Promise<readonly Enrollment[]>;
  listPendingEnrollments(filter: PendingEnrollmentFilter): Promise<readonly PendingEnrollment[]>;
}
