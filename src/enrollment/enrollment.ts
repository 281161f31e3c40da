/** Learners, enrollments and pending enrollments: what the enrollment ledger records. */

/** A learner the LMS knows: a numeric user id and the (lower-cased) email of that user. */
export interface Learner {
  readonly userId: number;
  readonly email: string;
}

/** Names a learner by user id or by email. */
export type LearnerRef = { readonly userId: number } | { readonly email: string };

/** An active enrollment of a learner in a course run, made on behalf of an enterprise customer. */
export interface Enrollment {
  /** Also the `enterprise_fulfillment_source_uuid` the legacy API reports. */
  readonly uuid: string;
  readonly userId: number;
  readonly courseRunKey: string;
  readonly mode: string;
  readonly enterpriseCustomerUuid: string;
  /** The subscription license that pays for it, or null. */
  readonly licenseUuid: string | null;
  /** The learner-credit transaction that pays for it, or null. */
  readonly transactionId: string | null;
  readonly created: Date;
}

/** An enrollment waiting for a learner to register with this email. */
export interface PendingEnrollment {
  readonly uuid: string;
  readonly enterpriseCustomerUuid: string;
  /** Lower-cased and trimmed. */
  readonly email: string;
  readonly courseRunKey: string;
  readonly mode: string;
  readonly licenseUuid: string | null;
  readonly transactionId: string | null;
  /** Percentage off the course price, 0 to 100 (the legacy `discount`). */
  readonly discountPercentage: number;
  readonly created: Date;
}

/** The form every email takes inside the ledger. */
export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

// A pragmatic check (Django's validator is stricter about the domain): one "@", no spaces, a dot in the domain.
const EMAIL_PATTERN = /^[^\s@]+@[^\s@.]+(?:\.[^\s@.]+)+$/;

/** Longest email the ledger stores (RFC 5321's path limit). */
export const MAX_EMAIL_LENGTH = 254;

/** Tells whether a (normalized) email has the shape of an address. */
export function isEmailAddress(email: string): boolean {
  return email.length <= MAX_EMAIL_LENGTH && EMAIL_PATTERN.test(email);
}

/** Tells whether a value is a valid LMS user id: a positive safe integer. */
export function isUserId(value: number): boolean {
  return Number.isSafeInteger(value) && value > 0;
}
