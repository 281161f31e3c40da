import { describe, expect, it } from "vitest";
import type { Authenticator } from "../../adapters/http/jwt.ts";
import { callerFromClaims } from "../../adapters/http/caller.ts";
import { HttpProblem } from "../../adapters/http/problem.ts";
import { cachingAuthenticator } from "../../adapters/http/token_cache.ts";

/** A header whose token payload says `exp` (seconds); the signature part is irrelevant here. */
function header(exp: number, subject = "learner"): string {
  const payload = Buffer.from(JSON.stringify({ sub: subject, exp })).toString("base64url");
  return `JWT e30.${payload}.sig`;
}

function counting(accept: (authorization: string | undefined) => boolean) {
  const calls: (string | undefined)[] = [];
  const inner: Authenticator = {
    async authenticate(authorization) {
      calls.push(authorization);
      if (!accept(authorization)) throw new HttpProblem(401, "Error decoding token.");
      return callerFromClaims({ sub: "learner", roles: [] });
    },
  };
  return { inner, calls };
}

describe("cachingAuthenticator()", () => {
  it("verifies a header once and answers it from memory until the token expires", async () => {
    let now = 1_000_000;
    const { inner, calls } = counting(() => true);
    const auth = cachingAuthenticator(inner, { now: () => now });
    const token = header(now / 1000 + 60);
    const first = await auth.authenticate(token);
    expect(await auth.authenticate(token)).toBe(first);
    expect(calls).toHaveLength(1);
    now += 61_000;
    await auth.authenticate(token);
    expect(calls).toHaveLength(2);
  });

  it("verifies again after maxAgeMs even when the token lives longer, and keeps tokens apart", async () => {
    let now = 5_000_000;
    const { inner, calls } = counting(() => true);
    const auth = cachingAuthenticator(inner, { now: () => now, maxAgeMs: 1000 });
    const a = header(now / 1000 + 3600, "a");
    const b = header(now / 1000 + 3600, "b");
    await auth.authenticate(a);
    await auth.authenticate(b);
    await auth.authenticate(a);
    expect(calls).toEqual([a, b]);
    now += 1001;
    await auth.authenticate(a);
    expect(calls).toEqual([a, b, a]);
  });

  it("never remembers a refusal, and forgets the oldest entry past maxEntries", async () => {
    const { inner, calls } = counting((authorization) => authorization !== "JWT bad");
    const auth = cachingAuthenticator(inner, { maxEntries: 2 });
    for (let i = 0; i < 2; i++) await expect(auth.authenticate("JWT bad")).rejects.toBeInstanceOf(HttpProblem);
    expect(calls).toHaveLength(2);
    const far = Math.floor(Date.now() / 1000) + 3600;
    for (const subject of ["a", "b", "c", "a"]) await auth.authenticate(header(far, subject));
    // "a" was evicted by "c", so it was verified twice.
    expect(calls.filter((call) => call === header(far, "a"))).toHaveLength(2);
  });
});
