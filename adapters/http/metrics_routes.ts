/** `/metrics`: the Prometheus exposition, unless it is served on its own port (METRICS_PORT). */
import type { ServiceMetrics } from "../metrics.ts";
import type { OperationHandlers } from "./operation_types.ts";
import { LEGACY_TEXTS } from "./legacy_texts.ts";
import { HttpProblem } from "./problem.ts";

/** The metrics operation, by operationId. */
export function metricsHandlers(metrics: ServiceMetrics, options: { onApiPort: boolean }) {
  return {
    getMetrics: async (ctx) => {
      if (!options.onApiPort) throw new HttpProblem(404, LEGACY_TEXTS.notFound);
      const { contentType, text } = await metrics.scrape();
      ctx.type = contentType;
      ctx.body = text;
    },
  } satisfies Partial<OperationHandlers>;
}
