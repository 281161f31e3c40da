/**
 * Hostile input, generated for every operation in openapi.yaml (so operations added later are
 * covered): bad path and query parameters, malformed and schema-breaking bodies, wrong content
 * types, bad credentials, oversized and deeply nested values, unicode edge cases. Whatever arrives,
 * the answer is never a 5xx, a bad request is a 4xx problem document, and the database is unchanged.
 */
import { randomUUID } from "node:crypto";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openApiDocument, type Operation } from "../../adapters/http/openapi_document.ts";
import { compileRequestValidators } from "../../adapters/http/request_validation.ts";
import { rawRequest, type RawResponse, sampleOf } from "../helpers/openapi_samples.ts";
import { BACKENDS, startService, type TestService } from "../helpers/service.ts";

const api = openApiDocument();
const validators = compileRequestValidators(api);
const A = "aaaaaaaa-1111-4111-8111-aaaaaaaaaaaa";
const B = "bbbbbbbb-2222-4222-8222-bbbbbbbbbbbb";
/** Generated requests per operation; the total is printed at the end. */
const RUNS_PER_OPERATION = Number(process.env.HOSTILE_RUNS ?? 30);
const WRITES = new Set(["POST", "PUT", "PATCH", "DELETE"]);

let service: TestService;
let operator: string;
let fixture: { catalogUuid: string; queryUuid: string; curationUuid: string; highlightSetUuid: string };
let tried = 0;
const statuses = new Map<number, number>();

/** Starts the backend's service with a target catalog and curation (a config and a set) of enterprise A, and a bystander catalog of B. */
async function start(backend: (typeof BACKENDS)[number]): Promise<void> {
  service = await startService(backend);
  operator = await service.authorization({ roles: ["enterprise_openedx_operator:*"] });
  const empty = await snapshot();
  const created = await service.call("createEnterpriseCatalog", "POST", "/api/v1/enterprise-catalogs/", {
    body: { title: "Hostile target", enterprise_customer: A, content_filter: { content_type: "course", org: "MITx" } },
  });
  await service.call("createEnterpriseCatalog", "POST", "/api/v1/enterprise-catalogs/", {
    body: { title: "Bystander", enterprise_customer: B, content_filter: { content_type: "program" } },
  });
  const curation = await service.call("createEnterpriseCuration", "POST", "/api/v1/enterprise-curations-admin/", {
    body: { enterprise_customer: A, title: "Hostile curation" },
  });
  const set = await service.call("createHighlightSet", "POST", "/api/v1/highlight-sets-admin/", {
    body: { enterprise_customer: A, title: "Hostile set", is_published: true },
  });
  fixture = { catalogUuid: created.body.uuid, queryUuid: created.body.catalog_query_uuid, curationUuid: curation.body.uuid, highlightSetUuid: set.body.uuid };
  // The check below would be empty if the snapshot missed writes.
  expect(await snapshot()).not.toEqual(empty);
  tried = 0;
  statuses.clear();
}

async function stop(backend: string): Promise<void> {
  console.log(`hostile input on ${backend}: ${tried} bad requests tried over ${api.operations.length} operations; statuses ${JSON.stringify(Object.fromEntries([...statuses].sort()))}`);
  await service?.stop();
}

/** Every stored row and queued job: any write shows. */
function snapshot(): Promise<Readonly<Record<string, string>>> {
  return service.storedState();
}

// ---------------------------------------------------------------------------------------------
// Generators
// ---------------------------------------------------------------------------------------------

const NASTY_STRINGS = [
  "", " ", "null", "undefined", "NaN", "-1", "0", "1e999", "9".repeat(400), "-0", "0x1f", "1.5",
  "../../etc/passwd", "..%2f..%2f", "' OR 1=1 --", "\"; drop table enterprise_catalog; --", "<script>alert(1)</script>", "${jndi:ldap://x/a}",
  "\u0000", "a\u0000b", "\ud800", "\udfff\ud800", "\u202e\u202dreversed", "\ufeffbom", "ＡＢＣ", "𝕏".repeat(300), "e\u0301\u0301\u0301",
  "x".repeat(5000), "\t\n\r", "aaaaaaaa-1111-4111-8111-aaaaaaaaaaaZ", "AAAAAAAA-1111-4111-8111-AAAAAAAAAAAA-", "aaaaaaaa11114111811 1aaaaaaaaaaaa",
  "{aaaaaaaa-1111-4111-8111-aaaaaaaaaaaa}", "aaaaaaaa-1111-4111-8111-aaaaaaaaaaaa\u0000", "٣٣٣٣٣٣٣٣-١١١١-٤١١١-٨١١١-٣٣٣٣٣٣٣٣٣٣٣٣",
];

/** Uuid-shaped garbage: one character swapped for something that is not hex, or a group resized. */
const uuidGarbage = fc.tuple(fc.uuid(), fc.nat(35), fc.constantFrom("g", "Z", "-", " ", "٣", "\u0000", "", "00")).map(([uuid, at, char]) => uuid.slice(0, at) + char + uuid.slice(at + 1));

const garbage: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...NASTY_STRINGS) },
  { weight: 2, arbitrary: uuidGarbage },
  { weight: 2, arbitrary: fc.string({ maxLength: 60, unit: "binary" }) },
  { weight: 1, arbitrary: fc.string({ minLength: 300, maxLength: 3000 }) },
  { weight: 1, arbitrary: fc.bigInt().map((n) => (n * 10n ** 30n).toString()) },
  { weight: 1, arbitrary: fc.double().map(String) },
);

/** Percent sequences that do not decode, inserted into the URL as they are. */
const MALFORMED_URL_PARTS = ["%", "%E0%A4%A", "%zz", "%00", "%2e%2e%2f", "%C0%AF", "%FF%FE", "%u0041", "a%2Fb"];

const MALFORMED_JSON = [
  "{", "}", "{\"title\": ", "{'title': 'x'}", "{\"a\":1,}", "[1,2", "NaN", "{\"a\": NaN}", "{\"a\": Infinity}", "\"unterminated",
  "{\"a\":1}{\"b\":2}", "{\"a\":1} trailing", "\u0000", "{\"a\":\"\\x41\"}", "{\"a\":\"\\u12\"}", "{a:1}", "//comment\n{}", "\ufeff\ufeff{}",
];

/** Values to put where a body field goes: wrong types, too long, too big, too deep, unicode edges. */
const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  garbage,
  fc.constantFrom(null, true, false, 0, -1, 1e308, -1e308, Number.MAX_SAFE_INTEGER + 2, 1.5, [], {}, [null], { "": "" }, { __proto__: { polluted: true } }),
  fc.jsonValue({ maxDepth: 4 }),
  fc.nat({ max: 400 }).map((depth) => JSON.parse("[".repeat(depth + 9) + "]".repeat(depth + 9))),
  fc.array(fc.uuid(), { minLength: 101, maxLength: 2000 }),
  fc.string({ minLength: 256, maxLength: 70_000 }),
);

interface BadRequest {
  readonly kind: string;
  readonly method: string;
  readonly path: string;
  readonly headers: Record<string, string>;
  readonly body?: string | Buffer;
  /** Validation (or the edge) must refuse it: a 4xx problem document. */
  readonly mustRefuse: boolean;
}

function pathValues(operation: Operation): Record<string, string> {
  const values: Record<string, string> = {};
  for (const parameter of operation.parameters) {
    if (parameter.in === "path") values[parameter.name] = String(sampleOf(parameter.schema));
  }
  for (const source of operation.permission?.enterprise ?? []) {
    const [kind, ...rest] = source.split(":");
    if (kind === "path") values[rest.join(":")] = A;
    if (kind === "catalog" || kind === "catalog-history") values[rest.slice(1).join(":")] = fixture.catalogUuid;
    if (kind === "query") values[rest.slice(1).join(":")] = fixture.queryUuid;
    if (kind === "curation" || kind === "curation-history") values[rest.slice(1).join(":")] = fixture.curationUuid;
    if (kind === "highlight-set") values[rest.slice(1).join(":")] = fixture.highlightSetUuid;
  }
  return values;
}

function buildPath(operation: Operation, values: Record<string, string>, raw: Record<string, string> = {}): string {
  return operation.path.replace(/\{([^}]+)\}/g, (_match, name: string) => raw[name] ?? encodeBytes(values[name] ?? "x"));
}

/** Percent-encodes the UTF-8 bytes (lone surrogates become U+FFFD, as any client would send them). */
function encodeBytes(value: string): string {
  return [...Buffer.from(value, "utf8")].map((byte) => (/[A-Za-z0-9_.~-]/.test(String.fromCharCode(byte)) ? String.fromCharCode(byte) : `%${byte.toString(16).toUpperCase().padStart(2, "0")}`)).join("");
}

/** The query as the router hands it to validation: array parameters always arrays. */
function routerQuery(operation: Operation, query: Record<string, string>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const parameter of operation.parameters) {
    if (parameter.in !== "query" || query[parameter.name] === undefined) continue;
    out[parameter.name] = parameter.schema?.type === "array" ? [query[parameter.name]] : query[parameter.name];
  }
  return out;
}

function validBody(operation: Operation): Record<string, unknown> | unknown {
  const body = sampleOf(operation.bodySchema);
  if (typeof body !== "object" || body === null || Array.isArray(body)) return body;
  const out: Record<string, unknown> = { ...(body as Record<string, unknown>) };
  for (const source of operation.permission?.enterprise ?? []) if (source.startsWith("body:")) out[source.slice(5)] = A;
  return out;
}

/** True when the document's own validation refuses these parts. */
function schemaRefuses(operation: Operation, parts: { params?: Record<string, string>; query?: Record<string, unknown>; body?: unknown }): boolean {
  const validator = validators.get(operation.operationId);
  if (validator === undefined) return false;
  try {
    if (parts.params !== undefined) validator.params(parts.params);
    if (parts.query !== undefined) validator.query(parts.query);
    if (parts.body !== undefined) validator.body(parts.body);
    return false;
  } catch {
    return true;
  }
}

function badRequests(operation: Operation): fc.Arbitrary<BadRequest> {
  const values = pathValues(operation);
  const pathNames = Object.keys(values);
  const queryParams = operation.parameters.filter((parameter) => parameter.in === "query");
  const isPublic = operation.permission?.roles.includes("public") === true;
  const hasBody = operation.bodySchema !== undefined;
  const json = { "content-type": "application/json", authorization: operator };
  const base = (kind: string, rest: Partial<BadRequest> & { mustRefuse: boolean }): BadRequest => ({
    kind, method: operation.method, path: buildPath(operation, values), headers: { authorization: operator }, ...rest,
  });
  const validBodyText = hasBody ? JSON.stringify(validBody(operation)) : undefined;
  const kinds: fc.Arbitrary<BadRequest>[] = [];

  if (pathNames.length > 0) {
    kinds.push(fc.tuple(fc.constantFrom(...pathNames), garbage).map(([name, value]) => {
      const params = { ...values, [name]: value };
      return base("path param", {
        path: buildPath(operation, params), mustRefuse: schemaRefuses(operation, { params }) || value.includes("\u0000"),
        headers: hasBody ? json : { authorization: operator }, body: validBodyText,
      });
    }));
    kinds.push(fc.tuple(fc.constantFrom(...pathNames), fc.constantFrom(...MALFORMED_URL_PARTS)).map(([name, raw]) => base("malformed percent-encoding", {
      path: buildPath(operation, values, { [name]: raw }), mustRefuse: false, headers: hasBody ? json : { authorization: operator }, body: validBodyText,
    })));
  }

  kinds.push(fc.tuple(
    fc.subarray(queryParams.map((parameter) => parameter.name)),
    fc.array(garbage, { minLength: 1, maxLength: 3 }),
    fc.option(fc.tuple(fc.string({ maxLength: 20 }), garbage)),
  ).map(([names, picks, extra]) => {
    const query: Record<string, string> = {};
    names.forEach((name, index) => (query[name] = picks[index % picks.length] as string));
    const search = new URLSearchParams(query);
    if (extra !== null) search.append(extra[0] || "unknown", extra[1]);
    const text = search.toString();
    return base("query params", {
      path: `${buildPath(operation, values)}${text === "" ? "" : `?${text}`}`,
      mustRefuse: (names.length > 0 && schemaRefuses(operation, { query: routerQuery(operation, query) })) || Object.values(query).some((value) => value.includes("\u0000")),
      headers: hasBody ? json : { authorization: operator }, body: validBodyText,
    });
  }));

  kinds.push(fc.tuple(fc.constantFrom("page", "page_size", "limit", "offset"), fc.constantFrom("99999999999999999999999", "-1", "0", "1e5", "0x10", "١", "", "1.5", "9".repeat(5000))).map(([name, value]) =>
    base("huge and odd numbers in the query", { path: `${buildPath(operation, values)}?${name}=${encodeURIComponent(value)}`, mustRefuse: false, headers: hasBody ? json : { authorization: operator }, body: validBodyText })));

  if (!isPublic) {
    kinds.push(fc.oneof(
      fc.constantFrom("JWT", "Bearer", "Bearer ", "Basic dXNlcjpwYXNz", "JWT a.b.c", "JWT ....", "JWT eyJhbGciOiJub25lIn0.eyJyb2xlcyI6WyJlbnRlcnByaXNlX29wZW5lZHhfb3BlcmF0b3I6KiJdfQ.", "Digest x"),
      fc.string({ maxLength: 2000, unit: "grapheme-ascii" }).map((text) => `JWT ${text}`),
      fc.constant(`${operator}x`),
    ).map((authorization) => base("bad credentials", { headers: { ...(hasBody ? json : {}), authorization }, body: validBodyText, mustRefuse: true })));
  }

  if (hasBody) {
    kinds.push(fc.oneof(fc.constantFrom(...MALFORMED_JSON), fc.string({ maxLength: 200 }).filter((text) => !parses(text))).map((text) =>
      base("malformed JSON", { headers: json, body: text, mustRefuse: text.trim() !== "" || operation.bodyRequired })));
    kinds.push(fc.constantFrom(Buffer.from([0xff, 0xfe, 0x7b, 0x7d]), Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xc3, 0x28, 0x22, 0x7d]), Buffer.from("{\"a\":\"\\ud800\"}"), Buffer.alloc(64, 0)).map((bytes) =>
      base("invalid UTF-8 and byte garbage", { headers: json, body: bytes, mustRefuse: false })));
    // A form is a body the operation takes when its document says so (get_content_filter_hash).
    const wrongTypes = ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data", "application/xml", "application/jsonx", "text/json; charset=utf-8", "application/octet-stream"]
      .filter((type) => !(operation.bodyAcceptsForm && type === "application/x-www-form-urlencoded"));
    kinds.push(fc.constantFrom(...wrongTypes).map((type) =>
      base("wrong content type", { headers: { authorization: operator, "content-type": type }, body: validBodyText ?? "{}", mustRefuse: true })));
    kinds.push(fc.constantFrom("utf-16", "latin1", "x-unknown").map((charset) =>
      base("unsupported charset", { headers: { authorization: operator, "content-type": `application/json; charset=${charset}` }, body: validBodyText ?? "{}", mustRefuse: true })));
    kinds.push(fc.tuple(fc.option(fc.string({ maxLength: 30 }), { nil: undefined }), hostileValue).map(([key, value]) => {
      const current = validBody(operation);
      const fields = typeof current === "object" && current !== null && !Array.isArray(current) ? Object.keys(current) : [];
      const body = typeof current === "object" && current !== null && !Array.isArray(current)
        ? { ...current, [key !== undefined && key !== "" ? key : (fields[0] ?? "x")]: value }
        : value;
      const text = JSON.stringify(body);
      return base("hostile body values", { headers: json, body: text, mustRefuse: schemaRefuses(operation, { body: JSON.parse(text) }) || text.includes("\\u0000") });
    }));
    kinds.push(hostileValue.map((value) => {
      const text = JSON.stringify(value) ?? "null";
      return base("hostile whole body", { headers: json, body: text, mustRefuse: schemaRefuses(operation, { body: JSON.parse(text) }) || text.includes("\\u0000") });
    }));
  }
  return fc.oneof(...kinds);
}

function parses(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

async function send(request: BadRequest): Promise<RawResponse> {
  return await rawRequest(`${service.baseUrl}${request.path}`, { method: request.method, headers: request.headers, body: request.body });
}

function describeRequest(request: BadRequest, response: RawResponse): string {
  const body = request.body === undefined ? "" : ` body ${JSON.stringify(String(request.body).slice(0, 200))}`;
  return `${request.kind}: ${request.method} ${request.path.slice(0, 200)} ${JSON.stringify(request.headers["content-type"] ?? "")}${body} → ${response.status} ${response.text.slice(0, 300)}`;
}

describe.each(BACKENDS)("hostile input on %s, generated for every operation in openapi.yaml", (backend) => {
  beforeAll(() => start(backend));
  afterAll(() => stop(backend));

  it.each(api.operations.map((operation) => [operation.operationId, operation] as const))("%s: never a 5xx, refusals are 4xx problems, nothing written", async (_id, operation) => {
    const before = await snapshot();
    await fc.assert(
      fc.asyncProperty(badRequests(operation), async (request) => {
        // A request the document accepts may legitimately write; only bad ones may go to write operations.
        fc.pre(request.mustRefuse || !WRITES.has(request.method));
        tried++;
        const response = await send(request);
        statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
        const context = describeRequest(request, response);
        expect(response.status, context).toBeLessThan(500);
        if (request.mustRefuse) {
          expect(response.status, context).toBeGreaterThanOrEqual(400);
          expect(response.headers.get("content-type"), context).toMatch(/^application\/problem\+json/);
          expect(response.body, context).toMatchObject({ status: response.status, title: expect.any(String), detail: expect.any(String) });
        }
      }),
      { numRuns: RUNS_PER_OPERATION, seed: Number(process.env.HOSTILE_SEED ?? Date.now() % 2 ** 31), endOnFailure: true },
    );
    expect(await snapshot(), `${operation.operationId} changed the database`).toEqual(before);
  });

  it.each(api.operations.filter((operation) => operation.bodySchema !== undefined).map((operation) => [operation.operationId, operation] as const))(
    "%s: a body over the operation's limit is a 413 problem and writes nothing",
    async (_id, operation) => {
      const before = await snapshot();
      const limit = Number((api.document.paths as any)?.[operation.path]?.[operation.method.toLowerCase()]?.["x-max-body-bytes"] ?? 1024 * 1024);
      const body = JSON.stringify({ ...(validBody(operation) as object), padding: "x".repeat(limit + 16) });
      const response = await send({ kind: "oversized", method: operation.method, path: buildPath(operation, pathValues(operation)), headers: { authorization: operator, "content-type": "application/json" }, body, mustRefuse: true });
      tried++;
      expect(response.status).toBe(413);
      expect(response.headers.get("content-type")).toMatch(/^application\/problem\+json/);
      expect(await snapshot()).toEqual(before);
    },
  );

  it("values the schema accepts but storage cannot (NUL characters) are 400s, not 500s, on every write", async () => {
    const before = await snapshot();
    const path = `/api/v1/enterprise-catalogs/${fixture.catalogUuid}/`;
    const cases: [string, string, unknown, string][] = [
      ["POST", "/api/v1/enterprise-catalogs/", { title: "a\u0000b", enterprise_customer: A }, "body.title"],
      ["POST", "/api/v1/enterprise-catalogs/", { title: "ok", enterprise_customer: A, enterprise_customer_name: "\u0000" }, "body.enterprise_customer_name"],
      ["POST", "/api/v1/enterprise-catalogs/", { title: "ok", enterprise_customer: A, content_filter: { org: "a\u0000" } }, "body.content_filter.org"],
      ["POST", "/api/v1/enterprise-catalogs/", { title: "ok", enterprise_customer: A, content_filter: { "k\u0000": 1 } }, "body.content_filter"],
      ["PATCH", path, { title: "\u0000" }, "body.title"],
      ["PATCH", path, { enabled_course_modes: ["audit", "verified\u0000"] }, "body.enabled_course_modes.1"],
      ["PUT", path, { title: "ok", enterprise_customer: A, query_title: "q\u0000" }, "body.query_title"],
      ["POST", "/api/v1/highlight-sets-admin/", { title: "a\u0000b", enterprise_customer: A }, "body.title"],
      ["POST", `/api/v1/highlight-sets-admin/${fixture.highlightSetUuid}/add-content/`, { content_keys: ["x", "y\u0000"] }, "body.content_keys.1"],
      ["PATCH", `/api/v1/enterprise-curations-admin/${fixture.curationUuid}/`, { title: "\u0000" }, "body.title"],
    ];
    for (const [method, target, body, field] of cases) {
      const response = await rawRequest(`${service.baseUrl}${target}`, { method, headers: { authorization: operator, "content-type": "application/json" }, body: JSON.stringify(body) });
      tried++;
      expect(response.status, `${method} ${JSON.stringify(body)}: ${response.text}`).toBe(400);
      expect(JSON.parse(response.text).errors).toEqual([{ field, message: expect.stringContaining("NUL") }]);
    }
    const query = await rawRequest(`${service.baseUrl}${path}contains_content_items/?course_run_ids=a&course_run_ids=b%00`, { method: "GET", headers: { authorization: operator } });
    expect(query.status).toBe(400);
    expect(JSON.parse(query.text).errors).toEqual([{ field: "query.course_run_ids.1", message: expect.stringContaining("NUL") }]);
    expect(await snapshot()).toEqual(before);
  });

  it("huge numbers and number lexemes in a content filter are stored exactly or refused, never a 5xx", async () => {
    for (const number of ["1e400", "-1e400", "1e1000000", "123456789012345678901234567890", "1.0", "-0", "1E+2", "0.1e-400"]) {
      const response = await rawRequest(`${service.baseUrl}/api/v1/enterprise-catalogs/`, {
        method: "POST", headers: { authorization: operator, "content-type": "application/json" },
        body: `{"title": "numbers", "enterprise_customer": "${A}", "content_filter": {"n": ${number}, "u": "${randomUUID()}"}}`,
      });
      tried++;
      expect([201, 400], `${number}: ${response.text}`).toContain(response.status);
    }
  });
});
