/**
 * Contract: `GET /api/v1/enterprise-customer/{uuid}/contains_content_items/` and
 * `POST .../filter_content_items/` (enterprise-catalog-ida.md §2.7; legacy-api.md §2.2 and contract
 * cases 27–35 on the IDA side).
 */
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CUST, keyOf, learnerOf, OTHER, pick, type ReadFixture, startReadFixture, orgOf } from "./read_fixture.ts";

let f: ReadFixture;
beforeAll(async () => {
  f = await startReadFixture();
});
afterAll(async () => {
  await f?.stop();
});

function contains(customer: string, query: string, headers?: Record<string, string>) {
  return f.service.call("customerContainsContentItems", "GET", `/api/v1/enterprise-customer/${customer}/contains_content_items/${query}`, { headers });
}

function filter(customer: string, body: unknown) {
  return f.service.call("customerFilterContentItems", "POST", `/api/v1/enterprise-customer/${customer}/filter_content_items/`, { body });
}

describe("customer contains_content_items", () => {
  it("answers {contains_content_items} with no catalog_list unless asked (case 27)", async () => {
    const run = keyOf(pick(f.catalogs.CAT.records, (r) => r.content_type === "courserun"));
    const response = await contains(CUST, `?course_run_ids=${encodeURIComponent(run)}`);
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ contains_content_items: true });
  });

  it("adds catalog_list, the customer's catalogs holding any key, for either flag and any value (cases 28, 29, 31, 32)", async () => {
    const run = keyOf(pick(f.catalogs.CAT.records, (r) => r.content_type === "courserun"));
    const program = keyOf(pick(f.catalogs.CAT2.records, () => true));
    const query = `?course_run_ids=${encodeURIComponent(run)}&program_uuids=${program}`;
    for (const flag of ["get_catalog_list=true", "get_catalogs_containing_specified_content_ids=true", "get_catalog_list=false"]) {
      const response = await contains(CUST, `${query}&${flag}`);
      expect(Object.keys(response.body)).toEqual(["contains_content_items", "catalog_list"]);
      expect(response.body.contains_content_items).toBe(true);
      // Split across two catalogs still answers true (ANY), listing both.
      expect(new Set(response.body.catalog_list)).toEqual(new Set([f.catalogs.CAT.uuid, f.catalogs.CAT2.uuid]));
    }
  });

  it("answers false with an empty catalog_list for content outside, and false for a customer with no catalogs (cases 30, 33)", async () => {
    const out = keyOf(pick(f.catalogs.ALIEN.records, (r) => orgOf(r) === "DelftX"));
    expect((await contains(CUST, `?course_run_ids=${encodeURIComponent(out)}&get_catalog_list=1`)).body).toEqual({ contains_content_items: false, catalog_list: [] });
    expect((await contains(randomUUID(), `?course_run_ids=${encodeURIComponent(out)}`)).body).toEqual({ contains_content_items: false });
  });

  it("answers 400 with the reference's texts: missing keys first, then a malformed customer uuid", async () => {
    const missing = await contains(CUST, "");
    expect(missing.status).toBe(400);
    expect(missing.body.detail).toBe("You must provide at least one of the following query parameters: course_run_ids, program_uuids.");
    const malformed = await contains("abc", "?course_run_ids=x");
    expect(malformed.status).toBe(400);
    expect(malformed.body.detail).toBe('Error: invalid enterprice customer uuid: "abc" provided.');
  });

  it("lets the customer's learners ask and refuses another customer's (cases 34, 35)", async () => {
    const run = keyOf(pick(f.catalogs.CAT.records, (r) => r.content_type === "courserun"));
    expect((await contains(CUST, `?course_run_ids=${encodeURIComponent(run)}`, { authorization: await learnerOf(f.service, CUST) })).body)
      .toEqual({ contains_content_items: true });
    expect((await contains(CUST, `?course_run_ids=${encodeURIComponent(run)}`, { authorization: await learnerOf(f.service, OTHER) })).status).toBe(403);
  });
});

describe("customer filter_content_items", () => {
  it("keeps exact keys and courses whose runs a catalog holds, but not runs of a held course", async () => {
    const run = keyOf(pick(f.catalogs.CAT.records, (r) => r.content_type === "courserun"));
    const edxRun = pick(f.catalogs.RUNS.records, () => true);
    const edxCourse = String(edxRun.aggregation_key).slice("courserun:".length);
    const harvardRun = keyOf(pick(f.catalogs.ALIEN.records, (r) => r.content_type === "courserun" && r.org === "HarvardX"));
    const alienOnly = keyOf(pick(f.catalogs.ALIEN.records, (r) => orgOf(r) === "DelftX"));
    const response = await filter(CUST, { content_keys: [run, edxCourse, harvardRun, alienOnly, "nope"] });
    expect(response.status).toBe(200);
    expect(Object.keys(response.body)).toEqual(["filtered_content_keys"]);
    expect(new Set(response.body.filtered_content_keys)).toEqual(new Set([run, edxCourse]));
  });

  it("limits catalog_uuids to the customer's own catalogs (a deliberate difference from the reference)", async () => {
    const alienOnly = keyOf(pick(f.catalogs.ALIEN.records, (r) => orgOf(r) === "DelftX"));
    const run = keyOf(pick(f.catalogs.CAT.records, (r) => r.content_type === "courserun"));
    expect((await filter(CUST, { content_keys: [alienOnly, run], catalog_uuids: [f.catalogs.ALIEN.uuid] })).body).toEqual({ filtered_content_keys: [] });
    expect((await filter(CUST, { content_keys: [alienOnly, run], catalog_uuids: [f.catalogs.CAT.uuid] })).body).toEqual({ filtered_content_keys: [run] });
    expect((await filter(CUST, {})).body).toEqual({ filtered_content_keys: [] });
  });

  it("accepts 2,000 keys, refuses more, and refuses malformed bodies with 400 and no change", async () => {
    const run = keyOf(pick(f.catalogs.CAT.records, (r) => r.content_type === "courserun"));
    const keys = Array.from({ length: 1999 }, (_, i) => `course-v1:Nobody+N${i}+1T2026`).concat([run]);
    expect((await filter(CUST, { content_keys: keys })).body).toEqual({ filtered_content_keys: [run] });
    expect((await filter(CUST, { content_keys: [...keys, "one more"] })).status).toBe(400);
    expect((await filter(CUST, { content_keys: "edX+DemoX" })).status).toBe(400);
    expect((await filter(CUST, { content_keys: [], catalog_uuids: ["nope"] })).status).toBe(400);
    expect((await filter("abc", { content_keys: [run] })).body.detail).toBe('Error: invalid enterprice customer uuid: "abc" provided.');
  });
});
