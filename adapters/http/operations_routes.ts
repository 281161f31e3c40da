/** Handlers for the operational endpoints: liveness, readiness and the API document. */
import type { OpenApiDocument } from "./openapi_document.ts";
import type { OperationHandlers } from "./operation_types.ts";

/** The outcome of each readiness check: "ok" or what is wrong. */
export type ReadinessChecks = Readonly<Record<string, string>>;

/** The operational operations, by operationId. */
export function operationsHandlers(api: OpenApiDocument, readiness: () => Promise<ReadinessChecks>) {
  return {
    getHealth: (ctx) => {
      ctx.body = { status: "ok" };
    },

    getReady: async (ctx) => {
      const checks = await readiness();
      const ready = Object.values(checks).every((outcome) => outcome === "ok");
      ctx.status = ready ? 200 : 503;
      ctx.body = { status: ready ? "ready" : "unavailable", checks };
    },

    getApiSchema: (ctx) => {
      ctx.type = "application/yaml";
      ctx.body = api.text;
    },
  } satisfies Partial<OperationHandlers>;
}
