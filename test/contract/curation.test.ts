/**
 * Contract: the curation endpoints (enterprise-catalog-ida.md §1.6, §2.10; the reference's
 * `views/curation/highlights.py` and `tests/test_curation_views.py`) on the real service, with
 * content loaded by the real refresh: shapes and key order, statuses, limits and the reference's texts.
 */
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { JsonObject } from "../../src/json.ts";
import { CUST, keyOf, learnerOf, OTHER, pick, type ReadFixture, startReadFixture, orgOf } from "./read_fixture.ts";

let f: ReadFixture;
let admin: string;
let pathway: string;
beforeAll(async () => {
  f = await startReadFixture();
  admin = await f.service.authorization({ roles: [`enterprise_admin:${CUST}`], subject: "admin-of-cust" });
  const pathways = await f.createCatalog({ content_type: "learnerpathway" });
  pathway = keyOf(pick(pathways.records, () => true));
});
afterAll(async () => {
  await f?.stop();
});

const SET_KEYS = ["uuid", "title", "is_published", "enterprise_curation", "card_image_url", "highlighted_content"];
const ITEM_KEYS = ["uuid", "aggregation_key", "content_type", "content_key", "title", "card_image_url", "authoring_organizations", "course_run_statuses", "is_favorite", "sort_order"];

function call(operationId: string, method: string, path: string, body?: unknown, authorization = admin) {
  return f.service.call(operationId, method, path, { headers: { authorization }, body });
}

/** The stored record of a content key, as `content-metadata/{key}/` shows it. */
async function stored(key: string): Promise<JsonObject> {
  const response = await f.service.call("getContentMetadata", "GET", `/api/v1/content-metadata/${encodeURIComponent(key)}/`);
  expect(response.status).toBe(200);
  return response.body;
}

describe("enterprise-curations-admin and enterprise-curations", () => {
  let curation: string;

  it("creates the config with the reference's fields, in its order (201)", async () => {
    const created = await call("createEnterpriseCuration", "POST", "/api/v1/enterprise-curations-admin/", { enterprise_customer: CUST, title: "Acme highlights" });
    expect(created.status).toBe(201);
    expect(Object.keys(created.body)).toEqual(["uuid", "created", "modified", "enterprise_customer", "title", "is_highlight_feature_active", "can_only_view_highlight_sets", "highlight_sets"]);
    expect(created.body).toMatchObject({ enterprise_customer: CUST, title: "Acme highlights", is_highlight_feature_active: true, can_only_view_highlight_sets: false, highlight_sets: [] });
    curation = created.body.uuid;
  });

  it("refuses a second config of the enterprise with the reference's 400 text", async () => {
    const again = await call("createEnterpriseCuration", "POST", "/api/v1/enterprise-curations-admin/", { enterprise_customer: CUST, title: "Again" });
    expect(again.status).toBe(400);
    expect(again.body.detail).toBe(`An EnterpriseCurationConfig already exists for enterprise UUID ${CUST}`);
  });

  it("PATCH changes the given fields; PUT needs title and customer and keeps the customer; learners read the change", async () => {
    const patched = await call("updateEnterpriseCuration", "PATCH", `/api/v1/enterprise-curations-admin/${curation}/`, { is_highlight_feature_active: false });
    expect(patched.status).toBe(200);
    expect(patched.body.is_highlight_feature_active).toBe(false);
    const learner = await learnerOf(f.service, CUST);
    expect((await call("getEnterpriseCuration", "GET", `/api/v1/enterprise-curations/${curation}/`, undefined, learner)).body.is_highlight_feature_active).toBe(false);
    expect((await call("replaceEnterpriseCuration", "PUT", `/api/v1/enterprise-curations-admin/${curation}/`, { title: "Renamed" })).status).toBe(400);
    const moved = await call("replaceEnterpriseCuration", "PUT", `/api/v1/enterprise-curations-admin/${curation}/`, { title: "Renamed", enterprise_customer: OTHER });
    expect(moved.status).toBe(400);
    const replaced = await call("replaceEnterpriseCuration", "PUT", `/api/v1/enterprise-curations-admin/${curation}/`, { title: "Renamed", enterprise_customer: CUST, can_only_view_highlight_sets: "true" });
    expect(replaced.body).toMatchObject({ title: "Renamed", enterprise_customer: CUST, can_only_view_highlight_sets: true, is_highlight_feature_active: false });
    // Learners of the enterprise only, as the reference's has_learner_access; a learner refused to write (403).
    expect((await call("updateEnterpriseCuration", "PATCH", `/api/v1/enterprise-curations-admin/${curation}/`, { title: "x" }, learner)).status).toBe(403);
    expect((await call("getEnterpriseCuration", "GET", `/api/v1/enterprise-curations/${curation}/`, undefined, await learnerOf(f.service, OTHER))).status).toBe(404);
  });

  it("lists with edx DefaultPagination; another enterprise's filter gives an empty page, a page past the end 404 \"Invalid page.\"", async () => {
    const listed = await call("listEnterpriseCurations", "GET", `/api/v1/enterprise-curations/?enterprise_customer=${CUST}`, undefined, await learnerOf(f.service, CUST));
    expect(Object.keys(listed.body)).toEqual(["next", "previous", "count", "num_pages", "current_page", "start", "results"]);
    expect(listed.body.results.map((item: { uuid: string }) => item.uuid)).toEqual([curation]);
    expect((await call("listEnterpriseCurations", "GET", `/api/v1/enterprise-curations/?enterprise_customer=${OTHER}`, undefined, await learnerOf(f.service, CUST))).body.count).toBe(0);
    const past = await call("listEnterpriseCurationsAdmin", "GET", "/api/v1/enterprise-curations-admin/?page=2");
    expect(past.status).toBe(404);
    expect(past.body.detail).toBe("Invalid page.");
  });
});

describe("highlight-sets-admin and highlight-sets", () => {
  let set: string;
  let setPath: string;
  let keys: { course: string; run: string; program: string; outside: string };

  beforeAll(() => {
    keys = {
      course: keyOf(pick(f.catalogs.CAT.records, (record) => record.content_type === "course")),
      run: keyOf(pick(f.catalogs.CAT.records, (record) => record.content_type === "courserun")),
      program: keyOf(pick(f.catalogs.CAT2.records, () => true)),
      // Stored, but only in another customer's catalog.
      outside: keyOf(pick(f.catalogs.ALIEN.records, (record) => orgOf(record) === "DelftX")),
    };
  });

  it("refuses a set in an enterprise without a config with the reference's 400 text", async () => {
    const operator = await f.service.authorization({ roles: ["enterprise_openedx_operator:*"] });
    const refused = await call("createHighlightSet", "POST", "/api/v1/highlight-sets-admin/", { enterprise_customer: OTHER, title: "Nope" }, operator);
    expect(refused.status).toBe(400);
    expect(refused.body.detail).toBe(`An EnterpriseCurationConfig must exist for enterprise UUID ${OTHER} in order to create a HighlightSet`);
  });

  it("creates a set with the content the customer's catalogs contain; the rest is listed in ignored_content_keys (201)", async () => {
    const requested = [keys.course, keys.run, keys.program, pathway, keys.outside, "fake+content+key", "", null];
    const created = await call("createHighlightSet", "POST", "/api/v1/highlight-sets-admin/", { enterprise_customer: CUST, title: "foobar title", is_published: false, content_keys: requested });
    expect(created.status).toBe(201);
    expect(Object.keys(created.body)).toEqual([...SET_KEYS, "ignored_content_keys"]);
    expect(created.body.ignored_content_keys).toEqual([keys.outside, "fake+content+key", "", null]);
    expect(created.body.highlighted_content.map((item: { content_key: string }) => item.content_key)).toEqual([keys.course, keys.run, keys.program, pathway]);
    set = created.body.uuid;
    setPath = `/api/v1/highlight-sets-admin/${set}/`;
  });

  it("shows each item's fields from its stored metadata, per content type as the reference reads them", async () => {
    const read = await call("getHighlightSetAdmin", "GET", setPath);
    const [course, run, program, learnerPathway] = read.body.highlighted_content as JsonObject[];
    for (const item of [course, run, program, learnerPathway]) expect(Object.keys(item as JsonObject)).toEqual(ITEM_KEYS);
    const organizations = (list: unknown) => (list as JsonObject[]).map((owner) => ({ uuid: owner.uuid, name: owner.name, logo_image_url: owner.logo_image_url }));
    const storedCourse = await stored(keys.course);
    expect(course).toMatchObject({
      content_type: "course", aggregation_key: storedCourse.aggregation_key, title: storedCourse.title, card_image_url: storedCourse.image_url,
      authoring_organizations: organizations(storedCourse.owners), course_run_statuses: storedCourse.course_run_statuses, is_favorite: false, sort_order: 0,
    });
    expect(storedCourse.owners).not.toHaveLength(0);
    const storedRun = await stored(keys.run);
    expect(run).toMatchObject({ content_type: "courserun", card_image_url: storedRun.image_url, authoring_organizations: [], course_run_statuses: null });
    const storedProgram = await stored(keys.program);
    expect(program).toMatchObject({ content_type: "program", card_image_url: storedProgram.card_image_url, authoring_organizations: organizations(storedProgram.authoring_organizations) });
    const storedPathway = await stored(pathway);
    expect(learnerPathway).toMatchObject({ content_type: "learnerpathway", card_image_url: (storedPathway.card_image as { card: { url: string } }).card.url, authoring_organizations: [] });
    // The set's image is its earliest item's that has one.
    expect(read.body.card_image_url).toBe(storedCourse.image_url);
  });

  it("hides the unpublished set from learners until an admin publishes it", async () => {
    const learner = await learnerOf(f.service, CUST);
    expect((await call("getHighlightSet", "GET", `/api/v1/highlight-sets/${set}/`, undefined, learner)).status).toBe(404);
    const curation = (await call("createHighlightSet", "POST", "/api/v1/highlight-sets-admin/", { enterprise_customer: CUST, title: "probe" })).body.enterprise_curation;
    const probe = (await call("listHighlightSetsAdmin", "GET", `/api/v1/highlight-sets-admin/?enterprise_customer=${CUST}`)).body.results[0].uuid;
    expect((await call("getEnterpriseCurationAdmin", "GET", `/api/v1/enterprise-curations-admin/${curation}/`)).body.highlight_sets.map((item: { uuid: string }) => item.uuid)).toEqual([probe, set]);
    expect((await call("getEnterpriseCuration", "GET", `/api/v1/enterprise-curations/${curation}/`, undefined, learner)).body.highlight_sets).toEqual([]);
    expect((await call("deleteHighlightSet", "DELETE", `/api/v1/highlight-sets-admin/${probe}/`)).status).toBe(204);
    expect((await call("listHighlightSets", "GET", `/api/v1/highlight-sets/?enterprise_customer=${CUST}`, undefined, learner)).body.count).toBe(0);
    expect((await call("getHighlightSet", "GET", `/api/v1/highlight-sets/${set}/`)).status).toBe(200);
    expect((await call("updateHighlightSet", "PATCH", setPath, { is_published: "True" })).body.is_published).toBe(true);
    const listed = await call("listHighlightSets", "GET", `/api/v1/highlight-sets/?enterprise_customer=${CUST}`, undefined, learner);
    expect(listed.body.results.map((item: { uuid: string }) => item.uuid)).toEqual([set]);
    expect(Object.keys(listed.body.results[0])).toEqual(SET_KEYS);
  });

  it("PUT needs a title and changes title and publication; the set stays in its curation", async () => {
    expect((await call("replaceHighlightSet", "PUT", setPath, { is_published: true })).status).toBe(400);
    const curation = (await call("getHighlightSetAdmin", "GET", setPath)).body.enterprise_curation;
    const replaced = await call("replaceHighlightSet", "PUT", setPath, { title: "replaced title", is_published: true, enterprise_curation: randomUUID() });
    expect(replaced.status).toBe(200);
    expect(Object.keys(replaced.body)).toEqual(SET_KEYS);
    expect(replaced.body).toMatchObject({ uuid: set, title: "replaced title", is_published: true });
    expect(replaced.body.enterprise_curation).toBe(curation);
  });

  it("add-content answers 201 with what became of each key and the set as it is now", async () => {
    const added = await call("addHighlightSetContent", "POST", `${setPath}add-content/`, { content_keys: [keys.course, keys.outside] });
    expect(added.status).toBe(201);
    expect(Object.keys(added.body)).toEqual(["ignored_content_keys", "added_content_keys", "existing_content_keys", "highlight_set"]);
    expect(added.body).toMatchObject({ ignored_content_keys: [keys.outside], added_content_keys: [], existing_content_keys: [keys.course] });
    expect(added.body.highlight_set.highlighted_content).toHaveLength(4);
  });

  it("edit-highlight-title answers 201 {title}, 400 \"Missing title parameter\" without one, 403 beyond 60 characters", async () => {
    const renamed = await call("editHighlightSetTitle", "POST", `${setPath}edit-highlight-title/`, { title: "new title" });
    expect(renamed.status).toBe(201);
    expect(renamed.body).toEqual({ title: "new title" });
    for (const body of [{}, { title: "" }, { title: null }]) {
      const missing = await call("editHighlightSetTitle", "POST", `${setPath}edit-highlight-title/`, body);
      expect(missing.status).toBe(400);
      expect(missing.body.detail).toBe("Missing title parameter");
    }
    const long = await call("editHighlightSetTitle", "POST", `${setPath}edit-highlight-title/`, { title: "new title".repeat(10) });
    expect(long.status).toBe(403);
    expect(long.body.detail).toBe("title cannot exceed 60 characters");
    expect((await call("getHighlightSetAdmin", "GET", setPath)).body.title).toBe("new title");
  });

  it("toggle-favorite-highlight answers 201 {} and the reference's 400 texts, in its order", async () => {
    const items = (await call("getHighlightSetAdmin", "GET", setPath)).body.highlighted_content as { uuid: string; is_favorite: boolean }[];
    const target = items[0]?.uuid as string;
    const toggle = (body: unknown) => call("toggleFavoriteHighlight", "POST", `${setPath}toggle-favorite-highlight/`, body);
    const done = await toggle({ content_uuid: target, favorite: "true" });
    expect(done.status).toBe(201);
    expect(done.body).toEqual({});
    expect(((await call("getHighlightSetAdmin", "GET", setPath)).body.highlighted_content as { is_favorite: boolean }[])[0]?.is_favorite).toBe(true);
    expect((await toggle({ content_uuid: target, favorite: false })).status).toBe(201);
    const other = await call("createHighlightSet", "POST", "/api/v1/highlight-sets-admin/", { enterprise_customer: CUST, title: "Other", content_keys: [keys.program] });
    const cases: [unknown, string][] = [
      [{ favorite: "true" }, "Missing content_uuid parameter"],
      [{ content_uuid: target }, "Missing favorite parameter"],
      [{ content_uuid: target, favorite: "my most favoritest" }, 'favorite parameter "my most favoritest" is not a valid true/false value'],
      [{ content_uuid: randomUUID(), favorite: "true" }, "content_uuid does not refer to any existing highlighted content"],
      [{ content_uuid: "not-a-uuid", favorite: "true" }, "content_uuid does not refer to any existing highlighted content"],
      [{ content_uuid: other.body.highlighted_content[0].uuid, favorite: "true" }, "Highlighted content not part of the given highlight set"],
    ];
    for (const [body, detail] of cases) {
      const refused = await toggle(body);
      expect(refused.status, JSON.stringify(body)).toBe(400);
      expect(refused.body.detail).toBe(detail);
    }
    expect((await call("deleteHighlightSet", "DELETE", `/api/v1/highlight-sets-admin/${other.body.uuid}/`)).status).toBe(204);
  });

  it("remove-content answers 201 with the removed and ignored keys and the set as it is now", async () => {
    const removed = await call("removeHighlightSetContent", "POST", `${setPath}remove-content/`, { content_keys: [keys.run, "fake+content+key"] });
    expect(removed.status).toBe(201);
    expect(Object.keys(removed.body)).toEqual(["removed_content_keys", "ignored_content_keys", "highlight_set"]);
    expect(removed.body).toMatchObject({ removed_content_keys: [keys.run], ignored_content_keys: ["fake+content+key"] });
    expect(removed.body.highlight_set.highlighted_content.map((item: { content_key: string }) => item.content_key)).toEqual([keys.course, keys.program, pathway]);
  });

  it("refuses a 17th set of the enterprise with the reference's 403 text", async () => {
    const count = (await call("listHighlightSetsAdmin", "GET", `/api/v1/highlight-sets-admin/?enterprise_customer=${CUST}`)).body.count as number;
    for (let index = count; index < 16; index++) {
      expect((await call("createHighlightSet", "POST", "/api/v1/highlight-sets-admin/", { enterprise_customer: CUST, title: `Set ${index}` })).status).toBe(201);
    }
    const refused = await call("createHighlightSet", "POST", "/api/v1/highlight-sets-admin/", { enterprise_customer: CUST, title: "One too many" });
    expect(refused.status).toBe(403);
    expect(refused.body.detail).toBe("Request exceeds the backend maximum highlight set per enterprise customer (16).");
  });

  it("summarises each set in the config, newest first, with its shown content in the order added", async () => {
    const curation = (await call("listEnterpriseCurationsAdmin", "GET", `/api/v1/enterprise-curations-admin/?enterprise_customer=${CUST}`)).body.results[0];
    const summary = curation.highlight_sets.at(-1);
    expect(Object.keys(summary)).toEqual(["uuid", "is_published", "title", "card_image_url", "highlighted_content_uuids", "archived_content_count"]);
    const items = (await call("getHighlightSetAdmin", "GET", setPath)).body.highlighted_content as { uuid: string }[];
    expect(summary).toMatchObject({ uuid: set, title: "new title", highlighted_content_uuids: items.map((item) => item.uuid) });
    expect(curation.highlight_sets).toHaveLength(16);
  });

  it("deletes a set (204), which then answers 404, and its history stays with the config's", async () => {
    expect((await call("deleteHighlightSet", "DELETE", setPath)).status).toBe(204);
    expect((await call("getHighlightSetAdmin", "GET", setPath)).status).toBe(404);
    const curation = (await call("listEnterpriseCurationsAdmin", "GET", `/api/v1/enterprise-curations-admin/?enterprise_customer=${CUST}`)).body.results[0].uuid;
    const history = await call("getEnterpriseCurationHistory", "GET", `/api/v1/enterprise-curations-admin/${curation}/history/`);
    expect(Object.keys(history.body)).toEqual(["next", "previous", "count", "num_pages", "current_page", "start", "results"]);
    expect(Object.keys(history.body.results[0])).toEqual(["changed_at", "changed_by", "action", "record_type", "record_uuid", "changed_fields", "before", "after"]);
    expect(history.body.results[0]).toMatchObject({ action: "deleted", record_type: "highlight_set", record_uuid: set, changed_by: "admin-of-cust", after: null, before: { title: "new title", is_published: true } });
  });

  it("deleting the config deletes its sets; its history stays readable by its enterprise's admins alone", async () => {
    const curation = (await call("listEnterpriseCurationsAdmin", "GET", `/api/v1/enterprise-curations-admin/?enterprise_customer=${CUST}`)).body.results[0].uuid;
    expect((await call("deleteEnterpriseCuration", "DELETE", `/api/v1/enterprise-curations-admin/${curation}/`)).status).toBe(204);
    expect((await call("listHighlightSetsAdmin", "GET", `/api/v1/highlight-sets-admin/?enterprise_customer=${CUST}`)).body.count).toBe(0);
    const history = await call("getEnterpriseCurationHistory", "GET", `/api/v1/enterprise-curations-admin/${curation}/history/?page_size=1`);
    expect(history.status).toBe(200);
    expect(history.body.results[0]).toMatchObject({ action: "deleted", record_type: "enterprise_curation", record_uuid: curation });
    const otherAdmin = await f.service.authorization({ roles: [`enterprise_admin:${OTHER}`] });
    expect((await call("getEnterpriseCurationHistory", "GET", `/api/v1/enterprise-curations-admin/${curation}/history/`, undefined, otherAdmin)).status).toBe(404);
    expect((await call("getEnterpriseCurationHistory", "GET", `/api/v1/enterprise-curations-admin/${curation}/history/`, undefined, await learnerOf(f.service, CUST))).status).toBe(403);
  });
});

describe("enterprise-catalogs/{uuid}/history/", () => {
  it("shows a deleted catalog's creation, changes and deletion to its enterprise's admins", async () => {
    const catalog = await call("createEnterpriseCatalog", "POST", "/api/v1/enterprise-catalogs/", { title: "Short-lived", enterprise_customer: CUST, content_filter: { content_type: "course", org: "MITx" } });
    const path = `/api/v1/enterprise-catalogs/${catalog.body.uuid}/`;
    await call("updateEnterpriseCatalog", "PATCH", path, { title: "Renamed", enabled_course_modes: ["verified"] });
    expect((await call("deleteEnterpriseCatalog", "DELETE", path)).status).toBe(204);
    const history = await call("getEnterpriseCatalogHistory", "GET", `${path}history/`);
    expect(history.status).toBe(200);
    expect(history.body.results.map((entry: { action: string }) => entry.action)).toEqual(["deleted", "changed", "created"]);
    expect(history.body.results[1]).toMatchObject({ changed_fields: ["enabled_course_modes", "title"], before: { title: "Short-lived" }, after: { title: "Renamed", enabled_course_modes: ["verified"] } });
    expect(new Set(history.body.results.map((entry: { changed_by: string }) => entry.changed_by))).toEqual(new Set(["admin-of-cust"]));
    expect((await call("getEnterpriseCatalogHistory", "GET", `/api/v1/enterprise-catalogs/${randomUUID()}/history/`)).status).toBe(404);
  });
});
