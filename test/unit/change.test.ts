import { describe, expect, it } from "vitest";
import { actorOf, changedFields, describeChange, MAX_ACTOR_LENGTH } from "../../src/history/change.ts";

const CONTEXT = {
  trail: { kind: "catalog", uuid: "11111111-1111-4111-8111-111111111111" },
  enterpriseCustomerUuid: "22222222-2222-4222-8222-222222222222",
  recordKind: "enterprise_catalog",
  recordUuid: "11111111-1111-4111-8111-111111111111",
  author: { actor: "  alice  " },
  now: new Date("2026-05-01T10:00:00Z"),
} as const;

describe("describeChange()", () => {
  it("names the action from which snapshot is missing, and records the trimmed actor and time", () => {
    expect(describeChange(CONTEXT, undefined, { title: "A" })).toMatchObject({ action: "created", before: null, after: { title: "A" }, actor: "alice", changedAt: CONTEXT.now });
    expect(describeChange(CONTEXT, { title: "A" }, { title: "B" })).toMatchObject({ action: "changed", before: { title: "A" }, after: { title: "B" } });
    expect(describeChange(CONTEXT, { title: "A" }, undefined)).toMatchObject({ action: "deleted", before: { title: "A" }, after: null });
  });

  it("leaves no change for equal snapshots, whatever their key order", () => {
    expect(describeChange(CONTEXT, { a: 1, b: { c: [1, 2] } }, { b: { c: [1, 2] }, a: 1 })).toBeUndefined();
    expect(describeChange(CONTEXT, { a: 1, b: { c: [1, 2] } }, { b: { c: [2, 1] }, a: 1 })).toBeDefined();
  });

  it("throws TypeError without any snapshot or without an actor", () => {
    expect(() => describeChange(CONTEXT, undefined, undefined)).toThrow(TypeError);
    expect(() => describeChange({ ...CONTEXT, author: { actor: " " } }, undefined, {})).toThrow(TypeError);
  });
});

describe("changedFields()", () => {
  it("lists the top-level fields that differ, sorted, counting added and removed fields", () => {
    expect(changedFields({ before: { title: "A", modes: ["audit"], same: { x: 1 }, gone: 1 }, after: { title: "B", modes: ["audit", "verified"], same: { x: 1 }, added: null } }))
      .toEqual(["added", "gone", "modes", "title"]);
  });

  it("lists every field of a created or deleted record", () => {
    expect(changedFields({ before: null, after: { b: 1, a: 2 } })).toEqual(["a", "b"]);
    expect(changedFields({ before: { z: 1 }, after: null })).toEqual(["z"]);
  });
});

describe("actorOf()", () => {
  it("keeps at most MAX_ACTOR_LENGTH characters", () => {
    expect(actorOf({ actor: "x".repeat(MAX_ACTOR_LENGTH + 5) })).toHaveLength(MAX_ACTOR_LENGTH);
  });

  it("refuses a missing actor, as from a caller that passed no author", () => {
    expect(() => actorOf(undefined as unknown as { actor: string })).toThrow(TypeError);
  });
});
