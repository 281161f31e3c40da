import type { TestProject } from "vitest/node";

declare module "vitest" {
  export interface ProvidedContext {
    databaseUrl: string;
  }
}

/** Provides the server URL tests create their databases on. */
export default function setup(project: TestProject): void {
  project.provide("databaseUrl", process.env.DATABASE_URL ?? "");
}
