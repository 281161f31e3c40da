/** What browsers ask of the service besides the API: the CSRF token frontend-platform fetches before an unsafe request. */
import { issueCsrfToken } from "./csrf.ts";
import type { OperationHandlers } from "./operation_types.ts";

/** The browser operations, by operationId. */
export function browserHandlers() {
  return {
    getCsrfToken: (ctx) => {
      ctx.set("Cache-Control", "no-store");
      ctx.body = { csrfToken: issueCsrfToken(ctx) };
    },
  } satisfies Partial<OperationHandlers>;
}
