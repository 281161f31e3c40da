import { describe, expect, test } from "vitest";
import { KeyTable } from "../../src/content/membership_model.ts";

describe("KeyTable", () => {
  const keys = [
    "", "a", "MITx+6.00x", "course-v1:MITx+6.00x+1T2026", "Ünï+é", "😀+CS50", "ا+1", "a b", "q\"uote",
    ...Array.from({ length: 5000 }, (_, i) => (i % 2 === 0 ? `course-v1:Org${i % 37}+N${i}+1T2026` : `Ωrg${i}+N`)),
  ];

  test("intern() gives each distinct key one dense id, and idOf() finds it again, before and after trim()", () => {
    const table = new KeyTable();
    const ids = keys.map((key) => table.intern(key));
    expect(ids).toEqual(keys.map((_, i) => i));
    expect(keys.map((key) => table.intern(key))).toEqual(ids);
    expect(table.size).toBe(keys.length);
    table.trim();
    expect(keys.map((key) => table.idOf(key))).toEqual(ids);
    expect(table.intern("after trim")).toBe(keys.length);
    expect(table.idOf("after trim")).toBe(keys.length);
  });

  test("idOf() is -1 for keys never interned, including prefixes, extensions and other encodings", () => {
    const table = new KeyTable();
    for (const key of keys) table.intern(key);
    for (const absent of ["MITx+6.00", "MITx+6.00x ", "course-v1:MITx+6.00x+1T2027", "Uni+e", "Ünï+e", "😁+CS50", "b"]) {
      expect(table.idOf(absent)).toBe(-1);
    }
  });

  test("bytes counts the keys' UTF-8 bytes and about ten bytes a key once trimmed, not an object per key", () => {
    const table = new KeyTable();
    for (const key of keys) table.intern(key);
    table.trim();
    const utf8 = keys.reduce((sum, key) => sum + new TextEncoder().encode(key).length, 0);
    expect(table.bytes).toBeGreaterThanOrEqual(utf8);
    expect((table.bytes - utf8) / keys.length).toBeLessThan(12);
  });
});
