/**
 * A real browser (headless Chromium through playwright-core) on a page served from another
 * localhost origin, as the learner portal is served: it reads a catalog from the service with the
 * edX JWT cookie pair and gets learner-portal enrollment URLs for a customer whose LMS record has
 * the portal enabled, fetches the CSRF token and posts with it as frontend-platform does; a page of
 * an origin not on CORS_ORIGIN_WHITELIST can neither read nor change anything.
 */
import { existsSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { type Browser, type BrowserContext, chromium } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LocalDiscoveryClient } from "../../adapters/discovery_local/local_discovery_client.ts";
import type { JsonObject } from "../../src/json.ts";
import { generateDiscoveryDatabase } from "../../tools/discovery_corpus/generate_database.ts";
import { type FakeLms, startFakeLms } from "../helpers/fake_lms.ts";
import { type PostgresTestService, startTestService } from "../helpers/service.ts";

/** Where CI (`.ci/run`) installs Chromium from Debian; `CHROMIUM_PATH` points elsewhere. */
const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const CUSTOMER = "47130371-0b6d-43f5-91de-71942664de2b";
const LEARNER_PORTAL = "http://portal.example.com";
/** Later than anything the refresh writes, so it is the latest of the three dates. */
const CUSTOMER_MODIFIED = new Date(Date.now() + 86_400_000).toISOString();

/** A page server on a localhost port of its own: a blank page, whose scripts the test runs. */
async function startPageServer(): Promise<{ origin: string; close(): Promise<void> }> {
  const server: Server = createServer((_incoming, outgoing) => outgoing.writeHead(200, { "content-type": "text/html" }).end("<!doctype html><title>portal</title>"));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  const port = typeof address === "object" && address !== null ? address.port : 0;
  return {
    origin: `http://localhost:${port}`,
    close: () => new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    }),
  };
}

let lms: FakeLms;
let service: PostgresTestService;
let portal: Awaited<ReturnType<typeof startPageServer>>;
let elsewhere: Awaited<ReturnType<typeof startPageServer>>;
let browser: Browser;
let context: BrowserContext;
let catalogUuid: string;
let serviceOrigin: string;

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`No Chromium at "${CHROMIUM}": apt-get install -y chromium (as .ci/run does), or set CHROMIUM_PATH`);
  lms = await startFakeLms();
  lms.put({ uuid: CUSTOMER, name: "Acme Corp", slug: "acme-portal", enable_learner_portal: true, modified: CUSTOMER_MODIFIED });
  portal = await startPageServer();
  elsewhere = await startPageServer();
  service = await startTestService({
    worker: true,
    discovery: new LocalDiscoveryClient({ database: generateDiscoveryDatabase({ courses: 30 }) }),
    env: {
      CORS_ORIGIN_WHITELIST: portal.origin,
      LMS_API_URL: lms.url,
      OAUTH2_TOKEN_URL: lms.tokenUrl,
      OAUTH2_CLIENT_ID: lms.clientId,
      OAUTH2_CLIENT_SECRET: lms.clientSecret,
      LEARNER_PORTAL_BASE_URL: LEARNER_PORTAL,
      // The first read may wait for the LMS: long enough for a loaded test machine.
      LMS_READ_WAIT_MS: "5000",
    },
  });
  serviceOrigin = `http://localhost:${new URL(service.baseUrl).port}`;
  const created = await service.call("createEnterpriseCatalog", "POST", "/api/v1/enterprise-catalogs/", {
    body: { title: "Browser catalog", enterprise_customer: CUSTOMER, enterprise_customer_name: "Acme Corp", content_filter: { content_type: "course" } },
  });
  expect(created.status).toBe(201);
  catalogUuid = created.body.uuid;
  const refreshed = service.nextRefresh(created.body.catalog_query_uuid);
  const read = await service.call("getEnterpriseCatalog", "GET", `/api/v1/enterprise-catalogs/${catalogUuid}/`);
  if (read.body.content_last_refreshed === null) expect((await refreshed).outcome).toBe("succeeded");

  browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"] });
  context = await browser.newContext();
  // The LMS sets these for its domain; here the service's host, localhost (cookies ignore ports).
  const token = await service.token({ roles: [`enterprise_learner:${CUSTOMER}`], subject: "learner" });
  const [header, payload, signature] = token.split(".");
  await context.addCookies([
    { name: "edx-jwt-cookie-header-payload", value: `${header}.${payload}`, domain: "localhost", path: "/", sameSite: "Lax" },
    { name: "edx-jwt-cookie-signature", value: String(signature), domain: "localhost", path: "/", httpOnly: true, sameSite: "Lax" },
  ]);
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await service?.stop();
  await Promise.all([lms?.close(), portal?.close(), elsewhere?.close()]);
});

/** Runs `script` in a page of `origin` and returns what it resolves with. */
async function inPageOf(origin: string, script: string, argument: Record<string, string>): Promise<any> {
  const page = await context.newPage();
  try {
    await page.goto(`${origin}/`);
    return await page.evaluate(`(${script})(${JSON.stringify(argument)})`);
  } finally {
    await page.close();
  }
}

/** What a page learns from reading the catalog's content with credentials, or the error the browser gives it. */
const READ_CATALOG = `async ({ service, catalog }) => {
  try {
    const response = await fetch(service + "/api/v1/enterprise-catalogs/" + catalog + "/get_content_metadata/?traverse_pagination=1", { credentials: "include" });
    return { status: response.status, body: await response.json() };
  } catch (error) {
    return { error: String(error) };
  }
}`;

/** frontend-platform's order for an unsafe request: the CSRF token first (with USE-JWT-COOKIE), then the POST with X-CSRFToken. */
const POST_LIKE_FRONTEND_PLATFORM = `async ({ service, customer, key }) => {
  try {
    const tokenResponse = await fetch(service + "/csrf/api/v1/token", { credentials: "include", headers: { "USE-JWT-COOKIE": "true" } });
    const { csrfToken } = await tokenResponse.json();
    const response = await fetch(service + "/api/v1/enterprise-customer/" + customer + "/filter_content_items/", {
      method: "POST", credentials: "include",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken, "USE-JWT-COOKIE": "true" },
      body: JSON.stringify({ content_keys: [key, "edX+NoSuchCourse"] }),
    });
    return { status: response.status, body: await response.json() };
  } catch (error) {
    return { error: String(error) };
  }
}`;

/** A POST a page elsewhere could send without a preflight (a "simple" request); the browser lets it out, the service must refuse it. */
const SIMPLE_POST = `async ({ service, customer }) => {
  const response = await fetch(service + "/api/v1/enterprise-customer/" + customer + "/filter_content_items/", {
    method: "POST", credentials: "include", mode: "no-cors", headers: { "Content-Type": "text/plain" }, body: "{}",
  });
  return { type: response.type };
}`;

describe("a page of an allowed origin", () => {
  it("reads the catalog with the JWT cookies and gets learner-portal enrollment URLs from the customer's LMS record", async () => {
    const result = await inPageOf(portal.origin, READ_CATALOG, { service: serviceOrigin, catalog: catalogUuid });
    expect(result.error).toBeUndefined();
    expect(result.status).toBe(200);
    const courses = result.body.results as JsonObject[];
    expect(courses.length).toBeGreaterThan(0);
    for (const course of courses) {
      const execEd = course.course_type === "executive-education-2u" ? "executive-education-2u/" : "";
      expect(course.enrollment_url).toBe(`${LEARNER_PORTAL}/acme-portal/${execEd}course/${course.key}?utm_medium=enterprise&utm_source=acme-corp`);
      // The customer record's date is the latest of the three.
      expect(course.content_last_modified).toBe(CUSTOMER_MODIFIED);
    }
  });

  it("posts with the CSRF token it fetched, as frontend-platform does", async () => {
    const read = await inPageOf(portal.origin, READ_CATALOG, { service: serviceOrigin, catalog: catalogUuid });
    const key = String((read.body.results as JsonObject[])[0]?.key);
    const result = await inPageOf(portal.origin, POST_LIKE_FRONTEND_PLATFORM, { service: serviceOrigin, customer: CUSTOMER, key });
    expect(result).toEqual({ status: 200, body: { filtered_content_keys: [key] } });
  });
});

describe("a page of an origin not on the list", () => {
  it("cannot read the catalog: the browser withholds the answer", async () => {
    const result = await inPageOf(elsewhere.origin, READ_CATALOG, { service: serviceOrigin, catalog: catalogUuid });
    expect(result.error).toMatch(/TypeError: Failed to fetch/);
  });

  it("gets its unsafe requests refused by the service, preflighted or not, and changes nothing", async () => {
    const before = await service.storedState();
    const preflighted = await inPageOf(elsewhere.origin, POST_LIKE_FRONTEND_PLATFORM, { service: serviceOrigin, customer: CUSTOMER, key: "edX+Any" });
    expect(preflighted.error).toMatch(/TypeError: Failed to fetch/);
    const simple = await inPageOf(elsewhere.origin, SIMPLE_POST, { service: serviceOrigin, customer: CUSTOMER });
    expect(simple.type).toBe("opaque");
    const direct = await service.call("customerFilterContentItems", "POST", `/api/v1/enterprise-customer/${CUSTOMER}/filter_content_items/`, {
      headers: { origin: elsewhere.origin }, body: { content_keys: ["edX+Any"] },
    });
    expect(direct.status).toBe(403);
    expect(await service.storedState()).toEqual(before);
  });
});
