/**
 * Replay: the learner portal's and the admin portal's enterprise-catalog calls, as a browser on
 * their origin sends them (the edX JWT cookie pair, `Origin`, frontend-platform's CSRF token before
 * a POST), against the real service. Request ids are those of docs/compatibility.md; test/browser/
 * drives a real browser through the same paths.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { JsonObject } from "../../src/json.ts";
import { CUST, keyOf, pick, type ReadFixture, startReadFixture } from "../contract/read_fixture.ts";

const LEARNER_PORTAL = "http://localhost:8734";
const ADMIN_PORTAL = "http://localhost:1991";
let f: ReadFixture;
let learnerCookies: string;
let adminCookies: string;

beforeAll(async () => {
  f = await startReadFixture({ env: { CORS_ORIGIN_WHITELIST: `${LEARNER_PORTAL},${ADMIN_PORTAL}` } });
  learnerCookies = cookiesOf(await f.service.token({ roles: [`enterprise_learner:${CUST}`], subject: "learner" }));
  adminCookies = cookiesOf(await f.service.token({ roles: [`enterprise_admin:${CUST}`], subject: "admin" }));
});
afterAll(async () => {
  await f?.stop();
});

/** The two cookies the LMS sets for a signed-in user. */
function cookiesOf(token: string): string {
  const [header, payload, signature] = token.split(".");
  return `edx-jwt-cookie-header-payload=${header}.${payload}; edx-jwt-cookie-signature=${signature}`;
}

/** A request as the portal's page sends it: cookies and its origin, no Authorization header. */
function fromPortal(origin: string, cookies: string, operationId: string, method: string, path: string, init: { body?: unknown; headers?: Record<string, string> } = {}) {
  return f.service.call(operationId, method, path, { anonymous: true, body: init.body, headers: { cookie: cookies, origin, ...init.headers } });
}

describe("learner portal", () => {
  it("P1 GET enterprise-customer/{uuid}/contains_content_items/?get_catalogs_containing_specified_content_ids=true&course_run_ids=<key> reads containsContentItems and catalogList", async () => {
    const course = keyOf(pick(f.catalogs.CAT.records, (r) => r.content_type === "course"));
    const query = new URLSearchParams({ get_catalogs_containing_specified_content_ids: "true" });
    query.append("course_run_ids", [course].join(","));
    const response = await fromPortal(LEARNER_PORTAL, learnerCookies, "customerContainsContentItems", "GET", `/api/v1/enterprise-customer/${CUST}/contains_content_items/?${query}`);
    expect(response.status).toBe(200);
    expect(response.headers.get("access-control-allow-origin")).toBe(LEARNER_PORTAL);
    expect(response.body).toEqual({ contains_content_items: true, catalog_list: [f.catalogs.CAT.uuid] });
  });

  it("P1 with several keys joined by commas (as the portal joins them) is one key, as in the reference: false (documented)", async () => {
    const [a, b] = f.catalogs.CAT.records.filter((r) => r.content_type === "course").map(keyOf);
    const query = new URLSearchParams({ get_catalogs_containing_specified_content_ids: "true", course_run_ids: `${a},${b}` });
    const response = await fromPortal(LEARNER_PORTAL, learnerCookies, "customerContainsContentItems", "GET", `/api/v1/enterprise-customer/${CUST}/contains_content_items/?${query}`);
    expect(response.body).toEqual({ contains_content_items: false, catalog_list: [] });
  });

  it("P2 GET /csrf/api/v1/token with USE-JWT-COOKIE, then P3 POST enterprise-customer/{uuid}/filter_content_items/ {content_keys, catalog_uuids} with X-CSRFToken, reads filtered_content_keys", async () => {
    const token = await fromPortal(LEARNER_PORTAL, learnerCookies, "getCsrfToken", "GET", "/csrf/api/v1/token", { headers: { "use-jwt-cookie": "true" } });
    expect(token.status).toBe(200);
    const csrf = token.body.csrfToken as string;
    const course = keyOf(pick(f.catalogs.CAT.records, (r) => r.content_type === "course"));
    const response = await fromPortal(LEARNER_PORTAL, `${learnerCookies}; catalog_csrftoken=${csrf}`, "customerFilterContentItems", "POST", `/api/v1/enterprise-customer/${CUST}/filter_content_items/`, {
      headers: { "x-csrftoken": csrf, "use-jwt-cookie": "true" },
      body: { content_keys: [course, "edX+NotHeld"], catalog_uuids: [f.catalogs.CAT.uuid] },
    });
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ filtered_content_keys: [course] });
  });

  it("P4 GET contains_content_items/?program_uuids=<uuid>}} (the portal's URL has two stray braces) answers false, as the reference does", async () => {
    const program = keyOf(f.catalogs.CAT2.records[0] as JsonObject);
    const response = await fromPortal(LEARNER_PORTAL, learnerCookies, "customerContainsContentItems", "GET", `/api/v1/enterprise-customer/${CUST}/contains_content_items/?${new URLSearchParams({ program_uuids: program })}}}`);
    expect(response.body).toEqual({ contains_content_items: false });
  });

  it("P5 GET contains_content_items/?course_run_ids=<course key>, once per course of a program, reads containsContentItems", async () => {
    const course = keyOf(pick(f.catalogs.COURSES.records, (r) => r.content_type === "course"));
    const yes = await fromPortal(LEARNER_PORTAL, learnerCookies, "customerContainsContentItems", "GET", `/api/v1/enterprise-customer/${CUST}/contains_content_items/?${new URLSearchParams({ course_run_ids: course })}`);
    expect(yes.body).toEqual({ contains_content_items: true });
  });
});

describe("admin portal", () => {
  it("M1 GET enterprise-catalogs/{uuid}/get_content_metadata/ reads count and results", async () => {
    const response = await fromPortal(ADMIN_PORTAL, adminCookies, "getCatalogContentMetadata", "GET", `/api/v1/enterprise-catalogs/${f.catalogs.CAT.uuid}/get_content_metadata/`);
    expect(response.status).toBe(200);
    expect(response.headers.get("access-control-allow-origin")).toBe(ADMIN_PORTAL);
    expect(response.body).toMatchObject({ count: expect.any(Number), uuid: f.catalogs.CAT.uuid });
    expect((response.body.results as JsonObject[]).length).toBe(10);
  });

  it("M2 GET enterprise-customer/{uuid}/contains_content_items/?get_catalogs_containing_specified_content_ids=true&course_run_ids=<run> reads catalog_list; with no ids it is a 400 the portal logs", async () => {
    const run = keyOf(pick(f.catalogs.CAT.records, (r) => r.content_type === "courserun"));
    const query = new URLSearchParams({ get_catalogs_containing_specified_content_ids: "true", course_run_ids: run });
    const response = await fromPortal(ADMIN_PORTAL, adminCookies, "customerContainsContentItems", "GET", `/api/v1/enterprise-customer/${CUST}/contains_content_items/?${query}`);
    expect(response.body.catalog_list).toEqual([f.catalogs.CAT.uuid]);
    const bare = await fromPortal(ADMIN_PORTAL, adminCookies, "customerContainsContentItems", "GET", `/api/v1/enterprise-customer/${CUST}/contains_content_items/?get_catalogs_containing_specified_content_ids=true`);
    expect(bare.status).toBe(400);
  });

  it("M3 GET enterprise-catalogs/?enterprise_customer=<uuid> reads results' uuid and title", async () => {
    const response = await fromPortal(ADMIN_PORTAL, adminCookies, "listEnterpriseCatalogs", "GET", `/api/v1/enterprise-catalogs/?enterprise_customer=${CUST}`);
    expect(response.status).toBe(200);
    const titles = new Map((response.body.results as JsonObject[]).map((catalog) => [catalog.uuid, catalog.title]));
    expect(titles.get(f.catalogs.CAT.uuid)).toBe(f.catalogs.CAT.title);
    expect(titles.has(f.catalogs.ALIEN.uuid)).toBe(false);
  });
});
