/** What every request carries on `ctx.state`: its id, its use cases, and what routing and authentication found. */
import type Koa from "koa";
import type { ChangeAuthor } from "../../src/history/change.ts";
import type { UseCases } from "../../src/services.ts";
import type { Caller, FeatureRole } from "./caller.ts";

/** The state of one request, filled in as it passes the app's middleware. */
export interface RequestState {
  /** Taken from `X-Request-ID` when it is sane, else generated. */
  requestId: string;
  /** This request's unit of work: the use cases its handler calls. */
  services: UseCases;
  /** The operation the request matched, and its path template (for logs and metrics). */
  operationId?: string;
  route?: string;
  /** The verified caller; absent on public operations. */
  caller?: Caller;
  /** The feature roles the operation's `x-permission` asks for. */
  permissionRoles?: readonly FeatureRole[];
}

/** A Koa context carrying the service's request state. */
export type RequestContext = Koa.ParameterizedContext<RequestState>;

/** The verified caller of an operation that needs one; TypeError when authentication did not run. */
export function callerOf(ctx: RequestContext): Caller {
  const caller = ctx.state.caller;
  if (caller === undefined) throw new TypeError(`No caller: operation "${ctx.state.operationId}" was not authenticated`);
  return caller;
}

/** Who the changes of a write are recorded as: the caller's JWT subject. */
export function authorOf(ctx: RequestContext): ChangeAuthor {
  return { actor: callerOf(ctx).subject };
}
