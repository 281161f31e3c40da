/**
 * `GET /csrf/api/v1/token`, edx-drf-extensions' path and answer. frontend-platform's HTTP client
 * fetches a token from the origin before every unsafe request and will not send the request
 * without one. The service checks none, since it reads credentials only from the `Authorization`
 * header (decision 0014), so the answer says so instead of pretending to be a secret.
 */
import type { OperationHandlers } from "./operation_types.ts";

/** The token every answer carries: no request is ever checked against it. */
export const CSRF_TOKEN_NOT_REQUIRED = "not-required";

/** The CSRF token operation, by operationId. */
export function csrfHandlers() {
  return {
    getCsrfToken: (ctx) => {
      ctx.set("Cache-Control", "no-store");
      ctx.body = { csrfToken: CSRF_TOKEN_NOT_REQUIRED };
    },
  } satisfies Partial<OperationHandlers>;
}
