/**
 * Contract: `GET /api/v1/enterprise-catalogs/{uuid}/contains_content_items/` (enterprise-catalog-ida.md
 * §2.3, §3.7; legacy-api.md §2.2 and contract cases 16–26 on the IDA side).
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

const MISSING = "You must provide at least one of the following query parameters: course_run_ids, program_uuids.";

function contains(catalog: string, query: string, headers?: Record<string, string>) {
  return f.service.call("catalogContainsContentItems", "GET", `/api/v1/enterprise-catalogs/${catalog}/contains_content_items/${query}`, { headers });
}

describe("catalog contains_content_items", () => {
  it("answers {contains_content_items: true} and nothing else for a run it holds (case 17)", async () => {
    const run = pick(f.catalogs.CAT.records, (r) => r.content_type === "courserun");
    const response = await contains(f.catalogs.CAT.uuid, `?course_run_ids=${encodeURIComponent(keyOf(run))}`);
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ contains_content_items: true });
  });

  it("is false for content elsewhere, true for a program it holds, false for an unknown program (cases 18, 19)", async () => {
    const out = pick(f.catalogs.ALIEN.records, (r) => r.content_type === "courserun" && r.org === "DelftX");
    const program = pick(f.catalogs.CAT2.records, () => true);
    expect((await contains(f.catalogs.CAT.uuid, `?course_run_ids=${encodeURIComponent(keyOf(out))}`)).body).toEqual({ contains_content_items: false });
    expect((await contains(f.catalogs.CAT2.uuid, `?program_uuids=${keyOf(program)}`)).body).toEqual({ contains_content_items: true });
    expect((await contains(f.catalogs.CAT2.uuid, `?program_uuids=${randomUUID()}`)).body).toEqual({ contains_content_items: false });
  });

  it("matches a course key against held runs, and a run key against a held course when the run is stored (case 20, §3.7)", async () => {
    const edxRun = pick(f.catalogs.RUNS.records, () => true);
    const courseKey = String(edxRun.aggregation_key).slice("courserun:".length);
    expect((await contains(f.catalogs.RUNS.uuid, `?course_run_ids=${encodeURIComponent(courseKey)}`)).body.contains_content_items).toBe(true);
    // HarvardX runs are stored (another customer's catalog holds them); COURSES holds only the courses.
    const harvardRun = pick(f.catalogs.ALIEN.records, (r) => r.content_type === "courserun" && r.org === "HarvardX");
    expect((await contains(f.catalogs.COURSES.uuid, `?course_run_ids=${encodeURIComponent(keyOf(harvardRun))}`)).body.contains_content_items).toBe(true);
    // A run no catalog stores does not resolve to its course.
    const course = pick(f.catalogs.COURSES.records, () => true);
    expect((await contains(f.catalogs.COURSES.uuid, `?course_run_ids=course-v1:${encodeURIComponent(`${keyOf(course)}+9T2099`)}`)).body.contains_content_items).toBe(false);
    // Programs match on their own uuid only, never through their courses.
    expect((await contains(f.catalogs.CAT2.uuid, `?course_run_ids=${encodeURIComponent(keyOf(course))}`)).body.contains_content_items).toBe(false);
  });

  it("is ANY over both parameters, unlike the legacy ALL (cases 21, 22)", async () => {
    const run = keyOf(pick(f.catalogs.CAT.records, (r) => r.content_type === "courserun"));
    const out = keyOf(pick(f.catalogs.ALIEN.records, (r) => orgOf(r) === "DelftX"));
    const both = `?course_run_ids=${encodeURIComponent(run)}&course_run_ids=${encodeURIComponent(out)}`;
    expect((await contains(f.catalogs.CAT.uuid, both)).body).toEqual({ contains_content_items: true });
    expect((await contains(f.catalogs.CAT.uuid, `?course_run_ids=${encodeURIComponent(run)}&program_uuids=${randomUUID()}`)).body).toEqual({ contains_content_items: true });
  });

  it("keeps a + sent raw the same as %2B, and treats a,b as one key (cases 23, 24)", async () => {
    const run = keyOf(pick(f.catalogs.CAT.records, (r) => r.content_type === "courserun"));
    expect(run).toContain("+");
    expect((await contains(f.catalogs.CAT.uuid, `?course_run_ids=${run}`)).body).toEqual({ contains_content_items: true });
    expect((await contains(f.catalogs.CAT.uuid, `?course_run_ids=${run.replaceAll("+", "%2B")}`)).body).toEqual({ contains_content_items: true });
    expect((await contains(f.catalogs.CAT.uuid, `?course_run_ids=${encodeURIComponent(`${run},other`)}`)).body).toEqual({ contains_content_items: false });
  });

  it("answers 400 with the reference's text without keys, and 404 for an unknown catalog first (cases 16, 25)", async () => {
    const missing = await contains(f.catalogs.CAT.uuid, "");
    expect(missing.status).toBe(400);
    expect(missing.headers.get("content-type")).toMatch(/^application\/problem\+json/);
    expect(missing.body.detail).toBe(MISSING);
    const unknown = await contains(randomUUID(), "");
    expect(unknown.status).toBe(404);
    expect(unknown.body.detail).toBe("No EnterpriseCatalog matches the given query.");
    expect((await contains(randomUUID(), "?course_run_ids=x")).status).toBe(404);
    expect((await contains("not-a-uuid", "?course_run_ids=x")).status).toBe(400);
  });

  it("takes 2,000 keys in one request and refuses more with 400", async () => {
    const run = keyOf(pick(f.catalogs.CAT.records, (r) => r.content_type === "courserun"));
    const keys = Array.from({ length: 1999 }, (_, i) => `course-v1:Nobody+N${i}+1T2026`).concat([run]);
    const query = `?${keys.map((key) => `course_run_ids=${encodeURIComponent(key)}`).join("&")}`;
    expect((await contains(f.catalogs.CAT.uuid, query)).body).toEqual({ contains_content_items: true });
    const tooMany = await contains(f.catalogs.CAT.uuid, `${query}&program_uuids=${randomUUID()}`);
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.detail).toMatch(/^At most 2000 content keys/);
  });

  it("lets learners of the customer ask, and hides the catalog from another customer's learners", async () => {
    const run = keyOf(pick(f.catalogs.CAT.records, (r) => r.content_type === "courserun"));
    const own = await contains(f.catalogs.CAT.uuid, `?course_run_ids=${encodeURIComponent(run)}`, { authorization: await learnerOf(f.service, CUST) });
    expect(own.body).toEqual({ contains_content_items: true });
    const alien = await contains(f.catalogs.CAT.uuid, `?course_run_ids=${encodeURIComponent(run)}`, { authorization: await learnerOf(f.service, OTHER) });
    expect(alien.status).toBe(404);
  });
});
