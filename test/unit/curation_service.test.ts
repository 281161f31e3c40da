/**
 * The curation use cases in-process (`src/mod.ts` over the memory ports), with content loaded by
 * the real refresh: limits, what adding content accepts, visibility, archiving, and the history.
 */
import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { memoryPorts } from "../../adapters/memory/memory_ports.ts";
import {
  contentFilterFromValue,
  createServices,
  CurationExistsError,
  CurationLimitError,
  HighlightNotInSetError,
  MAX_HIGHLIGHT_SETS,
  NoCurationError,
  NotFoundError,
  type ServiceSettings,
  type UseCases,
  ValidationError,
} from "../../src/mod.ts";
import type { JsonObject } from "../../src/json.ts";
import { course, courseRun, ScriptedDiscovery } from "../helpers/scripted_discovery.ts";

const CUSTOMER = "a94412c9-f91c-4d0d-87cb-1ca1c0d11457";
const OTHER = "6ae013d4-c5f4-474f-8a12-a4e1b8c0f2d3";
const SETTINGS: ServiceSettings = {
  enrollmentUrls: { lmsBaseUrl: "http://lms", learnerPortalBaseUrl: "http://portal", ecommerceBaseUrl: "http://shop" },
};
const ALICE = { actor: "alice" };
const ADMIN = { unpublishedOf: "all" } as const;
const LEARNER = { unpublishedOf: [] } as const;
const MINE = contentFilterFromValue({ content_type: ["course", "courserun"], org: "MineX" });
const THEIRS = contentFilterFromValue({ content_type: "course", org: "TheirX" });
const COURSES = Array.from({ length: 30 }, (_, index) => `MineX+C${index}`);

async function setup(): Promise<{ use: () => UseCases; refreshMine: (records: readonly JsonObject[]) => Promise<void> }> {
  let tick = Date.parse("2026-03-01T00:00:00Z");
  const discovery = new ScriptedDiscovery()
    .answer(MINE, [...COURSES.map((key, index) => course(key, { image_url: index < 2 ? null : `https://img.example/${key}.jpg` })), courseRun("MineX+C0", "1T2026")])
    .answer(THEIRS, [course("TheirX+Only")]);
  const services = createServices(memoryPorts({ discovery, clock: { now: () => new Date(tick += 1000) } }), SETTINGS);
  const use = () => services.unitOfWork();
  const mine = await use().catalogs.createCatalog({ title: "Mine", enterpriseCustomerUuid: CUSTOMER, contentFilter: MINE.value }, ALICE);
  const theirs = await use().catalogs.createCatalog({ title: "Theirs", enterpriseCustomerUuid: OTHER, contentFilter: THEIRS.value }, ALICE);
  for (const created of [mine, theirs]) await use().refresh.refreshQuery(created.query.uuid, { trigger: "on_demand" });
  return {
    use,
    async refreshMine(records) {
      discovery.answer(MINE, records);
      await use().refresh.refreshQuery(mine.query.uuid, { trigger: "on_demand", force: true });
    },
  };
}

describe("CurationService", () => {
  it("creates one curation config per enterprise", async () => {
    const { use } = await setup();
    const created = await use().curation.createCuration({ enterpriseCustomerUuid: CUSTOMER.toUpperCase(), title: "  Highlights  " }, ALICE);
    expect(created.curation).toMatchObject({ enterpriseCustomerUuid: CUSTOMER, title: "Highlights", isHighlightFeatureActive: true, canOnlyViewHighlightSets: false });
    await expect(use().curation.createCuration({ enterpriseCustomerUuid: CUSTOMER, title: "Again" }, ALICE)).rejects.toBeInstanceOf(CurationExistsError);
    await expect(use().curation.createCuration({ enterpriseCustomerUuid: OTHER, title: " " }, ALICE)).rejects.toBeInstanceOf(ValidationError);
    expect((await use().curation.listCurations({}, { page: 1, pageSize: 10 }, ADMIN)).count).toBe(1);
  });

  it("keeps a config with its enterprise, and records its changes and deletion with its sets and content", async () => {
    const { use } = await setup();
    const { curation } = await use().curation.createCuration({ enterpriseCustomerUuid: CUSTOMER, title: "Highlights" }, ALICE);
    await expect(use().curation.updateCuration(curation.uuid, { enterpriseCustomerUuid: OTHER }, ALICE)).rejects.toBeInstanceOf(ValidationError);
    await use().curation.updateCuration(curation.uuid, { enterpriseCustomerUuid: CUSTOMER, isHighlightFeatureActive: false }, { actor: "bob" });
    const set = await use().highlightSets.createHighlightSet({ enterpriseCustomerUuid: CUSTOMER, title: "Set", contentKeys: COURSES.slice(0, 2) }, ALICE);
    await use().curation.deleteCuration(curation.uuid, { actor: "carol" });
    await expect(use().curation.getCuration(curation.uuid, ADMIN)).rejects.toBeInstanceOf(NotFoundError);
    expect(await use().curation.curationHistoryOwner(curation.uuid)).toBe(CUSTOMER);
    const history = await use().curation.curationHistory(curation.uuid, { page: 1, pageSize: 100 });
    expect(history.items.map((change) => [change.actor, change.action, change.recordKind])).toEqual([
      ["carol", "deleted", "enterprise_curation"],
      ["carol", "deleted", "highlight_set"],
      ["carol", "deleted", "highlighted_content"],
      ["carol", "deleted", "highlighted_content"],
      ["alice", "created", "highlighted_content"],
      ["alice", "created", "highlighted_content"],
      ["alice", "created", "highlight_set"],
      ["bob", "changed", "enterprise_curation"],
      ["alice", "created", "enterprise_curation"],
    ]);
    expect(history.items[6]?.after).toEqual({ uuid: set.view.set.uuid, enterprise_curation: curation.uuid, title: "Set", is_published: false });
    await expect(use().curation.curationHistory(randomUUID(), { page: 1, pageSize: 10 })).rejects.toBeInstanceOf(NotFoundError);
  });
});

describe("HighlightSetService", () => {
  it("refuses a set without a curation config, a 17th set, and more than 24 keys", async () => {
    const { use } = await setup();
    await expect(use().highlightSets.createHighlightSet({ enterpriseCustomerUuid: CUSTOMER, title: "Set" }, ALICE)).rejects.toBeInstanceOf(NoCurationError);
    await use().curation.createCuration({ enterpriseCustomerUuid: CUSTOMER, title: "Highlights" }, ALICE);
    const tooMany = use().highlightSets.createHighlightSet({ enterpriseCustomerUuid: CUSTOMER, title: "Set", contentKeys: COURSES.slice(0, 25) }, ALICE);
    await expect(tooMany).rejects.toMatchObject({ limit: "highlights_per_set", max: 24 });
    for (let index = 0; index < MAX_HIGHLIGHT_SETS; index++) await use().highlightSets.createHighlightSet({ enterpriseCustomerUuid: CUSTOMER, title: `Set ${index}` }, ALICE);
    const seventeenth = use().highlightSets.createHighlightSet({ enterpriseCustomerUuid: CUSTOMER, title: "One more" }, ALICE);
    await expect(seventeenth).rejects.toBeInstanceOf(CurationLimitError);
    await expect(seventeenth).rejects.toMatchObject({ limit: "highlight_sets", max: 16 });
    expect((await use().highlightSets.listHighlightSets({}, { page: 1, pageSize: 100 }, ADMIN)).count).toBe(16);
  });

  it("highlights only content a catalog of the customer contains: another customer's content and unknown keys are ignored, courses and runs alike", async () => {
    const { use } = await setup();
    await use().curation.createCuration({ enterpriseCustomerUuid: CUSTOMER, title: "Highlights" }, ALICE);
    const created = await use().highlightSets.createHighlightSet({
      enterpriseCustomerUuid: CUSTOMER, title: "Set", contentKeys: ["MineX+C3", "TheirX+Only", "MineX+C3", "nope", "course-v1:MineX+C0+1T2026"],
    }, ALICE);
    expect(created.view.shown.map((item) => item.content.contentKey)).toEqual(["MineX+C3", "course-v1:MineX+C0+1T2026"]);
    expect(created.ignoredContentKeys).toEqual(["TheirX+Only", "nope"]);
  });

  it("adds after what the set holds, reports existing and ignored keys, and adds nothing past 24", async () => {
    const { use } = await setup();
    await use().curation.createCuration({ enterpriseCustomerUuid: CUSTOMER, title: "Highlights" }, ALICE);
    const { view } = await use().highlightSets.createHighlightSet({ enterpriseCustomerUuid: CUSTOMER, title: "Set", contentKeys: COURSES.slice(5, 25) }, ALICE);
    const added = await use().highlightSets.addContent(view.set.uuid, ["MineX+C5", "MineX+C0", "TheirX+Only", "MineX+C1"], ALICE);
    expect(added).toMatchObject({ addedContentKeys: ["MineX+C0", "MineX+C1"], existingContentKeys: ["MineX+C5"], ignoredContentKeys: ["TheirX+Only"] });
    expect(added.view.shown.map((item) => item.content.contentKey).slice(-2)).toEqual(["MineX+C0", "MineX+C1"]);
    await use().highlightSets.addContent(view.set.uuid, ["MineX+C2", "MineX+C3"], ALICE);
    await expect(use().highlightSets.addContent(view.set.uuid, ["MineX+C4"], ALICE)).rejects.toMatchObject({ limit: "highlights_per_set" });
    expect((await use().highlightSets.getHighlightSet(view.set.uuid, ADMIN)).shown).toHaveLength(24);
  });

  it("takes the card image of the earliest-added shown content that has one", async () => {
    const { use } = await setup();
    await use().curation.createCuration({ enterpriseCustomerUuid: CUSTOMER, title: "Highlights" }, ALICE);
    // C0 and C1 have no image.
    const { view } = await use().highlightSets.createHighlightSet({ enterpriseCustomerUuid: CUSTOMER, title: "Set", contentKeys: ["MineX+C0", "MineX+C3", "MineX+C4"] }, ALICE);
    expect(view.cardImageUrl).toBe("https://img.example/MineX+C3.jpg");
    const removed = await use().highlightSets.removeContent(view.set.uuid, ["MineX+C3", "MineX+C9"], ALICE);
    expect(removed).toMatchObject({ removedContentKeys: ["MineX+C3"], ignoredContentKeys: ["MineX+C9"] });
    expect(removed.view.cardImageUrl).toBe("https://img.example/MineX+C4.jpg");
    expect((await use().highlightSets.removeContent(view.set.uuid, ["MineX+C4", "MineX+C0"], ALICE)).view.cardImageUrl).toBeNull();
  });

  it("hides unpublished sets from readers who do not administer the enterprise", async () => {
    const { use } = await setup();
    await use().curation.createCuration({ enterpriseCustomerUuid: CUSTOMER, title: "Highlights" }, ALICE);
    const draft = (await use().highlightSets.createHighlightSet({ enterpriseCustomerUuid: CUSTOMER, title: "Draft" }, ALICE)).view.set;
    const live = (await use().highlightSets.createHighlightSet({ enterpriseCustomerUuid: CUSTOMER, title: "Live", isPublished: true }, ALICE)).view.set;
    await expect(use().highlightSets.getHighlightSet(draft.uuid, LEARNER)).rejects.toBeInstanceOf(NotFoundError);
    expect((await use().highlightSets.getHighlightSet(draft.uuid, { unpublishedOf: [CUSTOMER] })).set.uuid).toBe(draft.uuid);
    expect((await use().highlightSets.listHighlightSets({}, { page: 1, pageSize: 10 }, LEARNER)).items.map((view) => view.set.uuid)).toEqual([live.uuid]);
    const curations = await use().curation.listCurations({ enterpriseCustomerUuid: CUSTOMER }, { page: 1, pageSize: 10 }, LEARNER);
    expect(curations.items[0]?.sets.map((view) => view.set.uuid)).toEqual([live.uuid]);
    await use().highlightSets.updateHighlightSet(draft.uuid, { isPublished: true }, ALICE);
    expect((await use().highlightSets.getHighlightSet(draft.uuid, LEARNER)).set.isPublished).toBe(true);
  });

  it("archives content a refresh drops from every catalog of the customer, and shows it again when it comes back", async () => {
    const { use, refreshMine } = await setup();
    await use().curation.createCuration({ enterpriseCustomerUuid: CUSTOMER, title: "Highlights" }, ALICE);
    const { view } = await use().highlightSets.createHighlightSet({ enterpriseCustomerUuid: CUSTOMER, title: "Set", contentKeys: ["MineX+C3", "MineX+C4"], isPublished: true }, ALICE);
    await refreshMine(COURSES.filter((key) => key !== "MineX+C3").map((key) => course(key)));
    const archived = await use().highlightSets.getHighlightSet(view.set.uuid, LEARNER);
    expect(archived.shown.map((item) => item.content.contentKey)).toEqual(["MineX+C4"]);
    expect(archived.archivedCount).toBe(1);
    // The archived highlight still counts as held: it can be removed, and it comes back with its content.
    await refreshMine(COURSES.map((key) => course(key)));
    expect((await use().highlightSets.getHighlightSet(view.set.uuid, LEARNER)).shown.map((item) => item.content.contentKey)).toEqual(["MineX+C3", "MineX+C4"]);
  });

  it("marks a favorite once, names another set's content as such, and treats another curation's content as unknown", async () => {
    const { use } = await setup();
    await use().curation.createCuration({ enterpriseCustomerUuid: CUSTOMER, title: "Mine" }, ALICE);
    await use().curation.createCuration({ enterpriseCustomerUuid: OTHER, title: "Theirs" }, ALICE);
    const one = (await use().highlightSets.createHighlightSet({ enterpriseCustomerUuid: CUSTOMER, title: "One", contentKeys: ["MineX+C3"] }, ALICE)).view;
    const two = (await use().highlightSets.createHighlightSet({ enterpriseCustomerUuid: CUSTOMER, title: "Two", contentKeys: ["MineX+C4"] }, ALICE)).view;
    const foreign = (await use().highlightSets.createHighlightSet({ enterpriseCustomerUuid: OTHER, title: "Foreign", contentKeys: ["TheirX+Only"] }, ALICE)).view;
    const highlight = one.shown[0]?.highlight.uuid as string;
    await use().highlightSets.setFavorite(one.set.uuid, highlight, true, ALICE);
    await use().highlightSets.setFavorite(one.set.uuid, highlight, true, ALICE);
    expect((await use().highlightSets.getHighlightSet(one.set.uuid, ADMIN)).shown[0]?.highlight.isFavorite).toBe(true);
    await expect(use().highlightSets.setFavorite(two.set.uuid, highlight, false, ALICE)).rejects.toMatchObject({ reason: "other_set" });
    await expect(use().highlightSets.setFavorite(one.set.uuid, foreign.shown[0]?.highlight.uuid as string, true, ALICE)).rejects.toMatchObject({ reason: "unknown" });
    await expect(use().highlightSets.setFavorite(one.set.uuid, randomUUID(), true, ALICE)).rejects.toBeInstanceOf(HighlightNotInSetError);
    const curation = (await use().curation.listCurations({ enterpriseCustomerUuid: CUSTOMER }, { page: 1, pageSize: 1 }, ADMIN)).items[0]?.curation.uuid as string;
    const favorites = (await use().curation.curationHistory(curation, { page: 1, pageSize: 100 })).items.filter((change) => change.action === "changed");
    expect(favorites).toHaveLength(1);
    expect(favorites[0]).toMatchObject({ recordKind: "highlighted_content", before: { is_favorite: false }, after: { is_favorite: true } });
  });

  it("renames within 60 characters", async () => {
    const { use } = await setup();
    await use().curation.createCuration({ enterpriseCustomerUuid: CUSTOMER, title: "Highlights" }, ALICE);
    const { view } = await use().highlightSets.createHighlightSet({ enterpriseCustomerUuid: CUSTOMER, title: "Set" }, ALICE);
    expect((await use().highlightSets.renameHighlightSet(view.set.uuid, "x".repeat(60), ALICE)).title).toHaveLength(60);
    await expect(use().highlightSets.renameHighlightSet(view.set.uuid, "x".repeat(61), ALICE)).rejects.toMatchObject({ limit: "renamed_title_length", max: 60 });
    expect((await use().highlightSets.getHighlightSet(view.set.uuid, ADMIN)).set.title).toHaveLength(60);
  });

  it("needs an actor for every write and writes nothing without one", async () => {
    const { use } = await setup();
    await expect(use().curation.createCuration({ enterpriseCustomerUuid: CUSTOMER, title: "Highlights" }, { actor: "" })).rejects.toBeInstanceOf(TypeError);
    expect((await use().curation.listCurations({}, { page: 1, pageSize: 10 }, ADMIN)).count).toBe(0);
  });
});
