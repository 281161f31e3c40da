/**
 * The `x-permission` of every operation in openapi.yaml, compiled once at start-up into rules: who
 * may call it (feature roles) and which enterprise the call is about (a path parameter, a catalog,
 * query, curation config, highlight set or history named in the path, a body field, a list's scope, or none).
 */
import { FEATURE_ROLES, type FeatureRole } from "./caller.ts";
import type { OpenApiDocument, Operation, PermissionSpec } from "./openapi_document.ts";

/**
 * Stored things besides catalogs and queries whose owner a path names (`<kind>:path:<param>`),
 * checked like `catalog:path:*`; see `record_owners.ts` for how each owner is found.
 */
export const OWNED_KINDS = ["curation", "highlight-set", "catalog-history", "curation-history"] as const;
/** One of `OWNED_KINDS`. */
export type OwnedKind = (typeof OWNED_KINDS)[number];

/** Where the enterprise a call is about comes from. */
export type PermissionSource =
  | { readonly kind: "path" | "catalog" | "scoped-catalog" | "query" | OwnedKind; readonly param: string }
  | { readonly kind: "body"; readonly field: string }
  | { readonly kind: "list" | "none" };

/** One operation's compiled permission. */
export interface PermissionRule {
  readonly access: "public" | "authenticated" | "role";
  readonly roles: readonly FeatureRole[];
  readonly sources: readonly PermissionSource[];
}

const PSEUDO_ROLES = ["public", "authenticated"] as const;

/**
 * Compiles every operation's `x-permission`; throws TypeError listing each operation that lacks
 * one or has a malformed one, so no endpoint can be added without saying who may call it.
 */
export function compilePermissions(api: OpenApiDocument): Map<string, PermissionRule> {
  const problems: string[] = [];
  const rules = new Map<string, PermissionRule>();
  for (const operation of api.operations) {
    const name = `${operation.operationId} (${operation.method} ${operation.path})`;
    const spec = operation.permission;
    if (spec === undefined) {
      problems.push(`${name} has no x-permission`);
      continue;
    }
    const before = problems.length;
    const rule = compileRule(spec, operation, (problem) => problems.push(`${name}: ${problem}`));
    if (problems.length === before) rules.set(operation.operationId, rule);
  }
  if (problems.length > 0) throw new TypeError(`Every operation in openapi.yaml needs a valid x-permission:\n  - ${problems.join("\n  - ")}`);
  return rules;
}

function compileRule(spec: PermissionSpec, operation: Operation, problem: (text: string) => void): PermissionRule {
  const pseudo = spec.roles.filter((role) => (PSEUDO_ROLES as readonly string[]).includes(role));
  const unknownRoles = spec.roles.filter((role) => !(PSEUDO_ROLES as readonly string[]).includes(role) && !(FEATURE_ROLES as readonly string[]).includes(role));
  if (spec.roles.length === 0) problem("x-permission.role is missing");
  if (unknownRoles.length > 0) problem(`unknown role ${unknownRoles.map((role) => `"${role}"`).join(", ")}; known: ${[...FEATURE_ROLES, ...PSEUDO_ROLES].join(", ")}`);
  if (pseudo.length > 0 && spec.roles.length > 1) problem(`role "${pseudo[0]}" cannot be combined with other roles`);
  const access = pseudo[0] === "public" ? "public" : pseudo[0] === "authenticated" ? "authenticated" : "role";
  const pathParams = new Set(operation.parameters.filter((parameter) => parameter.in === "path").map((parameter) => parameter.name));
  if (spec.enterprise.length === 0) problem("x-permission.enterprise is missing");
  const sources: PermissionSource[] = [];
  for (const text of spec.enterprise) {
    const [kind, ...rest] = text.split(":");
    const param = rest.join(":");
    if (text === "none" || text === "list") {
      sources.push({ kind: text });
    } else if (kind === "path" && pathParams.has(param)) {
      sources.push({ kind: "path", param });
    } else if ((kind === "catalog" || kind === "scoped-catalog" || kind === "query" || isOwnedKind(kind)) && param.startsWith("path:") && pathParams.has(param.slice(5))) {
      sources.push({ kind, param: param.slice(5) });
    } else if (kind === "body" && param !== "" && operation.bodySchema !== undefined) {
      sources.push({ kind: "body", field: param });
    } else {
      problem(`enterprise "${text}" is not one of path:<param>, catalog:path:<param>, scoped-catalog:path:<param>, query:path:<param>, ${OWNED_KINDS.map((owned) => `${owned}:path:<param>`).join(", ")}, body:<field>, list, none (naming a path parameter or body field the operation has)`);
    }
  }
  const alone = sources.filter((source) => source.kind === "list" || source.kind === "none");
  if (alone.length > 0 && sources.length > 1) problem(`enterprise "${alone[0]?.kind}" cannot be combined with other sources`);
  if (access !== "role" && sources.some((source) => source.kind !== "none")) problem(`role "${access}" needs enterprise "none"`);
  return { access, roles: spec.roles.filter((role): role is FeatureRole => (FEATURE_ROLES as readonly string[]).includes(role)), sources };
}

/** Whether a source kind is one of `OWNED_KINDS`. */
export function isOwnedKind(kind: string | undefined): kind is OwnedKind {
  return (OWNED_KINDS as readonly (string | undefined)[]).includes(kind);
}
