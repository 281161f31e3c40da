import { defineConfig } from "vitest/config";

/**
 * The fault scenarios of `test/chaos/` (`npm run chaos`): one file at a time, because each one
 * measures the machine (latency, memory, recovery time) and must not share it with another.
 */
export default defineConfig({
  test: {
    include: ["test/chaos/**/*.test.ts"],
    environment: "node",
    globalSetup: ["test/global_setup.ts"],
    fileParallelism: false,
    testTimeout: 300_000,
    hookTimeout: 120_000,
  },
});
