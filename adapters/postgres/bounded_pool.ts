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
 * A client that leaves its pool as soon as its connection is done for, even while checked out:
 * - when its own query timeout fires it closes the connection (`end()`: ending at once, socket
 *   destroyed). pg leaves the timed-out query active, so the pool would otherwise hand the
 *   connection out again, to queue behind an answer that may never come;
 * - when its connection ends while checked out it releases itself, with an error, which makes the
 *   pool drop it. Kysely 0.29 (under MikroORM) never releases a connection whose `begin` failed,
 *   so without this every transaction begun as the database froze or went away would keep one
 *   pooled connection for good. The holder's own release, if it comes, then does nothing.
 */
class DisposableClient extends pg.Client {
  #poolRelease: ((error?: Error | boolean) => void) | undefined;
  #checkedOut = false;
  #releasedItself = false;

  constructor(config?: string | pg.ClientConfig) {
    super(config);
    this.once("end", () => {
      if (!this.#checkedOut) return;
      this.#checkedOut = false;
      this.#releasedItself = true;
      this.#poolRelease?.(new Error("The connection ended while checked out"));
    });
  }

  /** pg-pool sets this on every checkout; its release throws when called twice. */
  set release(release: (error?: Error | boolean) => void) {
    this.#poolRelease = release;
    this.#checkedOut = true;
  }

  get release(): (error?: Error | boolean) => void {
    return (error) => {
      if (this.#releasedItself) return;
      this.#checkedOut = false;
      this.#poolRelease?.(error);
    };
  }

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
    Client: DisposableClient,
  };
}
