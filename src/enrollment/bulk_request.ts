/**
 * The shape of a bulk enrollment request and its validation. Faults are structured (which item,
 * which field, what is wrong), so that each caller words them its own way: the HTTP edge renders
 * the legacy endpoint's texts and field names from them (adapters/http/legacy_texts.ts).
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

/** The fields of an item that can be at fault. */
export type BulkItemField = "userId" | "email" | "courseRunKey" | "licenseUuid" | "transactionId";

/**
 * What is wrong: with the request (`no_items`, `too_many_items`), with one item as a whole
 * (`no_learner`: neither user id nor email, `no_subsidy`, `two_subsidies`), or with one field of
 * an item (`required`, `blank`, `too_long`, `not_a_user_id`).
 */
export type BulkRequestFault =
  | "no_items" | "too_many_items"
  | "no_learner" | "no_subsidy" | "two_subsidies"
  | "required" | "blank" | "too_long" | "not_a_user_id";

/** One fault of a bulk request. */
export interface BulkRequestProblem {
  readonly fault: BulkRequestFault;
  /** The item's index; absent for the request as a whole. */
  readonly item?: number;
  /** The item's field; absent for the item (or the request) as a whole. */
  readonly field?: BulkItemField;
  /** The limit broken by `too_long` (characters) and `too_many_items` (items). */
  readonly limit?: number;
}

/** The request is rejected as a whole; nothing was written. `problems` lists every fault, in request order. */
export class InvalidBulkRequestError extends ValidationError {
  readonly problems: readonly BulkRequestProblem[];
  constructor(problems: readonly BulkRequestProblem[]) {
    const fieldErrors = problems.map(fieldErrorOf);
    const first = fieldErrors[0] as FieldError;
    const more = fieldErrors.length > 1 ? ` (and ${fieldErrors.length - 1} more)` : "";
    super(`Invalid enrollment request: "${first.field}" ${first.message}${more}`, { fieldErrors });
    this.name = "InvalidBulkRequestError";
    this.problems = problems;
  }
}

/** The core's own wording of each fault. */
const FAULT_MESSAGES: { readonly [F in BulkRequestFault]: (limit: number | undefined) => string } = {
  no_items: () => "needs at least one item",
  too_many_items: (limit) => `may carry at most ${limit} items`,
  no_learner: () => "needs a user id or an email",
  no_subsidy: () => "needs a license uuid or a transaction id",
  two_subsidies: () => "may not have both a license uuid and a transaction id",
  required: () => "is required",
  blank: () => "may not be blank",
  too_long: (limit) => `is longer than ${limit} characters`,
  not_a_user_id: () => "must be a positive integer",
};

/** A problem as a field error of the core's input: `items`, `items.<index>` or `items.<index>.<field>`. */
function fieldErrorOf(problem: BulkRequestProblem): FieldError {
  const field = ["items", ...(problem.item === undefined ? [] : [problem.item]), ...(problem.field === undefined ? [] : [problem.field])].join(".");
  return { field, message: FAULT_MESSAGES[problem.fault](problem.limit) };
}

/**
 * Validates every item and returns them normalized, or throws one InvalidBulkRequestError listing
 * every fault (the whole request is rejected when one item is bad). Like the legacy serializer, an
 * item with a field fault gets no item-level check.
 */
export function checkBulkItems(items: readonly BulkEnrollmentItem[]): CheckedItem[] {
  if (items.length === 0) throw new InvalidBulkRequestError([{ fault: "no_items" }]);
  if (items.length > MAX_BULK_ITEMS) throw new InvalidBulkRequestError([{ fault: "too_many_items", limit: MAX_BULK_ITEMS }]);
  const problems: BulkRequestProblem[] = [];
  const checked: CheckedItem[] = [];
  items.forEach((item, index) => {
    const before = problems.length;
    const fault = (fault: BulkRequestFault, field?: BulkItemField, limit?: number) => problems.push({ fault, item: index, field, limit });
    const text = (value: string | undefined, field: BulkItemField, maxLength: number): string | null => {
      if (value === undefined) return null;
      const trimmed = value.trim();
      if (trimmed === "") fault("blank", field);
      else if (trimmed.length > maxLength) fault("too_long", field, maxLength);
      return trimmed;
    };
    if (item.userId !== undefined && !(Number.isSafeInteger(item.userId) && item.userId > 0)) fault("not_a_user_id", "userId");
    const email = text(item.email, "email", MAX_EMAIL_LENGTH);
    const courseRunKey = item.courseRunKey === undefined ? null : text(item.courseRunKey, "courseRunKey", MAX_KEY_LENGTH);
    if (item.courseRunKey === undefined) fault("required", "courseRunKey");
    const licenseUuid = text(item.licenseUuid, "licenseUuid", MAX_KEY_LENGTH);
    const transactionId = text(item.transactionId, "transactionId", MAX_KEY_LENGTH);
    if (problems.length === before) {
      if (item.userId === undefined && email === null) fault("no_learner");
      else if (licenseUuid === null && transactionId === null) fault("no_subsidy");
      else if (licenseUuid !== null && transactionId !== null) fault("two_subsidies");
    }
    if (problems.length > before) return;
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
  if (problems.length > 0) throw new InvalidBulkRequestError(problems);
  return checked;
}
