/**
 * Paths real clients call beside the catalog API that this service does not serve (decision 0017):
 * videos and academies, answered 404 like any path it does not serve.
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
