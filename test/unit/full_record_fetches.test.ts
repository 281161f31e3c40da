import { describe, expect, it } from "vitest";
import { UpstreamUnavailableError } from "../../src/errors.ts";
import { FullRecordFetches } from "../../src/refresh/full_record_fetches.ts";
import { fullCourse, ScriptedDiscovery } from "../helpers/scripted_discovery.ts";

function setup() {
  const discovery = new ScriptedDiscovery().fullCourses(fullCourse("edX+A"), fullCourse("edX+B"), fullCourse("edX+C"));
  let now = Date.parse("2026-11-01T00:00:00Z");
  const fetches = new FullRecordFetches({ discovery, clock: { now: () => new Date(now) } }, { reviewsReuseMs: 1000 });
  return { discovery, fetches, advance: (ms: number) => (now += ms) };
}

describe("FullRecordFetches", () => {
  it("asks discovery once for records two refreshes under way want, and only for what the second adds", async () => {
    const t = setup();
    const first = t.fetches.open({});
    const second = t.fetches.open({});
    const [a, b] = await Promise.all([first.courses(["edX+A", "edX+B"]), second.courses(["edX+B", "edX+C", "edX+Gone"])]);
    expect([...a.keys()]).toEqual(["edX+A", "edX+B"]);
    expect([...b.keys()]).toEqual(["edX+B", "edX+C"]);
    // The first refresh has fetched and not yet committed: a third one takes its records too.
    await t.fetches.open({}).courses(["edX+A", "edX+Gone"]);
    expect(t.discovery.fetched.courses).toEqual(["edX+A", "edX+B", "edX+C", "edX+Gone"]);
  });

  it("lets go of a refresh's records when it closes, so that later refreshes go by the stored rows", async () => {
    const t = setup();
    const first = t.fetches.open({});
    await first.courses(["edX+A"]);
    first.close();
    await t.fetches.open({}).courses(["edX+A"]);
    expect(t.discovery.fetched.courses).toEqual(["edX+A", "edX+A"]);
  });

  it("shares no failed fetch: the next refresh asks again", async () => {
    const t = setup();
    t.discovery.failEndpoint("courses");
    await expect(t.fetches.open({}).courses(["edX+A"])).rejects.toThrow(UpstreamUnavailableError);
    t.discovery.failEndpoint("courses", false);
    expect([...(await t.fetches.open({}).courses(["edX+A"])).keys()]).toEqual(["edX+A"]);
    expect(t.discovery.fetched.courses).toEqual(["edX+A", "edX+A"]);
  });

  it("reports every request to the session that made it", async () => {
    const t = setup();
    const events: string[] = [];
    await t.fetches.open({ onRequest: (event) => events.push(event.endpoint) }).courses(["edX+A"]);
    await t.fetches.open({ onRequest: (event) => events.push(`other ${event.endpoint}`) }).courses(["edX+A"]);
    expect(events).toEqual(["courses"]);
  });

  it("downloads the review table once per reuse window", async () => {
    const t = setup();
    t.discovery.reviews({ course_key: "edX+A", reviews_count: 3, avg_course_rating: 4 });
    const [a, b] = await Promise.all([t.fetches.open({}).reviews(), t.fetches.open({}).reviews()]);
    expect(a).toBe(b);
    expect(a.get("edX+A")?.reviews_count).toBe(3);
    t.advance(1001);
    await t.fetches.open({}).reviews();
    expect(t.discovery.fetched.reviews).toEqual(["*", "*"]);
  });
});
