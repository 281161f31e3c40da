import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { createLogger } from "../../adapters/logger.ts";

function capture() {
  const lines: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString("utf8").split("\n")) if (line !== "") lines.push(JSON.parse(line));
      done();
    },
  });
  return { lines, logger: createLogger("info", sink) };
}

describe("the service's logger", () => {
  it("writes an error's type, message, stack and own fields, but not the connection pg-pool attaches", () => {
    const { lines, logger } = capture();
    const connection = { connectionParameters: { user: "postgres", host: "127.0.0.1" }, queue: Array.from({ length: 50 }, (_, i) => ({ i })) };
    const error = Object.assign(new Error("terminating connection due to administrator command"), { code: "57P01", severity: "FATAL", client: connection });
    logger.error({ err: error }, "pg-boss error");
    expect(lines).toHaveLength(1);
    const err = lines[0]?.err as Record<string, unknown>;
    expect(err).toMatchObject({ type: "Error", message: "terminating connection due to administrator command", code: "57P01", severity: "FATAL" });
    expect(err.stack).toContain("terminating connection");
    expect(err).not.toHaveProperty("client");
    expect(JSON.stringify(lines[0])).not.toContain("connectionParameters");
    // The logged error itself is left as it was.
    expect(error.client).toBe(connection);
  });

  it("keeps a cause's message and other values under err as they are", () => {
    const { lines, logger } = capture();
    logger.error({ err: new Error("refresh failed", { cause: new Error("discovery answered 503") }) }, "failed");
    logger.warn({ err: "not an error" }, "odd");
    expect((lines[0]?.err as { message: string }).message).toBe("refresh failed: discovery answered 503");
    expect(lines[1]?.err).toBe("not an error");
  });
});
