/** startEmbeddedPostgres() as `npm start` uses it: persistent, restartable, explicit about clashes. */
import { execFile } from "node:child_process";
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { expect, test } from "vitest";

const PROBE = fileURLToPath(new URL("../helpers/embedded_postgres_probe.ts", import.meta.url));

test("startEmbeddedPostgres() reuses its data, refuses clashes, survives a stale pid file and keeps the exit code", async () => {
  // Under .data (not /tmp's 0700 mkdtemp parents): as root, the postgres user must reach it.
  await mkdir(resolve(".data"), { recursive: true });
  const parent = await mkdtemp(join(resolve(".data"), "embedded-probe-"));
  try {
    const { code, stdout, stderr } = await new Promise<{ code: number | null; stdout: string; stderr: string }>((done) => {
      const child = execFile(process.execPath, [PROBE, join(parent, "pg")], { timeout: 60_000 }, (_error, stdout, stderr) => {
        done({ code: child.exitCode, stdout, stderr });
      });
    });
    expect(stderr).toBe("");
    expect(stdout.trim().split("\n")).toEqual([
      expect.stringMatching(/^second start on the same directory: .*another Postgres \(pid \d+\) is running on/),
      "stopped three times",
      expect.stringMatching(/^port taken: .*port \d+ on 127\.0\.0\.1 is in use/),
      'restarted with data: [{"n":0}]',
    ]);
    expect(code).toBe(3);
  } finally {
    await rm(parent, { recursive: true, force: true });
  }
});
