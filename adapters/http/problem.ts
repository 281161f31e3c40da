/** RFC 9457 problem documents: the one place that maps errors to HTTP statuses. */
import type { CoreError, FieldError } from "../../src/errors.ts";
import { isCoreError } from "../../src/errors.ts";
import { DatabaseUnavailableError } from "../database_unavailable.ts";

/** A problem document as the service writes it. */
export interface Problem {
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly detail: string;
  readonly errors?: readonly FieldError[];
}

/** An error raised at the HTTP edge itself (routing, body parsing, limits). */
export class HttpProblem extends Error {
  readonly status: number;
  readonly detail: string;
  readonly fieldErrors: readonly FieldError[];
  readonly headers: Readonly<Record<string, string>>;
  constructor(status: number, detail: string, options: { fieldErrors?: readonly FieldError[]; headers?: Record<string, string>; cause?: unknown } = {}) {
    super(detail, { cause: options.cause });
    this.name = "HttpProblem";
    this.status = status;
    this.detail = detail;
    this.fieldErrors = options.fieldErrors ?? [];
    this.headers = options.headers ?? {};
  }
}

const TITLES: Readonly<Record<number, string>> = {
  400: "Bad Request", 401: "Unauthorized", 403: "Forbidden", 404: "Not Found",
  405: "Method Not Allowed", 406: "Not Acceptable", 408: "Request Timeout", 409: "Conflict", 413: "Content Too Large",
  415: "Unsupported Media Type", 422: "Unprocessable Content", 429: "Too Many Requests", 431: "Request Header Fields Too Large",
  500: "Internal Server Error", 502: "Bad Gateway", 503: "Service Unavailable",
};

/** Every core error code and the status it answers with. */
const CORE_STATUS: { readonly [K in CoreError["code"]]: number } = {
  validation_failed: 400,
  not_found: 404,
  conflict: 409,
  forbidden: 403,
  upstream_unavailable: 503,
};

/**
 * Seconds a client is asked to wait (`Retry-After`) when the database is unavailable: about the
 * time a restarting PostgreSQL or a failover takes to accept connections again.
 */
export const DATABASE_RETRY_AFTER_SECONDS = 5;

/** Builds the problem document for any thrown value; unknown errors become a bare 500. */
export function problemFor(error: unknown): Problem & { headers: Readonly<Record<string, string>> } {
  if (error instanceof DatabaseUnavailableError) {
    // The cause (a pg error) stays in the log: its text names hosts, ports and statements.
    return {
      ...problem(503, "The service cannot reach its database right now; retry shortly"),
      headers: { "Retry-After": String(DATABASE_RETRY_AFTER_SECONDS) },
    };
  }
  if (isCoreError(error)) {
    const status = CORE_STATUS[error.code];
    const errors = error.code === "validation_failed" && error.fieldErrors.length > 0 ? error.fieldErrors : undefined;
    return { ...problem(status, error.message, errors), headers: {} };
  }
  if (error instanceof HttpProblem) {
    const errors = error.fieldErrors.length > 0 ? error.fieldErrors : undefined;
    return { ...problem(error.status, error.detail, errors), headers: error.headers };
  }
  const status = httpStatusOf(error);
  if (status !== undefined && status >= 400 && status < 500) {
    // Errors from Koa and its middleware (body parser limits, bad encodings) carry their own status.
    return { ...problem(status, clientMessageOf(error, status)), headers: {} };
  }
  return { ...problem(500, "The server failed to answer this request; it has been logged."), headers: {} };
}

/** The problem document for a status and a detail text. */
export function problem(status: number, detail: string, errors?: readonly FieldError[]): Problem {
  const title = TITLES[status] ?? (status >= 500 ? "Server Error" : "Client Error");
  const body: Problem = {
    type: `/problems/${title.toLowerCase().replaceAll(" ", "-")}`,
    title,
    status,
    detail,
  };
  // The document's field errors are `{field, message}`; anything else a core error carries stays in.
  return errors === undefined ? body : { ...body, errors: errors.map(({ field, message }) => ({ field, message })) };
}

function httpStatusOf(error: unknown): number | undefined {
  if (typeof error !== "object" || error === null) return undefined;
  const status = (error as { status?: unknown; statusCode?: unknown }).status ??
    (error as { statusCode?: unknown }).statusCode;
  return typeof status === "number" ? status : undefined;
}

function clientMessageOf(error: unknown, status: number): string {
  const type = (error as { type?: unknown }).type;
  if (type === "entity.parse.failed") return "JSON parse error: the request body is not valid JSON";
  if (type === "entity.too.large") return "The request body is too large";
  if (status === 415) return "The request body must be JSON (Content-Type: application/json)";
  const expose = (error as { expose?: unknown }).expose === true;
  return expose && error instanceof Error ? error.message : (TITLES[status] ?? "Client Error");
}
