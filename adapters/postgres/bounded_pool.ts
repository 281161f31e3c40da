/**
 * Bounds on every wait for the database, as `pg` pool settings: getting a connection, a statement
 * on the server, a transaction left idle, and the client's own limit for when the server cannot
 * answer at all (stopped processes with open sockets, a network that drops packets).
 */
import pg from "pg";
import { isQueryReadTimeout } from "../database_unavailable.ts";

/** How long one pool's connections may wait on the database (milliseconds). */
export interface WaitBounds {
  /** Waiting for a free pooled connection, or for a new one to be ready (TCP, TLS, authentication). */
  readonly connectMs: number;
  /** The server's `statement_timeout`: it cancels a statement that runs longer (57014). */
  readonly statementMs: number;
  /** The server's `idle_in_transaction_session_timeout`: it ends a session idle this long inside a transaction. */
  readonly idleInTransactionMs: number;
}

/**
 * The client gives up on an answer this long after `statement_timeout`: a server that can answer
 * cancels the statement first, so the client's limit only fires when the server cannot.
 */
export const CLIENT_GRACE_MS = 1000;

/**
 * A client that closes its connection when its own query timeout fires. pg leaves the timed-out
 * query active on the connection, so the pool would hand it out again to queue behind an answer
 * that may never come; closing it (`end()` marks it ending at once and destroys the socket) makes
 * the pool drop it on release. `pool.query()` already drops a client that failed; this is for
 * clients checked out by the ORM, which releases them without the error.
 */
class DiscardingClient extends pg.Client {
  override query(...args: unknown[]): any {
    const result: unknown = Reflect.apply(super.query, this, args);
    if (result instanceof Promise) {
      // Attached before the caller's own handlers, so the client is ending before anyone releases it.
      result.catch((error: unknown) => {
        if (isQueryReadTimeout(error)) this.end().catch(() => {});
      });
    }
    return result;
  }
}

/** The `pg` pool (and client) settings that enforce `bounds`; none without (pg then waits as long as it takes). */
export function boundedPoolConfig(bounds: WaitBounds | undefined): pg.PoolConfig {
  if (bounds === undefined) return {};
  return {
    connectionTimeoutMillis: bounds.connectMs,
    statement_timeout: bounds.statementMs,
    query_timeout: bounds.statementMs + CLIENT_GRACE_MS,
    idle_in_transaction_session_timeout: bounds.idleInTransactionMs,
    // A peer that vanished (host down, connection dropped by a firewall) is noticed on idle connections too.
    keepAlive: true,
    Client: DiscardingClient,
  };
}
