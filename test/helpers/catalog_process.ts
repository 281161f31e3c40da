/** A `catalog` command running as its own process for a fault scenario: its logs, its exit, its memory. */
import type { ChildProcessByStdio } from "node:child_process";
import { readFileSync } from "node:fs";
import type { Readable } from "node:stream";
import { type LogLine, type LogWatcher, spawnCatalog, watchLogs } from "./run_catalog.ts";

/** How a process ended. */
export interface ProcessExit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  /** `performance.now()` when it ended. */
  readonly at: number;
}

/** A started `catalog` process. */
export interface CatalogProcess {
  readonly child: ChildProcessByStdio<null, Readable, Readable>;
  readonly logs: LogWatcher;
  readonly exited: Promise<ProcessExit>;
  /** The log line `ready` waited for; rejects when the process exits first. */
  readonly ready: Promise<LogLine>;
  stderr(): string;
  /** SIGKILL unless it already ended. */
  kill(): void;
}

/** Starts `catalog <args>` with the test's environment plus `env`; `ready` waits for the first log line whose `msg` passes `readyMessage`. */
export function startCatalogProcess(args: readonly string[], env: Record<string, string>, readyMessage: (message: string) => boolean): CatalogProcess {
  const child = spawnCatalog(args, { ...process.env, ...env });
  let stderr = "";
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<ProcessExit>((resolve) => child.on("exit", (code, signal) => resolve({ code, signal, at: performance.now() })));
  const logs = watchLogs(child);
  const ready = Promise.race([
    logs.next((line) => readyMessage(String(line.msg))),
    exited.then(({ code, signal }) => {
      throw new Error(`catalog ${args.join(" ")} exited with ${code ?? signal} before it was ready: ${stderr}`);
    }),
  ]);
  // A scenario may never await `ready` (it failed earlier): keep its rejection from going unhandled.
  ready.catch(() => {});
  return {
    child,
    logs,
    exited,
    ready,
    stderr: () => stderr,
    kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
    },
  };
}

/** The resident set size of a process in MiB, from /proc; undefined once it is gone. */
export function rssMib(pid: number): number | undefined {
  try {
    const line = readFileSync(`/proc/${pid}/status`, "utf8").split("\n").find((text) => text.startsWith("VmRSS:"));
    return line === undefined ? undefined : Number.parseInt(line.slice(6), 10) / 1024;
  } catch {
    return undefined;
  }
}

/** Least-squares slope of `y` over `x`. */
export function slope(points: readonly { readonly x: number; readonly y: number }[]): number {
  const n = points.length;
  if (n < 2) return 0;
  const meanX = points.reduce((sum, point) => sum + point.x, 0) / n;
  const meanY = points.reduce((sum, point) => sum + point.y, 0) / n;
  let covariance = 0;
  let variance = 0;
  for (const { x, y } of points) {
    covariance += (x - meanX) * (y - meanY);
    variance += (x - meanX) ** 2;
  }
  return variance === 0 ? 0 : covariance / variance;
}
