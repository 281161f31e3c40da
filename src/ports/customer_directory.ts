/** The LMS's enterprise customers (edx-enterprise's `enterprise-customer` records), as far as catalogs need them. */

/** What this service reads of an enterprise customer record. */
export interface EnterpriseCustomerRecord {
  readonly uuid: string;
  readonly name: string;
  /** The customer's learner-portal slug (`{LEARNER_PORTAL}/{slug}/course/...`). */
  readonly slug: string;
  /** `enable_learner_portal`: learners enroll through the learner portal. */
  readonly learnerPortalEnabled: boolean;
  /** The record's last change, or null when the LMS gave none. */
  readonly modified: Date | null;
}

/**
 * Looks enterprise customers up in the LMS. Every call asks the LMS (callers cache); it returns
 * undefined when the LMS knows no customer with that uuid, and throws UpstreamUnavailableError
 * when the LMS cannot answer (failure, time limit, an answer of the wrong shape) or the signal aborts.
 */
export interface CustomerDirectory {
  findCustomer(uuid: string, options?: { readonly signal?: AbortSignal }): Promise<EnterpriseCustomerRecord | undefined>;
}
