import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // The fault scenarios run alone, after the rest: `npm run chaos` (vitest.chaos.config.ts).
    exclude: ["test/chaos/**", "**/node_modules/**"],
    environment: "node",
    globalSetup: ["test/global_setup.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
