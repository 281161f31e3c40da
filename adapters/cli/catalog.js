#!/usr/bin/env node
// Runs the TypeScript CLI on a Node that strips types: this one when it can (Node 24 from the
// project's devDependency, as npm scripts and npx provide), else the project's own Node 24.
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

const main = fileURLToPath(new URL("./main.ts", import.meta.url));
if (process.features.typescript) {
  await import(main);
} else {
  const node = fileURLToPath(new URL("../../node_modules/node/bin/node", import.meta.url));
  const run = spawnSync(node, [main, ...process.argv.slice(2)], { stdio: "inherit" });
  process.exit(run.status ?? 1);
}
