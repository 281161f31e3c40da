/**
 * The DiscoveryClient contract: what every adapter must do, whatever it talks to. Every adapter
 * reads a discovery serving the same small generated database. The expectations are what that
 * discovery answers to one plain request per filter or endpoint, in a single page: no paging, no
 * batching, no client. What a filter means is the discovery's business (see the local discovery
 * server's own tests); getting all of it, and nothing else, is the adapter's.
 */
import { describe, expect, test } from "vitest";
import type { DiscoveryDatabase } from "../../adapters/discovery_local/discovery_database.ts";
import { contentFilterFromValue } from "../../src/catalog/content_filter.ts";
import { isJsonObject, type JsonObject, type JsonValue } from "../../src/json.ts";
import type {
  DiscoveryClient,
  DiscoveryEndpoint,
  DiscoveryRequestEvent,
} from "../../src/ports/discovery_client.ts";
import { generateDiscoveryDatabase } from "../../tools/discovery_corpus/generate_database.ts";

/** The database the discovery behind every adapter under contract serves: a few hundred search records. */
export const CONTRACT_DATABASE: DiscoveryDatabase = generateDiscoveryDatabase({ courses: 160, seed: 42 });

/** Example filters of the reference (§4.3 A–D) plus edge cases, by name. */
export const CONTRACT_FILTERS: Readonly<Record<string, JsonObject>> = {
  "A: open courses of one partner": {
    content_type: "course",
    partner: "edx",
    level_type: ["Introductory", "Intermediate", "Advanced"],
    availability: ["Current", "Starting Soon", "Upcoming"],
    status: "published",
  },
  "B: curated courses and a program": {
    content_type: ["course", "program"],
    aggregation_key: ["course:edX+DemoX", "course:MITx+6.00.1x", "program:a3951294-926b-4247-8c3c-51c1e4347a15"],
  },
  "C: two organisations without exec-ed and one bad course": {
    content_type: "course",
    partner: "edx",
    org: ["HarvardX", "MITx"],
    course_type__exclude: "executive-education-2u",
    aggregation_key__exclude: "course:MITx+OLD101x",
  },
  "D: cheap running course runs": {
    content_type: "courserun",
    partner: "edx",
    availability: ["Current", "Starting Soon"],
    first_enrollable_paid_seat_price__lte: "199",
    published: true,
  },
  "every course run": { content_type: "courserun" },
  "runs of one course by key": { content_type: "courserun", key: "edX+DemoX" },
  "learner pathways": { content_type: "learnerpathway" },
};

/** A search record's type and key (runs, courses) or uuid (programs, pathways). */
function identity(record: JsonObject): string {
  return `${String(record.content_type)}:${String(record.key ?? record.uuid)}`;
}

/** The records sorted by identity, to compare result sets whatever order the API paged them in. */
function byIdentity(records: readonly JsonObject[]): JsonObject[] {
  return [...records].sort((a, b) => (identity(a) < identity(b) ? -1 : identity(a) > identity(b) ? 1 : 0));
}

/** An adapter under contract and the discovery it reads. */
export interface DiscoveryContractSubject {
  readonly client: DiscoveryClient;
  /** The discovery behind the client, answering single requests: where the contract reads what it holds. */
  readonly discovery: (request: Request) => Promise<Response>;
}

/** What the discovery behind an adapter holds: every full record, and the search results of a filter. */
interface DiscoveryHoldings {
  /** `search/all` for the filter in one page, with the query every search sends (and `include_restricted`, when given). */
  search(filter: JsonObject, includeRestricted?: string): Promise<JsonObject[]>;
  /** `/courses` of these keys in one page, with `include_restricted`. */
  restrictedCourses(keys: readonly string[], includeRestricted: string): Promise<JsonObject[]>;
  /** Every `/courses` record of the database's course keys. */
  readonly courses: readonly JsonObject[];
  /** Every `/programs?extended=True` record of the database's program uuids. */
  readonly programs: readonly JsonObject[];
  /** The whole `/course_review` table. */
  readonly reviews: readonly JsonObject[];
}

/** More than any list of the contract database holds: every answer is one page. */
const ONE_PAGE = 100_000;

/** Reads everything from discovery in one request per endpoint. */
async function holdingsOf(discovery: DiscoveryContractSubject["discovery"]): Promise<DiscoveryHoldings> {
  const all = async (path: string, query: Record<string, string | readonly string[]>, body?: JsonObject) => {
    const url = new URL(path, "http://discovery.contract");
    for (const [name, value] of Object.entries(query)) {
      for (const item of Array.isArray(value) ? value : [value]) url.searchParams.append(name, String(item));
    }
    const init: RequestInit = body === undefined
      ? {}
      : { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) };
    const response = await discovery(new Request(url, init));
    expect(response.status, `${path} answers`).toBe(200);
    const page: unknown = await response.json();
    expect(isJsonObject(page) && page.next === null && Array.isArray(page.results), `${path} answers in one page`).toBe(true);
    return ((page as JsonObject).results as JsonValue[]).filter(isJsonObject);
  };
  return {
    search: (filter, includeRestricted) => all("/api/v1/search/all/", {
      exclude_expired_course_run: "True",
      include_learner_pathways: "True",
      page_size: String(ONE_PAGE),
      ...(includeRestricted === undefined ? {} : { include_restricted: includeRestricted }),
    }, filter),
    restrictedCourses: (keys, includeRestricted) => all("/api/v1/courses/", {
      keys: keys.join(","), ordering: "key", limit: String(ONE_PAGE), include_restricted: includeRestricted,
    }),
    courses: await all("/api/v1/courses/", {
      keys: CONTRACT_DATABASE.courses.map((course) => course.key).join(","),
      ordering: "key",
      limit: String(ONE_PAGE),
    }),
    programs: await all("/api/v1/programs/", {
      uuids: CONTRACT_DATABASE.programs.map((program) => program.uuid).join(","),
      extended: "True",
      ordering: "uuid",
      limit: String(ONE_PAGE),
    }),
    reviews: await all("/api/v1/course_review/", { page_size: String(ONE_PAGE) }),
  };
}

/** Keys and uuids no discovery holds, with the characters course keys use. */
const ABSENT_COURSE_KEYS = ["edX+NoSuchCourseX", "Org/NoSuch/2020", "course-v1:edX+NoSuch+1T2026"];
const ABSENT_PROGRAM_UUIDS = ["00000000-0000-4000-8000-000000000000"];
/** The port's batch: at most this many keys or uuids per request. */
const KEYS_PER_REQUEST = 50;

/** The `field` of every record, sorted: what a set of full records is made of. */
function fieldsOf(records: readonly JsonObject[], field: string): string[] {
  return records.map((record) => String(record[field])).sort();
}

/** Records by their `field`, for comparing whole records whatever their order. */
function byField(records: readonly JsonObject[], field: string): Map<string, JsonObject> {
  return new Map(records.map((record) => [String(record[field]), record]));
}

/** The requests a call reported, as "endpoint:outcome". */
function reported(events: readonly DiscoveryRequestEvent[]): string[] {
  return events.map((event) => `${event.endpoint}:${event.outcome}`);
}

/** Calls `call` with events collected; checks that each names `endpoint` and that `requests` counts them. */
async function observed<T extends { readonly requests: number }>(
  endpoint: DiscoveryEndpoint,
  call: (options: { onRequest: (event: DiscoveryRequestEvent) => void }) => Promise<T>,
): Promise<T & { events: DiscoveryRequestEvent[] }> {
  const events: DiscoveryRequestEvent[] = [];
  const result = await call({ onRequest: (event) => events.push(event) });
  expect(new Set(events.map((event) => event.endpoint))).toEqual(new Set([endpoint]));
  expect(result.requests).toBe(events.length);
  return { ...result, events };
}

/**
 * Runs the DiscoveryClient contract against one adapter. `makeSubject` gives the adapter and the
 * discovery behind it, which serves CONTRACT_DATABASE with discovery's own limits.
 */
export function describeDiscoveryClientContract(
  name: string,
  makeSubject: () => DiscoveryContractSubject | Promise<DiscoveryContractSubject>,
): void {
  describe(`${name} satisfies the DiscoveryClient contract`, () => {
    /** The subject and what its discovery holds, read once per subject. */
    async function subject(): Promise<{ client: DiscoveryClient; holdings: DiscoveryHoldings }> {
      const made = await makeSubject();
      return { client: made.client, holdings: await holdingsOf(made.discovery) };
    }

    for (const [label, value] of Object.entries(CONTRACT_FILTERS)) {
      test(`searchAll() returns the complete result set across pages for ${label}`, async () => {
        const { client, holdings } = await subject();
        const result = await observed("search", (options) => client.searchAll(contentFilterFromValue(value), options));
        const expected = await holdings.search(value);
        expect(expected.length, "the database should hold matches for every contract filter").toBeGreaterThan(0);
        expect(byIdentity(result.records).map(identity)).toEqual(byIdentity(expected).map(identity));
        expect(byIdentity(result.records)).toEqual(byIdentity(expected));
        expect(result.count).toBe(result.records.length);
        expect(reported(result.events).filter((event) => event === "search:ok").length)
          .toBeGreaterThanOrEqual(Math.max(1, Math.ceil(result.count / 100)));
      });
    }

    test("searchAll() and fetchCourses() include the restricted runs of the types asked for, and only then", async () => {
      const { client, holdings } = await subject();
      const runs = { content_type: "courserun" };
      const included = await client.searchAll(contentFilterFromValue(runs), { includeRestricted: ["custom-b2b-enterprise"] });
      const expected = await holdings.search(runs, "custom-b2b-enterprise");
      expect(byIdentity(included.records)).toEqual(byIdentity(expected));
      const restricted = included.records.filter((record) => record.restriction_type === "custom-b2b-enterprise");
      expect(restricted.length, "the contract database holds B2B runs").toBeGreaterThan(0);
      expect(included.records.some((record) => record.restriction_type === "custom-b2c")).toBe(false);
      const plain = await client.searchAll(contentFilterFromValue(runs));
      expect(plain.records.some((record) => record.restriction_type !== null)).toBe(false);

      const keys = [...new Set(restricted.map((record) => String(record.aggregation_key).slice("courserun:".length)))];
      const courses = await client.fetchCourses(keys, { includeRestricted: ["custom-b2b-enterprise"] });
      expect(byField(courses.records, "key")).toEqual(byField(await holdings.restrictedCourses(keys, "custom-b2b-enterprise"), "key"));
      const runKeys = (records: readonly JsonObject[]) => records.flatMap((course) => (course.course_runs as JsonObject[]).map((run) => String(run.key)));
      expect(runKeys(courses.records)).toEqual(expect.arrayContaining(restricted.map((record) => String(record.key))));
      const restrictedKeys = new Set(restricted.map((record) => String(record.key)));
      expect(runKeys((await client.fetchCourses(keys)).records).filter((key) => restrictedKeys.has(key))).toEqual([]);
    });

    test("searchAll() follows more than one page when the result is larger than a page", async () => {
      const { client } = await subject();
      const result = await client.searchAll(contentFilterFromValue({ content_type: ["course", "courserun"] }));
      expect(result.count).toBeGreaterThan(300);
      expect(result.records).toHaveLength(result.count);
      expect(new Set(result.records.map(identity)).size).toBe(result.count);
      expect(result.requests).toBeGreaterThanOrEqual(Math.ceil(result.count / 100));
    });

    test("searchAll() returns zero records for a filter matching nothing, after at least one request", async () => {
      const { client } = await subject();
      const result = await client.searchAll(contentFilterFromValue({ content_type: "course", org: "NoSuchOrgX" }));
      expect(result.records).toEqual([]);
      expect(result.count).toBe(0);
      expect(result.requests).toBeGreaterThanOrEqual(1);
    });

    test("fetchCourses() returns the full record of every key discovery holds, once, and nothing for the others", async () => {
      const { client, holdings } = await subject();
      expect(holdings.courses.length, "the contract needs more than two batches of courses").toBeGreaterThan(2 * KEYS_PER_REQUEST);
      const known = fieldsOf(holdings.courses, "key").slice(0, 2 * KEYS_PER_REQUEST + 7);
      const asked = [...known, ...ABSENT_COURSE_KEYS, known[0] as string];
      const result = await observed("courses", (options) => client.fetchCourses(asked, options));
      expect(fieldsOf(result.records, "key")).toEqual(known);
      const held = byField(holdings.courses, "key");
      for (const record of result.records) expect(record).toEqual(held.get(String(record.key)));
    });

    test("fetchCourses() asks for at most 50 keys a request", async () => {
      const { client, holdings } = await subject();
      const keys = fieldsOf(holdings.courses, "key").slice(0, 2 * KEYS_PER_REQUEST + 1);
      const result = await observed("courses", (options) => client.fetchCourses(keys, options));
      expect(reported(result.events).filter((event) => event === "courses:ok").length).toBeGreaterThanOrEqual(3);
    });

    test("fetchCourses() returns nothing for no keys, or for keys discovery does not hold", async () => {
      const { client } = await subject();
      expect((await client.fetchCourses([])).records).toEqual([]);
      expect((await client.fetchCourses(ABSENT_COURSE_KEYS)).records).toEqual([]);
    });

    test("fetchPrograms() returns the full record of every uuid discovery holds, at most 50 a request", async () => {
      const { client, holdings } = await subject();
      const known = fieldsOf(holdings.programs, "uuid");
      expect(known.length).toBeGreaterThan(0);
      const result = await observed("programs", (options) => client.fetchPrograms([...ABSENT_PROGRAM_UUIDS, ...known], options));
      expect(fieldsOf(result.records, "uuid")).toEqual(known);
      const held = byField(holdings.programs, "uuid");
      for (const record of result.records) expect(record).toEqual(held.get(String(record.uuid)));
      expect(reported(result.events).filter((event) => event === "programs:ok").length)
        .toBeGreaterThanOrEqual(Math.ceil((known.length + 1) / KEYS_PER_REQUEST));
    });

    test("fetchCourseReviews() returns the whole review table", async () => {
      const { client, holdings } = await subject();
      expect(holdings.reviews.length).toBeGreaterThan(0);
      const result = await observed("reviews", (options) => client.fetchCourseReviews(options));
      expect(fieldsOf(result.records, "course_key")).toEqual(fieldsOf(holdings.reviews, "course_key"));
      const held = byField(holdings.reviews, "course_key");
      for (const record of result.records) expect(record).toEqual(held.get(String(record.course_key)));
    });

    test("every method rejects with the signal's reason when the signal is already aborted", async () => {
      const { client, holdings } = await subject();
      const reason = new Error("caller gave up");
      const signal = AbortSignal.abort(reason);
      await expect(client.searchAll(contentFilterFromValue({ content_type: "course" }), { signal })).rejects.toBe(reason);
      await expect(client.fetchCourses(fieldsOf(holdings.courses, "key").slice(0, 3), { signal })).rejects.toBe(reason);
      await expect(client.fetchPrograms(fieldsOf(holdings.programs, "uuid").slice(0, 3), { signal })).rejects.toBe(reason);
      await expect(client.fetchCourseReviews({ signal })).rejects.toBe(reason);
    });
  });
}
