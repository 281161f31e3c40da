import { describe, expect, it } from "vitest";
import { ResponseCache } from "../../adapters/http/response_cache.ts";

const value = (bytes: number) => ({ bytes });

describe("ResponseCache", () => {
  it("keeps values under maxBytes, evicting the least recently used first", () => {
    const cache = new ResponseCache<{ bytes: number }>({ maxBytes: 10, maxEntryBytes: 8 });
    cache.set("a", value(4));
    cache.set("b", value(4));
    expect(cache.get("a")).toEqual(value(4));
    cache.set("c", value(4));
    expect(cache.get("b")).toBeUndefined();
    expect(cache.get("a")).toEqual(value(4));
    expect(cache.bytes).toBe(8);
  });

  it("never keeps a value larger than maxEntryBytes, and replaces a key's value", () => {
    const cache = new ResponseCache<{ bytes: number }>({ maxBytes: 100, maxEntryBytes: 8 });
    cache.set("big", value(9));
    expect(cache.get("big")).toBeUndefined();
    cache.set("a", value(3));
    cache.set("a", value(5));
    expect(cache.bytes).toBe(5);
  });
});
