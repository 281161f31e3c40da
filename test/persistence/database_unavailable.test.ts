/**
 * isDatabaseUnavailable(): which database failures answer 503 (and which stay bugs, 500), with real
 * errors from pg and PostgreSQL where a test can provoke them, and the 503 problem document itself.
 */
import { DriverException, SyntaxErrorException, UniqueConstraintViolationException } from "@mikro-orm/core";
import pg from "pg";
import { describe, expect, inject, it } from "vitest";
import { asDatabaseUnavailable, DatabaseUnavailableError, isDatabaseUnavailable } from "../../adapters/database_unavailable.ts";
import { freePort } from "../../adapters/embedded_postgres/embedded_postgres.ts";
import { DATABASE_RETRY_AFTER_SECONDS, problemFor } from "../../adapters/http/problem.ts";

/** The error `work` rejects with. */
async function failure(work: () => Promise<unknown>): Promise<unknown> {
  try {
    await work();
  } catch (error) {
    return error;
  }
  throw new Error("Expected a failure");
}

/** Runs one statement on a connection of its own to the shared test server. */
async function statement(sql: string, config: pg.ClientConfig = {}): Promise<unknown[]> {
  const client = new pg.Client({ connectionString: inject("databaseUrl"), ...config });
  await client.connect();
  try {
    return (await client.query(sql)).rows;
  } finally {
    await client.end();
  }
}

function statementError(sql: string, config: pg.ClientConfig = {}): Promise<unknown> {
  return failure(() => statement(sql, config));
}

function serverError(code: string, message = "server error"): pg.DatabaseError {
  const error = new pg.DatabaseError(message, 0, "error");
  error.code = code;
  return error;
}

describe("isDatabaseUnavailable()", () => {
  it("is true for a refused connection, from pg and through pg-pool's acquisition", async () => {
    const url = `postgresql://postgres:postgres@127.0.0.1:${await freePort()}/catalog`;
    const refused = await failure(() => new pg.Client({ connectionString: url }).connect());
    expect((refused as { code?: string }).code).toBe("ECONNREFUSED");
    expect(isDatabaseUnavailable(refused)).toBe(true);
    const pool = new pg.Pool({ connectionString: url, connectionTimeoutMillis: 500 });
    try {
      expect(isDatabaseUnavailable(await failure(() => pool.query("select 1")))).toBe(true);
    } finally {
      await pool.end();
    }
  });

  it("is true for a statement the server cut off at statement_timeout (57014) and for the client's own query timeout", async () => {
    const cancelled = await statementError("select pg_sleep(2)", { statement_timeout: 50 });
    expect((cancelled as { code?: string }).code).toBe("57014");
    expect(isDatabaseUnavailable(cancelled)).toBe(true);
    const unanswered = await statementError("select pg_sleep(2)", { query_timeout: 50 });
    expect((unanswered as Error).message).toBe("Query read timeout");
    expect(isDatabaseUnavailable(unanswered)).toBe(true);
  });

  it("is true for a connection that dropped, and for what the client answers on it afterwards", async () => {
    const client = new pg.Client({ connectionString: inject("databaseUrl") });
    await client.connect();
    const dropped = new Promise<unknown>((resolve) => client.on("error", resolve));
    (client as unknown as { connection: { stream: { destroy(): void } } }).connection.stream.destroy();
    expect((await dropped as Error).message).toBe("Connection terminated unexpectedly");
    expect(isDatabaseUnavailable(await dropped)).toBe(true);
    const afterwards = await failure(() => client.query("select 1"));
    expect((afterwards as Error).message).toBe("Client has encountered a connection error and is not queryable");
    expect(isDatabaseUnavailable(afterwards)).toBe(true);
  });

  it("is true for the codes and messages of an unavailable server, also when MikroORM or a cause wraps them", () => {
    for (const code of ["53300", "57P01", "57P02", "57P03", "08006", "08001", "25P03", "53200"]) {
      expect(isDatabaseUnavailable(serverError(code)), code).toBe(true);
      expect(isDatabaseUnavailable(new DriverException(serverError(code))), `DriverException ${code}`).toBe(true);
    }
    for (const code of ["ECONNRESET", "EPIPE", "ETIMEDOUT", "EHOSTUNREACH", "ENOTFOUND", "EAI_AGAIN"]) {
      expect(isDatabaseUnavailable(Object.assign(new Error(`connect ${code}`), { code })), code).toBe(true);
    }
    for (const message of ["Connection terminated unexpectedly", "Connection terminated due to connection timeout", "timeout exceeded when trying to connect"]) {
      expect(isDatabaseUnavailable(new Error(message)), message).toBe(true);
    }
    expect(isDatabaseUnavailable(new Error("refresh failed", { cause: new Error("x", { cause: serverError("57P01") }) }))).toBe(true);
  });

  it("is false for bugs and for data the database refused, so they stay 500s", async () => {
    const syntax = await statementError("selec 1");
    expect((syntax as { code?: string }).code).toBe("42601");
    expect(isDatabaseUnavailable(syntax)).toBe(false);
    expect(isDatabaseUnavailable(new SyntaxErrorException(serverError("42601")))).toBe(false);
    expect(isDatabaseUnavailable(new UniqueConstraintViolationException(serverError("23505")))).toBe(false);
    for (const code of ["08P01", "40P01", "40001", "28P01", "3D000", "22P02", "XX000", "ERR_INVALID_ARG_TYPE"]) {
      expect(isDatabaseUnavailable(serverError(code)), code).toBe(false);
    }
    // The pool ending on purpose (shutdown) is not an outage.
    for (const message of ["Connection terminated", "Cannot use a pool after calling end on the pool", "Client was closed and is not queryable"]) {
      expect(isDatabaseUnavailable(new Error(message)), message).toBe(false);
    }
    expect(isDatabaseUnavailable(new TypeError("Cannot read properties of undefined"))).toBe(false);
    expect(isDatabaseUnavailable("ECONNREFUSED")).toBe(false);
  });
});

describe("asDatabaseUnavailable()", () => {
  it("wraps an unavailable database's error once, keeping it as the cause, and leaves others alone", () => {
    const refused = Object.assign(new Error("connect ECONNREFUSED 10.0.0.5:5432"), { code: "ECONNREFUSED" });
    const wrapped = asDatabaseUnavailable(refused);
    expect(wrapped).toBeInstanceOf(DatabaseUnavailableError);
    expect((wrapped as Error).cause).toBe(refused);
    expect(asDatabaseUnavailable(wrapped)).toBe(wrapped);
    const bug = new TypeError("bug");
    expect(asDatabaseUnavailable(bug)).toBe(bug);
  });
});

describe("problemFor()", () => {
  it("answers a DatabaseUnavailableError 503 with Retry-After and a detail that names nothing internal", () => {
    const refused = Object.assign(new Error("connect ECONNREFUSED 10.0.0.5:5432"), { code: "ECONNREFUSED" });
    const answer = problemFor(new DatabaseUnavailableError({ cause: refused }));
    expect(answer).toMatchObject({ status: 503, title: "Service Unavailable", headers: { "Retry-After": String(DATABASE_RETRY_AFTER_SECONDS) } });
    expect(answer.detail).not.toMatch(/ECONNREFUSED|10\.0\.0\.5/);
  });

  it("keeps an error nobody translated a bare 500", () => {
    expect(problemFor(Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" })).status).toBe(500);
  });
});
