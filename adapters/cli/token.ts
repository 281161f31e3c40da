/**
 * Development tokens: `catalog token` signs an edX-style JWT with the configured key, and on
 * embedded defaults `catalog serve` keeps a random key under the data directory so that the
 * service never runs without authentication, even on a laptop.
 */
import { randomBytes } from "node:crypto";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { type AppConfig, ConfigError } from "../config.ts";
import { mintToken, parseDuration } from "../http/jwt.ts";
import { SYSTEM_TO_FEATURE_ROLES } from "../http/caller.ts";

/** The generated development key, beside the embedded PostgreSQL's data. */
export function devSecretPath(dataDir: string): string {
  return join(dataDir, "jwt-secret");
}

/** Reads the generated development key, or undefined when none was generated. */
export async function readDevSecret(dataDir: string): Promise<string | undefined> {
  try {
    const secret = (await readFile(devSecretPath(dataDir), "utf8")).trim();
    return secret === "" ? undefined : secret;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
}

/** Returns the development key, creating it (once, mode 0600) when there is none. */
export async function ensureDevSecret(dataDir: string): Promise<{ secret: string; created: boolean }> {
  const existing = await readDevSecret(dataDir);
  if (existing !== undefined) return { secret: existing, created: false };
  await mkdir(dataDir, { recursive: true });
  const secret = randomBytes(32).toString("base64url");
  try {
    await writeFile(devSecretPath(dataDir), `${secret}\n`, { mode: 0o600, flag: "wx" });
    return { secret, created: true };
  } catch (error) {
    // Another process created it first: use theirs.
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    const theirs = await readDevSecret(dataDir);
    if (theirs === undefined) throw error;
    return { secret: theirs, created: false };
  }
}

/**
 * The configuration `serve` runs with: unchanged when a JWT key is configured; on embedded defaults
 * (no `DATABASE_URL`) with the generated development key; otherwise a ConfigError, because the
 * service never serves without authentication.
 */
export async function withJwtKey(config: AppConfig): Promise<{ config: AppConfig; devSecret?: { path: string; created: boolean } }> {
  if (config.jwt.secretKey !== undefined || config.jwt.publicSigningJwkSet !== undefined) return { config };
  if (config.databaseUrl !== undefined) {
    throw new ConfigError(["JWT_SECRET_KEY or JWT_PUBLIC_SIGNING_JWK_SET must be set when DATABASE_URL is set: the service never serves without authentication"]);
  }
  const { secret, created } = await ensureDevSecret(config.dataDir);
  return { config: { ...config, jwt: { ...config.jwt, secretKey: secret } }, devSecret: { path: devSecretPath(config.dataDir), created } };
}

/** What `catalog token` was asked for. */
export interface TokenCommandOptions {
  readonly role: readonly string[];
  readonly ttl: string;
  readonly subject?: string;
  readonly administrator?: boolean;
}

const ROLE = /^([a-z_]+):(\*|[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})$/;

/** Signs a token with the configured secret, else the generated development key; returns it. */
export async function tokenCommand(config: AppConfig, options: TokenCommandOptions): Promise<string> {
  const problems: string[] = [];
  for (const role of options.role) {
    const match = ROLE.exec(role);
    if (match === null) problems.push(`Invalid role "${role}": use "<system role>:<enterprise uuid or *>"`);
    else if (!Object.hasOwn(SYSTEM_TO_FEATURE_ROLES, match[1] as string)) {
      problems.push(`Unknown system role "${match[1]}": one of ${Object.keys(SYSTEM_TO_FEATURE_ROLES).join(", ")}`);
    }
  }
  let ttlSeconds = 0;
  try {
    ttlSeconds = parseDuration(options.ttl);
  } catch (error) {
    problems.push((error as Error).message);
  }
  if (problems.length > 0) throw new RangeError(problems.join("\n"));
  const secretKey = config.jwt.secretKey ?? (config.databaseUrl === undefined ? await readDevSecret(config.dataDir) : undefined);
  if (secretKey === undefined) {
    throw new TypeError(config.jwt.publicSigningJwkSet !== undefined
      ? "Cannot sign a token: only a public JWK set is configured; tokens come from the LMS"
      : `Cannot sign a token: set JWT_SECRET_KEY, or run "catalog serve" once on embedded defaults to generate ${devSecretPath(config.dataDir)}`);
  }
  return await mintToken({ ...config.jwt, secretKey }, {
    roles: options.role.map((role) => role.toLowerCase()),
    subject: options.subject,
    administrator: options.administrator,
    ttlSeconds,
  });
}
