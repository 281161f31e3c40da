import { describe, expect, it } from "vitest";
import type { ContentType } from "../../src/content/content_metadata.ts";
import { authoringOrganizations, courseRunStatuses, hasOnlyArchivedRuns, highlightCardImageUrl } from "../../src/curation/highlight_fields.ts";
import type { JsonObject } from "../../src/json.ts";

const ORG = { uuid: "org-1", key: "MITx", name: "MIT", logo_image_url: "https://img.example/mit.png", certificate_logo_image_url: null };
/** A record holding every field any content type's derived values might read. */
const EVERYTHING: JsonObject = {
  image_url: "https://img.example/image.jpg",
  card_image_url: "https://img.example/card.jpg",
  card_image: { card: { url: "https://img.example/pathway-card.jpg" } },
  owners: [ORG],
  authoring_organizations: [{ ...ORG, uuid: "org-2", name: "Harvard" }],
  course_run_statuses: ["published", "archived"],
};
const content = (contentType: ContentType, jsonMetadata: JsonObject = EVERYTHING) => ({ contentType, jsonMetadata });

describe("highlightCardImageUrl()", () => {
  it("reads image_url for courses and runs, card_image_url for programs, card_image.card.url for pathways", () => {
    expect(highlightCardImageUrl(content("course"))).toBe("https://img.example/image.jpg");
    expect(highlightCardImageUrl(content("courserun"))).toBe("https://img.example/image.jpg");
    expect(highlightCardImageUrl(content("program"))).toBe("https://img.example/card.jpg");
    expect(highlightCardImageUrl(content("learnerpathway"))).toBe("https://img.example/pathway-card.jpg");
  });

  it("answers null when the field is absent, null or not a string, at any depth of a pathway's path", () => {
    expect(highlightCardImageUrl(content("course", { card_image_url: "https://img.example/card.jpg" }))).toBeNull();
    expect(highlightCardImageUrl(content("program", { card_image_url: null }))).toBeNull();
    expect(highlightCardImageUrl(content("learnerpathway", { card_image: null }))).toBeNull();
    expect(highlightCardImageUrl(content("learnerpathway", { card_image: { card: null } }))).toBeNull();
    expect(highlightCardImageUrl(content("learnerpathway", { card_image: { card: { url: 7 } } }))).toBeNull();
  });
});

describe("authoringOrganizations()", () => {
  it("reads a course's owners and a program's authoring_organizations, keeping uuid, name and logo", () => {
    expect(authoringOrganizations(content("course"))).toEqual([{ uuid: "org-1", name: "MIT", logoImageUrl: "https://img.example/mit.png" }]);
    expect(authoringOrganizations(content("program"))).toEqual([{ uuid: "org-2", name: "Harvard", logoImageUrl: "https://img.example/mit.png" }]);
  });

  it("is empty for runs and pathways, and for missing or malformed lists; entries that are no objects are skipped", () => {
    expect(authoringOrganizations(content("courserun"))).toEqual([]);
    expect(authoringOrganizations(content("learnerpathway"))).toEqual([]);
    expect(authoringOrganizations(content("course", { owners: null }))).toEqual([]);
    expect(authoringOrganizations(content("course", { owners: ["MITx", { name: "Only a name" }] }))).toEqual([{ uuid: null, name: "Only a name", logoImageUrl: null }]);
  });
});

describe("courseRunStatuses() and hasOnlyArchivedRuns()", () => {
  it("reads the stored course_run_statuses, null when there are none", () => {
    expect(courseRunStatuses(content("course"))).toEqual(["published", "archived"]);
    expect(courseRunStatuses(content("courserun", {}))).toBeNull();
  });

  it("counts content as archived when every run is archived or unpublished, as the reference's archived_content_count does", () => {
    expect(hasOnlyArchivedRuns(content("course", { course_run_statuses: ["archived", "unpublished"] }))).toBe(true);
    expect(hasOnlyArchivedRuns(content("course", { course_run_statuses: ["archived", "published"] }))).toBe(false);
    expect(hasOnlyArchivedRuns(content("course", { course_run_statuses: [] }))).toBe(false);
    expect(hasOnlyArchivedRuns(content("program", {}))).toBe(false);
  });
});
