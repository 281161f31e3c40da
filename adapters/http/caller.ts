/**
 * Who is calling: the subject of a verified edX JWT and the feature roles it holds per enterprise.
 * Handlers read it from `ctx.state.caller`; the authorization middleware sets it before they run.
 */
import { isUuid } from "../../src/validation.ts";

/** The feature roles operations ask for in their `x-permission`. */
export const FEATURE_ROLES = ["learner", "catalog_admin", "provisioning_admin", "enrollment_admin", "staff"] as const;

/** A feature role the service checks. */
export type FeatureRole = (typeof FEATURE_ROLES)[number];

/** Every enterprise, as the `*` context of a role claim grants it. */
export const ALL_ENTERPRISES = "*";

/**
 * System roles (the JWT `roles` claim) → feature roles, after edx-enterprise's
 * `SYSTEM_TO_FEATURE_ROLE_MAPPING`. Enterprise admins also get `enrollment_admin`, as edx-enterprise
 * grants admins the enrollment API; operators get `staff` on top of admin and enrollment.
 */
export const SYSTEM_TO_FEATURE_ROLES: Readonly<Record<string, readonly FeatureRole[]>> = Object.freeze({
  enterprise_admin: ["learner", "catalog_admin", "enrollment_admin"],
  enterprise_learner: ["learner"],
  enterprise_catalog_admin: ["catalog_admin"],
  enterprise_openedx_operator: ["catalog_admin", "enrollment_admin", "staff"],
  enterprise_provisioning_admin: ["provisioning_admin"],
});

/** Roles that also grant another: catalog admins have learner access (`has_learner_access`). */
const IMPLIED_BY: Readonly<Partial<Record<FeatureRole, readonly FeatureRole[]>>> = {
  learner: ["catalog_admin"],
};


/** One or several roles; several means any one of them suffices. */
export type RoleRequirement = FeatureRole | readonly FeatureRole[];

/** The verified caller of one request. */
export class Caller {
  /** The token's subject (`sub`, else `preferred_username`, else `user_id`). */
  readonly subject: string;
  /** Holds `staff`: the `administrator` claim, or an operator role. */
  readonly isStaff: boolean;
  #grants: ReadonlyMap<FeatureRole, ReadonlySet<string>>;
  #enterprisesByRole = new Map<string, "*" | readonly string[]>();

  constructor(subject: string, grants: ReadonlyMap<FeatureRole, ReadonlySet<string>>) {
    this.subject = subject;
    this.#grants = grants;
    this.isStaff = (grants.get("staff")?.size ?? 0) > 0;
  }

  /** `"*"` when the role (any of the roles) is held for every enterprise, else the enterprises it is held for. */
  enterprisesWith(role: RoleRequirement): "*" | readonly string[] {
    // A caller lives as long as its cached token and is asked the same few questions on every request.
    const key = typeof role === "string" ? role : role.join(" ");
    let answer = this.#enterprisesByRole.get(key);
    if (answer === undefined) {
      answer = this.#computeEnterprisesWith(role);
      this.#enterprisesByRole.set(key, answer);
    }
    return answer;
  }

  #computeEnterprisesWith(role: RoleRequirement): "*" | readonly string[] {
    const contexts = new Set<string>();
    for (const held of granting(role)) for (const context of this.#grants.get(held) ?? []) contexts.add(context);
    if (contexts.has(ALL_ENTERPRISES)) return ALL_ENTERPRISES;
    return Object.freeze([...contexts].sort());
  }

  /** Whether the caller holds the role (any of the roles) for this enterprise. */
  can(role: RoleRequirement, enterpriseUuid: string): boolean {
    const enterprises = this.enterprisesWith(role);
    return enterprises === ALL_ENTERPRISES || enterprises.includes(enterpriseUuid.toLowerCase());
  }

  /** Whether the caller holds the role (any of the roles) for at least one enterprise. */
  hasRole(role: RoleRequirement): boolean {
    const enterprises = this.enterprisesWith(role);
    return enterprises === ALL_ENTERPRISES || enterprises.length > 0;
  }

  /** Whether the caller holds any feature role for this enterprise, i.e. may know what it has. */
  belongsTo(enterpriseUuid: string): boolean {
    return this.can(FEATURE_ROLES, enterpriseUuid);
  }

  /** The feature roles per context, for logs and debugging. */
  grants(): Readonly<Record<string, readonly string[]>> {
    return Object.fromEntries([...this.#grants].map(([role, contexts]) => [role, [...contexts].sort()]));
  }
}

/** Builds the caller from verified JWT claims; unknown roles and malformed entries are ignored. */
export function callerFromClaims(claims: Readonly<Record<string, unknown>>): Caller {
  const grants = new Map<FeatureRole, Set<string>>();
  const grant = (role: FeatureRole, context: string) => {
    const contexts = grants.get(role) ?? new Set<string>();
    contexts.add(context);
    grants.set(role, contexts);
  };
  const roles = Array.isArray(claims.roles) ? claims.roles : [];
  for (const entry of roles) {
    if (typeof entry !== "string") continue;
    const separator = entry.indexOf(":");
    if (separator <= 0) continue;
    const featureRoles = Object.hasOwn(SYSTEM_TO_FEATURE_ROLES, entry.slice(0, separator))
      ? SYSTEM_TO_FEATURE_ROLES[entry.slice(0, separator)]
      : undefined;
    const context = entry.slice(separator + 1).trim().toLowerCase();
    if (featureRoles === undefined || (context !== ALL_ENTERPRISES && !isUuid(context))) continue;
    for (const role of featureRoles) grant(role, role === "staff" ? ALL_ENTERPRISES : context);
  }
  if (claims.administrator === true) grant("staff", ALL_ENTERPRISES);
  return new Caller(subjectOf(claims), grants);
}

function granting(role: RoleRequirement): FeatureRole[] {
  const wanted = typeof role === "string" ? [role] : [...role];
  return [...new Set(wanted.flatMap((one) => [one, ...(IMPLIED_BY[one] ?? [])]))];
}

function subjectOf(claims: Readonly<Record<string, unknown>>): string {
  for (const name of ["sub", "preferred_username", "user_id"]) {
    const value = claims[name];
    if ((typeof value === "string" && value !== "") || typeof value === "number") return String(value).slice(0, 200);
  }
  return "unknown";
}
