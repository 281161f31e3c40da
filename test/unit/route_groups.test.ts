import { describe, expect, it } from "vitest";
import { openApiDocument } from "../../adapters/http/openapi_document.ts";
import { RouteGroups } from "../../adapters/http/route_groups.ts";

/** Groups holding the templates they were given, for looking at. */
function grouped(templates: readonly string[]) {
  const groups = new RouteGroups<string[]>();
  for (const template of templates) groups.groupOf(template, () => []).push(template);
  return groups;
}

describe("RouteGroups", () => {
  const groups = grouped([
    "/health",
    "/api-docs",
    "/api-docs/assets/{file}",
    "/api/v1/enterprise-catalogs/",
    "/api/v1/enterprise-catalogs/{uuid}/",
    "/api/v1/enterprise-catalogs/{uuid}/contains_content_items/",
    "/api/v1/enterprise-catalogs/{uuid}/get_content_metadata/",
    "/api/v1/enterprise-customer/{uuid}/contains_content_items/",
    "/enterprise/api/v1/enterprise_catalogs/{uuid}/courses/{course_key}/",
  ]);

  it("sends a request only to the templates of its segment count and leading literals", () => {
    expect(groups.find("/api/v1/enterprise-catalogs/0b9c/contains_content_items/")).toEqual([
      "/api/v1/enterprise-catalogs/{uuid}/contains_content_items/",
      "/api/v1/enterprise-catalogs/{uuid}/get_content_metadata/",
    ]);
    expect(groups.find("/api/v1/enterprise-customer/0b9c/contains_content_items")).toEqual(["/api/v1/enterprise-customer/{uuid}/contains_content_items/"]);
    expect(groups.find("/api/v1/enterprise-catalogs/0b9c/")).toEqual(["/api/v1/enterprise-catalogs/{uuid}/"]);
    expect(groups.find("/enterprise/api/v1/enterprise_catalogs/0b9c/courses/edX+DemoX/")).toEqual(["/enterprise/api/v1/enterprise_catalogs/{uuid}/courses/{course_key}/"]);
  });

  it("finds a group whichever the trailing slash and the letter case, as @koa/router matches", () => {
    expect(groups.find("/health")).toEqual(["/health"]);
    expect(groups.find("/health/")).toEqual(["/health"]);
    expect(groups.find("/API/V1/Enterprise-Catalogs")).toEqual(["/api/v1/enterprise-catalogs/"]);
  });

  it("prefers the longest literal prefix, so a parameter never hides a literal path", () => {
    expect(groups.find("/api-docs")).toEqual(["/api-docs"]);
    expect(groups.find("/api-docs/assets/app.js")).toEqual(["/api-docs/assets/{file}"]);
  });

  it("finds nothing for paths no template could match", () => {
    expect(groups.find("/")).toBeUndefined();
    expect(groups.find("/api/v1/nothing-here/")).toBeUndefined();
    expect(groups.find("/api/v1/enterprise-catalogs/0b9c/contains_content_items/extra/")).toBeUndefined();
    expect(groups.find("/health//")).toBeUndefined();
  });

  it("refuses templates whose parameter stands where another has a literal", () => {
    expect(() => grouped(["/a/{id}/c", "/a/b/d"]).checkUnambiguous()).toThrow(/"\/a\/\{id\}\/c" has a parameter where "\/a\/b\/d" has a literal/);
    expect(() => grouped(["/a/{id}/c", "/a/b/d/e"]).checkUnambiguous()).not.toThrow();
    expect(() => groups.checkUnambiguous()).not.toThrow();
  });

  it("groups the document's own paths unambiguously and into small groups", () => {
    const document = grouped([...new Set(openApiDocument().operations.map((operation) => operation.path))]);
    expect(() => document.checkUnambiguous()).not.toThrow();
    for (const operation of openApiDocument().operations) {
      const example = operation.path.replace(/\{[^}]+\}/g, "x");
      const group = document.find(example);
      expect(group).toContain(operation.path);
      expect(group?.length).toBeLessThanOrEqual(5);
    }
  });
});
