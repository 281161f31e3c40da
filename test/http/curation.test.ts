/**
 * Curation end to end, on the memory adapters and on the real service: an admin creates a curation
 * config and a set of 24 items and publishes it; a learner of the enterprise reads it, a learner of
 * another cannot; a refresh that drops an item from the catalogs archives it; every change shows in
 * the history with the caller's JWT subject.
 */
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { contentFilterFromValue } from "../../src/catalog/content_filter.ts";
import type { JsonObject } from "../../src/json.ts";
import { course, fullCourse, program, ScriptedDiscovery } from "../helpers/scripted_discovery.ts";
import { BACKENDS, startService, type TestService } from "../helpers/service.ts";

const A = "a94412c9-f91c-4d0d-87cb-1ca1c0d11457";
const B = "6ae013d4-c5f4-474f-8a12-a4e1b8c0f2d3";
const FILTER = { content_type: ["course", "program", "learnerpathway"], org: "CurX" };
const COURSE_KEYS = Array.from({ length: 23 }, (_, index) => `CurX+C${String(index).padStart(2, "0")}`);
const PROGRAM_UUID = "5a1d2b3c-0000-4000-8000-00000000a001";
const PATHWAY_UUID = "5a1d2b3c-0000-4000-8000-00000000b001";
const OWNER = { uuid: "0e7d1b4a-0000-4000-8000-0000000000aa", key: "CurX", name: "Curation University", logo_image_url: "https://img.example/curx.png", certificate_logo_image_url: null };

/** The search records: 23 courses (the first with all runs archived), a program and a learner pathway. */
function searchRecords(without: readonly string[] = []): JsonObject[] {
  const records: JsonObject[] = [
    ...COURSE_KEYS.map((key) => course(key, { image_url: `https://img.example/${key}.jpg`, card_image_url: `https://img.example/${key}-card.jpg` })),
    program(PROGRAM_UUID, { card_image_url: "https://img.example/program-card.jpg", authoring_organizations: [OWNER] }),
    { aggregation_key: `learnerpathway:${PATHWAY_UUID}`, content_type: "learnerpathway", uuid: PATHWAY_UUID, title: "Pathway", card_image: { card: { url: "https://img.example/pathway.jpg" } } },
  ];
  return records.filter((record) => !without.includes(String(record.key ?? record.uuid)));
}

/** A discovery of its own per backend: the test changes its answers. */
function scriptedDiscovery(): ScriptedDiscovery {
  return new ScriptedDiscovery()
    .answer(contentFilterFromValue(FILTER), searchRecords())
    .fullCourses(...COURSE_KEYS.map((key, index) => fullCourse(key, { owners: [OWNER], course_run_statuses: index === 0 ? ["archived"] : ["published"] })));
}

describe.each(BACKENDS)("curation on %s", (backend) => {
  const discovery = scriptedDiscovery();
  let service: TestService;
  let adminA: string;
  let learnerA: string;
  let learnerB: string;
  let catalog: { uuid: string; queryUuid: string };

  beforeAll(async () => {
    service = await startService(backend, { worker: true, discovery });
    adminA = await service.authorization({ roles: [`enterprise_admin:${A}`], subject: "alice-admin" });
    learnerA = await service.authorization({ roles: [`enterprise_learner:${A}`], subject: "lee-learner" });
    learnerB = await service.authorization({ roles: [`enterprise_learner:${B}`], subject: "bob-learner" });
    const created = await service.call("createEnterpriseCatalog", "POST", "/api/v1/enterprise-catalogs/", {
      headers: { authorization: adminA }, body: { title: "Curated catalog", enterprise_customer: A, content_filter: FILTER },
    });
    expect(created.status).toBe(201);
    catalog = { uuid: created.body.uuid, queryUuid: created.body.catalog_query_uuid };
    expect((await service.nextRefresh(catalog.queryUuid)).outcome).toBe("succeeded");
  });
  afterAll(async () => {
    await service?.stop();
  });

  it("an admin curates 24 items, publishes them, learners of that enterprise alone read them, a refresh archives a dropped one, and the history shows it all", async () => {
    const as = (authorization: string) => ({ headers: { authorization } });

    const curation = await service.call("createEnterpriseCuration", "POST", "/api/v1/enterprise-curations-admin/", {
      ...as(adminA), body: { enterprise_customer: A, title: "Acme highlights" },
    });
    expect(curation.status).toBe(201);
    expect(curation.body).toEqual({
      uuid: expect.any(String), created: expect.any(String), modified: expect.any(String), enterprise_customer: A, title: "Acme highlights",
      is_highlight_feature_active: true, can_only_view_highlight_sets: false, highlight_sets: [],
    });

    const keys = [...COURSE_KEYS, PROGRAM_UUID, PATHWAY_UUID];
    expect(keys).toHaveLength(25);
    const tooMany = await service.call("createHighlightSet", "POST", "/api/v1/highlight-sets-admin/", {
      ...as(adminA), body: { enterprise_customer: A, title: "Too many", content_keys: keys },
    });
    expect(tooMany.status).toBe(403);
    expect(tooMany.body.detail).toBe("Request exceeds the backend maximum content count per highlight set (24).");

    const created = await service.call("createHighlightSet", "POST", "/api/v1/highlight-sets-admin/", {
      ...as(adminA), body: { enterprise_customer: A, title: "Start here", content_keys: [...keys.slice(0, 23), "CurX+Elsewhere"] },
    });
    expect(created.status).toBe(201);
    expect(created.body.ignored_content_keys).toEqual(["CurX+Elsewhere"]);
    expect(created.body).toMatchObject({ title: "Start here", is_published: false, enterprise_curation: curation.body.uuid });
    const setPath = `/api/v1/highlight-sets-admin/${created.body.uuid}/`;
    const added = await service.call("addHighlightSetContent", "POST", `${setPath}add-content/`, {
      ...as(adminA), body: { content_keys: [PROGRAM_UUID, COURSE_KEYS[0], "CurX+Nowhere", null] },
    });
    expect(added.status).toBe(201);
    expect(added.body).toMatchObject({ added_content_keys: [PROGRAM_UUID], existing_content_keys: [COURSE_KEYS[0]], ignored_content_keys: ["CurX+Nowhere", null] });
    expect(added.body.highlight_set.highlighted_content).toHaveLength(24);
    const overLimit = await service.call("addHighlightSetContent", "POST", `${setPath}add-content/`, { ...as(adminA), body: { content_keys: [PATHWAY_UUID] } });
    expect(overLimit.status).toBe(403);
    expect(overLimit.body.detail).toBe("Request exceeds the backend maximum content count per highlight set(24).");

    // Unpublished: the enterprise's learners do not see it yet.
    const learnerPath = `/api/v1/highlight-sets/${created.body.uuid}/`;
    expect((await service.call("getHighlightSet", "GET", learnerPath, as(learnerA))).status).toBe(404);
    const published = await service.call("updateHighlightSet", "PATCH", setPath, { ...as(adminA), body: { is_published: true } });
    expect(published.status).toBe(200);
    expect(published.body.is_published).toBe(true);

    const read = await service.call("getHighlightSet", "GET", learnerPath, as(learnerA));
    expect(read.status).toBe(200);
    expect(read.body.highlighted_content.map((item: { content_key: string }) => item.content_key)).toEqual(keys.slice(0, 24));
    expect(read.body.card_image_url).toBe(`https://img.example/${COURSE_KEYS[0]}.jpg`);
    const [first] = read.body.highlighted_content;
    expect(first).toEqual({
      uuid: expect.any(String), aggregation_key: `course:${COURSE_KEYS[0]}`, content_type: "course", content_key: COURSE_KEYS[0],
      title: `Course ${COURSE_KEYS[0]}`, card_image_url: `https://img.example/${COURSE_KEYS[0]}.jpg`,
      authoring_organizations: [{ uuid: OWNER.uuid, name: OWNER.name, logo_image_url: OWNER.logo_image_url }],
      course_run_statuses: ["archived"], is_favorite: false, sort_order: 0,
    });
    expect(read.body.highlighted_content[23]).toMatchObject({
      content_key: PROGRAM_UUID, content_type: "program", card_image_url: "https://img.example/program-card.jpg",
      authoring_organizations: [{ uuid: OWNER.uuid, name: OWNER.name, logo_image_url: OWNER.logo_image_url }],
    });
    const foreign = await service.call("getHighlightSet", "GET", learnerPath, as(learnerB));
    const unknown = await service.call("getHighlightSet", "GET", `/api/v1/highlight-sets/${randomUUID()}/`, as(learnerB));
    expect(foreign.status).toBe(404);
    expect(foreign.body.detail.replace(/"[^"]+"/, "…")).toBe(unknown.body.detail.replace(/"[^"]+"/, "…"));
    const listedForB = await service.call("listEnterpriseCurations", "GET", `/api/v1/enterprise-curations/?enterprise_customer=${A}`, as(learnerB));
    expect(listedForB.body).toMatchObject({ count: 0, results: [] });

    const summary = async () => {
      const listed = await service.call("listEnterpriseCurations", "GET", `/api/v1/enterprise-curations/?enterprise_customer=${A}`, as(learnerA));
      expect(listed.body).toMatchObject({ count: 1, num_pages: 1, current_page: 1, start: 0 });
      return listed.body.results[0].highlight_sets[0];
    };
    // The course whose runs are all archived counts, as the reference counts it, and is still shown.
    expect(await summary()).toMatchObject({ uuid: created.body.uuid, is_published: true, archived_content_count: 1 });
    expect((await summary()).highlighted_content_uuids).toHaveLength(24);

    // A refresh drops a highlighted course from every catalog of the customer: no longer shown, counted as archived.
    const dropped = COURSE_KEYS[5] as string;
    discovery.answer(contentFilterFromValue(FILTER), searchRecords([dropped]));
    const refreshed = service.nextRefresh(catalog.queryUuid);
    expect((await service.call("refreshEnterpriseCatalogMetadata", "POST", `/api/v1/enterprise-catalogs/${catalog.uuid}/refresh_metadata/`, as(adminA))).status).toBe(200);
    expect((await refreshed).outcome).toBe("succeeded");
    const after = await service.call("getHighlightSet", "GET", learnerPath, as(learnerA));
    const shownKeys = after.body.highlighted_content.map((item: { content_key: string }) => item.content_key);
    expect(shownKeys).toHaveLength(23);
    expect(shownKeys).not.toContain(dropped);
    const droppedUuid = read.body.highlighted_content.find((item: { content_key: string }) => item.content_key === dropped).uuid;
    expect(await summary()).toMatchObject({ archived_content_count: 2 });
    expect((await summary()).highlighted_content_uuids).not.toContain(droppedUuid);

    // Every change, newest first, by the admin's JWT subject.
    const history = await service.call("getEnterpriseCurationHistory", "GET", `/api/v1/enterprise-curations-admin/${curation.body.uuid}/history/?page_size=100`, as(adminA));
    expect(history.status).toBe(200);
    expect(history.body.count).toBe(1 + 1 + 23 + 1 + 1);
    const entries = history.body.results as { changed_by: string; action: string; record_type: string; record_uuid: string; changed_fields: string[]; before: JsonObject | null; after: JsonObject | null }[];
    expect(new Set(entries.map((entry) => entry.changed_by))).toEqual(new Set(["alice-admin"]));
    expect(entries[0]).toMatchObject({
      action: "changed", record_type: "highlight_set", record_uuid: created.body.uuid, changed_fields: ["is_published"],
      before: { is_published: false, title: "Start here" }, after: { is_published: true, title: "Start here" },
    });
    expect(entries[1]).toMatchObject({ action: "created", record_type: "highlighted_content", before: null, after: { content_key: PROGRAM_UUID } });
    expect(entries.at(-1)).toMatchObject({ action: "created", record_type: "enterprise_curation", record_uuid: curation.body.uuid, after: { title: "Acme highlights", enterprise_customer: A } });
    expect(entries.filter((entry) => entry.record_type === "highlighted_content")).toHaveLength(24);
    // The refused writes left no trace.
    expect(entries.filter((entry) => entry.record_type === "highlight_set")).toHaveLength(2);

    const catalogHistory = await service.call("getEnterpriseCatalogHistory", "GET", `/api/v1/enterprise-catalogs/${catalog.uuid}/history/`, as(adminA));
    expect(catalogHistory.body).toMatchObject({ count: 1, results: [{ action: "created", changed_by: "alice-admin", record_type: "enterprise_catalog", after: { title: "Curated catalog", content_filter: FILTER } }] });
    expect((await service.call("getEnterpriseCatalogHistory", "GET", `/api/v1/enterprise-catalogs/${catalog.uuid}/history/`, as(learnerA))).status).toBe(403);
  });
});
