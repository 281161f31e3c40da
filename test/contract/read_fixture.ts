/**
 * The read API's contract fixture: the real service over a small generated corpus, with catalogs
 * created through the API and their content loaded by the real refresh (pg-boss worker, local
 * discovery). Expectations come from the same corpus, as the local discovery answers it.
 */
import { randomUUID } from "node:crypto";
import { expect } from "vitest";
import { LocalDiscoveryClient } from "../../adapters/discovery_local/local_discovery_client.ts";
import { contentFilterFromValue } from "../../src/catalog/content_filter.ts";
import type { JsonObject } from "../../src/json.ts";
import { isAllowedContent } from "../../src/refresh/content_policy.ts";
import { generateDiscoveryDatabase } from "../../tools/discovery_corpus/generate_database.ts";
import { startTestService, type TestService, type TestServiceOptions } from "../helpers/service.ts";

/** The enterprise customer owning CAT, CAT2, COURSES and RUNS. */
export const CUST = "47130371-0b6d-43f5-91de-71942664de2b";
/** Another customer, owning ALIEN. */
export const OTHER = "6ae013d4-c5f4-474f-8a12-a4e1b8c0f2d3";
export const CUSTOMER_NAME = "Acme Corp";

/** What each catalog selects from the corpus. */
export const FILTERS = {
  /** MITx courses and their runs. */
  CAT: { content_type: ["course", "courserun"], org: "MITx" },
  /** Every program. */
  CAT2: { content_type: "program" },
  /** HarvardX courses only (a run key matches through its course). */
  COURSES: { content_type: "course", org: "HarvardX" },
  /** edX runs only (a course key matches through its runs). */
  RUNS: { content_type: "courserun", org: "edX" },
  /** Another customer's DelftX and HarvardX courses and runs (so HarvardX runs are stored rows). */
  ALIEN: { content_type: ["course", "courserun"], org: ["DelftX", "HarvardX"] },
} as const;

/** A created and refreshed catalog with the records discovery returned for it. */
export interface FixtureCatalog {
  readonly uuid: string;
  readonly queryUuid: string;
  readonly title: string;
  /** The search records, each course's with discovery's full record (`/courses`) over it. */
  readonly records: readonly JsonObject[];
}

/** The running service, the corpus and the catalogs. */
export interface ReadFixture {
  readonly service: TestService;
  readonly corpus: readonly JsonObject[];
  readonly catalogs: { readonly [K in keyof typeof FILTERS]: FixtureCatalog };
  /** The catalog a customer-level test may create for itself, made on demand. */
  createCatalog(filter: JsonObject, options?: { customer?: string; name?: string; publishAudit?: boolean }): Promise<FixtureCatalog>;
  stop(): Promise<void>;
}

/** Starts the service and creates every catalog of `FILTERS`, waiting for each first refresh. */
export async function startReadFixture(options: Pick<TestServiceOptions, "customers" | "env"> = {}): Promise<ReadFixture> {
  const discovery = new LocalDiscoveryClient({ database: generateDiscoveryDatabase({ courses: 200 }) });
  const { records: corpus } = await discovery.searchAll(contentFilterFromValue({}));
  const service = await startTestService({ discovery, worker: true, ...options });
  try {
    const createCatalog: ReadFixture["createCatalog"] = async (filter, options = {}) => {
      const title = `Catalog ${randomUUID().slice(0, 8)}`;
      const created = await service.call("createEnterpriseCatalog", "POST", "/api/v1/enterprise-catalogs/", {
        body: {
          title, enterprise_customer: options.customer ?? CUST, enterprise_customer_name: options.name ?? CUSTOMER_NAME,
          content_filter: filter, publish_audit_enrollment_urls: options.publishAudit ?? false,
        },
      });
      expect(created.status).toBe(201);
      const queryUuid = created.body.catalog_query_uuid as string;
      const refreshed = service.nextRefresh(queryUuid);
      const read = await service.call("getEnterpriseCatalog", "GET", `/api/v1/enterprise-catalogs/${created.body.uuid}/`);
      if (read.body.content_last_refreshed === null) expect((await refreshed).outcome).toBe("succeeded");
      const search = (await discovery.searchAll(contentFilterFromValue(filter))).records.filter(isAllowedContent);
      const courseKeys = search.filter((record) => record.content_type === "course").map(keyOf);
      const full = new Map((await discovery.fetchCourses(courseKeys)).records.map((record) => [keyOf(record), record]));
      const records = search.map((record) => (record.content_type === "course" ? { ...record, ...full.get(keyOf(record)) } : record));
      return { uuid: created.body.uuid, queryUuid, title, records };
    };
    const entries = await Promise.all(Object.entries(FILTERS).map(async ([name, filter]) =>
      [name, await createCatalog(filter as unknown as JsonObject, { customer: name === "ALIEN" ? OTHER : CUST })] as const
    ));
    return {
      service,
      corpus,
      catalogs: Object.fromEntries(entries) as ReadFixture["catalogs"],
      createCatalog,
      stop: () => service.stop(),
    };
  } catch (error) {
    await service.stop();
    throw error;
  }
}

/** The key of a record as the service stores it (programs and pathways by uuid). */
export function keyOf(record: JsonObject): string {
  return String(record.key ?? record.uuid);
}

/** The organization of a record: a run's `org`, a course's key prefix (course search records name none). */
export function orgOf(record: JsonObject): string {
  return typeof record.org === "string" ? record.org : String(record.key ?? "").split("+")[0] ?? "";
}

/** The first record of the list that satisfies the predicate; fails the test when none does. */
export function pick(records: readonly JsonObject[], predicate: (record: JsonObject) => boolean): JsonObject {
  const found = records.find(predicate);
  if (found === undefined) throw new Error("The fixture corpus has no record the test needs");
  return found;
}

/** A `learner` token of one customer. */
export async function learnerOf(service: TestService, customer: string): Promise<string> {
  return await service.authorization({ roles: [`enterprise_learner:${customer}`] });
}
