/**
 * What catalogs need to know of their enterprise customer (slug, learner portal, last change),
 * learned from the LMS and kept in process: a read never waits on the LMS longer than a short
 * bound, it is answered from the last known record, and a record past its age is refreshed in the
 * background. See docs/decisions/0015-customer-details-from-the-lms.md.
 */
import type { EnterpriseCatalog } from "../catalog/catalog.ts";
import type { Clock } from "../ports/clock.ts";
import type { CustomerDirectory, EnterpriseCustomerRecord } from "../ports/customer_directory.ts";
import { type CatalogCustomer, catalogCustomer } from "./catalog_customer.ts";

/** How long records are trusted, and how long a read waits for a customer not known yet. */
export interface CustomerDetailsPolicy {
  /** A record older than this is refreshed in the background (the reference caches it 1 h). */
  readonly maxAgeMs: number;
  /** Longest a read waits for the first answer about a customer; then it goes on without one. */
  readonly waitMs: number;
  /** After a failed lookup, the LMS is not asked about that customer again for this long. */
  readonly retryAfterFailureMs: number;
  /** Most customers remembered; the least recently asked go first. */
  readonly maxCustomers: number;
}

/** The reference's hour, a quarter of a second's wait, half a minute between failed tries. */
export const DEFAULT_CUSTOMER_DETAILS_POLICY: CustomerDetailsPolicy = Object.freeze({
  maxAgeMs: 3_600_000,
  waitMs: 250,
  retryAfterFailureMs: 30_000,
  maxCustomers: 100_000,
});

/** What is known of one customer. */
interface Entry {
  /** The last answer: a record, or null when the LMS has no such customer; undefined before any answer. */
  record: EnterpriseCustomerRecord | null | undefined;
  answeredAt: number | undefined;
  failedAt: number | undefined;
  pending: Promise<void> | undefined;
}

/** Enterprise customers' LMS records, kept in process under the policy; one per process. */
export class CustomerDetails {
  readonly #directory: CustomerDirectory;
  readonly #clock: Clock;
  readonly #policy: CustomerDetailsPolicy;
  readonly #entries = new Map<string, Entry>();

  constructor(deps: { directory: CustomerDirectory; clock: Clock; policy?: Partial<CustomerDetailsPolicy> }) {
    this.#directory = deps.directory;
    this.#clock = deps.clock;
    this.#policy = { ...DEFAULT_CUSTOMER_DETAILS_POLICY, ...deps.policy };
  }

  /**
   * The customer's record as last known, or undefined when none is (the LMS has no such customer,
   * or has not answered yet). Never throws for the LMS and never waits on it longer than `waitMs`:
   * a record past `maxAgeMs` is answered as it is while a fresh one is fetched in the background.
   */
  async recordOf(customerUuid: string): Promise<EnterpriseCustomerRecord | undefined> {
    const key = customerUuid.toLowerCase();
    const entry = this.#entryOf(key);
    const now = this.#clock.now().getTime();
    const fresh = entry.answeredAt !== undefined && now - entry.answeredAt < this.#policy.maxAgeMs;
    if (!fresh) this.#refresh(key, entry, now);
    if (entry.answeredAt === undefined && entry.pending !== undefined) await settledWithin(entry.pending, this.#policy.waitMs);
    return entry.record ?? undefined;
  }

  /** The customer as the catalog's links and dates name it (see `catalogCustomer`). */
  async customerOf(catalog: EnterpriseCatalog): Promise<CatalogCustomer> {
    return catalogCustomer(catalog, await this.recordOf(catalog.enterpriseCustomerUuid));
  }

  #entryOf(key: string): Entry {
    let entry = this.#entries.get(key);
    if (entry !== undefined) {
      // Most recently asked last, so eviction drops the customers nobody asks about.
      this.#entries.delete(key);
    } else {
      entry = { record: undefined, answeredAt: undefined, failedAt: undefined, pending: undefined };
      while (this.#entries.size >= this.#policy.maxCustomers) this.#entries.delete(this.#entries.keys().next().value as string);
    }
    this.#entries.set(key, entry);
    return entry;
  }

  /** Starts one lookup unless one is under way or the last one failed too recently. */
  #refresh(key: string, entry: Entry, now: number): void {
    if (entry.pending !== undefined) return;
    if (entry.failedAt !== undefined && now - entry.failedAt < this.#policy.retryAfterFailureMs) return;
    entry.pending = this.#directory.findCustomer(key).then(
      (record) => {
        entry.record = record ?? null;
        entry.answeredAt = this.#clock.now().getTime();
        entry.failedAt = undefined;
      },
      () => {
        // The last known record (if any) stands; the next read after the pause tries again.
        entry.failedAt = this.#clock.now().getTime();
      },
    ).finally(() => {
      entry.pending = undefined;
    });
  }
}

/** Resolves when `work` settles or after `ms`, whichever comes first. */
function settledWithin(work: Promise<void>, ms: number): Promise<void> {
  if (ms <= 0) return Promise.resolve();
  const signal = AbortSignal.timeout(ms);
  return Promise.race([work, new Promise<void>((resolve) => signal.addEventListener("abort", () => resolve(), { once: true }))]);
}
