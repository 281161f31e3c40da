/**
 * The reference services' own texts (DRF, Django and edx-enterprise wording, misspellings kept:
 * clients match on them), and their rendering from the core's structured errors. Every such text
 * the service answers with is written here, except the per-operation 404 texts, which are each
 * operation's `x-not-found-detail` in openapi.yaml.
 */
import { CurationExistsError, CurationLimitError, HighlightNotInSetError, NoCurationError } from "../../src/curation/curation_errors.ts";
import type { BulkItemField, BulkRequestFault, BulkRequestProblem, InvalidBulkRequestError } from "../../src/enrollment/bulk_request.ts";
import { type FieldError, ValidationError } from "../../src/errors.ts";
import { HttpProblem } from "./problem.ts";

/** The reference's limit on keys sent in a GET query string. */
export const MAX_GET_CONTENT_KEYS = 100;

/** The fixed texts. */
export const LEGACY_TEXTS = Object.freeze({
  notFound: "Not found.",
  invalidPage: "Invalid page.",
  permissionDenied: "You do not have permission to perform this action.",
  required: "This field is required.",
  notAuthenticated: "Authentication credentials were not provided.",
  signatureExpired: "Signature has expired.",
  badToken: "Error decoding token.",
  missingIds: "You must provide at least one of the following query parameters: course_run_ids, program_uuids.",
  missingContentKeys: "You must provide at least one of the following query parameters: content_keys.",
  tooManyMetadataKeys: `get_content_metadata GET requests supports up to ${MAX_GET_CONTENT_KEYS}. If more contentkeys required, please use a POST body.`,
  tooManyDiffKeys: `catalog_diff GET requests supports up to ${MAX_GET_CONTENT_KEYS}. If more content keys required, please use a POST body.`,
  catalogQueryNotFound: "Catalog query not found.",
  noCustomerContent: "No matching content in any catalog for this customer",
  bothEnrollmentLists: "`licenses_info` must be ommitted if `enrollments_info` is present.",
  csrfCookieNotSet: "CSRF Failed: CSRF cookie not set.",
  csrfTokenMissing: "CSRF Failed: CSRF token missing.",
  csrfTokenIncorrect: "CSRF Failed: CSRF token incorrect.",
});

/** The reference's 400 for a malformed customer uuid in the path (its misspelling included). */
export function invalidCustomerUuidText(value: string): string {
  return `Error: invalid enterprice customer uuid: "${value.slice(0, 100)}" provided.`;
}

/** get_content_filter_hash's 400 for a body that is no content filter. */
export function unparsableFilterText(reason: string): string {
  return `Failed to parse catalog query: ${reason}`;
}

/** Whether the core refused the request because `field` was missing (`code: "required"`). */
export function isMissingField(error: unknown, field: string): error is ValidationError {
  return error instanceof ValidationError && error.fieldErrors.some((fieldError) => fieldError.field === field && fieldError.code === "required");
}

/** The legacy serializer's text for each fault of a bulk request. */
const BULK_FAULT_TEXTS: { readonly [F in BulkRequestFault]: (limit: number | undefined) => string } = {
  no_items: () => "Must include the `enrollment_info` parameter in request.",
  // Not the reference's (it has no limit); the document's maxItems refuses such bodies before.
  too_many_items: (limit) => `A request may carry at most ${limit} items`,
  no_learner: () => "At least one user identifier field [user_id or email] required.",
  no_subsidy: () => "At least one subsidy info field [license_uuid or transaction_id] required.",
  two_subsidies: () => "Enrollment info contains conflicting subsidy information: `license_uuid` and `transaction_id` found",
  required: () => LEGACY_TEXTS.required,
  blank: () => "This field may not be blank.",
  too_long: (limit) => `Ensure this field has no more than ${limit} characters.`,
  not_a_user_id: () => "A valid integer is required.",
};

/** The wire names of an item's fields. */
const BULK_WIRE_FIELDS: { readonly [F in BulkItemField]: string } = {
  userId: "user_id", email: "email", courseRunKey: "course_run_key", licenseUuid: "license_uuid", transactionId: "transaction_id",
};

/** The two names the legacy body gives its list of items. */
export type BulkListName = "enrollments_info" | "licenses_info";

/**
 * The legacy 400 for a rejected bulk request: each fault with the serializer's text, under the
 * field the client sent (`<list>.<index>.<field>`, `non_field_errors` for an item or the request).
 */
export function bulkRequestProblem(error: InvalidBulkRequestError, listName: BulkListName): HttpProblem {
  const fieldErrors: FieldError[] = error.problems.map((problem) => ({
    field: bulkWireField(problem, listName),
    message: BULK_FAULT_TEXTS[problem.fault](problem.limit),
  }));
  const [first] = fieldErrors;
  if (first === undefined) throw new TypeError("An invalid bulk request names at least one problem");
  const more = fieldErrors.length > 1 ? ` (and ${fieldErrors.length - 1} more)` : "";
  // A fault of the whole request is the legacy detail itself; item faults are summed up.
  const detail = error.problems[0]?.item === undefined ? first.message : `Invalid enrollment request: "${first.field}": ${first.message}${more}`;
  return new HttpProblem(400, detail, { fieldErrors, cause: error });
}

function bulkWireField(problem: BulkRequestProblem, listName: BulkListName): string {
  if (problem.item === undefined) return "non_field_errors";
  return `${listName}.${problem.item}.${problem.field === undefined ? "non_field_errors" : BULK_WIRE_FIELDS[problem.field]}`;
}

/** The curation views' fixed `{"Error": …}` texts. */
export const CURATION_TEXTS = Object.freeze({
  missingTitle: "Missing title parameter",
  missingFavorite: "Missing favorite parameter",
  missingContentUuid: "Missing content_uuid parameter",
  unknownHighlight: "content_uuid does not refer to any existing highlighted content",
  highlightInOtherSet: "Highlighted content not part of the given highlight set",
});

/** toggle-favorite-highlight's 400 for a `favorite` that is neither true nor false. */
export function invalidFavoriteText(value: string): string {
  return `favorite parameter "${value.slice(0, 100)}" is not a valid true/false value`;
}

/**
 * The reference's answer to a curation write the core refused, with its `{"Error": …}` text, or
 * undefined for other errors. Its two content-limit texts differ by a space: creating a set says
 * "set (24).", adding content "set(24).".
 */
export function curationProblem(error: unknown, options: { readonly addingContent?: boolean } = {}): HttpProblem | undefined {
  if (error instanceof CurationExistsError) {
    return new HttpProblem(400, `An EnterpriseCurationConfig already exists for enterprise UUID ${error.enterpriseCustomerUuid}`, { cause: error });
  }
  if (error instanceof NoCurationError) {
    return new HttpProblem(400, `An EnterpriseCurationConfig must exist for enterprise UUID ${error.enterpriseCustomerUuid} in order to create a HighlightSet`, { cause: error });
  }
  if (error instanceof HighlightNotInSetError) {
    return new HttpProblem(400, error.reason === "other_set" ? CURATION_TEXTS.highlightInOtherSet : CURATION_TEXTS.unknownHighlight, { cause: error });
  }
  if (error instanceof CurationLimitError) {
    const text = error.limit === "highlight_sets"
      ? `Request exceeds the backend maximum highlight set per enterprise customer (${error.max}).`
      : error.limit === "highlights_per_set"
      ? `Request exceeds the backend maximum content count per highlight set${options.addingContent ? "" : " "}(${error.max}).`
      : `title cannot exceed ${error.max} characters`;
    return new HttpProblem(403, text, { cause: error });
  }
  return undefined;
}
