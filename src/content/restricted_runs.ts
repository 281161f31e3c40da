/**
 * Restricted ("custom B2B") course runs (reference §1.4): runs discovery hides unless a request
 * names their restriction type, which a catalog query allows one by one in its filter's
 * `restricted_runs_allowed`. They are stored per query, never as shared content rows, and only
 * `/api/v2` reads show them, inside the course they belong to (decision 0016).
 */
import { isJsonObject, type JsonObject, type JsonValue } from "../json.ts";
import { isActiveCourseRun } from "./listing.ts";

/** The restriction type a catalog query can allow runs of (discovery's `CourseRunRestrictionType.CustomB2BEnterprise`). */
export const RESTRICTION_FOR_B2B = "custom-b2b-enterprise";

/** One restricted run a query allows, as stored for that query. */
export interface RestrictedRun {
  readonly runKey: string;
  /** The course the run belongs to; the query holds it. */
  readonly courseKey: string;
  /** The run's entry in discovery's full course record (`/courses` with `include_restricted`). */
  readonly record: JsonObject;
  /** When this query's copy of the run last changed. */
  readonly modified: Date;
}

/** A restricted run before it is stored, with what a refresh needs to know of its sources later. */
export interface RestrictedRunRecord extends Omit<RestrictedRun, "modified"> {
  /** md5 of `record`'s canonical JSON (`jsonFingerprint`): equal fingerprints mean nothing changed. */
  readonly fingerprint: string;
  /** Fingerprint of the run's record in the restricted search: when it changes, the full record is due again. */
  readonly searchFingerprint: string;
  /** When discovery's full record was asked for. */
  readonly enrichedAt: Date;
}

/**
 * Tells whether a restricted run counts as active where its query allows it: published, enrollable
 * and restricted to B2B. Discovery never markets such a run (it has no marketing page), so the
 * reference's rule for other runs would always say no (reference §2.11; decision 0016).
 */
export function isActiveRestrictedRun(run: JsonValue | undefined): boolean {
  if (!isJsonObject(run) || run.restriction_type !== RESTRICTION_FOR_B2B) return false;
  const status = typeof run.status === "string" ? run.status.toLowerCase() : "";
  return status === "published" && run.is_enrollable === true;
}

/** Tells whether a run of a course shown with its allowed restricted runs is active: as any run is, or as a restricted one is. */
export function isActiveRunWithRestricted(run: JsonValue | undefined): boolean {
  return isActiveCourseRun(run) || isActiveRestrictedRun(run);
}
