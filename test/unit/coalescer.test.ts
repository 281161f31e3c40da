import { describe, expect, it } from "vitest";
import { Coalescer } from "../../adapters/postgres/coalescer.ts";

describe("Coalescer", () => {
  it("ask() sends the questions of one event-loop turn as one batch and answers each in order", async () => {
    const batches: number[][] = [];
    const coalescer = new Coalescer<number, number>(async (questions) => {
      batches.push([...questions]);
      return questions.map((question) => question * 10);
    }, { maxBatch: 100, maxInFlight: 2 });
    expect(await Promise.all([1, 2, 3].map((n) => coalescer.ask(n)))).toEqual([10, 20, 30]);
    expect(batches).toEqual([[1, 2, 3]]);
  });

  it("ask() keeps at most maxInFlight batches running; later questions wait and go out together", async () => {
    const batches: number[][] = [];
    let release!: () => void;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const coalescer = new Coalescer<number, number>(async (questions) => {
      batches.push([...questions]);
      if (batches.length === 1) await gate;
      return [...questions];
    }, { maxBatch: 2, maxInFlight: 1 });
    const first = coalescer.ask(1);
    await new Promise((resolve) => setImmediate(resolve));
    const later = [2, 3, 4].map((n) => coalescer.ask(n));
    await new Promise((resolve) => setImmediate(resolve));
    expect(batches).toEqual([[1]]);
    release();
    expect(await Promise.all([first, ...later])).toEqual([1, 2, 3, 4]);
    expect(batches).toEqual([[1], [2, 3], [4]]);
  });

  it("ask() rejects every question of a failed batch and keeps serving", async () => {
    let fail = true;
    const coalescer = new Coalescer<number, number>(async (questions) => {
      if (fail) throw new Error("database gone");
      return [...questions];
    }, { maxBatch: 10, maxInFlight: 1 });
    const results = await Promise.allSettled([coalescer.ask(1), coalescer.ask(2)]);
    expect(results.map((result) => result.status)).toEqual(["rejected", "rejected"]);
    fail = false;
    expect(await coalescer.ask(3)).toBe(3);
  });
});
