/** The LMS's enterprise customers in memory, for tests and co-located use. */
import { UpstreamUnavailableError } from "../../src/errors.ts";
import type { CustomerDirectory, EnterpriseCustomerRecord } from "../../src/ports/customer_directory.ts";

/** Customers kept in a map; a test can make the "LMS" fail or hang until it says otherwise. */
export class MemoryCustomerDirectory implements CustomerDirectory {
  readonly #customers = new Map<string, EnterpriseCustomerRecord>();
  #outage: "failing" | "hanging" | undefined;
  #releaseHung: (() => void)[] = [];

  constructor(customers: readonly EnterpriseCustomerRecord[] = []) {
    for (const customer of customers) this.put(customer);
  }

  /** Adds or replaces a customer. */
  put(customer: EnterpriseCustomerRecord): void {
    this.#customers.set(customer.uuid.toLowerCase(), customer);
  }

  /** Removes a customer: the "LMS" no longer knows it. */
  remove(uuid: string): void {
    this.#customers.delete(uuid.toLowerCase());
  }

  /** `failing`: every lookup throws UpstreamUnavailableError; `hanging`: lookups wait until the outage ends; undefined ends it. */
  setOutage(outage: "failing" | "hanging" | undefined): void {
    this.#outage = outage;
    if (outage !== "hanging") for (const release of this.#releaseHung.splice(0)) release();
  }

  async findCustomer(uuid: string, options: { readonly signal?: AbortSignal } = {}): Promise<EnterpriseCustomerRecord | undefined> {
    if (this.#outage === "hanging") {
      await new Promise<void>((resolve, reject) => {
        this.#releaseHung.push(resolve);
        options.signal?.addEventListener("abort", () => reject(new UpstreamUnavailableError("The LMS lookup was aborted")), { once: true });
      });
    }
    if (this.#outage === "failing") throw new UpstreamUnavailableError(`The LMS did not answer for customer "${uuid}"`);
    return this.#customers.get(uuid.toLowerCase());
  }
}
