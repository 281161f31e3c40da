/** The `CustomerDirectory` contract, run against every adapter of the port. */
import { randomUUID } from "node:crypto";
import { describe, expect, test } from "vitest";
import { UpstreamUnavailableError } from "../../src/errors.ts";
import type { CustomerDirectory } from "../../src/ports/customer_directory.ts";

/** The customers every harness must know, in the LMS's shape. */
export const CONTRACT_CUSTOMERS = [
  { uuid: "47130371-0b6d-43f5-91de-71942664de2b", name: "Acme Corp", slug: "acme", enable_learner_portal: true, modified: "2026-03-04T05:06:07.123456Z" },
  { uuid: "6ae013d4-c5f4-474f-8a12-a4e1b8c0f2d3", name: "Globex", slug: "globex-inc", enable_learner_portal: false, modified: "2025-12-31T23:59:59Z" },
] as const;

/** A directory that knows `CONTRACT_CUSTOMERS`, and can be made to fail when the adapter can fail. */
export interface CustomerDirectoryHarness {
  readonly directory: CustomerDirectory;
  /** Makes the next lookups fail as the LMS can (undefined: this adapter has no LMS to fail). */
  readonly breakLms?: () => void;
  readonly repairLms?: () => void;
}

/** Registers the suite; `canFail` adds the failure case, for adapters that talk to an LMS. */
export function describeCustomerDirectoryContract(name: string, setup: () => Promise<CustomerDirectoryHarness>, options: { canFail: boolean }): void {
  describe(`CustomerDirectory contract: ${name}`, () => {
    test("findCustomer() reads uuid, name, slug, enable_learner_portal and modified, whatever the uuid's case", async () => {
      const { directory } = await setup();
      const [acme, globex] = CONTRACT_CUSTOMERS;
      expect(await directory.findCustomer(acme.uuid.toUpperCase())).toEqual({
        uuid: acme.uuid, name: "Acme Corp", slug: "acme", learnerPortalEnabled: true, modified: new Date("2026-03-04T05:06:07.123Z"),
      });
      expect(await directory.findCustomer(globex.uuid)).toMatchObject({ slug: "globex-inc", learnerPortalEnabled: false });
    });

    test("findCustomer() answers undefined for a customer the LMS does not know", async () => {
      const { directory } = await setup();
      expect(await directory.findCustomer(randomUUID())).toBeUndefined();
    });

    if (options.canFail) test("findCustomer() throws UpstreamUnavailableError while the LMS fails, and answers again after", async () => {
      const harness = await setup();
      if (harness.breakLms === undefined || harness.repairLms === undefined) throw new TypeError(`${name} says it can fail but gives no way to break it`);
      harness.breakLms();
      await expect(harness.directory.findCustomer(CONTRACT_CUSTOMERS[0].uuid)).rejects.toBeInstanceOf(UpstreamUnavailableError);
      harness.repairLms();
      expect(await harness.directory.findCustomer(CONTRACT_CUSTOMERS[0].uuid)).toMatchObject({ slug: "acme" });
    });
  });
}
