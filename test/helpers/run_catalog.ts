/** Runs the `catalog` command as its own process, as a user would, and collects what it printed. */
import { type ChildProcess, type ChildProcessByStdio, spawn } from "node:child_process";
import type { Readable } from "node:stream";

const MAIN = new URL("../../adapters/cli/main.ts", import.meta.url).pathname;

/** What the command printed and how it exited. */
export interface CatalogRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Starts `catalog <args>` on this Node with exactly `env`, its stdout and stderr piped. */
export function spawnCatalog(args: readonly string[], env: Readonly<Record<string, string | undefined>>): ChildProcessByStdio<null, Readable, Readable> {
  return spawn(process.execPath, [MAIN, ...args], { env: { ...env }, stdio: ["ignore", "pipe", "pipe"] });
}

/** Runs `catalog <args>` on this Node with exactly `env` (nothing inherited but what the caller passes). */
export function runCatalog(args: readonly string[], env: Readonly<Record<string, string | undefined>>): Promise<CatalogRun> {
  return new Promise((resolve, reject) => {
    const child = spawnCatalog(args, env);
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

/** One JSON log line of the service. */
export type LogLine = Record<string, unknown>;

/** The JSON log lines a process wrote to stdout so far, and a wait for the next one that matches. */
export interface LogWatcher {
  readonly seen: LogLine[];
  /** Resolves with the first line matching `test`, from the lines seen so far and those still to come. */
  next(test: (line: LogLine) => boolean): Promise<LogLine>;
}

/** Watches the JSON log lines `child` writes to stdout. */
export function watchLogs(child: ChildProcess): LogWatcher {
  const seen: LogLine[] = [];
  const waiters: { test: (line: LogLine) => boolean; resolve: (line: LogLine) => void }[] = [];
  let buffer = "";
  child.stdout?.on("data", (chunk: Buffer) => {
    buffer += chunk.toString("utf8");
    const lines = buffer.split("\n");
    buffer = lines.pop() ?? "";
    for (const text of lines) {
      let line: LogLine;
      try {
        line = JSON.parse(text) as LogLine;
      } catch {
        continue;
      }
      seen.push(line);
      for (const waiter of [...waiters]) {
        if (waiter.test(line)) {
          waiters.splice(waiters.indexOf(waiter), 1);
          waiter.resolve(line);
        }
      }
    }
  });
  return {
    seen,
    next(test) {
      const found = seen.find(test);
      if (found !== undefined) return Promise.resolve(found);
      return new Promise((resolve) => waiters.push({ test, resolve }));
    },
  };
}
