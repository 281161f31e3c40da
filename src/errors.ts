/**
 * The closed set of errors the core throws for conditions its callers handle.
 * Each has a literal `code`; the HTTP edge maps every code to one status.
 */

/** One problem with one input field, reported back to the caller. */
export interface FieldError {
  readonly field: string;
  readonly message: string;
  /** What is wrong, for callers that word it their own way: `required`, the field is missing or empty. */
  readonly code?: "required";
}

/** The input is malformed or breaks a rule; nothing was changed. */
export class ValidationError extends Error {
  readonly code = "validation_failed" as const;
  readonly fieldErrors: readonly FieldError[];
  constructor(message: string, options: { fieldErrors?: readonly FieldError[]; cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.name = "ValidationError";
    this.fieldErrors = options.fieldErrors ?? [];
  }
}

/** The thing asked for does not exist (or is not visible to the caller). */
export class NotFoundError extends Error {
  readonly code = "not_found" as const;
  constructor(message: string, options: { cause?: unknown } = {}) {
    super(message, options);
    this.name = "NotFoundError";
  }
}

/** The change conflicts with the current state, e.g. a duplicate uuid. */
export class ConflictError extends Error {
  readonly code = "conflict" as const;
  constructor(message: string, options: { cause?: unknown } = {}) {
    super(message, options);
    this.name = "ConflictError";
  }
}

/** The caller is known but may not do this. */
export class ForbiddenError extends Error {
  readonly code = "forbidden" as const;
  constructor(message: string, options: { cause?: unknown } = {}) {
    super(message, options);
    this.name = "ForbiddenError";
  }
}

/** An upstream service (discovery) failed after retries; nothing was changed. */
export class UpstreamUnavailableError extends Error {
  readonly code = "upstream_unavailable" as const;
  constructor(message: string, options: { cause?: unknown } = {}) {
    super(message, options);
    this.name = "UpstreamUnavailableError";
  }
}

/** Every error the core throws on purpose. */
export type CoreError =
  | ValidationError
  | NotFoundError
  | ConflictError
  | ForbiddenError
  | UpstreamUnavailableError;

/** Tells whether a thrown value is one of the core's own errors. */
export function isCoreError(error: unknown): error is CoreError {
  return error instanceof ValidationError || error instanceof NotFoundError ||
    error instanceof ConflictError || error instanceof ForbiddenError ||
    error instanceof UpstreamUnavailableError;
}
