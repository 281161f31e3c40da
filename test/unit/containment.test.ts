/** The containment rule itself, on hand-made content (the adapters' agreement is in `test/persistence/containment_properties.test.ts`). */
import { describe, expect, it } from "vitest";
import { type ContentMetadata, type ContentRecord, contentRecordFromDiscovery } from "../../src/content/content_metadata.ts";
import {
  type AllowedRestrictedRuns,
  bestMatch,
  listedRunKeys,
  type MatchKind,
  matchWay,
  type RequestedKey,
  requestedKeys,
  type StoredContent,
  storedCourseOf,
  storedCourseRun,
} from "../../src/content/containment.ts";
import type { JsonObject } from "../../src/json.ts";

const T0 = new Date("2026-01-01T00:00:00Z");

function row(raw: JsonObject): ContentMetadata {
  const { searchFingerprint: _s, enrichedAt: _e, ...content } = contentRecordFromDiscovery(raw) as ContentRecord;
  return { ...content, modified: T0 };
}

const COURSE = row({
  content_type: "course", key: "MITx+6", uuid: "5d2e6c84-5b8b-4b0a-9f5e-3c1d2e6f7a80",
  course_runs: [
    { key: "course-v1:MITx+6+1T", seats: [{ type: "verified" }] },
    { key: "course-v1:MITx+6+2T", seats: [{ type: "audit" }] },
    { key: "course-v1:MITx+6+3T" },
    "course-v1:MITx+6+4T",
    { key: 5 },
    { title: "no key" },
  ],
});
const STORED_RUN = row({ content_type: "courserun", key: "course-v1:MITx+6+1T", aggregation_key: "courserun:MITx+6" });
const RUN_OF_OTHER_COURSE = row({ content_type: "courserun", key: "course-v1:MITx+6+3T", aggregation_key: "courserun:Other+1" });
const OLD_STYLE_RUN = row({ content_type: "courserun", key: "MITx/6/2012_Fall", aggregation_key: "courserun:MITx+6" });
const PROGRAM = row({ content_type: "program", uuid: "a3951294-926b-4247-8c3c-51c1e4347a15" });
/** Not a course, though it has `course_runs`. */
const PATHWAY = row({ content_type: "learnerpathway", key: "Path+1", course_runs: [{ key: "course-v1:Path+1+1T" }] });

const CONTENT = new Map([COURSE, STORED_RUN, RUN_OF_OTHER_COURSE, OLD_STYLE_RUN, PROGRAM, PATHWAY].map((item) => [item.contentKey, item]));
const stored: StoredContent = (key) => CONTENT.get(key);

/** A key as the rule sees it over `CONTENT`. */
function asked(key: string): RequestedKey {
  return requestedKeys([key], stored)[0] as RequestedKey;
}

describe("storedCourseOf()", () => {
  it("is a stored run's parent, whatever its key says", () => {
    expect(storedCourseOf("course-v1:MITx+6+1T", stored)).toBe("MITx+6");
    expect(storedCourseOf("MITx/6/2012_Fall", stored)).toBe("MITx+6");
    // Its row names another course: the course record listing it does not count.
    expect(storedCourseOf("course-v1:MITx+6+3T", stored)).toBe("Other+1");
  });

  it("is, for a run with no row, the course its key names when that course's record lists it", () => {
    expect(storedCourseOf("course-v1:MITx+6+2T", stored)).toBe("MITx+6");
  });

  it("is null for a run the course does not list, for entries that name no run, and for content that is no run", () => {
    expect(storedCourseOf("course-v1:MITx+6+9T", stored)).toBeNull();
    expect(storedCourseOf("course-v1:MITx+6+4T", stored)).toBeNull();
    expect(storedCourseOf("course-v1:Nobody+1+1T", stored)).toBeNull();
    expect(storedCourseOf("MITx+6", stored)).toBeNull();
    expect(storedCourseOf("course-v1:Path+1+1T", stored)).toBeNull();
  });
});

describe("matchWay()", () => {
  const keys = ["MITx+6", "course-v1:MITx+6+1T", "course-v1:MITx+6+2T", "course-v1:MITx+6+9T"];
  const ways = (kind: MatchKind) => [COURSE, STORED_RUN].map((item) => keys.map((key) => matchWay(item, asked(key), kind) ?? null));

  it("under contains, matches the key itself, the course of a requested run (stored or listed) and the runs of a requested course", () => {
    expect(ways("contains")).toEqual([
      ["same_key", "course_of_run", "course_of_run", null],
      ["run_of_course", "same_key", null, null],
    ]);
  });

  it("under filter, never matches a run through its course", () => {
    expect(ways("filter")).toEqual([
      ["same_key", null, null, null],
      ["run_of_course", "same_key", null, null],
    ]);
  });

  it("matches a program on its own uuid only", () => {
    expect(matchWay(PROGRAM, asked(PROGRAM.contentKey), "contains")).toBe("same_key");
    expect(matchWay(PROGRAM, asked("MITx+6"), "contains")).toBeUndefined();
  });

  it("under contains_with_restricted only, matches the course of a restricted run its query allows, and nothing else through it", () => {
    const allowed: AllowedRestrictedRuns = (runKey) => (runKey === "course-v1:MITx+6+B2B" ? "MITx+6" : undefined);
    const restricted = asked("course-v1:MITx+6+B2B");
    expect(matchWay(COURSE, restricted, "contains_with_restricted", allowed)).toBe("course_of_restricted_run");
    expect(matchWay(COURSE, restricted, "contains", allowed)).toBeUndefined();
    expect(matchWay(COURSE, restricted, "filter", allowed)).toBeUndefined();
    expect(matchWay(COURSE, restricted, "contains_with_restricted")).toBeUndefined();
    expect(matchWay(STORED_RUN, restricted, "contains_with_restricted", allowed)).toBeUndefined();
    // Every other key matches as under contains.
    expect(keys.map((key) => matchWay(COURSE, asked(key), "contains_with_restricted", allowed) ?? null)).toEqual(ways("contains")[0]);
  });
});

describe("bestMatch()", () => {
  it("takes the best way first and keeps the given order among equals", () => {
    expect(bestMatch([COURSE, STORED_RUN], asked("course-v1:MITx+6+1T"), "contains")).toBe(STORED_RUN);
    expect(bestMatch([STORED_RUN, COURSE], asked("course-v1:MITx+6+2T"), "contains")).toBe(COURSE);
    expect(bestMatch([OLD_STYLE_RUN, STORED_RUN], asked("MITx+6"), "contains")).toBe(OLD_STYLE_RUN);
    expect(bestMatch([PROGRAM], asked("MITx+6"), "contains")).toBeUndefined();
  });
});

describe("storedCourseRun()", () => {
  it("is a run's own row, else its entry in the course that lists it, else nothing", () => {
    expect(storedCourseRun("course-v1:MITx+6+1T", stored)).toEqual({ record: STORED_RUN.jsonMetadata, courseKey: "MITx+6", row: STORED_RUN, nested: false });
    expect(storedCourseRun("course-v1:MITx+6+2T", stored)).toEqual({
      record: { key: "course-v1:MITx+6+2T", seats: [{ type: "audit" }] }, courseKey: "MITx+6", row: COURSE, nested: true,
    });
    expect(storedCourseRun("course-v1:MITx+6+9T", stored)).toBeUndefined();
    expect(storedCourseRun("MITx+6", stored)).toBeUndefined();
  });
});

describe("listedRunKeys()", () => {
  it("lists the string keys of a course's run entries, and nothing for other content", () => {
    expect(listedRunKeys(COURSE)).toEqual(["course-v1:MITx+6+1T", "course-v1:MITx+6+2T", "course-v1:MITx+6+3T"]);
    expect(listedRunKeys(PATHWAY)).toEqual([]);
    expect(listedRunKeys({ ...COURSE, jsonMetadata: { course_runs: { key: "course-v1:MITx+6+1T" } } })).toEqual([]);
  });
});
