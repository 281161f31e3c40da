/**
 * Why an enrollment cannot be made. Each is one of the core's own error classes (so the HTTP edge
 * maps it without knowing enrollment) with a literal `reason` that callers and bulk failures use.
 */
import { ConflictError, NotFoundError, ValidationError } from "../errors.ts";

/** The ledger has no learner with that user id or email. */
export class UnknownLearnerError extends NotFoundError {
  readonly reason = "unknown_learner" as const;
  constructor(message: string, options: { cause?: unknown } = {}) {
    super(message, options);
    this.name = "UnknownLearnerError";
  }
}

/** No course run with that key is in the service's content metadata. */
export class UnknownCourseRunError extends NotFoundError {
  readonly reason = "unknown_course_run" as const;
  constructor(message: string, options: { cause?: unknown } = {}) {
    super(message, options);
    this.name = "UnknownCourseRunError";
  }
}

/** The course run's enrollment window is closed (or discovery marks it unenrollable). */
export class EnrollmentClosedError extends ConflictError {
  readonly reason = "enrollment_closed" as const;
  constructor(message: string, options: { cause?: unknown } = {}) {
    super(message, options);
    this.name = "EnrollmentClosedError";
  }
}

/** The course run does not offer the requested mode. */
export class ModeUnavailableError extends ValidationError {
  readonly reason = "mode_unavailable" as const;
  constructor(message: string, options: { cause?: unknown } = {}) {
    super(message, { cause: options.cause, fieldErrors: [{ field: "mode", message }] });
    this.name = "ModeUnavailableError";
  }
}

/** The learner is already enrolled in the run in another mode; modes are never changed here. */
export class EnrolledInOtherModeError extends ConflictError {
  readonly reason = "enrolled_in_other_mode" as const;
  constructor(message: string, options: { cause?: unknown } = {}) {
    super(message, options);
    this.name = "EnrolledInOtherModeError";
  }
}

/** Every reason `enrollLearner` refuses an enrollment. */
export type EnrollmentError =
  | UnknownLearnerError
  | UnknownCourseRunError
  | EnrollmentClosedError
  | ModeUnavailableError
  | EnrolledInOtherModeError;

/** Tells whether a thrown value is one of the enrollment refusals. */
export function isEnrollmentError(error: unknown): error is EnrollmentError {
  return error instanceof UnknownLearnerError || error instanceof UnknownCourseRunError ||
    error instanceof EnrollmentClosedError || error instanceof ModeUnavailableError ||
    error instanceof EnrolledInOtherModeError;
}
