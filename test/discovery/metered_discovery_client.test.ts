import { http, HttpResponse } from "msw";
import { setupServer } from "msw/node";
import { afterAll, afterEach, beforeAll, describe, expect, test } from "vitest";
import { HttpDiscoveryClient } from "../../adapters/discovery_http/http_discovery_client.ts";
import { MeteredDiscoveryClient, ServiceMetrics } from "../../adapters/metrics.ts";
import { contentFilterFromValue } from "../../src/catalog/content_filter.ts";
import type { DiscoveryRequestEvent } from "../../src/ports/discovery_client.ts";
import { DISCOVERY_URL, fullCourse, fullProgram, handMadeDiscovery, review, searchCourse } from "./hand_made_discovery.ts";

const COURSES = Array.from({ length: 60 }, (_, i) => fullCourse(`edX+M${i}`));
const PROGRAM = fullProgram("Metered");
const server = setupServer();

beforeAll(() => server.listen({ onUnhandledFrame: "error" }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

/** The value of one series of the scrape, or undefined when it is absent. */
function series(text: string, name: string, labels: string): number | undefined {
  const line = text.split("\n").find((entry) => entry.startsWith(`${name}{${labels}}`));
  return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(" ") + 1));
}

describe("MeteredDiscoveryClient", () => {
  test("counts the requests of every method by endpoint and outcome, and still reports them to the caller", async () => {
    server.use(...handMadeDiscovery({
      search: () => [searchCourse("edX+M0")],
      courses: COURSES,
      programs: [PROGRAM],
      reviews: [review("edX+M0")],
    }));
    server.use(http.get(`${DISCOVERY_URL}/api/v1/course_review/`, () => new HttpResponse(null, { status: 503 }), { once: true }));
    const metrics = new ServiceMetrics({ processMetrics: false });
    const inner = new HttpDiscoveryClient({ baseUrl: DISCOVERY_URL, sleep: () => Promise.resolve() });
    const client = new MeteredDiscoveryClient(inner, metrics);
    const events: DiscoveryRequestEvent[] = [];
    const onRequest = (event: DiscoveryRequestEvent) => events.push(event);
    await client.searchAll(contentFilterFromValue({ content_type: "course" }), { onRequest });
    await client.fetchCourses(COURSES.map((course) => String(course.key)), { onRequest });
    await client.fetchPrograms([String(PROGRAM.uuid)], { onRequest });
    await client.fetchCourseReviews({ onRequest });
    const { text } = await metrics.scrape();
    const total = "catalog_discovery_requests_total";
    expect(series(text, total, 'endpoint="search",outcome="ok"')).toBe(1);
    expect(series(text, total, 'endpoint="courses",outcome="ok"')).toBe(2);
    expect(series(text, total, 'endpoint="programs",outcome="ok"')).toBe(1);
    expect(series(text, total, 'endpoint="reviews",outcome="retry"')).toBe(1);
    expect(series(text, total, 'endpoint="reviews",outcome="ok"')).toBe(1);
    expect(series(text, "catalog_discovery_request_duration_seconds_count", 'endpoint="courses",outcome="ok"')).toBe(2);
    expect(events.map((event) => `${event.endpoint}:${event.outcome}`)).toEqual([
      "search:ok", "courses:ok", "courses:ok", "programs:ok", "reviews:retry", "reviews:ok",
    ]);
  });
});
