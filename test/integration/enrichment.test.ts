/**
 * The enrichment stage end to end, on the bundled discovery and on discovery over HTTP: the real
 * service, refreshes through pg-boss, discovery's full records behind the read API, the legacy
 * API and bulk enrollment, and no enrichment request on an unchanged cycle.
 */
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { HttpDiscoveryClient } from "../../adapters/discovery_http/http_discovery_client.ts";
import { LocalDiscoveryClient } from "../../adapters/discovery_local/local_discovery_client.ts";
import { createLocalDiscoveryServer, type LocalDiscoveryServer } from "../../adapters/discovery_local/local_discovery_server.ts";
import { contentFilterFromValue } from "../../src/catalog/content_filter.ts";
import { isActiveCourseRun } from "../../src/content/listing.ts";
import type { JsonObject } from "../../src/json.ts";
import { generateDiscoveryDatabase } from "../../tools/discovery_corpus/generate_database.ts";
import { countingDiscovery, type CountingDiscovery } from "../helpers/counting_discovery.ts";
import { type DiscoveryServer, startDiscoveryServer } from "../helpers/discovery_server.ts";
import { type PostgresTestService, startTestService } from "../helpers/service.ts";

const CUSTOMER = "a94412c9-f91c-4d0d-87cb-1ca1c0d11457";
const database = generateDiscoveryDatabase({ courses: 150, seed: 17 });

/** A discovery whose `/courses` answers can differ from its search index, as when the index lags behind. */
function withCourseOverrides(server: LocalDiscoveryServer, overrides: ReadonlyMap<string, JsonObject>): LocalDiscoveryServer {
  const handle = async (request: Request): Promise<Response> => {
    const response = await server.handle(request);
    if (new URL(request.url).pathname !== "/api/v1/courses/" || overrides.size === 0 || !response.ok) return response;
    const page = (await response.json()) as JsonObject & { results: JsonObject[] };
    const results = page.results.map((course) => ({ ...course, ...overrides.get(String(course.key)) }));
    return Response.json({ ...page, results }, { status: response.status });
  };
  return { handle, fetch: (input, init) => handle(new Request(input, init)) };
}

interface Variant {
  readonly discovery: CountingDiscovery;
  readonly overrides: Map<string, JsonObject>;
  close(): Promise<void>;
}

const variants: [string, () => Promise<Variant>][] = [
  ["the bundled discovery", async () => {
    const overrides = new Map<string, JsonObject>();
    const server = withCourseOverrides(createLocalDiscoveryServer({ database }), overrides);
    return { discovery: countingDiscovery(new LocalDiscoveryClient({ server })), overrides, close: async () => {} };
  }],
  ["discovery over HTTP", async () => {
    const overrides = new Map<string, JsonObject>();
    const http: DiscoveryServer = await startDiscoveryServer({ server: withCourseOverrides(createLocalDiscoveryServer({ database }), overrides) });
    const client = new HttpDiscoveryClient({ baseUrl: http.url, sleep: () => Promise.resolve() });
    return { discovery: countingDiscovery(client), overrides, close: () => http.close() };
  }],
];

describe.each(variants)("enrichment on %s", (_name, open) => {
  let variant: Variant;
  let service: PostgresTestService;

  beforeAll(async () => {
    variant = await open();
    service = await startTestService({ worker: true, discovery: variant.discovery.client });
  });
  afterAll(async () => {
    await service?.stop();
    await variant?.close();
  });

  async function createCatalog(filter: JsonObject): Promise<{ uuid: string; queryUuid: string }> {
    const created = await service.call("createEnterpriseCatalog", "POST", "/api/v1/enterprise-catalogs/", {
      body: { title: `Catalog ${randomUUID().slice(0, 8)}`, enterprise_customer: CUSTOMER, enterprise_customer_name: "Acme", content_filter: filter },
    });
    expect(created.status).toBe(201);
    expect((await service.nextRefresh(created.body.catalog_query_uuid)).outcome).toBe("succeeded");
    return { uuid: created.body.uuid, queryUuid: created.body.catalog_query_uuid };
  }

  async function refresh(catalog: { uuid: string; queryUuid: string }): Promise<void> {
    const refreshed = service.nextRefresh(catalog.queryUuid);
    const asked = await service.call("refreshEnterpriseCatalogMetadata", "POST", `/api/v1/enterprise-catalogs/${catalog.uuid}/refresh_metadata/`);
    expect(asked.status).toBe(200);
    expect((await refreshed).outcome).toBe("succeeded");
  }

  async function everything(catalogUuid: string, query = ""): Promise<JsonObject[]> {
    const response = await service.call("getCatalogContentMetadata", "GET", `/api/v1/enterprise-catalogs/${catalogUuid}/get_content_metadata/?traverse_pagination=1${query}`);
    expect(response.status).toBe(200);
    return response.body.results as JsonObject[];
  }

  /** Ages every stored full record, as time passing would. */
  async function ageFullRecords(hours: number): Promise<void> {
    await service.runtime.orm.em.fork().getConnection().execute(
      `update content_metadata set enriched_at = enriched_at - interval '${hours} hours' where enriched_at is not null`,
    );
  }

  it("lists the active courses of a course-level catalog as active, enrolling in their advertised runs", async () => {
    variant.discovery.take();
    const catalog = await createCatalog({ content_type: "course", org: "MITx" });
    const first = variant.discovery.take();
    expect(first.requests.courses).toBeGreaterThan(0);
    expect(first.requests.reviews).toBe(1);

    const full = (await variant.discovery.client.fetchCourses(first.fetchedKeys)).records;
    const activeKeys = full.filter((course) => (course.course_runs as JsonObject[]).some(isActiveCourseRun)).map((course) => String(course.key)).sort();
    expect(activeKeys.length).toBeGreaterThan(0);

    const listed = await everything(catalog.uuid);
    const courses = listed.filter((item) => item.content_type === "course");
    expect(courses.map((course) => String(course.key)).sort()).toEqual(activeKeys);
    for (const course of courses) {
      expect(course.active).toBe(true);
      const advertised = (course.course_runs as JsonObject[]).find((run) => run.uuid === course.advertised_course_run_uuid);
      expect(advertised, `course ${String(course.key)} advertises a run it lists`).toBeDefined();
      if (course.course_type === "executive-education-2u") continue;
      expect(String(course.enrollment_url)).toContain(`/course/${String(advertised?.key)}/enroll/?catalog=${catalog.uuid}`);
      expect(course.normalized_metadata).toMatchObject({ start_date: advertised?.start, end_date: advertised?.end });
    }
  });

  it("makes no enrichment request on an unchanged cycle, and brings a title changed only in /courses once the record is due", async () => {
    const catalog = await createCatalog({ content_type: "course", org: "HarvardX" });
    const [course] = (await everything(catalog.uuid, "")).filter((item) => item.content_type === "course");
    expect(course).toBeDefined();
    variant.discovery.take();

    await refresh(catalog);
    const unchanged = variant.discovery.take();
    expect(unchanged.requests.search).toBeGreaterThan(0);
    expect({ courses: unchanged.requests.courses, programs: unchanged.requests.programs, reviews: unchanged.requests.reviews })
      .toEqual({ courses: 0, programs: 0, reviews: 0 });

    const title = `Renamed in publisher ${randomUUID().slice(0, 8)}`;
    variant.overrides.set(String(course?.key), { title });
    await refresh(catalog);
    expect((await everything(catalog.uuid, `&content_keys=${encodeURIComponent(String(course?.key))}`))[0]?.title).not.toBe(title);

    await ageFullRecords(3);
    await refresh(catalog);
    expect((await everything(catalog.uuid, `&content_keys=${encodeURIComponent(String(course?.key))}`))[0]?.title).toBe(title);
    variant.overrides.clear();
  });

  it("rewrites nothing when two catalogs that see different nested runs of the same courses refresh in turn", async () => {
    // A filter parameter that matches a run attribute keeps that expired run nested in the course.
    const filters = [{ content_type: "course", org: "DelftX" }, { content_type: "course", org: "DelftX", status: "published" }];
    const nestedRuns = await Promise.all(filters.map(async (filter) => {
      const { records } = await variant.discovery.client.searchAll(contentFilterFromValue(filter));
      return new Map(records.map((course) => [String(course.key), (course.course_runs as JsonObject[]).map((run) => run.key).join()]));
    }));
    const differ = [...(nestedRuns[0]?.keys() ?? [])].filter((key) => nestedRuns[0]?.get(key) !== nestedRuns[1]?.get(key));
    expect(differ.length, "the two filters see different nested runs of some course").toBeGreaterThan(0);
    const plain = await createCatalog(filters[0] as JsonObject);
    const published = await createCatalog(filters[1] as JsonObject);
    const sql = service.runtime.orm.em.fork().getConnection();
    const { xid } = (await sql.execute<{ xid: string }[]>("select txid_current()::text as xid"))[0] as { xid: string };
    for (let pass = 0; pass < 2; pass++) {
      await refresh(plain);
      await refresh(published);
    }
    const [touched] = await sql.execute<{ rows: string }[]>(
      `select (select count(*) from content_metadata where xmin::text::bigint >= ?::bigint)
            + (select count(*) from query_content where xmin::text::bigint >= ?::bigint) as rows`,
      [xid, xid],
    );
    expect(Number(touched?.rows)).toBe(0);
  });

  it("enrolls learners into a course-level catalog's runs with the modes their seats sell", async () => {
    await createCatalog({ content_type: "course", org: "BerkeleyX" });
    const full = (await variant.discovery.client.fetchCourses(
      database.courses.filter((course) => course.key.startsWith("BerkeleyX+")).map((course) => course.key),
    )).records;
    const now = Date.now();
    const open = full.flatMap((course) => course.course_runs as JsonObject[]).find((run) =>
      run.is_enrollable === true && (run.enrollment_end === null || Date.parse(String(run.enrollment_end)) > now) &&
      (run.enrollment_start === null || Date.parse(String(run.enrollment_start)) < now) &&
      (run.seats as JsonObject[]).some((seat) => seat.type === "verified")
    );
    expect(open, "the corpus has an open verified BerkeleyX run").toBeDefined();
    const userId = 50_000 + Math.floor(Math.random() * 10_000);
    const registered = await service.call("registerLearners", "POST", "/api/v1/learners/", { body: { learners: [{ user_id: userId, email: `l${userId}@acme.example.com` }] } });
    expect(registered.status).toBe(200);
    const enrolled = await service.call("enrollLearnersInCourses", "POST", `/api/v1/enterprise-customer/${CUSTOMER}/enroll_learners_in_courses/`, {
      body: { enrollments_info: [{ user_id: userId, course_run_key: open?.key, license_uuid: randomUUID() }] },
    });
    expect(enrolled.status).toBe(201);
    expect(enrolled.body.successes).toMatchObject([{ course_run_key: open?.key, mode: "verified", created: true }]);
  });

  it("stores a catalog's allowed restricted run with one more search, fetches nothing again on an unchanged cycle, and v1 never shows it", async () => {
    const course = database.courses.find((row) => row.partner === "edx" && row.type !== "bootcamp-2u" &&
      row.course_runs.some((run) => run.restriction_type === "custom-b2b-enterprise"));
    const runKey = course?.course_runs.find((run) => run.restriction_type === "custom-b2b-enterprise")?.key as string;
    expect(course, "the corpus has an edX course with a B2B run").toBeDefined();
    variant.discovery.take();
    const catalog = await createCatalog({
      content_type: "course", aggregation_key: `course:${course?.key}`, restricted_runs_allowed: { [`course:${course?.key}`]: [runKey] },
    });
    const first = variant.discovery.take();
    // The search, the restricted search; /courses for the course, then with include_restricted for its run.
    expect(first.requests.search).toBe(2);
    expect(first.fetchedKeys).toEqual([course?.key, course?.key]);
    const v2 = await service.call("catalogContainsContentItemsV2", "GET", `/api/v2/enterprise-catalogs/${catalog.uuid}/contains_content_items/?course_run_ids=${encodeURIComponent(runKey)}`);
    expect(v2.body).toEqual({ contains_content_items: true });

    await refresh(catalog);
    const unchanged = variant.discovery.take();
    expect(unchanged.requests).toMatchObject({ search: 2, courses: 0, programs: 0, reviews: 0 });
    const [listed] = (await everything(catalog.uuid, `&content_keys=${encodeURIComponent(runKey)}`));
    expect(listed).toBeUndefined();
  });

  it("force-includes a course the filter's search does not return, visible and marked", async () => {
    const outside = database.courses.find((course) => course.key.startsWith("UQx+"))?.key as string;
    const catalog = await createCatalog({ content_type: "course", org: "IBM", enterprise_force_include_aggregation_keys: [outside] });
    const contains = await service.call("catalogContainsContentItems", "GET", `/api/v1/enterprise-catalogs/${catalog.uuid}/contains_content_items/?course_run_ids=${encodeURIComponent(outside)}`);
    expect(contains.body).toEqual({ contains_content_items: true });
    const [forced] = await everything(catalog.uuid, `&content_keys=${encodeURIComponent(outside)}`);
    expect(forced).toMatchObject({ key: outside, content_type: "course", enterprise_force_included: true });
    expect((forced?.course_runs as JsonObject[]).every((run) => run.status === "published" && run.availability === "Current")).toBe(true);
  });

  it("shows a program's courses in the legacy program detail", async () => {
    const catalog = await createCatalog({ content_type: "program" });
    const [program] = await everything(catalog.uuid);
    const detail = await service.call("getLegacyCatalogProgram", "GET", `/enterprise/api/v1/enterprise_catalogs/${catalog.uuid}/programs/${String(program?.uuid)}/`);
    expect(detail.status).toBe(200);
    const courses = detail.body.courses as JsonObject[];
    expect(courses.length).toBeGreaterThan(0);
    for (const course of courses) expect(String(course.enrollment_url)).toContain(`/course/${String(course.key)}/enroll/?catalog=${catalog.uuid}`);
  });
});
