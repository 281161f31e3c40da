/**
 * Paths real clients call beside the catalog API (decision 0014): the CSRF token frontend-platform
 * fetches before every unsafe request, served and never checked; videos and academies, which this
 * service does not keep, answered 404 like any path it does not serve.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startMemoryService, type TestService } from "../helpers/service.ts";

const CUSTOMER = "a94412c9-f91c-4d0d-87cb-1ca1c0d11457";
let service: TestService;
beforeAll(async () => {
  service = await startMemoryService();
});
afterAll(async () => {
  await service?.stop();
});

describe("GET /csrf/api/v1/token", () => {
  it("answers edx-drf-extensions' shape to anyone, with or without the trailing slash, saying no token is checked", async () => {
    for (const path of ["/csrf/api/v1/token", "/csrf/api/v1/token/"]) {
      const response = await service.call("getCsrfToken", "GET", path, { anonymous: true, headers: { "use-jwt-cookie": "true" } });
      expect(response.status).toBe(200);
      expect(response.body).toEqual({ csrfToken: "not-required" });
      expect(response.headers.get("cache-control")).toBe("no-store");
    }
  });

  it("is not needed: an unsafe request is answered the same with the token, another token or none", async () => {
    const path = `/api/v1/enterprise-customer/${CUSTOMER}/filter_content_items/`;
    const body = { content_keys: ["edX+DemoX"] };
    const answers = await Promise.all([undefined, "not-required", "forged"].map((token) =>
      service.call("customerFilterContentItems", "POST", path, { body, headers: token === undefined ? {} : { "x-csrftoken": token } })
    ));
    expect(answers.map((answer) => answer.status)).toEqual([200, 200, 200]);
    expect(new Set(answers.map((answer) => JSON.stringify(answer.body))).size).toBe(1);
  });
});

describe("videos and academies", () => {
  it("answer 404 Not found, as every path the service does not serve, whoever asks", async () => {
    const paths = [
      "/api/v1/videos/5f8a9c1e-video",
      "/api/v1/academies",
      "/api/v1/academies/",
      `/api/v1/academies?enterprise_customer=${CUSTOMER}`,
      "/api/v1/academies/0fa8c2e9-ba23-4749-86d9-0bfa84991490/",
    ];
    const authorization = await service.authorization({ roles: [`enterprise_learner:${CUSTOMER}`] });
    for (const path of paths) {
      for (const headers of [{}, { authorization }]) {
        const response = await fetch(`${service.baseUrl}${path}`, { headers });
        expect(response.status, path).toBe(404);
        expect(response.headers.get("content-type"), path).toContain("application/problem+json");
        expect(((await response.json()) as { detail: string }).detail, path).toBe("Not found.");
      }
    }
  });
});
