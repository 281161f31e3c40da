/**
 * The embedded default when no LMS is configured: the enterprise customers of a JSON file
 * (`LMS_CUSTOMERS_FILE`), each in the LMS's own shape (`uuid`, `name`, `slug`,
 * `enable_learner_portal`, `modified`), or none at all. A customer it does not know gets the LMS
 * form of enrollment URLs, with its slug taken from the catalog's customer name.
 */
import { readFileSync } from "node:fs";
import type { CustomerDirectory, EnterpriseCustomerRecord } from "../../src/ports/customer_directory.ts";
import { MemoryCustomerDirectory } from "../memory/memory_customer_directory.ts";
import { customerFromLmsRecord } from "./lms_customer_record.ts";

/** Customers read once from a file (or none), answered in memory. */
export class LocalCustomerDirectory implements CustomerDirectory {
  readonly #customers: MemoryCustomerDirectory;

  /** Throws TypeError naming the file when it cannot be read or holds something other than a list of customer records. */
  constructor(options: { file?: string } = {}) {
    this.#customers = new MemoryCustomerDirectory(options.file === undefined ? [] : readCustomers(options.file));
  }

  findCustomer(uuid: string): Promise<EnterpriseCustomerRecord | undefined> {
    return this.#customers.findCustomer(uuid);
  }
}

/** The file's customers: a JSON list of LMS records (or a page of them, `{results: [...]}`). */
export function readCustomers(file: string): EnterpriseCustomerRecord[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, "utf8"));
  } catch (error) {
    throw new TypeError(`Cannot read enterprise customers from "${file}": ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
  const list = Array.isArray(parsed) ? parsed : (parsed as { results?: unknown } | null)?.results;
  if (!Array.isArray(list)) throw new TypeError(`"${file}" must hold a JSON list of enterprise customer records`);
  return list.map((value, index) => {
    const record = customerFromLmsRecord(value);
    if (record === undefined) throw new TypeError(`"${file}": item ${index} is not an enterprise customer record (uuid and slug are required)`);
    return record;
  });
}
