import { generateKeyPair, exportJWK, SignJWT } from "jose";
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAuthenticator, mintToken, parseDuration, WWW_AUTHENTICATE } from "../../adapters/http/jwt.ts";
import { createAccessGuard } from "../../adapters/http/access_guard.ts";
import { callerFromClaims } from "../../adapters/http/caller.ts";
import { type OpenApiDocument, openApiDocument, type Operation } from "../../adapters/http/openapi_document.ts";
import { HttpProblem } from "../../adapters/http/problem.ts";
import { assertDocumentedResponse } from "../helpers/openapi_responses.ts";
import { fillPath, rawRequest, type RawResponse, sampleOf } from "../helpers/openapi_samples.ts";
import { BACKENDS, startService, type TestService } from "../helpers/service.ts";

const api = openApiDocument();
const A = "aaaaaaaa-1111-4111-8111-aaaaaaaaaaaa";
const B = "bbbbbbbb-2222-4222-8222-bbbbbbbbbbbb";
/** Appears in everything enterprise A owns, so a leak to B shows up in any response text. */
const MARKER = `Secret-of-A-${randomUUID().slice(0, 8)}`;

/** The service of the backend under test (see the `describe.each` below). */
let service: TestService;

// ---------------------------------------------------------------------------------------------
// Who calls. The expected feature roles are written out here, independently of the mapping in
// adapters/http/caller.ts, so the matrix also checks that mapping.
// ---------------------------------------------------------------------------------------------

type Held = Partial<Record<string, readonly string[]>>;
interface Principal {
  readonly name: string;
  /** The Authorization header, or undefined for none. */
  readonly header: () => Promise<string | undefined>;
  /** undefined: the credentials are rejected (401). */
  readonly held?: Held;
}

const PRINCIPALS: readonly Principal[] = [
  { name: "no token", header: async () => undefined },
  { name: "expired token", header: () => service.authorization({ roles: [`enterprise_admin:${A}`], ttl: -120 }) },
  { name: "wrong signature", header: () => service.authorization({ roles: ["enterprise_openedx_operator:*"], secret: "not-the-service-secret-0123456789" }) },
  { name: "learner A", header: () => service.authorization({ roles: [`enterprise_learner:${A}`] }), held: { learner: [A] } },
  {
    name: "admin A",
    header: () => service.authorization({ roles: [`enterprise_admin:${A}`] }),
    held: { learner: [A], catalog_admin: [A], enrollment_admin: [A] },
  },
  {
    name: "admin B",
    header: () => service.authorization({ roles: [`enterprise_admin:${B}`] }),
    held: { learner: [B], catalog_admin: [B], enrollment_admin: [B] },
  },
  // Several enterprises: owners are looked up before the handler runs, even for scoped-catalog operations.
  { name: "learner A+B", header: () => service.authorization({ roles: [`enterprise_learner:${A}`, `enterprise_learner:${B}`] }), held: { learner: [A, B] } },
  // Scoped to B, then found to belong to A through another role: a scoped-catalog miss must still answer 403.
  {
    name: "learner B, provisioning admin A",
    header: () => service.authorization({ roles: [`enterprise_learner:${B}`, `enterprise_provisioning_admin:${A}`] }),
    held: { learner: [B], provisioning_admin: [A] },
  },
  {
    name: "operator *",
    header: () => service.authorization({ roles: ["enterprise_openedx_operator:*"] }),
    held: { learner: ["*"], catalog_admin: ["*"], enrollment_admin: ["*"], staff: ["*"] },
  },
];

function holds(held: Held, roles: readonly string[], enterprise: string): boolean {
  return roles.some((role) => (held[role] ?? []).some((context) => context === "*" || context === enterprise));
}
function holdsAnywhere(held: Held, roles: readonly string[]): boolean {
  return roles.some((role) => (held[role] ?? []).length > 0);
}
function belongs(held: Held, enterprise: string): boolean {
  return holds(held, Object.keys(held), enterprise);
}

// ---------------------------------------------------------------------------------------------
// What each operation should answer, derived from its x-permission.
// ---------------------------------------------------------------------------------------------

/** `pass`: authorization lets the request through to the handler. */
type Expected = { readonly status: 401 | 403 | 404 } | { readonly status: "pass" };

function expected(operation: Operation, principal: Principal): Expected {
  const permission = operation.permission;
  if (permission === undefined) throw new Error(`${operation.operationId} has no x-permission`);
  if (permission.roles.includes("public")) return { status: "pass" };
  if (principal.held === undefined) return { status: 401 };
  if (permission.roles.includes("authenticated")) return { status: "pass" };
  const held = principal.held;
  const roles = permission.roles;
  const scoped = permission.enterprise.find((source) => /^(catalog|scoped-catalog|query|curation|highlight-set|catalog-history|curation-history):/.test(source));
  if (scoped !== undefined && !holds(held, roles, A)) return { status: belongs(held, A) ? 403 : 404 };
  if (!holdsAnywhere(held, roles)) return { status: 403 };
  for (const source of permission.enterprise) {
    if ((source.startsWith("path:") || source.startsWith("body:")) && !holds(held, roles, A)) return { status: 403 };
  }
  return { status: "pass" };
}

/** What our own operations answer when authorization lets them through. */
const SUCCESS: Readonly<Record<string, number>> = {
  getHealth: 200, getReady: 200, getApiSchema: 200, getApiDocs: 200, getMetrics: 200,
  listEnterpriseCatalogs: 200, createEnterpriseCatalog: 201, getEnterpriseCatalog: 200,
  replaceEnterpriseCatalog: 200, updateEnterpriseCatalog: 200, deleteEnterpriseCatalog: 204,
  refreshEnterpriseCatalogMetadata: 200, listCatalogQueries: 200, getCatalogQuery: 200,
  getCatalogQueryByHash: 200, getContentFilterHash: 200, postContentFilterHash: 200,
  getEnterpriseCatalogHistory: 200,
  listEnterpriseCurations: 200, getEnterpriseCuration: 200, listEnterpriseCurationsAdmin: 200, createEnterpriseCuration: 201,
  getEnterpriseCurationAdmin: 200, replaceEnterpriseCuration: 200, updateEnterpriseCuration: 200, deleteEnterpriseCuration: 204,
  getEnterpriseCurationHistory: 200, listHighlightSets: 200, getHighlightSet: 200, listHighlightSetsAdmin: 200, createHighlightSet: 201,
  getHighlightSetAdmin: 200, replaceHighlightSet: 200, updateHighlightSet: 200, deleteHighlightSet: 204,
  addHighlightSetContent: 201, removeHighlightSetContent: 201, editHighlightSetTitle: 201,
};

/** Where the handler itself hides what the caller may not see (after authorization passed). */
function handlerOverride(operation: Operation, principal: Principal): number | undefined {
  // get_query_by_hash needs catalog_admin anywhere, then answers 404 for queries no enterprise of the caller uses.
  if (operation.operationId === "getCatalogQueryByHash" && principal.name === "admin B") return 404;
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Requests: every target belongs to enterprise A.
// ---------------------------------------------------------------------------------------------

interface Fixture {
  readonly catalogUuid: string;
  readonly queryUuid: string;
  readonly queryHash: string;
  /** Enterprise A's curation config and its one published highlight set; absent for the operation that creates the config. */
  readonly curationUuid?: string;
  readonly highlightSetUuid?: string;
}

async function catalogOf(enterprise: string, marker: string): Promise<Fixture> {
  const created = await service.call("createEnterpriseCatalog", "POST", "/api/v1/enterprise-catalogs/", {
    body: {
      title: `${marker} catalog`, enterprise_customer: enterprise, enterprise_customer_name: `${marker} Inc`,
      content_filter: { content_type: "course", org: `${marker}-${randomUUID()}` },
    },
  });
  expect(created.status).toBe(201);
  const query = await service.call("getCatalogQuery", "GET", `/api/v1/catalog-queries/${created.body.catalog_query_uuid}/`);
  return { catalogUuid: created.body.uuid, queryUuid: created.body.catalog_query_uuid, queryHash: query.body.content_filter_hash };
}

/**
 * Enterprise A's curation, made afresh for one cell (a config is one per enterprise and holds at most
 * 16 sets, so cells cannot share one): whatever config A has goes, then, unless the operation is the
 * one that creates it, a config and one published set in it.
 */
async function curationOf(operation: Operation, marker: string): Promise<Pick<Fixture, "curationUuid" | "highlightSetUuid">> {
  const existing = await service.call("listEnterpriseCurationsAdmin", "GET", `/api/v1/enterprise-curations-admin/?enterprise_customer=${A}`);
  for (const curation of existing.body.results as { uuid: string }[]) {
    expect((await service.call("deleteEnterpriseCuration", "DELETE", `/api/v1/enterprise-curations-admin/${curation.uuid}/`)).status).toBe(204);
  }
  if (operation.operationId === "createEnterpriseCuration") return {};
  const curation = await service.call("createEnterpriseCuration", "POST", "/api/v1/enterprise-curations-admin/", { body: { enterprise_customer: A, title: `${marker} curation` } });
  expect(curation.status).toBe(201);
  const set = await service.call("createHighlightSet", "POST", "/api/v1/highlight-sets-admin/", { body: { enterprise_customer: A, title: `${marker} set`, is_published: true } });
  expect(set.status).toBe(201);
  return { curationUuid: curation.body.uuid, highlightSetUuid: set.body.uuid };
}

function requestFor(operation: Operation, fixture: Fixture): { path: string; body?: unknown } {
  const values: Record<string, string> = {};
  for (const source of operation.permission?.enterprise ?? []) {
    const [kind, ...rest] = source.split(":");
    const param = rest.slice(1).join(":");
    if (kind === "path") values[rest.join(":")] = A;
    if (kind === "catalog" || kind === "scoped-catalog" || kind === "catalog-history") values[param] = fixture.catalogUuid;
    if (kind === "query") values[param] = fixture.queryUuid;
    if ((kind === "curation" || kind === "curation-history") && fixture.curationUuid !== undefined) values[param] = fixture.curationUuid;
    if (kind === "highlight-set" && fixture.highlightSetUuid !== undefined) values[param] = fixture.highlightSetUuid;
  }
  let path = fillPath(operation, values);
  const query = new URLSearchParams();
  for (const parameter of operation.parameters) {
    if (parameter.in !== "query" || !parameter.required) continue;
    query.set(parameter.name, String(sampleOf(parameter.schema)));
  }
  if (operation.operationId === "getCatalogQueryByHash") query.set("hash", fixture.queryHash);
  if ([...query.keys()].length > 0) path += `?${query}`;
  if (operation.bodySchema === undefined) return { path };
  let body = sampleOf(operation.bodySchema);
  if (operation.operationId === "createEnterpriseCatalog" || operation.operationId === "replaceEnterpriseCatalog") {
    body = { title: "Matrix catalog", enterprise_customer: A, content_filter: { content_type: "course", org: `matrix-${randomUUID()}` } };
  }
  if (operation.operationId === "updateEnterpriseCatalog") body = { title: "Matrix rename" };
  // A curation config keeps its enterprise: a replacement names A's own.
  if (operation.operationId === "replaceEnterpriseCuration") body = { title: "Matrix curation", enterprise_customer: A };
  if (operation.operationId === "editHighlightSetTitle") body = { title: "Matrix rename" };
  for (const source of operation.permission?.enterprise ?? []) {
    if (source.startsWith("body:") && typeof body === "object" && body !== null) {
      body = { ...(body as Record<string, unknown>), [source.slice("body:".length)]: A };
    }
  }
  return { path, body };
}

async function send(operation: Operation, path: string, body: unknown, authorization: string | undefined): Promise<RawResponse> {
  const headers: Record<string, string> = {};
  if (authorization !== undefined) headers.authorization = authorization;
  if (body !== undefined) headers["content-type"] = "application/json";
  return await rawRequest(`${service.baseUrl}${path}`, { method: operation.method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
}

/** Checks the answer against openapi.yaml when it documents that status, else as a problem document. */
function checkDocumented(operation: Operation, response: RawResponse): void {
  const contentType = response.text === "" ? null : response.headers.get("content-type");
  if (operation.responses[String(response.status)] !== undefined) {
    assertDocumentedResponse(operation.operationId, response.status, contentType, response.text === "" ? undefined : response.body);
  } else if (response.status >= 400) {
    expect(contentType).toMatch(/^application\/problem\+json/);
    expect(response.body).toMatchObject({ status: response.status, title: expect.any(String), detail: expect.any(String) });
  }
}

const CELLS = api.operations.flatMap((operation) => PRINCIPALS.map((principal) => [operation.operationId, principal.name, operation, principal] as const));

describe.each(BACKENDS)("on %s", (backend) => {
  beforeAll(async () => {
    service = await startService(backend);
  });
  afterAll(async () => {
    await service?.stop();
  });

  describe("authorization matrix: every operation in openapi.yaml × every kind of caller", () => {
    it(`covers ${api.operations.length} operations × ${PRINCIPALS.length} callers = ${CELLS.length} cells`, () => {
      expect(CELLS.length).toBe(api.operations.length * PRINCIPALS.length);
      for (const operation of api.operations) expect(operation.permission, operation.operationId).toBeDefined();
    });

    it.each(CELLS)("%s as %s", async (_id, _who, operation, principal) => {
      const usesCuration = operation.path.includes("curation") || operation.path.includes("highlight-set");
      const fixture = { ...(await catalogOf(A, MARKER)), ...(usesCuration ? await curationOf(operation, MARKER) : {}) };
      const { path, body } = requestFor(operation, fixture);
      const response = await send(operation, path, body, await principal.header());
      const want = expected(operation, principal);
      const context = `${operation.operationId} ${operation.method} ${path} as ${principal.name}: ${response.status} ${response.text.slice(0, 300)}`;
      expect(response.status, context).toBeLessThan(500);
      checkDocumented(operation, response);
      if (want.status === "pass") {
        expect([401, 403], context).not.toContain(response.status);
        if (response.status === 404) expect(String(response.body?.detail), context).not.toMatch(/^Cannot find catalog( query)? "/);
        const success = handlerOverride(operation, principal) ?? SUCCESS[operation.operationId];
        if (success !== undefined) expect(response.status, context).toBe(success);
      } else {
        expect(response.status, context).toBe(want.status);
        expect(response.headers.get("content-type"), context).toMatch(/^application\/problem\+json/);
        if (want.status === 401) expect(response.headers.get("www-authenticate")).toBe(WWW_AUTHENTICATE);
        if (want.status === 404) {
          // Hidden looks exactly like unknown: same status, same detail apart from the uuid asked for.
          let unknownPath = path.replaceAll(fixture.catalogUuid, randomUUID()).replaceAll(fixture.queryUuid, randomUUID());
          for (const uuid of [fixture.curationUuid, fixture.highlightSetUuid]) if (uuid !== undefined) unknownPath = unknownPath.replaceAll(uuid, randomUUID());
          const unknown = await send(operation, unknownPath, body, await principal.header());
          expect(unknown.status).toBe(404);
          expect(String(unknown.body.detail).replace(/"[0-9a-f-]{36}"/, '"…"')).toBe(String(response.body.detail).replace(/"[0-9a-f-]{36}"/, '"…"'));
        }
      }
      if (principal.held !== undefined && !belongs(principal.held, A)) {
        expect(response.text, `${context}: leaks enterprise A's data`).not.toContain(MARKER);
      }
    });
  });

  describe("enterprise isolation", () => {
    it("lists show admin A and admin B only their own catalogs and queries; * sees both", async () => {
      const a = await catalogOf(A, `${MARKER}-list`);
      const b = await catalogOf(B, "Enterprise-B-list");
      const adminA = await service.authorization({ roles: [`enterprise_admin:${A}`] });
      const adminB = await service.authorization({ roles: [`enterprise_admin:${B}`] });
      const catalogs = async (authorization: string, query = "") =>
        (await service.call("listEnterpriseCatalogs", "GET", `/api/v1/enterprise-catalogs/?page_size=1000${query}`, { headers: { authorization } })).body;
      const queries = async (authorization: string) =>
        (await service.call("listCatalogQueries", "GET", "/api/v1/catalog-queries/?page_size=100", { headers: { authorization } })).body;

      const seenByA = await catalogs(adminA);
      expect(seenByA.results.map((c: { enterprise_customer: string }) => c.enterprise_customer)).toSatisfy((all: string[]) => all.every((e) => e === A));
      expect(seenByA.results.map((c: { uuid: string }) => c.uuid)).toContain(a.catalogUuid);
      const seenByB = await catalogs(adminB);
      expect(seenByB.results.map((c: { uuid: string }) => c.uuid)).toEqual([b.catalogUuid]);
      expect(JSON.stringify(seenByB)).not.toContain(MARKER);
      // A filter naming another enterprise is an empty page, not an error (decision 0003).
      expect(await catalogs(adminB, `&enterprise_customer=${A}`)).toMatchObject({ count: 0, results: [] });

      const queriesOfB = await queries(adminB);
      expect(queriesOfB.results.map((q: { uuid: string }) => q.uuid)).toEqual([b.queryUuid]);
      expect((await queries(adminA)).results.map((q: { uuid: string }) => q.uuid)).not.toContain(b.queryUuid);
      const all = await service.call("listEnterpriseCatalogs", "GET", "/api/v1/enterprise-catalogs/?page_size=1000");
      expect(all.body.results.map((c: { uuid: string }) => c.uuid)).toEqual(expect.arrayContaining([a.catalogUuid, b.catalogUuid]));
    });

    it("a query both enterprises use is visible to both, with nothing of the other enterprise in it", async () => {
      const filter = { content_type: "course", org: `shared-${randomUUID()}` };
      const create = (enterprise: string) => service.call("createEnterpriseCatalog", "POST", "/api/v1/enterprise-catalogs/", {
        body: { title: `${MARKER} shared`, enterprise_customer: enterprise, content_filter: filter },
      });
      const fromA = await create(A);
      const fromB = await create(B);
      expect(fromB.body.catalog_query_uuid).toBe(fromA.body.catalog_query_uuid);
      const adminB = await service.authorization({ roles: [`enterprise_admin:${B}`] });
      const query = await service.call("getCatalogQuery", "GET", `/api/v1/catalog-queries/${fromA.body.catalog_query_uuid}/`, { headers: { authorization: adminB } });
      expect(query.status).toBe(200);
      expect(query.body.uuid).toBe(fromA.body.catalog_query_uuid);
    });

    it("moving a catalog to another enterprise needs admin on both; nothing changes otherwise", async () => {
      const a = await catalogOf(A, MARKER);
      const adminA = await service.authorization({ roles: [`enterprise_admin:${A}`] });
      const adminAB = await service.authorization({ roles: [`enterprise_admin:${A}`, `enterprise_admin:${B}`] });
      const before = await service.call("getEnterpriseCatalog", "GET", `/api/v1/enterprise-catalogs/${a.catalogUuid}/`);
      for (const method of ["PATCH", "PUT"] as const) {
        const refused = await service.call(method === "PATCH" ? "updateEnterpriseCatalog" : "replaceEnterpriseCatalog", method, `/api/v1/enterprise-catalogs/${a.catalogUuid}/`, {
          headers: { authorization: adminA }, body: { title: "Moved", enterprise_customer: B },
        });
        expect(refused.status).toBe(403);
        expect((await service.call("getEnterpriseCatalog", "GET", `/api/v1/enterprise-catalogs/${a.catalogUuid}/`)).body).toEqual(before.body);
      }
      const moved = await service.call("updateEnterpriseCatalog", "PATCH", `/api/v1/enterprise-catalogs/${a.catalogUuid}/`, {
        headers: { authorization: adminAB }, body: { enterprise_customer: B },
      });
      expect(moved.status).toBe(200);
      expect(moved.body.enterprise_customer).toBe(B);
      // Now it is B's: admin A alone no longer sees it at all.
      expect((await service.call("getEnterpriseCatalog", "GET", `/api/v1/enterprise-catalogs/${a.catalogUuid}/`, { headers: { authorization: adminA } })).status).toBe(404);
    });

    it("refused writes of another enterprise write nothing", async () => {
      const adminB = await service.authorization({ roles: [`enterprise_admin:${B}`] });
      const before = await service.call("listEnterpriseCatalogs", "GET", "/api/v1/enterprise-catalogs/?page_size=1000");
      const target = await catalogOf(A, MARKER);
      const afterCreate = await service.call("listEnterpriseCatalogs", "GET", "/api/v1/enterprise-catalogs/?page_size=1000");
      expect(afterCreate.body.count).toBe(before.body.count + 1);
      const attempts = [
        service.call("createEnterpriseCatalog", "POST", "/api/v1/enterprise-catalogs/", { headers: { authorization: adminB }, body: { title: "x", enterprise_customer: A } }),
        service.call("deleteEnterpriseCatalog", "DELETE", `/api/v1/enterprise-catalogs/${target.catalogUuid}/`, { headers: { authorization: adminB } }),
        service.call("updateEnterpriseCatalog", "PATCH", `/api/v1/enterprise-catalogs/${target.catalogUuid}/`, { headers: { authorization: adminB }, body: { title: "mine now" } }),
        service.call("refreshEnterpriseCatalogMetadata", "POST", `/api/v1/enterprise-catalogs/${target.catalogUuid}/refresh_metadata/`, { headers: { authorization: adminB } }),
      ];
      expect((await Promise.all(attempts)).map((response) => response.status)).toEqual([403, 404, 404, 404]);
      expect((await service.call("listEnterpriseCatalogs", "GET", "/api/v1/enterprise-catalogs/?page_size=1000")).body).toEqual(afterCreate.body);
    });

    it("get_query_by_hash hides a query of another enterprise exactly like an unknown hash", async () => {
      const a = await catalogOf(A, MARKER);
      const adminB = await service.authorization({ roles: [`enterprise_admin:${B}`] });
      const hidden = await service.call("getCatalogQueryByHash", "GET", `/api/v1/catalog-queries/get_query_by_hash?hash=${a.queryHash}`, { headers: { authorization: adminB } });
      const unknown = await service.call("getCatalogQueryByHash", "GET", `/api/v1/catalog-queries/get_query_by_hash?hash=${"f".repeat(32)}`, { headers: { authorization: adminB } });
      expect(hidden.status).toBe(404);
      expect(hidden.body).toEqual(unknown.body);
    });
  });

  describe("roles and tokens", () => {
    it("provisioning admins create, read and update catalogs but do not delete them", async () => {
      const provisioning = await service.authorization({ roles: ["enterprise_provisioning_admin:*"] });
      const created = await service.call("createEnterpriseCatalog", "POST", "/api/v1/enterprise-catalogs/", {
        headers: { authorization: provisioning }, body: { title: "Provisioned", enterprise_customer: A },
      });
      expect(created.status).toBe(201);
      const path = `/api/v1/enterprise-catalogs/${created.body.uuid}/`;
      expect((await service.call("getEnterpriseCatalog", "GET", path, { headers: { authorization: provisioning } })).status).toBe(200);
      expect((await service.call("updateEnterpriseCatalog", "PATCH", path, { headers: { authorization: provisioning }, body: { title: "Renamed" } })).status).toBe(200);
      expect((await service.call("deleteEnterpriseCatalog", "DELETE", path, { headers: { authorization: provisioning } })).status).toBe(403);
    });

    it("staff (the administrator claim) alone grants no catalog access", async () => {
      const staff = await service.authorization({ roles: [], administrator: true });
      expect((await service.call("listEnterpriseCatalogs", "GET", "/api/v1/enterprise-catalogs/", { headers: { authorization: staff } })).status).toBe(403);
    });

    it("accepts the Bearer scheme and any case of the scheme name; rejects other schemes and garbage", async () => {
      const token = await service.token({ roles: [`enterprise_admin:${A}`] });
      const list = (authorization: string) => service.call("listEnterpriseCatalogs", "GET", "/api/v1/enterprise-catalogs/", { headers: { authorization } });
      expect((await list(`Bearer ${token}`)).status).toBe(200);
      expect((await list(`jwt ${token}`)).status).toBe(200);
      for (const bad of [`Basic ${token}`, "JWT", `JWT ${token}x`, "Bearer a.b.c", `JWT ${"a".repeat(9000)}`, `JWT ${token} extra`]) {
        const response = await list(bad);
        expect(response.status, bad.slice(0, 40)).toBe(401);
        expect(response.headers.get("www-authenticate")).toBe(WWW_AUTHENTICATE);
      }
      const none = await service.call("listEnterpriseCatalogs", "GET", "/api/v1/enterprise-catalogs/", { anonymous: true });
      expect(none.body.detail).toBe("Authentication credentials were not provided.");
      const expired = await list(await service.authorization({ roles: [`enterprise_admin:${A}`], ttl: -60 }));
      expect(expired.body.detail).toBe("Signature has expired.");
    });

    it("public operations ignore credentials, even bad ones", async () => {
      const response = await service.call("getHealth", "GET", "/health", { headers: { authorization: "JWT garbage" } });
      expect(response.status).toBe(200);
    });
  });
});

describe("Caller and the authenticator", () => {
  it("callerFromClaims() maps system roles to feature roles per enterprise and ignores malformed entries", () => {
    const caller = callerFromClaims({
      sub: "u1",
      roles: [`enterprise_admin:${A.toUpperCase()}`, `enterprise_learner:${B}`, "enterprise_provisioning_admin:*", "nonsense:*", "enterprise_admin:not-a-uuid", "enterprise_admin", 42],
    });
    expect(caller.subject).toBe("u1");
    expect(caller.enterprisesWith("catalog_admin")).toEqual([A]);
    expect(caller.enterprisesWith("learner")).toEqual([A, B]);
    expect(caller.enterprisesWith("enrollment_admin")).toEqual([A]);
    expect(caller.enterprisesWith("provisioning_admin")).toBe("*");
    expect(caller.can("catalog_admin", B)).toBe(false);
    expect(caller.isStaff).toBe(false);
    const operator = callerFromClaims({ roles: ["enterprise_openedx_operator:*"] });
    expect(operator.enterprisesWith(["catalog_admin"])).toBe("*");
    expect(operator.can("learner", B)).toBe(true);
    expect(operator.isStaff).toBe(true);
    expect(callerFromClaims({ administrator: true, roles: "enterprise_admin:*" }).enterprisesWith("catalog_admin")).toEqual([]);
  });

  it("verifies RS256 with a JWK set, enforces issuer and audience, and refuses alg none and HS256 tokens it has no secret for", async () => {
    const { publicKey, privateKey } = await generateKeyPair("RS256");
    const jwk = { ...(await exportJWK(publicKey)), kid: "k1", alg: "RS256", use: "sig" };
    const authenticator = createAuthenticator({ secretKey: undefined, publicSigningJwkSet: JSON.stringify({ keys: [jwk] }), issuer: "https://lms.example/oauth2", audience: "catalog" });
    const sign = (claims: Record<string, unknown>) => new SignJWT({ roles: [`enterprise_admin:${A}`], ...claims })
      .setProtectedHeader({ alg: "RS256", kid: "k1" }).setExpirationTime("1h").sign(privateKey);
    const caller = await authenticator.authenticate(`JWT ${await sign({ iss: "https://lms.example/oauth2", aud: "catalog" })}`);
    expect(caller.can("catalog_admin", A)).toBe(true);
    const rejected = async (header: string) => {
      const error = await authenticator.authenticate(header).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(HttpProblem);
      expect((error as HttpProblem).status).toBe(401);
    };
    await rejected(`JWT ${await sign({ iss: "https://evil.example", aud: "catalog" })}`);
    await rejected(`JWT ${await sign({ iss: "https://lms.example/oauth2", aud: "other" })}`);
    const unsigned = `${Buffer.from(JSON.stringify({ alg: "none" })).toString("base64url")}.${Buffer.from(JSON.stringify({ roles: ["enterprise_openedx_operator:*"], exp: 9e9 })).toString("base64url")}.`;
    await rejected(`JWT ${unsigned}`);
    await rejected(`JWT ${await mintToken({ secretKey: "x".repeat(32), issuer: undefined, audience: undefined }, { roles: ["enterprise_openedx_operator:*"] })}`);
    const noExp = await new SignJWT({ roles: [] }).setProtectedHeader({ alg: "RS256", kid: "k1" }).setIssuer("https://lms.example/oauth2").setAudience("catalog").sign(privateKey);
    await rejected(`JWT ${noExp}`);
  });

  it("createAuthenticator() refuses to exist without a key", () => {
    expect(() => createAuthenticator({ secretKey: undefined, publicSigningJwkSet: undefined, issuer: undefined, audience: undefined })).toThrow(/No JWT key/);
  });

  it("createAccessGuard() refuses a document with an operation lacking or misusing x-permission", () => {
    const doctored = (change: (operation: Operation) => Operation): OpenApiDocument => ({
      ...api,
      operations: api.operations.map((operation, index) => (index === 3 ? change(operation) : operation)),
    });
    const guard = (document: OpenApiDocument) => () => createAccessGuard(document, { authenticator: createAuthenticator({ secretKey: "k".repeat(32), publicSigningJwkSet: undefined, issuer: undefined, audience: undefined }) });
    const target = api.operations[3] as Operation;
    expect(guard(doctored((operation) => ({ ...operation, permission: undefined })))).toThrow(new RegExp(`${target.operationId} .* has no x-permission`));
    expect(guard(doctored((operation) => ({ ...operation, permission: { roles: ["wizard"], enterprise: ["none"] } })))).toThrow(/unknown role "wizard"/);
    expect(guard(doctored((operation) => ({ ...operation, permission: { roles: ["learner"], enterprise: ["path:nope"] } })))).toThrow(/enterprise "path:nope"/);
    expect(guard(api)).not.toThrow();
  });

  it("parseDuration() reads the token command's --ttl", () => {
    expect([parseDuration("90s"), parseDuration("15m"), parseDuration("1h"), parseDuration("7d"), parseDuration("30")]).toEqual([90, 900, 3600, 604_800, 30]);
    expect(() => parseDuration("1y")).toThrow(RangeError);
  });
});
