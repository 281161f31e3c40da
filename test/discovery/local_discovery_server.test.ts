import { describe, expect, test } from "vitest";
import type { CourseRow, CourseRunRow, DiscoveryDatabase } from "../../adapters/discovery_local/discovery_database.ts";
import {
  createLocalDiscoveryServer,
  type LocalDiscoveryServerOptions,
} from "../../adapters/discovery_local/local_discovery_server.ts";
import type { JsonObject } from "../../src/json.ts";
import { generateDiscoveryDatabase, REFERENCE_DATE, WELL_KNOWN_PROGRAM_UUID } from "../../tools/discovery_corpus/generate_database.ts";

const DATABASE = generateDiscoveryDatabase({ courses: 300, seed: 11 });
const ORIGIN = "http://discovery.test";
const server = createLocalDiscoveryServer({ database: DATABASE });
const NOW = Date.parse(REFERENCE_DATE);
const ended = (run: CourseRunRow) => run.end !== null && Date.parse(run.end) < NOW;
/** Courses and runs of the search index: retired types (bootcamps) and runs of unmarketable types are not indexed. */
const INDEXED_COURSES = DATABASE.courses.filter((course) => course.type !== "bootcamp-2u");
const INDEXED_RUNS = DATABASE.courses.flatMap((course) => course.course_runs)
  .filter((run) => run.type !== "empty" && run.type !== "paid-bootcamp");
/** What a search without `include_restricted` finds of them. */
const SEARCHED_RUNS = INDEXED_RUNS.filter((run) => run.restriction_type === null);

interface Answer {
  readonly status: number;
  readonly body: JsonObject;
  readonly text: string;
  readonly headers: Headers;
}

async function call(path: string, init: RequestInit = {}, using = server): Promise<Answer> {
  const response = await using.fetch(`${ORIGIN}${path}`, init);
  const text = await response.text();
  const json = response.headers.get("content-type") === "application/json" && text !== "";
  return { status: response.status, body: json ? JSON.parse(text) as JsonObject : {}, text, headers: response.headers };
}

function search(path: string, body: JsonObject = {}, using = server): Promise<Answer> {
  return call(path, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) }, using);
}

function resultsOf(answer: Answer): JsonObject[] {
  expect(answer.status, answer.text.slice(0, 200)).toBe(200);
  return answer.body.results as JsonObject[];
}

/** Every record of a v1 search, from one page large enough for all of them. */
async function everything(query: string, body: JsonObject, using = server): Promise<JsonObject[]> {
  return resultsOf(await search(`/api/v1/search/all/?page_size=10000&${query}`, body, using));
}

function courseWhere(predicate: (course: CourseRow) => boolean, database: DiscoveryDatabase = DATABASE): CourseRow {
  const course = database.courses.find(predicate);
  if (course === undefined) throw new Error("The test database has no course the test needs");
  return course;
}

describe("LocalDiscoveryServer routing", () => {
  test("answers 404 Not found for a path discovery does not serve, trailing slash included", async () => {
    for (const path of ["/api/v1/nothing/", "/api/v1/search/all", "/"]) {
      const answer = await call(path);
      expect(answer.status).toBe(404);
      expect(answer.body).toEqual({ detail: "Not found." });
    }
  });

  test("answers 405 with DRF's detail for a method the endpoint lacks, and HEAD like GET without a body", async () => {
    const answer = await call("/api/v1/courses/", { method: "DELETE" });
    expect(answer.status).toBe(405);
    expect(answer.body).toEqual({ detail: 'Method "DELETE" not allowed.' });
    expect(answer.headers.get("allow")).toContain("GET");
    const head = await call("/api/v1/course_review/", { method: "HEAD" });
    expect(head.status).toBe(200);
    expect(head.text).toBe("");
  });

  test("fetch rejects with the signal's reason when the request is aborted", async () => {
    const reason = new Error("stop");
    await expect(server.fetch(`${ORIGIN}/api/v1/course_review/`, { signal: AbortSignal.abort(reason) })).rejects.toBe(reason);
  });
});

describe("POST /api/v1/search/all/", () => {
  test("answers DRF's page envelope, 20 records by default, with next and previous links of sorted parameters", async () => {
    const first = await search("/api/v1/search/all/?ordering=aggregation_key%2Cstart&exclude_expired_course_run=True", { content_type: "courserun" });
    const total = SEARCHED_RUNS.length;
    expect(Object.keys(first.body)).toEqual(["count", "next", "previous", "facets", "results"]);
    expect(first.body.facets).toEqual({});
    expect(first.body.count).toBe(total);
    expect(resultsOf(first)).toHaveLength(20);
    expect(first.body.previous).toBeNull();
    expect(first.body.next).toBe(`${ORIGIN}/api/v1/search/all/?exclude_expired_course_run=True&ordering=aggregation_key%2Cstart&page=2`);
    const second = await search(String(first.body.next).slice(ORIGIN.length), { content_type: "courserun" });
    expect(second.body.previous).toBe(`${ORIGIN}/api/v1/search/all/?exclude_expired_course_run=True&ordering=aggregation_key%2Cstart`);
    const third = await search("/api/v1/search/all/?page=3&page_size=7", { content_type: "courserun" });
    expect(third.body.previous).toBe(`${ORIGIN}/api/v1/search/all/?page=2&page_size=7`);
    expect(resultsOf(third)).toHaveLength(7);
  });

  test("writes links with the configured origin, as discovery behind a proxy does", async () => {
    const proxied = createLocalDiscoveryServer({ database: DATABASE, origin: "http://discovery.internal:18381" });
    const answer = await search("/api/v1/search/all/?page_size=5", { content_type: "course" }, proxied);
    expect(answer.body.next).toBe("http://discovery.internal:18381/api/v1/search/all/?page=2&page_size=5");
  });

  test("answers 404 Invalid page. for a page past the last, below one or not a number, and serves page=last", async () => {
    const count = DATABASE.programs.length;
    const pages = Math.ceil(count / 10);
    for (const page of [String(pages + 1), "0", "-1", "two", "1.0"]) {
      const answer = await search(`/api/v1/search/all/?page_size=10&page=${page}`, { content_type: "program" });
      expect(answer.status, page).toBe(404);
      expect(answer.body).toEqual({ detail: "Invalid page." });
    }
    const last = await search("/api/v1/search/all/?page_size=10&page=last", { content_type: "program" });
    expect(resultsOf(last)).toHaveLength(count - (pages - 1) * 10);
    expect(last.body.next).toBeNull();
    const none = await search("/api/v1/search/all/", { content_type: "course", org: "NoSuchOrgX" });
    expect(none.body).toEqual({ count: 0, next: null, previous: null, facets: {}, results: [] });
  });

  test("fails with Django's 500 page once a page reaches past the result window", async () => {
    const small = createLocalDiscoveryServer({ database: DATABASE, maxResultWindow: 250 });
    expect((await search("/api/v1/search/all/?page_size=100&page=2", { content_type: "courserun" }, small)).status).toBe(200);
    const past = await search("/api/v1/search/all/?page_size=100&page=3", { content_type: "courserun" }, small);
    expect(past.status).toBe(500);
    expect(past.headers.get("content-type")).toBe("text/html");
    expect(past.text).toContain("<h1>Server Error (500)</h1>");
    expect((await search("/api/v1/search/all/?page_size=300", { content_type: "courserun" }, small)).status).toBe(500);
    expect((await search("/api/v1/search/all/?page_size=300", { content_type: "program" }, small)).status).toBe(200);
  });

  test("counts at most track_total_hits while its pages still reach every hit", async () => {
    const capped = createLocalDiscoveryServer({ database: DATABASE, trackTotalHits: 150 });
    const runs = SEARCHED_RUNS.length;
    const first = await search("/api/v1/search/all/?page_size=100", { content_type: "courserun" }, capped);
    expect(first.body.count).toBe(150);
    const pages = Math.ceil(runs / 100);
    const last = await search(`/api/v1/search/all/?page_size=100&page=${pages}`, { content_type: "courserun" }, capped);
    expect(resultsOf(last)).toHaveLength(runs - (pages - 1) * 100);
    expect(last.body.count).toBe(150);
  });

  test("orders by -start then aggregation_key unless an ordering value names a sortable field", async () => {
    const starts = (records: JsonObject[]) => records.map((record) => `${String(record.start)}|${String(record.aggregation_key)}`);
    const byDefault = await everything("", { content_type: "courserun" });
    for (let i = 1; i < byDefault.length; i++) {
      const [before, after] = [byDefault[i - 1] as JsonObject, byDefault[i] as JsonObject];
      expect(String(before.start) >= String(after.start), `${String(before.key)} before ${String(after.key)}`).toBe(true);
      if (before.start === after.start) expect(String(before.aggregation_key) <= String(after.aggregation_key)).toBe(true);
    }
    // ECS sends one value, "aggregation_key,start", which names no field: discovery falls back to its default.
    expect(starts(await everything("ordering=aggregation_key%2Cstart", { content_type: "courserun" }))).toEqual(starts(byDefault));
    const byKey = await everything("ordering=aggregation_key&ordering=start", { content_type: "courserun" });
    expect(byKey.map((record) => `${String(record.aggregation_key)}|${String(record.start)}`))
      .toEqual(byKey.map((record) => `${String(record.aggregation_key)}|${String(record.start)}`).sort());
    const descending = await everything("ordering=-aggregation_key", { content_type: "program" });
    expect(descending.map((record) => record.aggregation_key))
      .toEqual(DATABASE.programs.map((program) => `program:${program.uuid}`).sort().reverse());
  });

  test("leaves learner pathways out unless include_learner_pathways is true", async () => {
    expect(await everything("", { content_type: "learnerpathway" })).toEqual([]);
    expect(await everything("include_learner_pathways=false", { content_type: "learnerpathway" })).toEqual([]);
    const pathways = await everything("include_learner_pathways=TRUE", { content_type: "learnerpathway" });
    expect(pathways.map((record) => record.uuid).sort()).toEqual(DATABASE.pathways.map((pathway) => pathway.uuid).sort());
  });

  test("limits a GET without partner to the site's partner, and a POST to nothing", async () => {
    const other = courseWhere((course) => course.partner === "openedx");
    const keysOf = (records: JsonObject[]) => records.map((record) => record.key);
    expect(keysOf(await everything("", { content_type: "course" }))).toContain(other.key);
    const viaGet = resultsOf(await call("/api/v1/search/all/?content_type=course&page_size=10000"));
    expect(keysOf(viaGet)).not.toContain(other.key);
    expect(viaGet.length).toBe(INDEXED_COURSES.filter((course) => course.partner === "edx").length);
    expect(keysOf(resultsOf(await call("/api/v1/search/all/?content_type=course&partner=openedx&page_size=10000")))).toContain(other.key);
  });

  test("filters on query parameters and body alike, the body's booleans as True and False", async () => {
    const viaQuery = await everything("content_type=courserun&org=MITx", { published: true });
    expect(viaQuery.length).toBeGreaterThan(0);
    expect(viaQuery.every((record) => record.org === "MITx" && record.published === true)).toBe(true);
    expect(viaQuery).toEqual(await everything("", { content_type: "courserun", org: "mitx", published: "True" }));
  });

  test("refuses malformed JSON with 400, another media type with 415, and JSON that is not an object with 500", async () => {
    const path = "/api/v1/search/all/";
    const malformed = await call(path, { method: "POST", headers: { "content-type": "application/json" }, body: "{nope" });
    expect(malformed.status).toBe(400);
    expect(String(malformed.body.detail)).toMatch(/^JSON parse error - /);
    const text = await call(path, { method: "POST", headers: { "content-type": "text/plain" }, body: "{}" });
    expect(text.status).toBe(415);
    expect(text.body).toEqual({ detail: 'Unsupported media type "text/plain" in request.' });
    expect((await call(path, { method: "POST", headers: { "content-type": "application/json" }, body: "[1]" })).status).toBe(500);
  });

  test("groups each page's records by document type, in the order their first hit appears", async () => {
    const page = resultsOf(await search("/api/v2/search/all/?page_size=200", { content_type: ["course", "courserun", "program"] }));
    const types = page.map((record) => String(record.content_type));
    const blocks = types.filter((type, i) => i === 0 || type !== types[i - 1]);
    expect(new Set(blocks).size).toBe(blocks.length);
    expect(blocks.length).toBeGreaterThan(1);
    // The hits themselves (by their sort values) interleave the types.
    const byHit = [...page].sort((a, b) => Number((b.sort as number[])[0]) - Number((a.sort as number[])[0]));
    expect(byHit.map((record) => record.content_type)).not.toEqual(types);
  });
});

describe("restricted runs", () => {
  const restricted = courseWhere((course) =>
    INDEXED_COURSES.includes(course) && course.partner === "edx" &&
    course.course_runs.some((run) => run.restriction_type === "custom-b2b-enterprise") &&
    course.course_runs.some((run) => run.restriction_type === null && !ended(run))
  );
  const b2b = restricted.course_runs.find((run) => run.restriction_type === "custom-b2b-enterprise") as CourseRunRow;
  const b2c = INDEXED_RUNS.find((run) => run.restriction_type === "custom-b2c") as CourseRunRow;

  test("are hidden from search/all unless include_restricted names their type, whether top-level or nested", async () => {
    const runKeys = async (query: string) => (await everything(query, { content_type: "courserun" })).map((run) => String(run.key));
    expect(await runKeys("")).not.toContain(b2b.key);
    const included = await runKeys("include_restricted=custom-b2b-enterprise");
    expect(included).toContain(b2b.key);
    expect(included).not.toContain(b2c.key);
    expect(await runKeys("include_restricted=custom-b2b-enterprise,custom-b2c")).toContain(b2c.key);
    const [run] = await everything("include_restricted=custom-b2b-enterprise", { content_type: "courserun", key: b2b.key });
    expect(run).toMatchObject({ key: b2b.key, restriction_type: "custom-b2b-enterprise", aggregation_key: `courserun:${restricted.key}`, marketing_url: null });
    const nested = async (query: string) => {
      const [course] = await everything(query, { content_type: "course", aggregation_key: `course:${restricted.key}` });
      return ((course as JsonObject).course_runs as JsonObject[]).map((entry) => entry.key);
    };
    expect(await nested("")).not.toContain(b2b.key);
    expect(await nested("include_restricted=custom-b2b-enterprise")).toContain(b2b.key);
  });

  test("are left out of /courses unless include_restricted names their type, and are never marketable or advertised", async () => {
    const course = async (query: string) => resultsOf(await call(`/api/v1/courses/?keys=${encodeURIComponent(restricted.key)}${query}`))[0] as JsonObject;
    const plain = await course("");
    expect((plain.course_runs as JsonObject[]).map((run) => run.key)).not.toContain(b2b.key);
    expect(plain.course_run_keys).not.toContain(b2b.key);
    const included = await course("&include_restricted=custom-b2b-enterprise");
    const entry = (included.course_runs as JsonObject[]).find((run) => run.key === b2b.key);
    expect(entry).toMatchObject({ restriction_type: "custom-b2b-enterprise", is_marketable: false, is_enrollable: true, status: "published", uuid: b2b.uuid });
    expect(included.course_run_keys).toContain(b2b.key);
    expect(included.advertised_course_run_uuid).toBe(plain.advertised_course_run_uuid);
  });
});

describe("course records of search/all", () => {
  /** A course with an ended published run, an ended unpublished run and a current run. */
  const course = courseWhere((row) =>
    INDEXED_COURSES.includes(row) && row.type !== "empty" &&
    row.course_runs.some((run) => ended(run) && run.status === "published") &&
    row.course_runs.some((run) => ended(run) && run.status === "unpublished") &&
    row.course_runs.some((run) => !ended(run))
  );
  const nestedKeys = async (query: string, filter: JsonObject) => {
    const [record] = await everything(query, { content_type: "course", aggregation_key: `course:${course.key}`, ...filter });
    return ((record as JsonObject).course_runs as JsonObject[]).map((run) => run.key);
  };
  const keys = (predicate: (run: CourseRunRow) => boolean) => course.course_runs.filter(predicate).map((run) => run.key);

  test("nest every run without exclude_expired_course_run, and only runs that have not ended with it", async () => {
    expect(await nestedKeys("", {})).toEqual(keys(() => true));
    expect(await nestedKeys("exclude_expired_course_run=True", {})).toEqual(keys((run) => !ended(run)));
    // Any value counts, "False" too, as discovery only asks whether the parameter is there.
    expect(await nestedKeys("exclude_expired_course_run=False", {})).toEqual(keys((run) => !ended(run)));
  });

  test("keep an ended run whose attribute a request parameter names, so two filters see different runs of one course", async () => {
    const byStatus = await nestedKeys("exclude_expired_course_run=True", { status: "published" });
    expect(byStatus).toEqual(keys((run) => !ended(run) || run.status === "published"));
    expect(byStatus).not.toEqual(await nestedKeys("exclude_expired_course_run=True", {}));
    const archived = await nestedKeys("exclude_expired_course_run=True&availability=Archived", {});
    expect(archived).toEqual(keys(() => true));
    // A parameter that is no run attribute, or a value no run has, keeps nothing.
    expect(await nestedKeys("exclude_expired_course_run=True", { license: "cc-by", no_such_attribute: "published" }))
      .toEqual(keys((run) => !ended(run)));
  });

  test("give seat types of every run, or with exclude_expired_course_run only of runs that have not ended", async () => {
    const execEd = courseWhere((row) => row.type === "verified-audit" && row.course_runs.every(ended));
    const [all] = await everything("", { aggregation_key: `course:${execEd.key}` });
    expect(new Set((all as JsonObject).seat_types as string[])).toEqual(new Set(["audit", "verified"]));
    const [current] = await everything("exclude_expired_course_run=True", { aggregation_key: `course:${execEd.key}` });
    expect((current as JsonObject).seat_types).toEqual([]);
    expect((current as JsonObject).languages).toEqual([]);
  });

  test("show 0 as a free run's nested price, where the run's own record shows null", async () => {
    const free = courseWhere((row) => row.type === "audit" && row.partner === "edx");
    const [record] = await everything("", { aggregation_key: `course:${free.key}` });
    expect(((record as JsonObject).course_runs as JsonObject[]).map((run) => run.first_enrollable_paid_seat_price))
      .toEqual(free.course_runs.map(() => 0));
    const runs = await everything("", { aggregation_key: `courserun:${free.key}` });
    expect(runs.map((run) => run.first_enrollable_paid_seat_price)).toEqual(runs.map(() => null));
  });
});

describe("POST /api/v2/search/all/", () => {
  const filter = { content_type: ["course", "program"] };

  test("walks every hit once by following next, the last request answering an empty page", async () => {
    const all = resultsOf(await search("/api/v2/search/all/?page_size=10000&include_learner_pathways=True", filter));
    const walked: JsonObject[] = [];
    let path: string | null = "/api/v2/search/all/?page_size=25&include_learner_pathways=True";
    let previousSorts: unknown[] = [];
    let requests = 0;
    let last: Answer | undefined;
    while (path !== null) {
      last = await search(path, filter);
      requests++;
      const page = resultsOf(last);
      if (path.includes("search_after")) {
        // The cursor is the last hit's sort, which need not be the last record: records are grouped by type.
        const cursor = JSON.parse(new URL(`${ORIGIN}${path}`).searchParams.get("search_after") as string) as unknown;
        expect(previousSorts).toContainEqual(cursor);
      }
      expect(last.body.count).toBe(all.length);
      walked.push(...page);
      previousSorts = page.map((record) => record.sort);
      path = last.body.next === null ? null : String(last.body.next).slice(ORIGIN.length);
    }
    const uuids = (records: JsonObject[]) => records.map((record) => String(record.aggregation_uuid));
    expect(new Set(uuids(walked)).size).toBe(walked.length);
    expect(uuids(walked).sort()).toEqual(uuids(all).sort());
    expect(requests).toBe(Math.ceil(all.length / 25) + 1);
    expect(resultsOf(last as Answer)).toEqual([]);
  });

  test("adds aggregation_uuid and the hit's sort values to each record", async () => {
    const records = resultsOf(await search("/api/v2/search/all/?page_size=10000", { content_type: "program" }));
    const program = records.find((record) => record.uuid === WELL_KNOWN_PROGRAM_UUID) as JsonObject;
    expect(program.aggregation_uuid).toBe(`program:${WELL_KNOWN_PROGRAM_UUID}`);
    const runs = DATABASE.programs.find((row) => row.uuid === WELL_KNOWN_PROGRAM_UUID)!.courses
      .flatMap((key) => DATABASE.courses.find((course) => course.key === key)!.course_runs);
    const earliest = Math.min(...runs.map((run) => Date.parse(run.start as string)));
    expect(program.sort).toEqual([earliest, program.aggregation_uuid]);
  });

  test("writes the sort value of a record without a start as Elasticsearch's 64-bit minimum, digit for digit", async () => {
    const answer = await search("/api/v2/search/all/?page_size=2&include_learner_pathways=True", { content_type: "learnerpathway" });
    expect(answer.text).toContain('"sort":[-9223372036854775808,"learnerpathway:');
    expect(decodeURIComponent(String(answer.body.next).replaceAll("+", " "))).toContain("search_after=[-9223372036854775808, \"learnerpathway:");
    const next = await search(String(answer.body.next).slice(ORIGIN.length), { content_type: "learnerpathway" });
    expect(resultsOf(next).length).toBeGreaterThan(0);
  });

  test("fails with a 500 for a search_after that is not JSON or does not fit the sort, and past the window", async () => {
    for (const cursor of ["not-json", "%5B1%5D", "%5B%22x%22%2C%22y%22%5D"]) {
      expect((await search(`/api/v2/search/all/?search_after=${cursor}`, filter)).status, cursor).toBe(500);
    }
    const small = createLocalDiscoveryServer({ database: DATABASE, maxResultWindow: 50 });
    expect((await search("/api/v2/search/all/?page_size=50", filter, small)).status).toBe(200);
    expect((await search("/api/v2/search/all/?page_size=51", filter, small)).status).toBe(500);
  });
});

describe("GET /api/v1/courses/", () => {
  const edxCourses = DATABASE.courses.filter((course) => course.partner === "edx" && course.type !== "bootcamp-2u");

  test("lists the courses of the keys in key order with limit/offset pagination", async () => {
    const keys = edxCourses.slice(0, 5).map((course) => course.key);
    const first = await call(`/api/v1/courses/?keys=${encodeURIComponent(keys.join(","))}&ordering=key&limit=2`);
    expect(Object.keys(first.body)).toEqual(["count", "next", "previous", "results"]);
    expect(first.body.count).toBe(5);
    expect(resultsOf(first).map((course) => course.key)).toEqual([...keys].sort().slice(0, 2));
    const next = new URL(String(first.body.next));
    expect([...next.searchParams.keys()]).toEqual(["keys", "limit", "offset", "ordering"]);
    expect(next.searchParams.get("offset")).toBe("2");
    const last = await call(`/api/v1/courses/?keys=${encodeURIComponent(keys.join(","))}&limit=2&offset=4`);
    expect(resultsOf(last).map((course) => course.key)).toEqual([[...keys].sort()[4]]);
    expect(last.body.next).toBeNull();
    expect(new URL(String(last.body.previous)).searchParams.get("offset")).toBe("2");
  });

  test("pages by number when page is given, and by 20 from offset 0 when nothing is", async () => {
    const paged = await call("/api/v1/courses/?page=2&page_size=10");
    expect(resultsOf(paged).map((course) => course.key)).toEqual(edxCourses.map((course) => course.key).sort().slice(10, 20));
    expect(paged.body.next).toBe(`${ORIGIN}/api/v1/courses/?page=3&page_size=10`);
    const plain = await call("/api/v1/courses/");
    expect(resultsOf(plain)).toHaveLength(20);
    expect(plain.body.count).toBe(edxCourses.length);
    expect(plain.body.next).toBe(`${ORIGIN}/api/v1/courses/?limit=20&offset=20`);
  });

  test("leaves out hidden runs, retired course types and other partners' courses unless asked", async () => {
    const hidden = courseWhere((course) => course.partner === "edx" && course.type !== "bootcamp-2u" && course.course_runs.some((run) => run.hidden));
    const runKeys = async (query: string) =>
      ((resultsOf(await call(`/api/v1/courses/?keys=${encodeURIComponent(hidden.key)}${query}`))[0] as JsonObject).course_runs as JsonObject[])
        .map((run) => run.key);
    expect(await runKeys("")).toEqual(hidden.course_runs.filter((run) => !run.hidden).map((run) => run.key));
    expect(await runKeys("&include_hidden_course_runs=1")).toEqual(hidden.course_runs.map((run) => run.key));
    const bootcamp = courseWhere((course) => course.type === "bootcamp-2u" && course.partner === "edx");
    expect(resultsOf(await call(`/api/v1/courses/?keys=${encodeURIComponent(bootcamp.key)}`))).toEqual([]);
    expect(resultsOf(await call(`/api/v1/courses/?keys=${encodeURIComponent(bootcamp.key)}&include_retired_course_types=1`))).toHaveLength(1);
    const other = courseWhere((course) => course.partner === "openedx");
    expect(resultsOf(await call(`/api/v1/courses/?keys=${encodeURIComponent(other.key)}`))).toEqual([]);
  });

  test("answers 500 for a flag that is not an integer, as discovery's int() cast fails", async () => {
    expect((await call("/api/v1/courses/?include_hidden_course_runs=True")).status).toBe(500);
  });

  test("gives runs with uuids, seats and marketability, and the advertised run's uuid", async () => {
    const courses = resultsOf(await call("/api/v1/courses/?limit=10000"));
    let advertised = 0;
    for (const course of courses) {
      const runs = course.course_runs as JsonObject[];
      const uuid = course.advertised_course_run_uuid;
      if (uuid === null) {
        expect(runs.some((run) => run.is_marketable === true), String(course.key)).toBe(false);
        continue;
      }
      advertised++;
      expect(runs.find((run) => run.uuid === uuid)?.is_marketable, String(course.key)).toBe(true);
    }
    expect(advertised).toBeGreaterThan(courses.length / 2);
    const starts = courses.flatMap((course) => [(course.course_runs as JsonObject[]).map((run) => String(run.start))]);
    expect(starts.every((list) => list.join() === [...list].sort().join())).toBe(true);
  });

  test("gives executive education its paid entitlement, its product source as an object and fixed USD prices", async () => {
    const execEd = courseWhere((course) => course.type === "executive-education-2u");
    const [record] = resultsOf(await call(`/api/v1/courses/?keys=${encodeURIComponent(execEd.key)}`));
    expect((record as JsonObject).entitlements).toEqual([{ ...execEd.entitlements[0], expires: null }]);
    expect((record as JsonObject).product_source).toEqual({ name: "2U", slug: "2u", description: expect.any(String) });
    for (const run of (record as JsonObject).course_runs as JsonObject[]) {
      expect(run.fixed_price_usd).toBe(execEd.entitlements[0]?.price);
      expect((run.seats as JsonObject[]).map((seat) => seat.type)).toEqual(["paid-executive-education"]);
    }
  });

  test("appends the caller's utm parameters to marketing URLs unless exclude_utm", async () => {
    const key = encodeURIComponent((edxCourses[0] as CourseRow).key);
    const [withUtm] = resultsOf(await call(`/api/v1/courses/?keys=${key}`));
    expect(String((withUtm as JsonObject).marketing_url)).toMatch(/\?utm_source=enterprise_catalog_worker&utm_medium=affiliate_partner$/);
    const [without] = resultsOf(await call(`/api/v1/courses/?keys=${key}&exclude_utm=1`));
    expect(String((without as JsonObject).marketing_url)).not.toContain("?");
  });
});

describe("GET /api/v1/programs/", () => {
  test("lists the programs of the uuids, with extended fields only when extended is given", async () => {
    const uuids = DATABASE.programs.slice(0, 3).map((program) => program.uuid);
    const extended = resultsOf(await call(`/api/v1/programs/?uuids=${uuids.join(",")}&extended=True&ordering=key&limit=200`));
    expect(extended.map((program) => program.uuid)).toEqual(uuids);
    expect(extended.every((program) => "price_ranges" in program && "expected_learning_items" in program)).toBe(true);
    const minimal = resultsOf(await call(`/api/v1/programs/?uuids=${uuids.join(",")}`));
    expect(minimal.some((program) => "price_ranges" in program)).toBe(false);
  });

  test("nests each course of the program with its runs, less the runs the program leaves out", async () => {
    const database = generateDiscoveryDatabase({ courses: 1000, seed: 5 });
    const program = database.programs.find((row) => row.excluded_course_runs.length > 0 && row.partner === "edx");
    if (program === undefined) throw new Error("The test database has no program that leaves a run out");
    const [record] = resultsOf(await call(`/api/v1/programs/?uuids=${program.uuid}`, {}, createLocalDiscoveryServer({ database })));
    const courses = (record as JsonObject).courses as JsonObject[];
    expect(courses.map((course) => course.key).sort()).toEqual([...program.courses].sort());
    const runKeys = courses.flatMap((course) => (course.course_runs as JsonObject[]).map((run) => run.key));
    const expected = program.courses.flatMap((key) => database.courses.find((course) => course.key === key)!.course_runs)
      .map((run) => run.key).filter((key) => !program.excluded_course_runs.includes(key));
    expect(program.excluded_course_runs.every((key) => !runKeys.includes(key))).toBe(true);
    expect(runKeys.sort()).toEqual(expected.sort());
  });
});

describe("GET /api/v1/course_review/", () => {
  test("pages every review in course key order, 20 a page by default", async () => {
    const first = await call("/api/v1/course_review/");
    expect(first.body.count).toBe(DATABASE.reviews.length);
    expect(resultsOf(first)).toHaveLength(20);
    expect(first.body.next).toBe(`${ORIGIN}/api/v1/course_review/?page=2`);
    const all = resultsOf(await call("/api/v1/course_review/?page_size=10000"));
    expect(all.map((review) => review.course_key)).toEqual(DATABASE.reviews.map((review) => review.course_key).sort());
    expect(new Set(all.map((review) => review.most_common_goal)))
      .toEqual(new Set(["Change careers", "Job advancement", "Learn valuable skills", "Learn for fun"]));
  });
});

describe("LocalDiscoveryServerOptions.now", () => {
  test("judges availability at the database's reference date by default and at `now` when given", async () => {
    const course = courseWhere((row) => row.partner === "edx" && row.type === "verified-audit" && row.course_runs.some((run) => !ended(run)));
    const availability = async (options: LocalDiscoveryServerOptions) =>
      (await everything("", { aggregation_key: `courserun:${course.key}` }, createLocalDiscoveryServer({ database: DATABASE, ...options })))
        .map((run) => run.availability);
    expect(await availability({})).toContain("Current");
    expect(await availability({ now: "2099-01-01T00:00:00Z" })).toEqual(course.course_runs.map(() => "Archived"));
  });
});
