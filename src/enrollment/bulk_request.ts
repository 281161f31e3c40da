/**
 * The shape of a bulk enrollment request and its validation, with the legacy endpoint's messages
 * (edx-enterprise's serializer texts, which clients match on). Field paths are the wire's:
 * `enrollments_info.<index>.<field>` and `non_field_errors`.
 */
import { type FieldError, ValidationError } from "../errors.ts";
import { MAX_EMAIL_LENGTH, normalizeEmail } from "./enrollment.ts";

/** One learner and course run of a bulk request, as the caller sends it. */
export interface BulkEnrollmentItem {
  /** The learner's LMS user id; this or `email` is required. */
  readonly userId?: number;
  /** The learner's email; this or `userId` is required. An unknown email makes a pending enrollment. */
  readonly email?: string;
  /** Required. */
  readonly courseRunKey?: string;
  /** Exactly one of `licenseUuid` and `transactionId` is required. */
  readonly licenseUuid?: string;
  readonly transactionId?: string;
  /** Enroll even when the run's enrollment window is closed. */
  readonly forceEnrollment?: boolean;
}

/** An item after validation. */
export interface CheckedItem {
  readonly index: number;
  readonly userId: number | null;
  /** Lower-cased and trimmed, or null. */
  readonly email: string | null;
  /** The email as sent, for `invalid_email_addresses`. */
  readonly rawEmail: string | null;
  readonly courseRunKey: string;
  readonly licenseUuid: string | null;
  readonly transactionId: string | null;
  readonly forceEnrollment: boolean;
}

/** Most items one bulk request may carry. */
export const MAX_BULK_ITEMS = 10_000;
/** Longest course run key, license uuid or transaction id. */
export const MAX_KEY_LENGTH = 255;

/** The legacy messages, verbatim. */
export const BULK_ENROLLMENT_MESSAGES = Object.freeze({
  missingItems: "Must include the `enrollment_info` parameter in request.",
  missingIdentifier: "At least one user identifier field [user_id or email] required.",
  missingSubsidy: "At least one subsidy info field [license_uuid or transaction_id] required.",
  conflictingSubsidy: "Enrollment info contains conflicting subsidy information: `license_uuid` and `transaction_id` found",
  required: "This field is required.",
  blank: "This field may not be blank.",
  integer: "A valid integer is required.",
});

/**
 * Validates every item and returns them normalized, or throws one ValidationError listing every
 * fault (the whole request is rejected when one item is bad). Like the legacy serializer, an item
 * with a field error gets no item-level (`non_field_errors`) check.
 */
export function checkBulkItems(items: readonly BulkEnrollmentItem[]): CheckedItem[] {
  if (items.length === 0) throw requestError(BULK_ENROLLMENT_MESSAGES.missingItems);
  if (items.length > MAX_BULK_ITEMS) {
    throw requestError(`A request may carry at most ${MAX_BULK_ITEMS} items, this one has ${items.length}`);
  }
  const errors: FieldError[] = [];
  const checked: CheckedItem[] = [];
  items.forEach((item, index) => {
    const field = (name: string) => `enrollments_info.${index}.${name}`;
    const before = errors.length;
    const text = (value: string | undefined, name: string, maxLength: number): string | null => {
      if (value === undefined) return null;
      const trimmed = value.trim();
      if (trimmed === "") errors.push({ field: field(name), message: BULK_ENROLLMENT_MESSAGES.blank });
      else if (trimmed.length > maxLength) {
        errors.push({ field: field(name), message: `Ensure this field has no more than ${maxLength} characters.` });
      }
      return trimmed;
    };
    if (item.userId !== undefined && !(Number.isSafeInteger(item.userId) && item.userId > 0)) {
      errors.push({ field: field("user_id"), message: BULK_ENROLLMENT_MESSAGES.integer });
    }
    const email = text(item.email, "email", MAX_EMAIL_LENGTH);
    const courseRunKey = item.courseRunKey === undefined ? null : text(item.courseRunKey, "course_run_key", MAX_KEY_LENGTH);
    if (item.courseRunKey === undefined) errors.push({ field: field("course_run_key"), message: BULK_ENROLLMENT_MESSAGES.required });
    const licenseUuid = text(item.licenseUuid, "license_uuid", MAX_KEY_LENGTH);
    const transactionId = text(item.transactionId, "transaction_id", MAX_KEY_LENGTH);
    if (errors.length === before) {
      if (item.userId === undefined && email === null) {
        errors.push({ field: field("non_field_errors"), message: BULK_ENROLLMENT_MESSAGES.missingIdentifier });
      } else if (licenseUuid === null && transactionId === null) {
        errors.push({ field: field("non_field_errors"), message: BULK_ENROLLMENT_MESSAGES.missingSubsidy });
      } else if (licenseUuid !== null && transactionId !== null) {
        errors.push({ field: field("non_field_errors"), message: BULK_ENROLLMENT_MESSAGES.conflictingSubsidy });
      }
    }
    if (errors.length > before) return;
    checked.push({
      index,
      userId: item.userId ?? null,
      email: email === null ? null : normalizeEmail(email),
      rawEmail: item.email ?? null,
      courseRunKey: courseRunKey as string,
      licenseUuid,
      transactionId,
      forceEnrollment: item.forceEnrollment ?? false,
    });
  });
  if (errors.length > 0) {
    const first = errors[0] as FieldError;
    const more = errors.length > 1 ? ` (and ${errors.length - 1} more)` : "";
    throw new ValidationError(`Invalid enrollment request: "${first.field}": ${first.message}${more}`, { fieldErrors: errors });
  }
  return checked;
}

function requestError(message: string): ValidationError {
  return new ValidationError(message, { fieldErrors: [{ field: "non_field_errors", message }] });
}
