import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { HttpCustomerDirectory } from "../../adapters/lms/http_customer_directory.ts";
import { customerFromLmsRecord } from "../../adapters/lms/lms_customer_record.ts";
import { LocalCustomerDirectory, readCustomers } from "../../adapters/lms/local_customer_directory.ts";
import { MemoryCustomerDirectory } from "../../adapters/memory/memory_customer_directory.ts";
import { CONTRACT_CUSTOMERS, describeCustomerDirectoryContract } from "../contracts/customer_directory_contract.ts";
import { type FakeLms, startFakeLms } from "../helpers/fake_lms.ts";

let lms: FakeLms;
beforeAll(async () => {
  lms = await startFakeLms();
  for (const customer of CONTRACT_CUSTOMERS) lms.put(customer);
});
afterAll(async () => {
  await lms?.close();
});

const records = CONTRACT_CUSTOMERS.map((customer) => customerFromLmsRecord(customer)!);
const folder = mkdtempSync(join(tmpdir(), "customers-"));
const file = join(folder, "customers.json");
writeFileSync(file, JSON.stringify(CONTRACT_CUSTOMERS));

describeCustomerDirectoryContract("MemoryCustomerDirectory", async () => {
  const directory = new MemoryCustomerDirectory(records);
  return { directory, breakLms: () => directory.setOutage("failing"), repairLms: () => directory.setOutage(undefined) };
}, { canFail: true });

describeCustomerDirectoryContract("LocalCustomerDirectory (LMS_CUSTOMERS_FILE)", async () => ({ directory: new LocalCustomerDirectory({ file }) }), { canFail: false });

describeCustomerDirectoryContract("HttpCustomerDirectory", async () => ({
  directory: new HttpCustomerDirectory({ baseUrl: lms.url, oauth: { tokenUrl: lms.tokenUrl, clientId: lms.clientId, clientSecret: lms.clientSecret } }),
  breakLms: () => (lms.outage = "failing"),
  repairLms: () => (lms.outage = undefined),
}), { canFail: true });

describe("HttpCustomerDirectory", () => {
  it("gives up on a hanging LMS at its time limit with UpstreamUnavailableError", async () => {
    const directory = new HttpCustomerDirectory({ baseUrl: lms.url, oauth: { tokenUrl: lms.tokenUrl, clientId: lms.clientId, clientSecret: lms.clientSecret }, timeoutMs: 200 });
    lms.outage = "hanging";
    try {
      await expect(directory.findCustomer(CONTRACT_CUSTOMERS[0].uuid)).rejects.toThrow(/timed out/);
    } finally {
      lms.outage = undefined;
    }
  });

  it("is refused without credentials, which it reports as the LMS failing", async () => {
    const refusedBefore = lms.unauthorized;
    await expect(new HttpCustomerDirectory({ baseUrl: lms.url }).findCustomer(CONTRACT_CUSTOMERS[0].uuid)).rejects.toThrow(/status 401/);
    expect(lms.unauthorized).toBe(refusedBefore + 1);
  });
});

describe("LocalCustomerDirectory", () => {
  it("knows no customer without a file, and names the file and item it cannot read", () => {
    const broken = join(folder, "broken.json");
    writeFileSync(broken, JSON.stringify([{ uuid: "nope" }]));
    expect(() => readCustomers(broken)).toThrow(`"${broken}": item 0 is not an enterprise customer record`);
    expect(() => readCustomers(join(folder, "absent.json"))).toThrow(/Cannot read enterprise customers/);
    expect(readCustomers(file)).toHaveLength(2);
  });

  it("answers nothing when no file is configured", async () => {
    expect(await new LocalCustomerDirectory().findCustomer(CONTRACT_CUSTOMERS[0].uuid)).toBeUndefined();
  });
});
