/**
 * Contract: `GET /api/v1/enterprise-catalogs/{uuid}/get_content_metadata/` (enterprise-catalog-ida.md
 * §2.4; legacy-api.md §2.3 and contract cases 5–8, 42–45 on the IDA side).
 */
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { compareContentKeys, isCourseActive } from "../../src/content/listing.ts";
import type { JsonObject } from "../../src/json.ts";
import { CUST, type FixtureCatalog, keyOf, learnerOf, OTHER, pick, type ReadFixture, startReadFixture } from "./read_fixture.ts";

const LMS = "http://localhost:18000";
let f: ReadFixture;
beforeAll(async () => {
  f = await startReadFixture();
});
afterAll(async () => {
  await f?.stop();
});

function metadata(catalog: string, query = "", headers?: Record<string, string>) {
  return f.service.call("getCatalogContentMetadata", "GET", `/api/v1/enterprise-catalogs/${catalog}/get_content_metadata/${query}`, { headers });
}

/** The keys an unfiltered listing shows: everything but courses with no active run, in code point order. */
function listedKeys(catalog: FixtureCatalog): string[] {
  return catalog.records.filter((r) => r.content_type !== "course" || isCourseActive(r)).map(keyOf).sort(compareContentKeys);
}

/** The key of the run a course advertises (`advertised_course_run_uuid`), else the course's own key. */
function advertisedRunKey(course: JsonObject): string {
  const runs = (course.course_runs ?? []) as JsonObject[];
  return String(runs.find((run) => run.uuid === course.advertised_course_run_uuid)?.key ?? course.key);
}

describe("get_content_metadata", () => {
  it("answers edx DefaultPagination's envelope, then uuid, title and enterprise_customer (case 42)", async () => {
    const response = await metadata(f.catalogs.CAT.uuid);
    expect(response.status).toBe(200);
    expect(Object.keys(response.body)).toEqual(["next", "previous", "count", "num_pages", "current_page", "start", "results", "uuid", "title", "enterprise_customer"]);
    const listed = listedKeys(f.catalogs.CAT);
    expect(response.body).toMatchObject({
      previous: null, count: listed.length, num_pages: Math.ceil(listed.length / 10), current_page: 1, start: 0,
      uuid: f.catalogs.CAT.uuid, title: f.catalogs.CAT.title, enterprise_customer: CUST,
    });
    expect(new URL(response.body.next).searchParams.get("page")).toBe("2");
    expect(response.body.results).toHaveLength(10);
  });

  it("leaves courses with no active run out, in one stable content-key order across pages (case 6)", async () => {
    const listed = listedKeys(f.catalogs.CAT);
    expect(f.catalogs.CAT.records.some((r) => r.content_type === "course" && !isCourseActive(r))).toBe(true);
    const seen: string[] = [];
    let next: string | null = `?page_size=7`;
    let pageNumber = 0;
    while (next !== null) {
      const response = await metadata(f.catalogs.CAT.uuid, next);
      pageNumber++;
      expect(response.body).toMatchObject({ current_page: pageNumber, start: (pageNumber - 1) * 7, count: listed.length });
      if (pageNumber === 2) expect(new URL(response.body.previous).searchParams.has("page")).toBe(false);
      seen.push(...response.body.results.map((item: JsonObject) => keyOf(item)));
      next = response.body.next === null ? null : new URL(response.body.next).search;
    }
    expect(seen).toEqual(listed);
    const all = await metadata(f.catalogs.CAT.uuid, "?traverse_pagination=1");
    expect(all.body.results.map((item: JsonObject) => keyOf(item))).toEqual(listed);
  });

  it("returns everything on one page with traverse_pagination, any value (case 43)", async () => {
    const response = await metadata(f.catalogs.CAT2.uuid, "?traverse_pagination=false");
    expect(Object.keys(response.body)).toEqual(["previous", "next", "count", "results", "uuid", "title", "enterprise_customer"]);
    expect(response.body).toMatchObject({ previous: null, next: null, count: response.body.results.length });
    expect(response.body.count).toBe(f.catalogs.CAT2.records.length);
  });

  it("caps page_size at 100 and answers 404 \"Invalid page.\" past the end (cases 7, 8)", async () => {
    const big = await metadata(f.catalogs.CAT.uuid, "?page_size=500");
    expect(big.body.results.length).toBe(Math.min(100, big.body.count));
    const past = await metadata(f.catalogs.CAT.uuid, "?page=999");
    expect(past.status).toBe(404);
    expect(past.body.detail).toBe("Invalid page.");
    expect((await metadata(f.catalogs.CAT.uuid, "?page=abc")).status).toBe(404);
  });

  it("adds the reference's fields to courses, runs and programs", async () => {
    const items = (await metadata(f.catalogs.CAT.uuid, "?traverse_pagination=1")).body.results as JsonObject[];
    const course = pick(items, (i) => i.content_type === "course" && Array.isArray(i.course_runs) && i.course_runs.length > 0);
    expect(course).toMatchObject({ parent_content_key: null, active: true, content_last_modified: expect.any(String) });
    expect(course.xapi_activity_id).toBe(`${LMS}/xapi/activities/course/${course.key}`);
    expect(course.enrollment_url).toBe(
      `${LMS}/enterprise/${CUST}/course/${advertisedRunKey(course)}/enroll/?catalog=${f.catalogs.CAT.uuid}&utm_medium=enterprise&utm_source=acme-corp`,
    );
    expect(new URL(String(course.marketing_url)).search).toMatch(/utm_medium=enterprise&utm_source=acme-corp$/);
    // `/courses` gives the product source as an object, which the view passes on as it is.
    expect(course.product_source).toMatchObject({ slug: "edx" });
    for (const run of course.course_runs as JsonObject[]) {
      expect(run).toMatchObject({ parent_content_key: course.key, enrollment_url: `${LMS}/enterprise/${CUST}/course/${run.key}/enroll/?catalog=${f.catalogs.CAT.uuid}&utm_medium=enterprise&utm_source=acme-corp` });
    }
    const run = pick(items, (i) => i.content_type === "courserun");
    expect(run).toMatchObject({ parent_content_key: String(run.aggregation_key).slice("courserun:".length) });
    expect(run.xapi_activity_id).toBe(`${LMS}/xapi/activities/courserun/${run.key}`);
    expect(String(run.enrollment_url)).toContain(`/course/${run.key}/enroll/?catalog=`);
    const programs = (await metadata(f.catalogs.CAT2.uuid, "?page_size=1")).body.results as JsonObject[];
    expect(programs[0]).toMatchObject({ content_type: "program", enrollment_url: null, parent_content_key: null });
    expect(programs[0]).not.toHaveProperty("xapi_activity_id");
  });

  it("adds audit=true to enrollment URLs when the catalog publishes audit URLs", async () => {
    const audit = await f.createCatalog({ content_type: "courserun", org: "UQx" }, { publishAudit: true });
    const items = (await metadata(audit.uuid, "?page_size=1")).body.results as JsonObject[];
    expect(String(items[0]?.enrollment_url)).toMatch(/\/enroll\/\?audit=true&catalog=[0-9a-f-]{36}&utm_medium=enterprise&utm_source=acme-corp$/);
  });

  it("with content_keys returns what they match, parent/child aware and inactive courses kept (case 45)", async () => {
    const harvardRun = keyOf(pick(f.catalogs.ALIEN.records, (r) => r.content_type === "courserun" && r.org === "HarvardX"));
    const parent = String(pick(f.catalogs.ALIEN.records, (r) => keyOf(r) === harvardRun).aggregation_key).slice("courserun:".length);
    const matched = await metadata(f.catalogs.COURSES.uuid, `?content_keys=${harvardRun}`);
    expect(matched.body.results.map((i: JsonObject) => i.key)).toEqual([parent]);
    expect(matched.body.count).toBe(1);

    const inactive = keyOf(pick(f.catalogs.CAT.records, (r) => r.content_type === "course" && !isCourseActive(r)));
    const kept = await metadata(f.catalogs.CAT.uuid, `?content_keys=${encodeURIComponent(inactive)}`);
    expect(kept.body.results.map((i: JsonObject) => [i.key, i.active]).find(([key]: string[]) => key === inactive)).toEqual([inactive, false]);
  });

  it("refuses more than 100 content_keys with the reference's text (case 44)", async () => {
    const query = `?${Array.from({ length: 101 }, (_, i) => `content_keys=k${i}`).join("&")}`;
    const response = await metadata(f.catalogs.CAT.uuid, query);
    expect(response.status).toBe(400);
    expect(response.body.detail).toContain("supports up to 100");
  });

  it("answers 304 to If-None-Match while nothing changed, and a new ETag after the catalog changes", async () => {
    const catalog = await f.createCatalog({ content_type: "course", org: "Wharton" });
    const first = await metadata(catalog.uuid, "?page_size=3");
    const etag = first.headers.get("etag") as string;
    expect(etag).toMatch(/^"[\w-]+"$/);
    expect(first.headers.get("last-modified")).toEqual(expect.any(String));
    const again = await metadata(catalog.uuid, "?page_size=3", { "if-none-match": etag });
    expect(again.status).toBe(304);
    expect(again.body).toBeUndefined();
    expect((await metadata(catalog.uuid, "?page_size=4", { "if-none-match": etag })).status).toBe(200);
    await f.service.call("updateEnterpriseCatalog", "PATCH", `/api/v1/enterprise-catalogs/${catalog.uuid}/`, { body: { title: "Renamed" } });
    const changed = await metadata(catalog.uuid, "?page_size=3", { "if-none-match": etag });
    expect(changed.status).toBe(200);
    expect(changed.body.title).toBe("Renamed");
    expect(changed.headers.get("etag")).not.toBe(etag);
  });

  it("hides a catalog from another customer's learners and answers 404 for unknown catalogs", async () => {
    expect((await metadata(f.catalogs.CAT.uuid, "", { authorization: await learnerOf(f.service, CUST) })).status).toBe(200);
    expect((await metadata(f.catalogs.CAT.uuid, "", { authorization: await learnerOf(f.service, OTHER) })).status).toBe(404);
    const unknown = await metadata(randomUUID());
    expect(unknown.status).toBe(404);
    expect(unknown.body.detail).toBe("No EnterpriseCatalog matches the given query.");
  });
});
