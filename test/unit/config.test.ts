import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../../adapters/config.ts";

describe("loadConfig()", () => {
  it("runs on embedded defaults when nothing is set", () => {
    const config = loadConfig({}, { cwd: "/srv/catalog" });
    expect(config).toMatchObject({
      port: 18160, databaseUrl: undefined, discoveryUrl: undefined, dataDir: "/srv/catalog/.data",
      logLevel: "info", inProcessWorker: true, freshnessHours: 24, sweepCron: "0 * * * *", oauth2: undefined,
    });
  });

  it("reads every documented variable", () => {
    const config = loadConfig({
      PORT: "8080", DATABASE_URL: "postgresql://u:p@db:5432/catalog", DISCOVERY_URL: "https://discovery.example.org/",
      OAUTH2_TOKEN_URL: "https://lms.example.org/oauth2/access_token", OAUTH2_CLIENT_ID: "id", OAUTH2_CLIENT_SECRET: "secret",
      JWT_SECRET_KEY: "k", JWT_ISSUER: "iss", JWT_AUDIENCE: "aud", JWT_PUBLIC_SIGNING_JWK_SET: '{"keys": []}',
      LMS_BASE_URL: "https://lms.example.org", LEARNER_PORTAL_BASE_URL: "https://learner.example.org", LOG_LEVEL: "debug",
      CATALOG_IN_PROCESS_WORKER: "false", CATALOG_FRESHNESS_HOURS: "12", METRICS_PORT: "9100",
    });
    expect(config).toMatchObject({
      port: 8080, databaseUrl: "postgresql://u:p@db:5432/catalog", discoveryUrl: "https://discovery.example.org",
      oauth2: { tokenUrl: "https://lms.example.org/oauth2/access_token", clientId: "id", clientSecret: "secret" },
      jwt: { secretKey: "k", issuer: "iss", audience: "aud" }, logLevel: "debug", inProcessWorker: false, freshnessHours: 12, metricsPort: 9100,
    });
  });

  it("reads the LMS and browser settings, with defaults", () => {
    expect(loadConfig({}, { cwd: "/srv" })).toMatchObject({
      lms: { apiUrl: undefined, customersFile: undefined, customerMaxAgeSeconds: 3600, readWaitMs: 250 },
      browser: { allowedOrigins: [], preflightMaxAgeSeconds: 86_400, jwtCookies: { headerPayload: "edx-jwt-cookie-header-payload", signature: "edx-jwt-cookie-signature" } },
    });
    const config = loadConfig({
      LMS_API_URL: "http://lms.internal:8000/", OAUTH2_TOKEN_URL: "http://lms.internal:8000/oauth2/access_token", OAUTH2_CLIENT_ID: "id", OAUTH2_CLIENT_SECRET: "s",
      LMS_CUSTOMER_MAX_AGE_SECONDS: "600", LMS_READ_WAIT_MS: "0",
      CORS_ORIGIN_WHITELIST: "https://learner.example.org, http://localhost:1991", CORS_PREFLIGHT_MAX_AGE: "60",
      JWT_AUTH_COOKIE_HEADER_PAYLOAD: "stage-jwt-header-payload", JWT_AUTH_COOKIE_SIGNATURE: "stage-jwt-signature",
    });
    expect(config).toMatchObject({
      lms: { apiUrl: "http://lms.internal:8000", customerMaxAgeSeconds: 600, readWaitMs: 0 },
      browser: { allowedOrigins: ["https://learner.example.org", "http://localhost:1991"], preflightMaxAgeSeconds: 60, jwtCookies: { headerPayload: "stage-jwt-header-payload", signature: "stage-jwt-signature" } },
    });
    expect(loadConfig({ LMS_CUSTOMERS_FILE: "customers.json" }, { cwd: "/srv" }).lms.customersFile).toBe("/srv/customers.json");
  });

  it("names every bad LMS and browser setting at once", () => {
    let error: unknown;
    try {
      loadConfig({
        LMS_API_URL: "http://lms", LMS_CUSTOMERS_FILE: "c.json", CORS_ORIGIN_WHITELIST: "https://ok.example.org,https://portal.example.org/path,*",
        JWT_AUTH_COOKIE_SIGNATURE: "bad name",
      });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems).toEqual([
      "LMS_API_URL and LMS_CUSTOMERS_FILE exclude each other: the customers come from the LMS or from the file",
      "LMS_API_URL needs OAUTH2_TOKEN_URL, OAUTH2_CLIENT_ID and OAUTH2_CLIENT_SECRET: the LMS answers only authenticated clients",
      'CORS_ORIGIN_WHITELIST must list origins like https://portal.example.com (scheme, host and port only), not "https://portal.example.org/path"',
      'CORS_ORIGIN_WHITELIST must list origins like https://portal.example.com (scheme, host and port only), not "*"',
      "JWT_AUTH_COOKIE_SIGNATURE must be a cookie name (letters, digits and !#$%&'*+-.^_`|~), not \"bad name\"",
    ]);
  });

  it("reads how discovery over HTTP pages searches and how large an answer it reads, with defaults", () => {
    expect(loadConfig({}).discoveryHttp).toEqual({ searchApi: "auto", maxResultWindow: 15_000, maxResponseBytes: 33_554_432 });
    const config = loadConfig({ DISCOVERY_SEARCH_API: "v2", DISCOVERY_MAX_RESULT_WINDOW: "10000", DISCOVERY_MAX_RESPONSE_BYTES: "8388608" });
    expect(config.discoveryHttp).toEqual({ searchApi: "v2", maxResultWindow: 10_000, maxResponseBytes: 8_388_608 });
    let error: unknown;
    try {
      loadConfig({ DISCOVERY_SEARCH_API: "v3", DISCOVERY_MAX_RESULT_WINDOW: "0", DISCOVERY_MAX_RESPONSE_BYTES: "32MiB" });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems).toEqual([
      'DISCOVERY_SEARCH_API must be one of v1, v2, auto, not "v3"',
      'DISCOVERY_MAX_RESULT_WINDOW must be a number from 1 to 1000000000, not "0"',
      'DISCOVERY_MAX_RESPONSE_BYTES must be a number from 65536 to 2147483648, not "32MiB"',
    ]);
  });

  it("bounds every database wait by default and reads the timeouts in whole milliseconds", () => {
    expect(loadConfig({}).databaseTimeouts).toEqual({ connectMs: 1500, statementMs: 2000, jobStatementMs: 300_000, idleInTransactionMs: 10_000, readyMs: 1000 });
    expect(loadConfig({
      CATALOG_DB_CONNECT_TIMEOUT_MS: "500", CATALOG_DB_STATEMENT_TIMEOUT_MS: "800", CATALOG_DB_JOB_STATEMENT_TIMEOUT_MS: "60000",
      CATALOG_DB_IDLE_IN_TRANSACTION_TIMEOUT_MS: "5000", CATALOG_READY_TIMEOUT_MS: "250",
    }).databaseTimeouts).toEqual({ connectMs: 500, statementMs: 800, jobStatementMs: 60_000, idleInTransactionMs: 5000, readyMs: 250 });
    let error: unknown;
    try {
      loadConfig({ CATALOG_DB_CONNECT_TIMEOUT_MS: "0", CATALOG_DB_STATEMENT_TIMEOUT_MS: "1.5", CATALOG_DB_JOB_STATEMENT_TIMEOUT_MS: "forever", CATALOG_READY_TIMEOUT_MS: "-1" });
    } catch (caught) {
      error = caught;
    }
    expect((error as ConfigError).problems).toEqual([
      'CATALOG_DB_CONNECT_TIMEOUT_MS must be a number from 100 to 60000, not "0"',
      'CATALOG_DB_STATEMENT_TIMEOUT_MS must be a number from 100 to 600000, not "1.5"',
      'CATALOG_DB_JOB_STATEMENT_TIMEOUT_MS must be a number from 1000 to 86400000, not "forever"',
      'CATALOG_READY_TIMEOUT_MS must be a number from 100 to 60000, not "-1"',
    ]);
  });

  it("stops with one message listing every invalid or unknown value", () => {
    let error: unknown;
    try {
      loadConfig({
        PORT: "eighty", DATABASE_URL: "mysql://x", DISCOVERY_URL: "ftp://x", LOG_LEVEL: "loud",
        OAUTH2_CLIENT_ID: "only-one", JWT_PUBLIC_SIGNING_JWK_SET: "{", CATALOG_FRESHNES_HOURS: "12",
      });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems;
    expect(problems).toHaveLength(7);
    for (const name of ["PORT", "DATABASE_URL", "DISCOVERY_URL", "LOG_LEVEL", "OAUTH2_TOKEN_URL", "JWT_PUBLIC_SIGNING_JWK_SET", "CATALOG_FRESHNES_HOURS"]) {
      expect((error as ConfigError).message).toContain(`  - ${name}`);
    }
  });
});
