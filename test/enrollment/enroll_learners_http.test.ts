/**
 * Bulk enrollment over HTTP, on the memory adapters and on the real service: content arrives
 * through the refresh path (the memory or the pg-boss worker, local discovery over a generated
 * corpus), learners through their endpoint.
 */
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LocalDiscoveryClient } from "../../adapters/discovery_local/local_discovery_client.ts";
import { contentFilterFromValue } from "../../src/catalog/content_filter.ts";
import type { JsonObject } from "../../src/json.ts";
import { generateDiscoveryDatabase } from "../../tools/discovery_corpus/generate_database.ts";
import { type Backend, BACKENDS, startService, type TestService } from "../helpers/service.ts";

const CUSTOMER = "a94412c9-f91c-4d0d-87cb-1ca1c0d11457";
const OTHER_CUSTOMER = "6ae013d4-c5f4-474f-8a12-a4e1b8c0f2d3";
const discovery = new LocalDiscoveryClient({ database: generateDiscoveryDatabase({ courses: 300 }) });
const { records: courseRuns } = await discovery.searchAll(contentFilterFromValue({ content_type: "courserun" }));

/** Course runs of the corpus: `org`'s runs that are open whatever today is (no enrollment end), closed ones, exec-ed ones. */
function runKeys(test: (run: JsonObject) => boolean): string[] {
  return courseRuns.filter((record) => test(record)).map((record) => record.key as string).sort();
}
const seats = (run: JsonObject) => (run.seat_types as string[]) ?? [];
const IN = runKeys((run) => run.org === "MITx" && run.is_enrollable === true && run.enrollment_end === null &&
  (run.enrollment_start === null || Date.parse(run.enrollment_start as string) < Date.now()) && seats(run).includes("verified")).slice(0, 4);
const CLOSED = runKeys((run) => run.org === "MITx" && run.is_enrollable === false && seats(run).includes("audit"))[0] as string;
const EXEC_ED = runKeys((run) => run.org === "MITx" && seats(run).join() === "paid-executive-education")[0] as string;
const OUT = runKeys((run) => run.org === "HarvardX" && run.is_enrollable === true && run.enrollment_end === null)[0] as string;

let service: TestService;

/** Starts the backend's service with a catalog of each customer, refreshed. */
async function start(backend: Backend): Promise<void> {
  expect(IN).toHaveLength(4);
  expect([CLOSED, EXEC_ED, OUT].every((key) => typeof key === "string")).toBe(true);
  service = await startService(backend, { worker: true, discovery });
  await catalogOf(CUSTOMER, { content_type: "courserun", org: "MITx" });
  await catalogOf(OTHER_CUSTOMER, { content_type: "courserun", org: "HarvardX" });
}

async function catalogOf(customer: string, filter: JsonObject) {
  const created = await service.call("createEnterpriseCatalog", "POST", "/api/v1/enterprise-catalogs/", {
    body: { title: `Catalog of ${customer}`, enterprise_customer: customer, content_filter: filter },
  });
  expect(created.status).toBe(201);
  const event = await service.nextRefresh(created.body.catalog_query_uuid);
  expect(event.outcome).toBe("succeeded");
}

async function register(learners: { user_id: number; email: string }[]) {
  const response = await service.call("registerLearners", "POST", "/api/v1/learners/", { body: { learners } });
  expect(response.status).toBe(200);
  return response.body;
}

function enroll(body: unknown, options: { customer?: string; legacy?: boolean; authorization?: string } = {}) {
  const customer = options.customer ?? CUSTOMER;
  const [operationId, prefix] = options.legacy ? ["enrollLearnersInCoursesLegacy", "/enterprise"] : ["enrollLearnersInCourses", ""];
  return service.call(operationId, "POST", `${prefix}/api/v1/enterprise-customer/${customer}/enroll_learners_in_courses/`, {
    body,
    headers: options.authorization === undefined ? {} : { authorization: options.authorization },
  });
}

/** Row counts of the ledger, to prove a request wrote nothing (or nothing new). */
async function ledgerState() {
  if (service.backend === "memory") {
    const { enrollments, pending, learners } = service.ports.ledger.contents();
    return { enrollments: String(enrollments.length), pending: String(pending.length), learners: String(learners.length) };
  }
  const rows = await service.runtime.orm.em.fork().getConnection().execute<{ enrollments: string; pending: string; learners: string }[]>(
    `select (select count(*) from enrollment) as enrollments, (select count(*) from pending_enrollment) as pending,
            (select count(*) from learner) as learners`);
  return rows[0];
}

let nextUserId = 1000;
async function newLearners(count: number, prefix = "learner") {
  const learners = Array.from({ length: count }, () => {
    const id = nextUserId++;
    return { user_id: id, email: `${prefix}.${id}@acme.example.com` };
  });
  for (let start = 0; start < learners.length; start += 10_000) await register(learners.slice(start, start + 10_000));
  return learners;
}

describe.each(BACKENDS)("on %s", (backend) => {
  beforeAll(() => start(backend));
  afterAll(async () => {
    await service?.stop();
  });

  describe("POST .../enroll_learners_in_courses/", () => {
    it("answers 201 for a known learner, and a replay answers 201 again with the same fulfillment uuid and created false", async () => {
      const [learner] = await newLearners(1);
      const body = { enrollments_info: [{ user_id: learner?.user_id, course_run_key: IN[0], license_uuid: randomUUID() }] };
      const first = await enroll(body);
      expect(first.status).toBe(201);
      expect(first.body).toEqual({
        successes: [{
          user_id: learner?.user_id, email: learner?.email, course_run_key: IN[0], created: true, activation_link: null,
          enterprise_fulfillment_source_uuid: expect.any(String), mode: "verified",
        }],
        pending: [],
        failures: [],
      });
      const before = await ledgerState();
      const replay = await enroll(body, { legacy: true });
      expect(replay.status).toBe(201);
      expect(replay.body.successes).toEqual([{ ...first.body.successes[0], created: false }]);
      expect(await ledgerState()).toEqual(before);
    });

    it("answers 202 with a lower-cased pending enrollment for an unknown email, through licenses_info on the legacy path", async () => {
      const email = `New.Learner.${randomUUID()}@Acme.com`;
      const body = { licenses_info: [{ email, course_run_key: IN[1], license_uuid: randomUUID() }] };
      const first = await enroll(body, { legacy: true });
      expect(first.status).toBe(202);
      expect(first.body).toEqual({ successes: [], pending: [{ email: email.toLowerCase(), course_run_key: IN[1], created: true, activation_link: null }], failures: [] });
      const replay = await enroll(body, { legacy: true });
      expect(replay.status).toBe(202);
      expect(replay.body.pending[0].created).toBe(false);
      const id = nextUserId++;
      const registered = await register([{ user_id: id, email }]);
      expect(registered.enrollments_from_pending).toEqual([
        { enrollment_uuid: expect.any(String), user_id: id, course_run_key: IN[1], mode: expect.any(String), enterprise_customer_uuid: CUSTOMER },
      ]);
      expect((await register([{ user_id: id, email }])).enrollments_from_pending).toEqual([]);
    });

    it("answers 409 listing failures with reasons and invalid ids and emails, and still records the good items", async () => {
      const [good, other] = await newLearners(2);
      const before = await ledgerState();
      const response = await enroll({
        enrollments_info: [
          { user_id: good?.user_id, course_run_key: IN[2], transaction_id: "tx-1" },
          { user_id: String(other?.user_id), course_run_key: OUT, license_uuid: "lic" },
          { email: other?.email, course_run_key: CLOSED, license_uuid: "lic" },
          { user_id: other?.user_id, course_run_key: EXEC_ED, license_uuid: "lic", force_enrollment: "true" },
          { user_id: 99_999_999, course_run_key: IN[2], license_uuid: "lic" },
          { email: "not-an-email", course_run_key: IN[2], license_uuid: "lic" },
        ],
        notify: true,
        discount: "100.00",
      });
      expect(response.status).toBe(409);
      expect(response.body.successes).toEqual([expect.objectContaining({ user_id: good?.user_id, course_run_key: IN[2], created: true })]);
      expect(response.body.failures).toEqual([
        { user_id: other?.user_id, email: other?.email, course_run_key: OUT, reason: "not_in_catalog" },
        { user_id: null, email: other?.email, course_run_key: CLOSED, reason: "enrollment_closed" },
        { user_id: other?.user_id, email: other?.email, course_run_key: EXEC_ED, reason: "mode_unavailable" },
      ]);
      expect(response.body.invalid_user_ids).toEqual([99_999_999]);
      expect(response.body.invalid_email_addresses).toEqual(["not-an-email"]);
      expect(await ledgerState()).toEqual({ ...before, enrollments: String(Number(before?.enrollments) + 1) });
    });

    // edx-enterprise's serializer texts, verbatim: clients match on them.
    const MISSING_ITEMS = "Must include the `enrollment_info` parameter in request.";
    const invalid: [string, unknown, { field: string; message: string }, string?][] = [
      ["an empty body", {}, { field: "non_field_errors", message: MISSING_ITEMS }, MISSING_ITEMS],
      ["an empty list", { enrollments_info: [] }, { field: "non_field_errors", message: MISSING_ITEMS }],
      ["both lists", { enrollments_info: [{ email: "a@b.co", course_run_key: "x", license_uuid: "l" }], licenses_info: [{ email: "a@b.co", course_run_key: "x", license_uuid: "l" }] },
        { field: "non_field_errors", message: "`licenses_info` must be ommitted if `enrollments_info` is present." }],
      ["conflicting subsidies", { enrollments_info: [{ email: "a@b.co", course_run_key: IN[0], license_uuid: "l", transaction_id: "t" }] },
        { field: "enrollments_info.0.non_field_errors", message: "Enrollment info contains conflicting subsidy information: `license_uuid` and `transaction_id` found" },
        'Invalid enrollment request: "enrollments_info.0.non_field_errors": Enrollment info contains conflicting subsidy information: `license_uuid` and `transaction_id` found'],
      ["no subsidy, as the second item of licenses_info", { licenses_info: [{ email: "a@b.co", course_run_key: IN[0], license_uuid: "l" }, { email: "a@b.co", course_run_key: IN[0] }] },
        { field: "licenses_info.1.non_field_errors", message: "At least one subsidy info field [license_uuid or transaction_id] required." }],
      ["no user identifier", { enrollments_info: [{ course_run_key: IN[0], license_uuid: "l" }] },
        { field: "enrollments_info.0.non_field_errors", message: "At least one user identifier field [user_id or email] required." }],
      ["no course_run_key", { enrollments_info: [{ user_id: 5, license_uuid: "l" }] }, { field: "enrollments_info.0.course_run_key", message: "This field is required." }],
      ["a user_id that is not an integer", { enrollments_info: [{ user_id: "abc", course_run_key: IN[0], license_uuid: "l" }] },
        { field: "enrollments_info.0.user_id", message: "A valid integer is required." }],
      ["a blank email and a blank course_run_key, as the second item of licenses_info",
        { licenses_info: [{ email: "a@b.co", course_run_key: IN[0], license_uuid: "l" }, { email: " ", course_run_key: " ", license_uuid: "l" }] },
        { field: "licenses_info.1.course_run_key", message: "This field may not be blank." },
        'Invalid enrollment request: "licenses_info.1.email": This field may not be blank. (and 1 more)'],
      ["licenses_info that is not a list", { licenses_info: {} }, { field: "licenses_info", message: expect.any(String) }],
    ];

    it.each(invalid)("answers 400 for %s with the legacy message in errors, writing nothing", async (_name, body, error, detail) => {
      const before = await ledgerState();
      const response = await enroll(body, { legacy: true });
      expect(response.status).toBe(400);
      expect(response.headers.get("content-type")).toMatch(/^application\/problem\+json/);
      expect(response.body.errors).toContainEqual(error);
      if (detail !== undefined) expect(response.body.detail).toBe(detail);
      expect(await ledgerState()).toEqual(before);
    });

    it("answers 403 to learners and to admins of another customer, and 404 for a customer without catalogs, writing nothing", async () => {
      const [learner] = await newLearners(1);
      const body = { enrollments_info: [{ user_id: learner?.user_id, course_run_key: IN[0], license_uuid: "l" }] };
      const before = await ledgerState();
      const asLearner = await service.authorization({ roles: [`enterprise_learner:${CUSTOMER}`] });
      const asOtherAdmin = await service.authorization({ roles: [`enterprise_admin:${OTHER_CUSTOMER}`] });
      expect((await enroll(body, { authorization: asLearner })).status).toBe(403);
      expect((await enroll(body, { authorization: asOtherAdmin, legacy: true })).status).toBe(403);
      expect((await enroll(body, { customer: randomUUID() })).status).toBe(404);
      expect(await ledgerState()).toEqual(before);
      const asAdmin = await service.authorization({ roles: [`enterprise_admin:${CUSTOMER}`] });
      expect((await enroll(body, { authorization: asAdmin })).status).toBe(201);
    });

    it("answers 413 for a body over its 8 MiB limit", async () => {
      const before = await ledgerState();
      const response = await enroll({ enrollments_info: [{ user_id: 1, course_run_key: IN[0], license_uuid: "l" }], salesforce_id: "x".repeat(9 * 1024 * 1024) });
      expect(response.status).toBe(413);
      expect(await ledgerState()).toEqual(before);
    });
  });

  describe("POST /api/v1/learners/", () => {
    it("registers and updates learners, refuses a taken email with 409 and bad input with 400, and is staff only", async () => {
      const id = nextUserId++;
      expect(await register([{ user_id: id, email: `Reg.${id}@acme.com` }])).toEqual({ created: 1, updated: 0, unchanged: 0, enrollments_from_pending: [] });
      expect(await register([{ user_id: id, email: `reg2.${id}@acme.com` }])).toEqual({ created: 0, updated: 1, unchanged: 0, enrollments_from_pending: [] });
      const before = await ledgerState();
      const taken = await service.call("registerLearners", "POST", "/api/v1/learners/", { body: { learners: [{ user_id: id + 1_000_000, email: `reg2.${id}@acme.com` }] } });
      expect(taken.status).toBe(409);
      const bad = await service.call("registerLearners", "POST", "/api/v1/learners/", { body: { learners: [{ user_id: 7, email: "nope" }] } });
      expect(bad.status).toBe(400);
      const admin = await service.authorization({ roles: [`enterprise_admin:${CUSTOMER}`] });
      const forbidden = await service.call("registerLearners", "POST", "/api/v1/learners/", {
        body: { learners: [{ user_id: id + 2_000_000, email: "x@acme.com" }] }, headers: { authorization: admin },
      });
      expect(forbidden.status).toBe(403);
      expect(await ledgerState()).toEqual(before);
    });
  });

  describe("a 10,000-pair bulk request", () => {
    it("answers with the right buckets and 409, and its replay creates nothing", async () => {
      const known = await newLearners(1500, "bulk");
      const unknown = Array.from({ length: 1000 }, (_, i) => `Unknown.${i}.${randomUUID().slice(0, 8)}@Acme.com`);
      const items: JsonObject[] = [];
      // 6,000 enrollments of known learners in four runs of the customer's catalog: by user id, or by email.
      IN.forEach((run, r) => known.forEach((learner, i) => {
        items.push(i % 2 === 0
          ? { user_id: learner.user_id, course_run_key: run, license_uuid: randomUUID() }
          : { email: learner.email.toUpperCase(), course_run_key: run, transaction_id: `tx-${r}-${i}` });
      }));
      // 2,000 pending enrollments: unknown emails in two runs.
      for (const email of unknown) for (const run of IN.slice(0, 2)) items.push({ email, course_run_key: run, license_uuid: randomUUID() });
      // 1,990 failures: outside the customer's catalogs, closed, and a mode the run does not offer.
      for (let i = 0; i < 1000; i++) items.push({ user_id: known[i]?.user_id ?? 0, course_run_key: OUT, license_uuid: "lic" });
      for (let i = 0; i < 490; i++) items.push({ user_id: known[i]?.user_id ?? 0, course_run_key: CLOSED, license_uuid: "lic" });
      for (let i = 0; i < 500; i++) items.push({ user_id: known[i]?.user_id ?? 0, course_run_key: EXEC_ED, license_uuid: "lic", force_enrollment: true });
      // 10 invalid items: unknown user ids and malformed emails.
      for (let i = 0; i < 5; i++) items.push({ user_id: 90_000_000 + i, course_run_key: IN[0] as string, license_uuid: "lic" });
      for (let i = 0; i < 5; i++) items.push({ email: `broken-${i}.acme.com`, course_run_key: IN[0] as string, license_uuid: "lic" });
      expect(items).toHaveLength(10_000);
      const body = { enrollments_info: items };
      expect(JSON.stringify(body).length).toBeGreaterThan(1024 * 1024);
      const before = await ledgerState();

      const first = await enroll(body);
      expect(first.status).toBe(409);
      expect(first.body.successes).toHaveLength(6000);
      expect(first.body.successes.every((s: { created: boolean; mode: string }) => s.created && s.mode === "verified")).toBe(true);
      expect(first.body.pending).toHaveLength(2000);
      expect(first.body.pending.every((p: { created: boolean; email: string }) => p.created && p.email === p.email.toLowerCase())).toBe(true);
      const reasons = (first.body.failures as { reason: string }[]).reduce<Record<string, number>>((counts, f) => ({ ...counts, [f.reason]: (counts[f.reason] ?? 0) + 1 }), {});
      expect(reasons).toEqual({ not_in_catalog: 1000, enrollment_closed: 490, mode_unavailable: 500 });
      expect(first.body.invalid_user_ids).toEqual([90_000_000, 90_000_001, 90_000_002, 90_000_003, 90_000_004]);
      expect(first.body.invalid_email_addresses).toHaveLength(5);
      const after = await ledgerState();
      expect(Number(after?.enrollments) - Number(before?.enrollments)).toBe(6000);
      expect(Number(after?.pending) - Number(before?.pending)).toBe(2000);

      const replay = await enroll(body, { legacy: true });
      expect(replay.status).toBe(409);
      expect(replay.body.successes).toEqual(first.body.successes.map((s: object) => ({ ...s, created: false })));
      expect(replay.body.pending).toEqual(first.body.pending.map((p: object) => ({ ...p, created: false })));
      expect(replay.body.failures).toEqual(first.body.failures);
      expect(await ledgerState()).toEqual(after);
    });
  });
});
