/** Helpers the discovery HTTP adapter's modules share. */

/** A failed attempt that says whether trying again may help (token endpoint, malformed or oversized answer). */
export class AttemptError extends Error {
  readonly retryable: boolean;
  readonly status: number | null;

  constructor(message: string, options: { retryable: boolean; status: number | null; cause?: unknown }) {
    super(message, { cause: options.cause });
    this.name = "AttemptError";
    this.retryable = options.retryable;
    this.status = options.status;
  }
}

/** A short reason for a failure message: "timed out" for a timeout, else the error's own message. */
export function describeError(error: unknown): string {
  if (error instanceof Error || error instanceof DOMException) {
    if (error.name === "TimeoutError") return "timed out";
    return error.message;
  }
  return String(error);
}

/** Throws RangeError unless the value is a positive integer. */
export function positiveInteger(what: string, value: number): number {
  if (!Number.isInteger(value) || value < 1) throw new RangeError(`${what} must be a positive integer: "${value}"`);
  return value;
}
