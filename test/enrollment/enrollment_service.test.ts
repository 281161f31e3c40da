/** EnrollmentService over the memory adapters, with content arriving through the refresh use case. */
import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { MemoryCatalogStore } from "../../adapters/memory/memory_catalog_store.ts";
import { MemoryContentReader } from "../../adapters/memory/memory_content_reader.ts";
import { MemoryContentStore } from "../../adapters/memory/memory_content_store.ts";
import { MemoryDatabase } from "../../adapters/memory/memory_database.ts";
import { MemoryEnrollmentLedger } from "../../adapters/memory/memory_enrollment_ledger.ts";
import { MemoryRefreshScheduler } from "../../adapters/memory/memory_refresh_scheduler.ts";
import { CatalogService } from "../../src/catalog/catalog_service.ts";
import { contentFilterFromValue } from "../../src/catalog/content_filter.ts";
import { type BulkRequestProblem, InvalidBulkRequestError } from "../../src/enrollment/bulk_request.ts";
import type { Enrollment, PendingEnrollment } from "../../src/enrollment/enrollment.ts";
import {
  EnrolledInOtherModeError,
  EnrollmentClosedError,
  ModeUnavailableError,
  UnknownCourseRunError,
  UnknownLearnerError,
} from "../../src/enrollment/enrollment_errors.ts";
import { EnrollmentService } from "../../src/enrollment/enrollment_service.ts";
import { ConflictError, NotFoundError, ValidationError } from "../../src/errors.ts";
import type { JsonObject } from "../../src/json.ts";
import type { ContentReader } from "../../src/ports/content_reader.ts";
import type { ContentStore } from "../../src/ports/content_store.ts";
import type { EnrollmentLedger, Recorded } from "../../src/ports/enrollment_ledger.ts";
import { RefreshService } from "../../src/refresh/refresh_service.ts";
import { course, courseRun, ScriptedDiscovery } from "../helpers/scripted_discovery.ts";

const CUSTOMER = "a94412c9-f91c-4d0d-87cb-1ca1c0d11457";
const OTHER_CUSTOMER = "6ae013d4-c5f4-474f-8a12-a4e1b8c0f2d3";
const NOW = new Date("2026-11-22T00:00:00Z");

const OPEN = "course-v1:MITx+A+1T2026";
const CLOSED = "course-v1:MITx+A+1T2020";
const LATE = "course-v1:MITx+A+3T2026";
const EXEC_ED = "course-v1:MITx+E+1T2026";
const AUDIT_ONLY = "course-v1:MITx+F+1T2026";
const ELSEWHERE = "course-v1:HarvardX+B+1T2026";
const NESTED = "course-v1:DelftX+N+1T2026";

const MITX_RECORDS: JsonObject[] = [
  course("MITx+A"),
  courseRun("MITx+A", "1T2026", { is_enrollable: true, seat_types: ["audit", "verified"], enrollment_start: "2026-01-01T00:00:00Z", enrollment_end: null }),
  courseRun("MITx+A", "1T2020", { is_enrollable: false, seat_types: ["audit", "verified"], enrollment_end: "2020-03-01T00:00:00Z" }),
  // Discovery said enrollable at the last refresh, but the window has ended since.
  courseRun("MITx+A", "3T2026", { is_enrollable: true, seat_types: ["verified"], enrollment_end: "2026-11-01T00:00:00Z" }),
  courseRun("MITx+E", "1T2026", { is_enrollable: true, seat_types: ["paid-executive-education"] }),
  courseRun("MITx+F", "1T2026", { is_enrollable: true, seats: [{ type: "audit" }] }),
];

function setup(options: {
  ledger?: (ledger: MemoryEnrollmentLedger) => EnrollmentLedger;
  content?: (content: ContentStore) => ContentStore;
  reader?: (reader: ContentReader) => ContentReader;
  batchSize?: number;
} = {}) {
  const db = new MemoryDatabase();
  const catalogs = new MemoryCatalogStore(db);
  const memoryContent = new MemoryContentStore(db);
  const memoryLedger = new MemoryEnrollmentLedger();
  const ledger = options.ledger?.(memoryLedger) ?? memoryLedger;
  const content = options.content?.(memoryContent) ?? memoryContent;
  const memoryReader = new MemoryContentReader(db);
  const reader = options.reader?.(memoryReader) ?? memoryReader;
  const scheduler = new MemoryRefreshScheduler();
  const discovery = new ScriptedDiscovery();
  const clock = { now: () => NOW };
  const ids = { uuid: () => randomUUID() };
  const catalogService = new CatalogService({ catalogs, scheduler, clock, ids });
  const refresh = new RefreshService({ catalogs, content: memoryContent, discovery, scheduler, clock, ids });
  const enrollment = new EnrollmentService({ ledger, catalogs, content, reader, clock, ids, batchSize: options.batchSize });
  /** A catalog of `customer` whose content comes from discovery through a refresh. */
  async function catalogWith(customer: string, records: JsonObject[]) {
    const filter = contentFilterFromValue({ content_type: ["course", "courserun"], n: randomUUID() });
    discovery.answer(filter, records);
    const { query } = await catalogService.createCatalog({ title: "Catalog", enterpriseCustomerUuid: customer, contentFilter: filter }, { actor: "test" });
    await refresh.refreshQuery(query.uuid, { trigger: "on_demand" });
  }
  /** Everything the ledger holds, to prove a call wrote nothing. */
  async function state() {
    return { enrollments: await memoryLedger.listEnrollments({}), pending: await memoryLedger.listPendingEnrollments({}) };
  }
  return { ledger: memoryLedger, enrollment, catalogWith, state };
}

async function standard(options: Parameters<typeof setup>[0] = {}) {
  const t = setup(options);
  await t.catalogWith(CUSTOMER, MITX_RECORDS);
  await t.catalogWith(OTHER_CUSTOMER, [course("HarvardX+B"), courseRun("HarvardX+B", "1T2026", { is_enrollable: true, seat_types: ["audit"] })]);
  await t.enrollment.registerLearners([
    { userId: 1, email: "Ada@Acme.com" }, { userId: 2, email: "bob@acme.com" }, { userId: 3, email: "cy@acme.com" },
  ]);
  return t;
}

describe("EnrollmentService.enrollLearner()", () => {
  it("creates an active enrollment, and a second call returns the same one with created false", async () => {
    const t = await standard();
    const first = await t.enrollment.enrollLearner({ learner: { userId: 1 }, courseRunKey: OPEN, mode: "verified", enterpriseCustomerUuid: CUSTOMER, licenseUuid: "lic-1" });
    expect(first.created).toBe(true);
    expect(first.enrollment).toMatchObject({ userId: 1, courseRunKey: OPEN, mode: "verified", enterpriseCustomerUuid: CUSTOMER, licenseUuid: "lic-1", transactionId: null });
    const again = await t.enrollment.enrollLearner({ learner: { email: "ADA@acme.com " }, courseRunKey: OPEN, mode: "verified", enterpriseCustomerUuid: CUSTOMER });
    expect(again).toEqual({ enrollment: first.enrollment, created: false });
    expect((await t.state()).enrollments).toEqual([first.enrollment]);
  });

  it("finds a run nested in a stored course record when the run has no row of its own, with the modes of its seats", async () => {
    const t = await standard();
    // The full record's runs list seats (`/courses`), not seat types.
    await t.catalogWith(CUSTOMER, [course("DelftX+N", { course_runs: [{ key: NESTED, is_enrollable: true, seats: [{ type: "honor", price: "0.00" }], enrollment_end: null }] })]);
    const result = await t.enrollment.enrollLearner({ learner: { userId: 2 }, courseRunKey: NESTED, mode: "honor", enterpriseCustomerUuid: CUSTOMER });
    expect(result.created).toBe(true);
  });

  const refusals: [string, Record<string, unknown>, new (...args: never[]) => Error, string, new (...args: never[]) => Error][] = [
    ["an unknown user id", { learner: { userId: 99 } }, UnknownLearnerError, "unknown_learner", NotFoundError],
    ["an unknown email", { learner: { email: "nobody@acme.com" } }, UnknownLearnerError, "unknown_learner", NotFoundError],
    ["an unknown course run", { courseRunKey: "course-v1:MITx+Nope+1T2026" }, UnknownCourseRunError, "unknown_course_run", NotFoundError],
    ["a course key instead of a run key", { courseRunKey: "MITx+A" }, UnknownCourseRunError, "unknown_course_run", NotFoundError],
    ["a run discovery marks unenrollable", { courseRunKey: CLOSED }, EnrollmentClosedError, "enrollment_closed", ConflictError],
    ["a run whose enrollment end has passed", { courseRunKey: LATE }, EnrollmentClosedError, "enrollment_closed", ConflictError],
    ["a mode the run does not offer", { mode: "professional" }, ModeUnavailableError, "mode_unavailable", ValidationError],
  ];

  it.each(refusals)("refuses %s with a typed error and writes nothing", async (_name, input, type, reason, coreType) => {
    const t = await standard();
    const before = await t.state();
    const enroll = t.enrollment.enrollLearner({ learner: { userId: 1 }, courseRunKey: OPEN, mode: "verified", enterpriseCustomerUuid: CUSTOMER, ...input });
    await expect(enroll).rejects.toBeInstanceOf(type);
    await expect(enroll).rejects.toBeInstanceOf(coreType);
    await expect(enroll).rejects.toMatchObject({ reason });
    expect(await t.state()).toEqual(before);
  });

  it("enrolls in a closed run when forced, but never in a mode the run lacks", async () => {
    const t = await standard();
    const forced = await t.enrollment.enrollLearner({ learner: { userId: 1 }, courseRunKey: CLOSED, mode: "audit", enterpriseCustomerUuid: CUSTOMER, force: true });
    expect(forced.created).toBe(true);
    await expect(t.enrollment.enrollLearner({ learner: { userId: 2 }, courseRunKey: CLOSED, mode: "honor", enterpriseCustomerUuid: CUSTOMER, force: true }))
      .rejects.toBeInstanceOf(ModeUnavailableError);
  });

  it("never changes the mode of an existing enrollment", async () => {
    const t = await standard();
    const audit = await t.enrollment.enrollLearner({ learner: { userId: 1 }, courseRunKey: OPEN, mode: "audit", enterpriseCustomerUuid: CUSTOMER });
    await expect(t.enrollment.enrollLearner({ learner: { userId: 1 }, courseRunKey: OPEN, mode: "verified", enterpriseCustomerUuid: CUSTOMER }))
      .rejects.toBeInstanceOf(EnrolledInOtherModeError);
    expect((await t.state()).enrollments).toEqual([audit.enrollment]);
  });

  it("rejects malformed input with ValidationError", async () => {
    const t = await standard();
    const base = { learner: { userId: 1 }, courseRunKey: OPEN, mode: "verified", enterpriseCustomerUuid: CUSTOMER };
    for (const bad of [{ enterpriseCustomerUuid: "nope" }, { courseRunKey: " " }, { mode: "" }, { learner: { userId: -1 } }, { licenseUuid: "a", transactionId: "b" }]) {
      await expect(t.enrollment.enrollLearner({ ...base, ...bad })).rejects.toBeInstanceOf(ValidationError);
    }
  });
});

describe("EnrollmentService.enrollLearnersInCourses()", () => {
  it("sorts items into successes, pending, failures with reasons, invalid ids and invalid emails, in request order", async () => {
    const t = await standard();
    const result = await t.enrollment.enrollLearnersInCourses(CUSTOMER, [
      { userId: 1, courseRunKey: OPEN, licenseUuid: "lic-1" },
      { email: "new.learner@acme.com ", courseRunKey: OPEN, transactionId: "tx-1" },
      { email: "BOB@acme.com", courseRunKey: AUDIT_ONLY, licenseUuid: "lic-2" },
      { userId: 3, courseRunKey: ELSEWHERE, licenseUuid: "lic-3" },
      { userId: 3, courseRunKey: CLOSED, licenseUuid: "lic-3" },
      { userId: 3, courseRunKey: EXEC_ED, licenseUuid: "lic-3" },
      { userId: 3, courseRunKey: "MITx+A", licenseUuid: "lic-3" },
      { userId: 2, email: "someone.else@acme.com", courseRunKey: OPEN, licenseUuid: "lic-4" },
      { userId: 9998, courseRunKey: OPEN, licenseUuid: "lic-5" },
      { email: "not-an-email", courseRunKey: OPEN, licenseUuid: "lic-6" },
      { userId: 3, courseRunKey: CLOSED, licenseUuid: "lic-3", forceEnrollment: true },
    ]);
    expect(result.successes.map(({ enrollmentUuid: _uuid, ...rest }) => rest)).toEqual([
      { userId: 1, email: "ada@acme.com", courseRunKey: OPEN, created: true, mode: "verified" },
      { userId: 2, email: "bob@acme.com", courseRunKey: AUDIT_ONLY, created: true, mode: "audit" },
      { userId: 3, email: "cy@acme.com", courseRunKey: CLOSED, created: true, mode: "verified" },
    ]);
    expect(result.pending).toEqual([{ email: "new.learner@acme.com", courseRunKey: OPEN, created: true }]);
    expect(result.failures).toEqual([
      { userId: 3, email: "cy@acme.com", courseRunKey: ELSEWHERE, reason: "not_in_catalog" },
      { userId: 3, email: "cy@acme.com", courseRunKey: CLOSED, reason: "enrollment_closed" },
      { userId: 3, email: "cy@acme.com", courseRunKey: EXEC_ED, reason: "mode_unavailable" },
      { userId: 3, email: "cy@acme.com", courseRunKey: "MITx+A", reason: "unknown_course_run" },
      { userId: 2, email: "someone.else@acme.com", courseRunKey: OPEN, reason: "learner_mismatch" },
    ]);
    expect(result.invalidUserIds).toEqual([9998]);
    expect(result.invalidEmailAddresses).toEqual(["not-an-email"]);
    const state = await t.state();
    expect(state.enrollments.map((e) => e.uuid).sort()).toEqual(result.successes.map((s) => s.enrollmentUuid).sort());
    expect(state.pending).toEqual([expect.objectContaining({
      email: "new.learner@acme.com", courseRunKey: OPEN, mode: "verified", transactionId: "tx-1", licenseUuid: null, discountPercentage: 100,
    })]);
  });

  it("creates nothing new on replay and reports created false", async () => {
    const t = await standard();
    const items = [
      { userId: 1, courseRunKey: OPEN, licenseUuid: "lic-1" },
      { email: "new@acme.com", courseRunKey: OPEN, licenseUuid: "lic-1" },
      { userId: 1, courseRunKey: OPEN, licenseUuid: "lic-1" },
    ];
    const first = await t.enrollment.enrollLearnersInCourses(CUSTOMER, items);
    expect(first.successes.map((s) => s.created)).toEqual([true, false]);
    expect(first.successes[1]?.enrollmentUuid).toBe(first.successes[0]?.enrollmentUuid);
    const before = await t.state();
    const replay = await t.enrollment.enrollLearnersInCourses(CUSTOMER, items);
    expect(replay.successes).toEqual(first.successes.map((s) => ({ ...s, created: false })));
    expect(replay.pending).toEqual([{ email: "new@acme.com", courseRunKey: OPEN, created: false }]);
    expect(await t.state()).toEqual(before);
  });

  it("enrolls in runs of a course-level catalog, whose runs are stored only inside their course", async () => {
    const t = setup();
    const nestedRun = { key: "course-v1:DelftX+C+1T2026", is_enrollable: true, seats: [{ type: "verified", price: "49.00" }] };
    // A course-only filter: discovery returns course records with nested runs and no run records.
    await t.catalogWith(CUSTOMER, [course("DelftX+C", { course_runs: [nestedRun] })]);
    await t.catalogWith(OTHER_CUSTOMER, [course("DelftX+D", { course_runs: [{ ...nestedRun, key: "course-v1:DelftX+D+1T2026" }] })]);
    await t.enrollment.registerLearners([{ userId: 7, email: "dee@acme.com" }]);
    const result = await t.enrollment.enrollLearnersInCourses(CUSTOMER, [
      { userId: 7, courseRunKey: "course-v1:DelftX+C+1T2026", licenseUuid: randomUUID() },
      { userId: 7, courseRunKey: "course-v1:DelftX+C+9T2099", licenseUuid: randomUUID() },
      { userId: 7, courseRunKey: "course-v1:DelftX+D+1T2026", licenseUuid: randomUUID() },
    ]);
    expect(result.successes).toEqual([expect.objectContaining({ courseRunKey: "course-v1:DelftX+C+1T2026", created: true })]);
    expect(result.failures.map((failure) => [failure.courseRunKey, failure.reason])).toEqual([
      ["course-v1:DelftX+C+9T2099", "unknown_course_run"],
      ["course-v1:DelftX+D+1T2026", "not_in_catalog"],
    ]);
  });

  it("does not take a run stored only inside its course as in a catalog that holds a sibling run but not the course", async () => {
    const t = setup();
    const nestedRun = { key: "course-v1:DelftX+S+2T2026", is_enrollable: true, seats: [{ type: "verified", price: "49.00" }] };
    // Another customer's course-level catalog stores the course, listing the run; this customer's holds a sibling run.
    await t.catalogWith(OTHER_CUSTOMER, [course("DelftX+S", { course_runs: [nestedRun] })]);
    await t.catalogWith(CUSTOMER, [courseRun("DelftX+S", "1T2026", { is_enrollable: true, seat_types: ["verified"] })]);
    await t.enrollment.registerLearners([{ userId: 8, email: "eve@acme.com" }]);
    const result = await t.enrollment.enrollLearnersInCourses(CUSTOMER, [
      { userId: 8, courseRunKey: "course-v1:DelftX+S+2T2026", licenseUuid: randomUUID() },
      { userId: 8, courseRunKey: "course-v1:DelftX+S+1T2026", licenseUuid: randomUUID() },
    ]);
    expect(result.failures.map((failure) => [failure.courseRunKey, failure.reason])).toEqual([["course-v1:DelftX+S+2T2026", "not_in_catalog"]]);
    expect(result.successes.map((success) => success.courseRunKey)).toEqual(["course-v1:DelftX+S+1T2026"]);
    const other = await t.enrollment.enrollLearnersInCourses(OTHER_CUSTOMER, [{ userId: 8, courseRunKey: "course-v1:DelftX+S+2T2026", licenseUuid: randomUUID() }]);
    expect(other.successes.map((success) => success.courseRunKey)).toEqual(["course-v1:DelftX+S+2T2026"]);
  });

  it("checks every distinct course run against the customer's catalogs in one containment call", async () => {
    const calls: number[] = [];
    const t = await standard({
      reader: (reader) => delegate<ContentReader>(reader, {
        findContainment: (scope, keys, kind) => {
          calls.push(keys.length);
          return reader.findContainment(scope, keys, kind);
        },
      }),
    });
    const items = Array.from({ length: 300 }, (_, i) => ({ email: `l${i}@acme.com`, courseRunKey: [OPEN, AUDIT_ONLY, ELSEWHERE][i % 3] as string, licenseUuid: "lic" }));
    const result = await t.enrollment.enrollLearnersInCourses(CUSTOMER, items);
    // One call for 300 items: the 3 distinct runs and their 3 courses.
    expect(calls).toEqual([6]);
    expect(result.pending).toHaveLength(200);
    expect(result.failures).toHaveLength(100);
  });

  const invalid: [string, unknown[], BulkRequestProblem[]][] = [
    ["no items", [], [{ fault: "no_items" }]],
    ["an item without user_id or email", [{ courseRunKey: OPEN, licenseUuid: "x" }], [{ fault: "no_learner", item: 0 }]],
    ["an item without subsidy", [{ userId: 1, courseRunKey: OPEN }], [{ fault: "no_subsidy", item: 0 }]],
    ["an item with both subsidies", [{ userId: 1, courseRunKey: OPEN, licenseUuid: "x", transactionId: "y" }], [{ fault: "two_subsidies", item: 0 }]],
    ["an item without course_run_key", [{ userId: 1, licenseUuid: "x" }], [{ fault: "required", item: 0, field: "courseRunKey" }]],
    ["an item with a non-integer user_id", [{ userId: Number.NaN, courseRunKey: OPEN, licenseUuid: "x" }], [{ fault: "not_a_user_id", item: 0, field: "userId" }]],
    ["an item with a blank email and an over-long license uuid", [{ email: " ", courseRunKey: OPEN, licenseUuid: "x".repeat(256) }],
      [{ fault: "blank", item: 0, field: "email" }, { fault: "too_long", item: 0, field: "licenseUuid", limit: 255 }]],
    ["one bad item among good ones", [{ userId: 1, courseRunKey: OPEN, licenseUuid: "x" }, { userId: 2, courseRunKey: OPEN }, { email: "a@b.co", courseRunKey: OPEN, transactionId: "t" }],
      [{ fault: "no_subsidy", item: 1 }]],
  ];

  it.each(invalid)("rejects %s with every fault, structured, and writes nothing", async (_name, items, problems) => {
    const t = await standard();
    const before = await t.state();
    const enroll = t.enrollment.enrollLearnersInCourses(CUSTOMER, items as never);
    await expect(enroll).rejects.toBeInstanceOf(InvalidBulkRequestError);
    await expect(enroll).rejects.toMatchObject({ problems });
    expect(await t.state()).toEqual(before);
  });

  it("words a rejected request in the core's own terms, naming its input's fields", async () => {
    const t = await standard();
    const enroll = t.enrollment.enrollLearnersInCourses(CUSTOMER, [{ userId: 1, courseRunKey: OPEN, licenseUuid: "x" }, { userId: 0, courseRunKey: " " }]);
    await expect(enroll).rejects.toMatchObject({
      message: 'Invalid enrollment request: "items.1.userId" must be a positive integer (and 1 more)',
      fieldErrors: [{ field: "items.1.userId", message: "must be a positive integer" }, { field: "items.1.courseRunKey", message: "may not be blank" }],
    });
  });

  it("rejects more than 10,000 items and a customer without catalogs, writing nothing", async () => {
    const t = await standard();
    const before = await t.state();
    const item = { userId: 1, courseRunKey: OPEN, licenseUuid: "x" };
    await expect(t.enrollment.enrollLearnersInCourses(CUSTOMER, Array.from({ length: 10_001 }, () => item))).rejects.toBeInstanceOf(ValidationError);
    await expect(t.enrollment.enrollLearnersInCourses(randomUUID(), [item])).rejects.toBeInstanceOf(NotFoundError);
    await expect(t.enrollment.enrollLearnersInCourses(CUSTOMER, [item], { discountPercentage: 101 })).rejects.toBeInstanceOf(ValidationError);
    expect(await t.state()).toEqual(before);
  });

  it("reports an existing enrollment in another mode as a failure and leaves it alone", async () => {
    const t = await standard();
    const audit = await t.enrollment.enrollLearner({ learner: { userId: 1 }, courseRunKey: OPEN, mode: "audit", enterpriseCustomerUuid: CUSTOMER });
    const result = await t.enrollment.enrollLearnersInCourses(CUSTOMER, [{ userId: 1, courseRunKey: OPEN, licenseUuid: "x" }]);
    expect(result.failures).toEqual([{ userId: 1, email: "ada@acme.com", courseRunKey: OPEN, reason: "enrolled_in_other_mode" }]);
    expect((await t.state()).enrollments).toEqual([audit.enrollment]);
  });
});

/** An object that forwards every method to `inner` except the ones given. */
function delegate<T extends object>(inner: T, overrides: Partial<T>): T {
  const forwarded: Record<string, unknown> = {};
  for (let proto = Object.getPrototypeOf(inner); proto !== null && proto !== Object.prototype; proto = Object.getPrototypeOf(proto)) {
    for (const name of Object.getOwnPropertyNames(proto)) {
      const value = (inner as Record<string, unknown>)[name];
      if (name !== "constructor" && typeof value === "function" && !(name in forwarded)) forwarded[name] = value.bind(inner);
    }
  }
  return { ...forwarded, ...overrides } as T;
}

/** A ledger whose writes start failing after `limit` records, as a database that goes away would. */
function failingAfter(limit: number) {
  return (inner: MemoryEnrollmentLedger) => {
    let written = 0;
    const guard = async <T>(records: readonly T[], write: () => Promise<readonly Recorded<T>[]>) => {
      if (written + records.length > limit) throw new Error("Connection terminated unexpectedly");
      written += records.length;
      return await write();
    };
    return delegate<EnrollmentLedger>(inner, {
      recordEnrollments: (records: readonly Enrollment[]) => guard(records, () => inner.recordEnrollments(records)),
      recordPendingEnrollments: (records: readonly PendingEnrollment[]) => guard(records, () => inner.recordPendingEnrollments(records)),
    });
  };
}

/** A ledger that refuses any write containing one poisoned course run key. */
function poisoned(courseRunKey: string) {
  return (inner: MemoryEnrollmentLedger) => delegate<EnrollmentLedger>(inner, {
    recordEnrollments: async (records: readonly Enrollment[]) => {
      if (records.some((record) => record.courseRunKey === courseRunKey)) throw new Error("value too long for type character varying(255)");
      return await inner.recordEnrollments(records);
    },
  });
}

describe("EnrollmentService.enrollLearnersInCourses() when the ledger fails", () => {
  it("keeps every item finished before a database failure and reports the rest as failures, nothing half-written", async () => {
    const t = await standard({ ledger: failingAfter(23), batchSize: 10 });
    const learners = Array.from({ length: 60 }, (_, i) => ({ userId: 100 + i, email: `l${i}@acme.com` }));
    await t.enrollment.registerLearners(learners);
    const items = learners.map((learner) => ({ userId: learner.userId, courseRunKey: OPEN, licenseUuid: "lic" }));
    const result = await t.enrollment.enrollLearnersInCourses(CUSTOMER, items);
    expect(result.successes.map((s) => s.userId)).toEqual(learners.slice(0, 23).map((l) => l.userId));
    expect(result.failures).toHaveLength(37);
    expect(result.failures.every((f) => f.reason === "write_failed")).toBe(true);
    expect(result.failures.map((f) => f.userId)).toEqual(learners.slice(23).map((l) => l.userId));
    const stored = (await t.state()).enrollments;
    expect(stored.map((e) => e.userId).sort((a, b) => a - b)).toEqual(learners.slice(0, 23).map((l) => l.userId));
    expect(stored.map((e) => e.uuid).sort()).toEqual(result.successes.map((s) => s.enrollmentUuid).sort());
  });

  it("retries a failed batch item by item so one bad record cannot take its neighbours down", async () => {
    const t = await standard({ ledger: poisoned(AUDIT_ONLY), batchSize: 50 });
    const items = [1, 2, 3].flatMap((userId) => [OPEN, AUDIT_ONLY].map((courseRunKey) => ({ userId, courseRunKey, licenseUuid: "lic" })));
    const result = await t.enrollment.enrollLearnersInCourses(CUSTOMER, items);
    expect(result.successes.map((s) => [s.userId, s.courseRunKey])).toEqual([[1, OPEN], [2, OPEN], [3, OPEN]]);
    expect(result.failures.map((f) => [f.userId, f.courseRunKey, f.reason])).toEqual([
      [1, AUDIT_ONLY, "write_failed"], [2, AUDIT_ONLY, "write_failed"], [3, AUDIT_ONLY, "write_failed"],
    ]);
    expect((await t.state()).enrollments).toHaveLength(3);
  });
});

describe("EnrollmentService.registerLearners()", () => {
  it("registers learners with lower-cased emails and updates known ones", async () => {
    const t = setup();
    expect(await t.enrollment.registerLearners([{ userId: 7, email: " Grace@Acme.COM" }]))
      .toEqual({ created: 1, updated: 0, unchanged: 0, enrollmentsFromPending: [] });
    expect(await t.enrollment.registerLearners([{ userId: 7, email: "grace.h@acme.com" }, { userId: 8, email: "al@acme.com" }]))
      .toEqual({ created: 1, updated: 1, unchanged: 0, enrollmentsFromPending: [] });
    expect(await t.ledger.findLearners({ userIds: [7, 8] })).toEqual([{ userId: 7, email: "grace.h@acme.com" }, { userId: 8, email: "al@acme.com" }]);
  });

  it("turns the pending enrollments of the learners' emails into enrollments, once", async () => {
    const t = await standard();
    const bulk = await t.enrollment.enrollLearnersInCourses(CUSTOMER, [
      { email: "New@acme.com", courseRunKey: OPEN, transactionId: "tx-1" },
      { email: "new@acme.com", courseRunKey: LATE, licenseUuid: "lic-1", forceEnrollment: true },
      { email: "other@acme.com", courseRunKey: OPEN, licenseUuid: "lic-2" },
    ]);
    expect(bulk.pending.map((p) => [p.email, p.courseRunKey])).toEqual([["new@acme.com", OPEN], ["new@acme.com", LATE], ["other@acme.com", OPEN]]);
    // LATE's window has closed since: the learner was promised the seat, so it is converted anyway.
    const registration = await t.enrollment.registerLearners([{ userId: 42, email: "NEW@acme.com" }]);
    expect(registration).toMatchObject({ created: 1, updated: 0, unchanged: 0 });
    const byRun = [...registration.enrollmentsFromPending].sort((a, b) => (a.courseRunKey < b.courseRunKey ? -1 : 1));
    expect(byRun.map(({ uuid: _uuid, created: _created, ...rest }) => rest)).toEqual([
      { userId: 42, courseRunKey: OPEN, mode: "verified", enterpriseCustomerUuid: CUSTOMER, licenseUuid: null, transactionId: "tx-1" },
      { userId: 42, courseRunKey: LATE, mode: "verified", enterpriseCustomerUuid: CUSTOMER, licenseUuid: "lic-1", transactionId: null },
    ]);
    const state = await t.state();
    expect(state.enrollments.filter((e) => e.userId === 42)).toEqual(expect.arrayContaining([...registration.enrollmentsFromPending]));
    expect(state.enrollments.filter((e) => e.userId === 42)).toHaveLength(2);
    expect(state.pending.map((p) => p.email)).toEqual(["other@acme.com"]);
    const again = await t.enrollment.registerLearners([{ userId: 42, email: "new@acme.com" }]);
    expect(again).toEqual({ created: 0, updated: 0, unchanged: 1, enrollmentsFromPending: [] });
    expect(await t.state()).toEqual(state);
  });

  it("keeps a pending enrollment pending when the stored content no longer has its run", async () => {
    let hidden = false;
    const t = await standard({
      content: (content) => delegate<ContentStore>(content, {
        getContent: async (keys: readonly string[]) => (hidden ? [] : await content.getContent(keys)),
      }),
    });
    await t.enrollment.enrollLearnersInCourses(CUSTOMER, [{ email: "new@acme.com", courseRunKey: OPEN, licenseUuid: "lic-1" }]);
    hidden = true;
    expect((await t.enrollment.registerLearners([{ userId: 42, email: "new@acme.com" }])).enrollmentsFromPending).toEqual([]);
    expect(await t.state()).toMatchObject({ enrollments: [], pending: [expect.objectContaining({ email: "new@acme.com" })] });
  });

  it("rejects bad, repeated and conflicting learners and writes nothing", async () => {
    const t = setup();
    await t.enrollment.registerLearners([{ userId: 1, email: "a@acme.com" }]);
    for (const bad of [[], [{ userId: 0, email: "z@acme.com" }], [{ userId: 2, email: "nope" }], [{ userId: 2, email: "b@acme.com" }, { userId: 2, email: "c@acme.com" }],
      [{ userId: 2, email: "b@acme.com" }, { userId: 3, email: "B@acme.com" }]]) {
      await expect(t.enrollment.registerLearners(bad)).rejects.toBeInstanceOf(ValidationError);
    }
    await expect(t.enrollment.registerLearners([{ userId: 2, email: "A@acme.com" }])).rejects.toBeInstanceOf(ConflictError);
    expect(await t.ledger.findLearners({ userIds: [0, 1, 2, 3] })).toEqual([{ userId: 1, email: "a@acme.com" }]);
  });
});
