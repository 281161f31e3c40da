/**
 * Browsers (the learner and admin portals): the JWT cookie pair wherever the header is accepted,
 * the header winning over it, CSRF tokens for cookie-authenticated changes, and CORS for the
 * listed origins only. Over plain HTTP; test/browser/ drives a real browser through the same.
 */
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startMemoryService, type TestService } from "../helpers/service.ts";

const PORTAL = "http://localhost:8734";
const ELSEWHERE = "http://evil.localhost:9999";
const CUSTOMER = "a94412c9-f91c-4d0d-87cb-1ca1c0d11457";
let service: TestService;

beforeAll(async () => {
  service = await startMemoryService({ env: { CORS_ORIGIN_WHITELIST: `${PORTAL}, http://localhost:1991`, CORS_PREFLIGHT_MAX_AGE: "600" } });
});
afterAll(async () => {
  await service?.stop();
});

/** The cookie header a browser sends for a token split as edX splits it. */
function jwtCookies(token: string, extra = ""): string {
  const [header, payload, signature] = token.split(".");
  return `edx-jwt-cookie-header-payload=${header}.${payload}; edx-jwt-cookie-signature=${signature}${extra === "" ? "" : `; ${extra}`}`;
}

const newCatalog = () => ({ title: `Browser ${randomUUID().slice(0, 8)}`, enterprise_customer: CUSTOMER, content_filter: { content_type: "course" } });

describe("JWT cookies", () => {
  it("authenticate every operation the header does, with the same checks", async () => {
    const admin = await service.token({ roles: [`enterprise_admin:${CUSTOMER}`] });
    const listed = await service.call("listEnterpriseCatalogs", "GET", "/api/v1/enterprise-catalogs/", { anonymous: true, headers: { cookie: jwtCookies(admin) } });
    expect(listed.status).toBe(200);
    const expired = await service.token({ roles: [`enterprise_admin:${CUSTOMER}`], ttl: -60 });
    const old = await service.call("listEnterpriseCatalogs", "GET", "/api/v1/enterprise-catalogs/", { anonymous: true, headers: { cookie: jwtCookies(expired) } });
    expect(old).toMatchObject({ status: 401, body: { detail: "Signature has expired." } });
    const forged = await service.token({ roles: ["enterprise_openedx_operator:*"], secret: "not-the-key" });
    const bad = await service.call("listEnterpriseCatalogs", "GET", "/api/v1/enterprise-catalogs/", { anonymous: true, headers: { cookie: jwtCookies(forged) } });
    expect(bad).toMatchObject({ status: 401, body: { detail: "Error decoding token." } });
  });

  it("are ignored when only one of the two is there, as edx-drf-extensions ignores them", async () => {
    const admin = await service.token({ roles: [`enterprise_admin:${CUSTOMER}`] });
    const half = jwtCookies(admin).split("; ")[0] as string;
    const response = await service.call("listEnterpriseCatalogs", "GET", "/api/v1/enterprise-catalogs/", { anonymous: true, headers: { cookie: half } });
    expect(response).toMatchObject({ status: 401, body: { detail: "Authentication credentials were not provided." } });
  });

  it("lose to an Authorization header sent with them", async () => {
    const operator = await service.token({ roles: ["enterprise_openedx_operator:*"] });
    const learner = await service.authorization({ roles: [`enterprise_learner:${CUSTOMER}`] });
    const response = await service.call("listEnterpriseCatalogs", "GET", "/api/v1/enterprise-catalogs/", { headers: { authorization: learner, cookie: jwtCookies(operator) } });
    expect(response.status).toBe(403);
  });

  it("need the CSRF token for changes: none, a wrong one, and the one /csrf/api/v1/token hands out", async () => {
    const admin = await service.token({ roles: [`enterprise_admin:${CUSTOMER}`] });
    const before = await service.storedState();
    const bare = await service.call("createEnterpriseCatalog", "POST", "/api/v1/enterprise-catalogs/", { anonymous: true, headers: { cookie: jwtCookies(admin) }, body: newCatalog() });
    expect(bare).toMatchObject({ status: 403, body: { detail: "CSRF Failed: CSRF cookie not set." } });
    const issued = await service.call("getCsrfToken", "GET", "/csrf/api/v1/token", { anonymous: true, headers: { cookie: jwtCookies(admin) } });
    expect(issued.status).toBe(200);
    const token = issued.body.csrfToken as string;
    expect(issued.headers.get("set-cookie")).toContain(`catalog_csrftoken=${token}; path=/`);
    const withCookie = jwtCookies(admin, `catalog_csrftoken=${token}`);
    const missing = await service.call("createEnterpriseCatalog", "POST", "/api/v1/enterprise-catalogs/", { anonymous: true, headers: { cookie: withCookie }, body: newCatalog() });
    expect(missing).toMatchObject({ status: 403, body: { detail: "CSRF Failed: CSRF token missing." } });
    const wrong = await service.call("createEnterpriseCatalog", "POST", "/api/v1/enterprise-catalogs/", { anonymous: true, headers: { cookie: withCookie, "x-csrftoken": `${token.slice(1)}x` }, body: newCatalog() });
    expect(wrong).toMatchObject({ status: 403, body: { detail: "CSRF Failed: CSRF token incorrect." } });
    expect(await service.storedState()).toEqual(before);
    const again = await service.call("getCsrfToken", "GET", "/csrf/api/v1/token", { anonymous: true, headers: { cookie: withCookie } });
    expect(again.body.csrfToken).toBe(token);
    const made = await service.call("createEnterpriseCatalog", "POST", "/api/v1/enterprise-catalogs/", { anonymous: true, headers: { cookie: withCookie, "x-csrftoken": token }, body: newCatalog() });
    expect(made.status).toBe(201);
  });

  it("need no CSRF token when the header authenticates", async () => {
    const made = await service.call("createEnterpriseCatalog", "POST", "/api/v1/enterprise-catalogs/", { body: newCatalog() });
    expect(made.status).toBe(201);
  });
});

describe("CORS", () => {
  it("answers a listed origin's preflight with credentials allowed and a cached answer", async () => {
    const response = await fetch(`${service.baseUrl}/api/v1/enterprise-catalogs/`, {
      method: "OPTIONS", headers: { origin: PORTAL, "access-control-request-method": "POST", "access-control-request-headers": "content-type, x-csrftoken, use-jwt-cookie" },
    });
    expect(response.status).toBe(204);
    expect(Object.fromEntries([...response.headers].filter(([name]) => name.startsWith("access-control-") || name === "vary"))).toEqual({
      "access-control-allow-origin": PORTAL,
      "access-control-allow-credentials": "true",
      "access-control-allow-methods": "DELETE, GET, OPTIONS, PATCH, POST, PUT",
      "access-control-allow-headers": "accept, authorization, content-type, user-agent, x-csrftoken, x-requested-with, use-jwt-cookie, x-request-id",
      "access-control-max-age": "600",
      vary: "Origin",
    });
  });

  it("refuses another origin's preflight and sends its safe requests no CORS headers", async () => {
    const preflight = await fetch(`${service.baseUrl}/api/v1/enterprise-catalogs/`, { method: "OPTIONS", headers: { origin: ELSEWHERE, "access-control-request-method": "GET" } });
    expect(preflight.status).toBe(403);
    expect(preflight.headers.get("access-control-allow-origin")).toBeNull();
    const read = await service.call("listEnterpriseCatalogs", "GET", "/api/v1/enterprise-catalogs/", { headers: { origin: ELSEWHERE } });
    expect(read.status).toBe(200);
    expect(read.headers.get("access-control-allow-origin")).toBeNull();
    const listed = await service.call("listEnterpriseCatalogs", "GET", "/api/v1/enterprise-catalogs/", { headers: { origin: PORTAL } });
    expect(listed.headers.get("access-control-allow-origin")).toBe(PORTAL);
    expect(listed.headers.get("access-control-allow-credentials")).toBe("true");
  });

  it("refuses an unsafe request from an origin not on the list, whatever its credentials, and changes nothing", async () => {
    const before = await service.storedState();
    const refused = await service.call("createEnterpriseCatalog", "POST", "/api/v1/enterprise-catalogs/", { headers: { origin: ELSEWHERE }, body: newCatalog() });
    expect(refused.status).toBe(403);
    expect(refused.headers.get("content-type")).toMatch(/^application\/problem\+json/);
    expect(refused.body.detail).toBe(`Origin "${ELSEWHERE}" may not send POST requests to this service`);
    expect(await service.storedState()).toEqual(before);
    const own = await service.call("createEnterpriseCatalog", "POST", "/api/v1/enterprise-catalogs/", { headers: { origin: service.baseUrl }, body: newCatalog() });
    expect(own.status).toBe(201);
  });

  it("adds the CORS headers to error answers for a listed origin, so the portal can read them", async () => {
    const response = await service.call("listEnterpriseCatalogs", "GET", "/api/v1/enterprise-catalogs/", { anonymous: true, headers: { origin: PORTAL } });
    expect(response.status).toBe(401);
    expect(response.headers.get("access-control-allow-origin")).toBe(PORTAL);
  });
});
