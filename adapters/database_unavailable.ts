/**
 * When the database cannot answer: the one rule that tells such failures (refused, reset or ended
 * connections, timeouts, a server shutting down or out of connections) from bugs, and the error
 * they become at the edge of a unit of work.
 */

/** The database could not be reached or did not answer in time; a retry may succeed. */
export class DatabaseUnavailableError extends Error {
  readonly code = "database_unavailable" as const;
  constructor(options: { cause?: unknown } = {}) {
    super("The database is unavailable", options);
    this.name = "DatabaseUnavailableError";
  }
}

/**
 * Node's socket errors of a peer that refuses, drops or cannot be found. A name that does not
 * resolve (ENOTFOUND) counts too: from a request's side the database is as unreachable as a
 * stopped one, and `/ready` says so.
 */
const NETWORK_CODES = new Set([
  "ECONNREFUSED", "ECONNRESET", "ECONNABORTED", "EPIPE", "ETIMEDOUT",
  "EHOSTUNREACH", "EHOSTDOWN", "ENETUNREACH", "ENETDOWN", "ENOTFOUND", "EAI_AGAIN",
]);

/**
 * SQLSTATE classes and codes that say the server cannot serve now, not that the statement is wrong:
 * class 08 (connection exception; not 08P01, a protocol violation, which is a driver bug), class 53
 * (insufficient resources: 53300 too_many_connections, 53100 disk_full, 53200 out_of_memory), class
 * 57 (operator intervention: 57P01 admin_shutdown, 57P02 crash_shutdown, 57P03 cannot_connect_now,
 * 57014 query_canceled, which statement_timeout raises), and the server ending an idle session
 * (25P03 idle_in_transaction_session_timeout, 57P05 idle_session_timeout).
 */
const SQLSTATE_CLASSES = ["08", "53", "57"];
const SQLSTATE_EXCLUDED = new Set(["08P01"]);
const SQLSTATE_CODES = new Set(["25P03"]);

/** The message of pg's client-side `query_timeout`: the server did not answer in time. */
const QUERY_READ_TIMEOUT = "Query read timeout";

/** pg 8's own errors, which carry no code, for a connection that failed, ended or timed out. */
const PG_MESSAGES = new Set([
  "Connection terminated unexpectedly",
  "Connection terminated due to connection timeout",
  "timeout exceeded when trying to connect",
  "Client has encountered a connection error and is not queryable",
  QUERY_READ_TIMEOUT,
]);

/** Tells whether `error` is pg's client-side query timeout (not the server's statement_timeout). */
export function isQueryReadTimeout(error: unknown): boolean {
  return error instanceof Error && error.message === QUERY_READ_TIMEOUT;
}

/**
 * Tells whether `error`, or an error it wraps (`cause`; MikroORM copies pg's fields onto its own
 * exceptions), says the database is unavailable rather than that the code or the data is wrong.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  for (let current = error, depth = 0; current instanceof Error && depth < 8; current = current.cause, depth++) {
    if (current instanceof DatabaseUnavailableError || PG_MESSAGES.has(current.message)) return true;
    const code = (current as { code?: unknown }).code;
    if (typeof code === "string" && unavailableCode(code)) return true;
  }
  return false;
}

/** `error` as a DatabaseUnavailableError when the rule says so, otherwise unchanged. */
export function asDatabaseUnavailable(error: unknown): unknown {
  if (error instanceof DatabaseUnavailableError || !isDatabaseUnavailable(error)) return error;
  return new DatabaseUnavailableError({ cause: error });
}

function unavailableCode(code: string): boolean {
  if (NETWORK_CODES.has(code) || SQLSTATE_CODES.has(code)) return true;
  return /^[0-9A-Z]{5}$/.test(code) && SQLSTATE_CLASSES.includes(code.slice(0, 2)) && !SQLSTATE_EXCLUDED.has(code);
}
