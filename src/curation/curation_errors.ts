/**
 * Why a curation write is refused. Each is one of the core's own error classes (so the HTTP edge
 * maps it without knowing curation), with what a caller needs to word it its own way.
 */
import { ConflictError, ForbiddenError, ValidationError } from "../errors.ts";

/** The enterprise already has a curation config (one per enterprise). */
export class CurationExistsError extends ConflictError {
  readonly enterpriseCustomerUuid: string;
  constructor(enterpriseCustomerUuid: string, options: { cause?: unknown } = {}) {
    super(`Enterprise "${enterpriseCustomerUuid}" already has a curation config`, options);
    this.name = "CurationExistsError";
    this.enterpriseCustomerUuid = enterpriseCustomerUuid;
  }
}

/** A highlight set was asked for in an enterprise that has no curation config to hold it. */
export class NoCurationError extends ValidationError {
  readonly enterpriseCustomerUuid: string;
  constructor(enterpriseCustomerUuid: string) {
    super(`Enterprise "${enterpriseCustomerUuid}" has no curation config to hold a highlight set`, {
      fieldErrors: [{ field: "enterprise_customer", message: "has no curation config" }],
    });
    this.name = "NoCurationError";
    this.enterpriseCustomerUuid = enterpriseCustomerUuid;
  }
}

/** Which limit a write would break: sets per enterprise, content per set, or a renamed set's title length. */
export type CurationLimit = "highlight_sets" | "highlights_per_set" | "renamed_title_length";

/** The write would break one of the reference's limits; the reference answers these with 403. */
export class CurationLimitError extends ForbiddenError {
  readonly limit: CurationLimit;
  readonly max: number;
  constructor(limit: CurationLimit, max: number) {
    super(`The request breaks the limit of ${max} on ${limit.replaceAll("_", " ")}`);
    this.name = "CurationLimitError";
    this.limit = limit;
    this.max = max;
  }
}

/** The highlighted content named does not exist, or is in another set of the same curation. */
export class HighlightNotInSetError extends ValidationError {
  /** `unknown`: no such highlight in the set's curation (other enterprises' are unknown too); `other_set`: in another of its sets. */
  readonly reason: "unknown" | "other_set";
  constructor(highlightUuid: string, reason: "unknown" | "other_set") {
    super(reason === "unknown" ? `Cannot find highlighted content "${highlightUuid}"` : `Highlighted content "${highlightUuid}" is in another highlight set`, {
      fieldErrors: [{ field: "content_uuid", message: reason === "unknown" ? "names no highlighted content" : "is in another highlight set" }],
    });
    this.name = "HighlightNotInSetError";
    this.reason = reason;
  }
}

/** The enterprise of a curation config cannot change. */
export class CurationEnterpriseChangeError extends ValidationError {
  constructor(current: string) {
    super(`A curation config stays with its enterprise "${current}"`, {
      fieldErrors: [{ field: "enterprise_customer", message: "cannot change" }],
    });
    this.name = "CurationEnterpriseChangeError";
  }
}
