import { mkdtemp, readFile, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { devSecretPath, withJwtKey } from "../../adapters/cli/token.ts";
import { ConfigError, loadConfig } from "../../adapters/config.ts";
import { createAuthenticator } from "../../adapters/http/jwt.ts";
import { runCatalog } from "../helpers/run_catalog.ts";
import { type PostgresTestService, startTestService } from "../helpers/service.ts";

const A = "a94412c9-f91c-4d0d-87cb-1ca1c0d11457";

let service: PostgresTestService;
let dataDir: string;
beforeAll(async () => {
  service = await startTestService();
  dataDir = await mkdtemp(join(tmpdir(), "catalog-token-"));
});
afterAll(async () => {
  await service?.stop();
  await rm(dataDir, { recursive: true, force: true });
});

/** Runs `catalog <args>` without the JWT, database and data-dir settings of this process. */
function catalog(args: string[], env: Record<string, string | undefined>) {
  const clean = Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^(JWT_|DATABASE_URL$|CATALOG_DATA_DIR$)/.test(name)));
  return runCatalog(args, { ...clean, ...env });
}

describe("catalog token", () => {
  it("prints a token the service accepts with exactly the roles asked for", async () => {
    const secret = service.runtime.config.jwt.secretKey as string;
    const made = await catalog(["token", "--role", `enterprise_admin:${A}`, "--ttl", "10m", "--subject", "ops"], { JWT_SECRET_KEY: secret });
    expect(made.stderr).toBe("");
    expect(made.code).toBe(0);
    const token = made.stdout.trim();
    const payload = JSON.parse(Buffer.from(token.split(".")[1] as string, "base64url").toString());
    expect(payload).toMatchObject({ sub: "ops", roles: [`enterprise_admin:${A}`] });
    expect(payload.exp - payload.iat).toBe(600);
    const created = await service.call("createEnterpriseCatalog", "POST", "/api/v1/enterprise-catalogs/", {
      headers: { authorization: `JWT ${token}` }, body: { title: "By token", enterprise_customer: A },
    });
    expect(created.status).toBe(201);
    const elsewhere = await service.call("createEnterpriseCatalog", "POST", "/api/v1/enterprise-catalogs/", {
      headers: { authorization: `JWT ${token}` }, body: { title: "By token", enterprise_customer: "6ae013d4-c5f4-474f-8a12-a4e1b8c0f2d3" },
    });
    expect(elsewhere.status).toBe(403);
  });

  it("refuses malformed roles and durations, and signing without a key", async () => {
    const bad = await catalog(["token", "--role", "enterprise_admin:acme", "--role", "king:*", "--ttl", "1y"], { JWT_SECRET_KEY: "k".repeat(32) });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('Invalid role "enterprise_admin:acme"');
    expect(bad.stderr).toContain('Unknown system role "king"');
    expect(bad.stderr).toContain('Invalid duration "1y"');
    const keyless = await catalog(["token", "--role", "enterprise_admin:*"], { CATALOG_DATA_DIR: join(dataDir, "empty") });
    expect(keyless.code).toBe(2);
    expect(keyless.stderr).toMatch(/Cannot sign a token: set JWT_SECRET_KEY/);
  });

  it("on embedded defaults, serve's generated key is created once with mode 0600 and the token command signs with it", async () => {
    const config = loadConfig({ CATALOG_DATA_DIR: dataDir });
    const first = await withJwtKey(config);
    const again = await withJwtKey(config);
    expect(first.devSecret).toEqual({ path: devSecretPath(dataDir), created: true });
    expect(again.devSecret?.created).toBe(false);
    expect(again.config.jwt.secretKey).toBe(first.config.jwt.secretKey);
    expect((await stat(devSecretPath(dataDir))).mode & 0o777).toBe(0o600);
    expect((await readFile(devSecretPath(dataDir), "utf8")).trim()).toBe(first.config.jwt.secretKey);

    const made = await catalog(["token", "--role", "enterprise_openedx_operator:*"], { CATALOG_DATA_DIR: dataDir });
    expect(made.code).toBe(0);
    const caller = await createAuthenticator(first.config.jwt).authenticate(`JWT ${made.stdout.trim()}`);
    expect(caller.enterprisesWith("catalog_admin")).toBe("*");
  });

  it("serve refuses to start with a database of its own but no key", async () => {
    await expect(withJwtKey(loadConfig({ DATABASE_URL: "postgresql://x@localhost/db", CATALOG_DATA_DIR: dataDir }))).rejects.toThrow(ConfigError);
    const refused = await catalog(["serve"], { DATABASE_URL: "postgresql://nobody@127.0.0.1:1/none", LOG_LEVEL: "silent" });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain("JWT_SECRET_KEY or JWT_PUBLIC_SIGNING_JWK_SET must be set");
  });
});
