import { spawnSync } from "node:child_process";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  contentFilterFromJson,
  contentFilterFromValue,
  contentFilterHash,
  MAX_FILTER_DEPTH,
} from "../../src/catalog/content_filter.ts";
import { ValidationError } from "../../src/errors.ts";

const PYTHON = spawnSync("python3", ["--version"]).status === 0 ? "python3" : undefined;
const PYTHON_HASHES = `
import hashlib, json, sys
for text in json.load(sys.stdin):
    print(hashlib.md5(json.dumps(json.loads(text), sort_keys=True).encode("utf-8")).hexdigest())
`;

/** md5(json.dumps(json.loads(text), sort_keys=True)) for each text, computed by Python itself. */
function pythonHashes(texts: readonly string[]): string[] {
  const run = spawnSync(PYTHON as string, ["-c", PYTHON_HASHES], { input: JSON.stringify(texts), encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
  if (run.status !== 0) throw new Error(`python3 failed: ${run.stderr}`);
  return run.stdout.trim().split("\n");
}

/** JSON text built by hand so that number lexemes (1.0, 1e5, -0) and key order are ours to choose. */
const text = fc.string({ unit: fc.oneof(
  fc.constantFrom("a", "Z", "+", ":", "/", "\\", '"', " ", "\n", "\t", "\u007f", "\u0000", "é", "中", "\u2028", "\uffff"),
  fc.constantFrom("😀", "𝄞", "🎓"),
  fc.string({ unit: "grapheme", maxLength: 1 }),
), maxLength: 12 });
const numberLexeme = fc.oneof(
  fc.integer({ min: -1_000_000, max: 1_000_000 }).map(String),
  fc.bigInt({ min: -(10n ** 25n), max: 10n ** 25n }).map(String),
  fc.double({ noNaN: true, noDefaultInfinity: true }).map((n) => JSON.stringify(n)),
  fc.integer({ min: -5000, max: 5000 }).map((n) => `${n}.0`),
  fc.tuple(fc.integer({ min: 1, max: 9 }), fc.integer({ min: -30, max: 30 })).map(([m, e]) => `${m}e${e}`),
  fc.constantFrom("-0", "-0.0", "0.1", "1E400", "1.5e-7", "0.0001", "1e16", "123456789012345678"),
);
const scalar = fc.oneof(text.map((s) => JSON.stringify(s)), numberLexeme, fc.constantFrom("true", "false", "null"));
const { value: jsonText } = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: "small", withCrossShrink: true }, scalar, tie("array"), tie("object")),
  array: fc.array(tie("value"), { maxLength: 4 }).map((items) => `[${items.join(",")}]`),
  object: fc.uniqueArray(fc.tuple(text, tie("value")), { maxLength: 5, selector: ([key]) => key })
    .map((entries) => `{${entries.map(([key, value]) => `${JSON.stringify(key)}: ${value}`).join(", ")}}`),
}));
const filterText = fc.uniqueArray(fc.tuple(text, jsonText as fc.Arbitrary<string>), { minLength: 0, maxLength: 6, selector: ([key]) => key })
  .map((entries) => `{${entries.map(([key, value]) => `${JSON.stringify(key)}:${value}`).join(",")}}`);

describe("contentFilterHash()", () => {
  it("matches the reference's known vectors", () => {
    expect(contentFilterHash({ content_type: "courserun" })).toBe("58652973bc814f1a8df3942010c57c84");
    expect(contentFilterHash({})).toBe("99914b932bd37a50b983c5e7c90ae93b");
    expect(contentFilterHash({ content_type: ["political", "unit", "market"] })).toBe("35584b583415a5bd4e51cc70d898a0eb");
    expect(contentFilterHash({
      content_type: "course", partner: "edx", level_type: ["Introductory", "Intermediate", "Advanced"],
      availability: ["Current", "Starting Soon", "Upcoming"], status: "published",
    })).toBe("13f6ce14cd7879ef535e777c61e06f08");
  });

  it("ignores key order at every level but keeps list order", () => {
    const a = contentFilterFromJson('{"b": {"y": 1, "x": [1, 2]}, "a": "z"}');
    const b = contentFilterFromJson('{"a": "z", "b": {"x": [1, 2], "y": 1}}');
    const c = contentFilterFromJson('{"a": "z", "b": {"x": [2, 1], "y": 1}}');
    expect(a.hash).toBe(b.hash);
    expect(a.hash).not.toBe(c.hash);
  });

  it("keeps 1.0 a float when parsed from JSON text, as Python does", () => {
    expect(contentFilterFromJson('{"price": 1.0}').canonicalJson).toBe('{"price": 1.0}');
    expect(contentFilterFromJson('{"price": 1}').canonicalJson).toBe('{"price": 1}');
    expect(contentFilterFromValue({ price: 1.0 }).canonicalJson).toBe('{"price": 1}');
  });

  it.skipIf(PYTHON === undefined)("matches Python json.dumps for 400 generated filters with nested unicode and numbers", () => {
    const texts = fc.sample(filterText, { numRuns: 400, seed: 20261122 });
    texts.push('{"k": "\\ud83d\\ude00 \\u00e9 / \\u007f", "\\uffff": 1, "\\ud800\\udc00": 2, "n": [1.0, -0, 1e400, 0.00001]}');
    const expected = pythonHashes(texts);
    const mismatches = texts.filter((t, i) => contentFilterFromJson(t).hash !== expected[i]);
    expect(mismatches).toEqual([]);
  });

  it.skipIf(PYTHON === undefined)("matches Python for plain values an in-process caller passes", () => {
    // Infinity (from 1E400) cannot be written as JSON, so an in-process caller cannot pass it.
    const values = fc.sample(filterText, { numRuns: 200, seed: 7 })
      .map((t) => JSON.parse(t) as Record<string, never>)
      .filter((value) => !JSON.stringify(value, (_k, v) => (v === Infinity || v === -Infinity ? "∞!" : v)).includes("∞!"));
    expect(values.length).toBeGreaterThan(150);
    const expected = pythonHashes(values.map((value) => JSON.stringify(value)));
    expect(values.map((value) => contentFilterHash(value))).toEqual(expected);
  });

  it("says why when python3 is absent", () => {
    if (PYTHON === undefined) console.warn("python3 not found: the Python comparison tests were skipped");
    expect(true).toBe(true);
  });
});

describe("contentFilterFromJson()", () => {
  it("rejects text that is not a JSON object", () => {
    for (const bad of ["", "[]", '"x"', "1", "{", "null"]) {
      expect(() => contentFilterFromJson(bad)).toThrow(ValidationError);
    }
  });

  it("rejects non-finite numbers from in-process callers", () => {
    expect(() => contentFilterFromValue({ price: Infinity })).toThrow(ValidationError);
  });

  it("reads the filter from a member of a request body", () => {
    const filter = contentFilterFromJson('{"title": "t", "content_filter": {"p": 2.0}}', { member: "content_filter" });
    expect(filter.canonicalJson).toBe('{"p": 2.0}');
  });

  it("rejects filters nested deeper than the limit", () => {
    const deep = `{"a": ${"[".repeat(MAX_FILTER_DEPTH + 1)}${"]".repeat(MAX_FILTER_DEPTH + 1)}}`;
    expect(() => contentFilterFromJson(deep)).toThrow(/nested too deeply/);
  });

  it("contentFilterFromJson() calls a filter nested 100,000 deep too deep, not invalid JSON", () => {
    const deep = `{"a": ${"[".repeat(100_000)}${"]".repeat(100_000)}}`;
    expect(() => contentFilterFromJson(deep)).toThrow(/nested too deeply/);
  });
});
