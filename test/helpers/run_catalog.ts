/** Runs the `catalog` command as its own process, as a user would, and collects what it printed. */
import { spawn } from "node:child_process";

const MAIN = new URL("../../adapters/cli/main.ts", import.meta.url).pathname;

/** What the command printed and how it exited. */
export interface CatalogRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `catalog <args>` on this Node with exactly `env` (nothing inherited but what the caller passes). */
export function runCatalog(args: readonly string[], env: Readonly<Record<string, string | undefined>>): Promise<CatalogRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [MAIN, ...args], { env: { ...env }, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}
