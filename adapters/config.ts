/** Configuration from the environment, checked as a whole at start-up. */
import { isAbsolute, resolve } from "node:path";
import { DISCOVERY_SEARCH_APIS, type DiscoverySearchApi } from "./discovery_http/http_discovery_client.ts";

/** Log levels pino knows. */
const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;

/** How long the service waits on its database, in milliseconds (see docs/operations.md). */
export interface DatabaseTimeouts {
  /** Waiting for a pooled connection or for a new one to be ready. */
  readonly connectMs: number;
  /** `statement_timeout` of the request path (API reads and writes); the client waits 1 s longer. */
  readonly statementMs: number;
  /** `statement_timeout` of background work (refresh jobs, the sweep, migrations, pg-boss). */
  readonly jobStatementMs: number;
  /** `idle_in_transaction_session_timeout` of every connection. */
  readonly idleInTransactionMs: number;
  /** `/ready` answers "unreachable" when its check takes longer. */
  readonly readyMs: number;
}

/** Everything the service reads from its environment. */
export interface AppConfig {
  readonly port: number;
  readonly host: string;
  /** Unset: an embedded PostgreSQL under `dataDir` is started. */
  readonly databaseUrl: string | undefined;
  readonly dataDir: string;
  readonly embeddedPostgresPort: number;
  readonly databaseTimeouts: DatabaseTimeouts;
  /** Unset: the bundled local discovery corpus answers. */
  readonly discoveryUrl: string | undefined;
  readonly oauth2: { readonly tokenUrl: string; readonly clientId: string; readonly clientSecret: string } | undefined;
  /** How discovery over HTTP pages searches and how large an answer it reads. */
  readonly discoveryHttp: {
    readonly searchApi: DiscoverySearchApi;
    readonly maxResultWindow: number;
    readonly maxResponseBytes: number;
  };
  readonly jwt: {
    readonly secretKey: string | undefined;
    readonly publicSigningJwkSet: string | undefined;
    readonly issuer: string | undefined;
    readonly audience: string | undefined;
  };
  readonly lmsBaseUrl: string;
  /** Where the service asks the LMS about enterprise customers (slug, learner portal). */
  readonly lms: {
    /** The LMS root the service reaches; unset: the local directory (`customersFile`, or no customers). */
    readonly apiUrl: string | undefined;
    /** A JSON list of enterprise customer records the local directory answers from. */
    readonly customersFile: string | undefined;
    /** Customer records older than this are refreshed in the background. */
    readonly customerMaxAgeSeconds: number;
    /** Longest a read waits for the LMS about a customer it knows nothing of yet. */
    readonly readWaitMs: number;
  };
  /** What browsers (the learner and admin portals) may do. */
  readonly browser: {
    /** Exact origins (`https://portal.example.com`) allowed to call with credentials; unsafe methods from any other origin are refused. */
    readonly allowedOrigins: readonly string[];
    /** Seconds a browser may cache a preflight answer. */
    readonly preflightMaxAgeSeconds: number;
    /** The two cookies edX splits its JWT into (edx-drf-extensions' `JWT_AUTH_COOKIE_HEADER_PAYLOAD` and `..._SIGNATURE`). */
    readonly jwtCookies: { readonly headerPayload: string; readonly signature: string };
  };
  readonly learnerPortalBaseUrl: string;
  /** Ecommerce root for exec-ed checkout URLs. */
  readonly ecommerceBaseUrl: string;
  readonly logLevel: (typeof LOG_LEVELS)[number];
  /** Run refresh workers in the serving process. */
  readonly inProcessWorker: boolean;
  /** Hours within which every catalog must have been refreshed. */
  readonly freshnessHours: number;
  /** Cron expression of the freshness sweep. */
  readonly sweepCron: string;
  /** Serve /metrics on this separate port instead of the API port. */
  /**
   * The containment read model (decision 0018): at most `budgetMb` MiB held (0: none, every answer
   * from PostgreSQL), every version re-read each `checkMs` besides the notices.
   */
  readonly readModel: { readonly budgetMb: number; readonly checkMs: number };
  readonly metricsPort: number | undefined;
  readonly trustProxy: boolean;
}

/** Start-up stops with this error, which lists every problem at once. */
export class ConfigError extends Error {
  readonly problems: readonly string[];
  constructor(problems: readonly string[]) {
    super(`Invalid configuration:\n${problems.map((problem) => `  - ${problem}`).join("\n")}`);
    this.name = "ConfigError";
    this.problems = problems;
  }
}

/** The service's own settings; any other `CATALOG_*` variable is a typo worth stopping for. */
const CATALOG_SETTINGS = new Set([
  "CATALOG_DATA_DIR", "CATALOG_IN_PROCESS_WORKER", "CATALOG_FRESHNESS_HOURS", "CATALOG_SWEEP_CRON",
  "CATALOG_DB_CONNECT_TIMEOUT_MS", "CATALOG_DB_STATEMENT_TIMEOUT_MS", "CATALOG_DB_JOB_STATEMENT_TIMEOUT_MS",
  "CATALOG_DB_IDLE_IN_TRANSACTION_TIMEOUT_MS", "CATALOG_READY_TIMEOUT_MS",
  "CATALOG_READ_MODEL_BUDGET_MB", "CATALOG_READ_MODEL_CHECK_MS",
]);

/** Reads the configuration; throws ConfigError naming every unknown or invalid value. */
export function loadConfig(env: Readonly<Record<string, string | undefined>>, options: { cwd?: string } = {}): AppConfig {
  const problems: string[] = [];
  for (const name of Object.keys(env)) {
    if (name.startsWith("CATALOG_") && !CATALOG_SETTINGS.has(name)) {
      problems.push(`${name} is not a setting of this service (known: ${[...CATALOG_SETTINGS].join(", ")})`);
    }
  }
  const read = new Reader(env, problems);
  const cwd = options.cwd ?? process.cwd();
  const dataDir = read.text("CATALOG_DATA_DIR") ?? ".data";
  const oauthParts = [read.url("OAUTH2_TOKEN_URL"), read.text("OAUTH2_CLIENT_ID"), read.text("OAUTH2_CLIENT_SECRET")] as const;
  const oauthGiven = oauthParts.filter((part) => part !== undefined).length;
  if (oauthGiven > 0 && oauthGiven < 3) {
    problems.push("OAUTH2_TOKEN_URL, OAUTH2_CLIENT_ID and OAUTH2_CLIENT_SECRET must be set together");
  }
  const lmsApiUrl = read.url("LMS_API_URL");
  const lmsCustomersFile = read.text("LMS_CUSTOMERS_FILE");
  if (lmsApiUrl !== undefined && lmsCustomersFile !== undefined) problems.push("LMS_API_URL and LMS_CUSTOMERS_FILE exclude each other: the customers come from the LMS or from the file");
  if (lmsApiUrl !== undefined && oauthGiven === 0) problems.push("LMS_API_URL needs OAUTH2_TOKEN_URL, OAUTH2_CLIENT_ID and OAUTH2_CLIENT_SECRET: the LMS answers only authenticated clients");
  const jwkSet = read.text("JWT_PUBLIC_SIGNING_JWK_SET");
  if (jwkSet !== undefined) checkJwkSet(jwkSet, problems);
  const config: AppConfig = {
    port: read.port("PORT") ?? 18160,
    host: read.text("HOST") ?? "0.0.0.0",
    databaseUrl: read.databaseUrl("DATABASE_URL"),
    dataDir: isAbsolute(dataDir) ? dataDir : resolve(cwd, dataDir),
    embeddedPostgresPort: read.port("EMBEDDED_POSTGRES_PORT") ?? 54329,
    databaseTimeouts: {
      connectMs: read.milliseconds("CATALOG_DB_CONNECT_TIMEOUT_MS", { min: 100, max: 60_000 }) ?? 1500,
      statementMs: read.milliseconds("CATALOG_DB_STATEMENT_TIMEOUT_MS", { min: 100, max: 600_000 }) ?? 2000,
      jobStatementMs: read.milliseconds("CATALOG_DB_JOB_STATEMENT_TIMEOUT_MS", { min: 1000, max: 24 * 3600_000 }) ?? 300_000,
      idleInTransactionMs: read.milliseconds("CATALOG_DB_IDLE_IN_TRANSACTION_TIMEOUT_MS", { min: 1000, max: 3600_000 }) ?? 10_000,
      readyMs: read.milliseconds("CATALOG_READY_TIMEOUT_MS", { min: 100, max: 60_000 }) ?? 1000,
    },
    discoveryUrl: read.url("DISCOVERY_URL"),
    oauth2: oauthGiven === 3
      ? { tokenUrl: oauthParts[0] as string, clientId: oauthParts[1] as string, clientSecret: oauthParts[2] as string }
      : undefined,
    discoveryHttp: {
      searchApi: read.choice("DISCOVERY_SEARCH_API", DISCOVERY_SEARCH_APIS) ?? "auto",
      maxResultWindow: read.number("DISCOVERY_MAX_RESULT_WINDOW", { min: 1, max: 1_000_000_000, integer: true }) ?? 15_000,
      maxResponseBytes: read.number("DISCOVERY_MAX_RESPONSE_BYTES", { min: 65_536, max: 2 ** 31, integer: true }) ?? 32 * 1024 * 1024,
    },
    jwt: {
      secretKey: read.text("JWT_SECRET_KEY"),
      publicSigningJwkSet: jwkSet,
      issuer: read.text("JWT_ISSUER"),
      audience: read.text("JWT_AUDIENCE"),
    },
    lmsBaseUrl: read.url("LMS_BASE_URL") ?? "http://localhost:18000",
    lms: {
      apiUrl: lmsApiUrl,
      customersFile: lmsCustomersFile === undefined ? undefined : isAbsolute(lmsCustomersFile) ? lmsCustomersFile : resolve(cwd, lmsCustomersFile),
      customerMaxAgeSeconds: read.number("LMS_CUSTOMER_MAX_AGE_SECONDS", { min: 1, max: 7 * 86_400, integer: true }) ?? 3600,
      readWaitMs: read.milliseconds("LMS_READ_WAIT_MS", { min: 0, max: 10_000 }) ?? 250,
    },
    browser: {
      allowedOrigins: read.origins("CORS_ORIGIN_WHITELIST"),
      preflightMaxAgeSeconds: read.number("CORS_PREFLIGHT_MAX_AGE", { min: 0, max: 86_400 * 7, integer: true }) ?? 86_400,
      jwtCookies: {
        headerPayload: read.cookieName("JWT_AUTH_COOKIE_HEADER_PAYLOAD") ?? "edx-jwt-cookie-header-payload",
        signature: read.cookieName("JWT_AUTH_COOKIE_SIGNATURE") ?? "edx-jwt-cookie-signature",
      },
    },
    learnerPortalBaseUrl: read.url("LEARNER_PORTAL_BASE_URL") ?? "http://localhost:8734",
    ecommerceBaseUrl: read.url("ECOMMERCE_BASE_URL") ?? "http://localhost:18130",
    logLevel: read.choice("LOG_LEVEL", LOG_LEVELS) ?? "info",
    inProcessWorker: read.boolean("CATALOG_IN_PROCESS_WORKER") ?? true,
    freshnessHours: read.number("CATALOG_FRESHNESS_HOURS", { min: 1, max: 24 * 7 }) ?? 24,
    sweepCron: read.text("CATALOG_SWEEP_CRON") ?? "0 * * * *",
    readModel: {
      budgetMb: read.number("CATALOG_READ_MODEL_BUDGET_MB", { min: 0, max: 65_536 }) ?? 256,
      checkMs: read.milliseconds("CATALOG_READ_MODEL_CHECK_MS", { min: 50, max: 60_000 }) ?? 1000,
    },
    metricsPort: read.port("METRICS_PORT"),
    trustProxy: read.boolean("TRUST_PROXY") ?? false,
  };
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}

function checkJwkSet(text: string, problems: string[]): void {
  try {
    const parsed = JSON.parse(text) as { keys?: unknown };
    if (!Array.isArray(parsed.keys)) problems.push('JWT_PUBLIC_SIGNING_JWK_SET must be a JSON Web Key Set: {"keys": [...]}');
  } catch {
    problems.push("JWT_PUBLIC_SIGNING_JWK_SET is not valid JSON");
  }
}

class Reader {
  #env: Readonly<Record<string, string | undefined>>;
  #problems: string[];

  constructor(env: Readonly<Record<string, string | undefined>>, problems: string[]) {
    this.#env = env;
    this.#problems = problems;
  }

  text(name: string): string | undefined {
    const value = this.#env[name]?.trim();
    return value === undefined || value === "" ? undefined : value;
  }

  port(name: string): number | undefined {
    return this.number(name, { min: 0, max: 65535, integer: true });
  }

  milliseconds(name: string, range: { min: number; max: number }): number | undefined {
    return this.number(name, { ...range, integer: true });
  }

  number(name: string, range: { min: number; max: number; integer?: boolean }): number | undefined {
    const text = this.text(name);
    if (text === undefined) return undefined;
    const value = Number(text);
    if (!Number.isFinite(value) || value < range.min || value > range.max || (range.integer && !Number.isInteger(value))) {
      this.#problems.push(`${name} must be a number from ${range.min} to ${range.max}, not "${text}"`);
      return undefined;
    }
    return value;
  }

  boolean(name: string): boolean | undefined {
    const text = this.text(name)?.toLowerCase();
    if (text === undefined) return undefined;
    if (["1", "true", "yes", "on"].includes(text)) return true;
    if (["0", "false", "no", "off"].includes(text)) return false;
    this.#problems.push(`${name} must be true or false, not "${text}"`);
    return undefined;
  }

  choice<T extends string>(name: string, choices: readonly T[]): T | undefined {
    const text = this.text(name);
    if (text === undefined) return undefined;
    if ((choices as readonly string[]).includes(text)) return text as T;
    this.#problems.push(`${name} must be one of ${choices.join(", ")}, not "${text}"`);
    return undefined;
  }

  url(name: string): string | undefined {
    const text = this.text(name);
    if (text === undefined) return undefined;
    if (!URL.canParse(text) || !/^https?:$/.test(new URL(text).protocol)) {
      this.#problems.push(`${name} must be an http(s) URL, not "${text}"`);
      return undefined;
    }
    return text.replace(/\/+$/, "");
  }

  /** A comma-separated list of exact origins (`scheme://host[:port]`, no path); empty when unset. */
  origins(name: string): readonly string[] {
    const text = this.text(name);
    if (text === undefined) return [];
    const origins: string[] = [];
    for (const item of text.split(",").map((part) => part.trim()).filter((part) => part !== "")) {
      const origin = URL.canParse(item) ? new URL(item) : undefined;
      if (origin === undefined || !/^https?:$/.test(origin.protocol) || origin.origin !== item.replace(/\/+$/, "")) {
        this.#problems.push(`${name} must list origins like https://portal.example.com (scheme, host and port only), not "${item}"`);
        continue;
      }
      origins.push(origin.origin);
    }
    return origins;
  }

  /** A cookie name (an RFC 6265 token). */
  cookieName(name: string): string | undefined {
    const text = this.text(name);
    if (text === undefined) return undefined;
    if (!/^[!#$%&'*+\-.^_`|~0-9A-Za-z]{1,128}$/.test(text)) {
      this.#problems.push(`${name} must be a cookie name (letters, digits and !#$%&'*+-.^_\`|~), not "${text}"`);
      return undefined;
    }
    return text;
  }

  databaseUrl(name: string): string | undefined {
    const text = this.text(name);
    if (text === undefined) return undefined;
    if (!URL.canParse(text) || !/^postgres(ql)?:$/.test(new URL(text).protocol)) {
      this.#problems.push(`${name} must be a postgresql:// URL`);
      return undefined;
    }
    return text;
  }
}
