/** OAuth2 client-credentials tokens for discovery, as edX backend services ask the LMS for them. */
import { isJsonObject } from "../../src/json.ts";
import { AttemptError, describeError } from "./_internal.ts";
import { readJsonWithin } from "./bounded_json.ts";

/** OAuth2 client credentials of a backend service, as edX services use them. */
export interface OAuthClientCredentials {
  readonly tokenUrl: string;
  readonly clientId: string;
  readonly clientSecret: string;
}

/** Sends one HTTP request under the client's time limit and the caller's signal. */
export type SendRequest = (url: string, init: RequestInit, signal: AbortSignal | undefined) => Promise<Response>;

/** A token is renewed this long before it expires (or at half its life, if that is shorter). */
const TOKEN_MARGIN_MS = 60_000;
/** Lifetime assumed when the token answer gives none. */
const DEFAULT_LIFETIME_MS = 3_600_000;

/** A JWT access token (`token_type=jwt`), cached until shortly before it expires; one request at a time. */
export class OAuthTokenCache {
  readonly #credentials: OAuthClientCredentials;
  readonly #send: SendRequest;
  readonly #now: () => number;
  readonly #maxResponseBytes: number;
  #token: { readonly value: string; readonly renewAt: number } | undefined;
  #pending: Promise<string> | undefined;

  constructor(
    credentials: OAuthClientCredentials,
    options: { send: SendRequest; now: () => number; maxResponseBytes: number },
  ) {
    this.#credentials = credentials;
    this.#send = options.send;
    this.#now = options.now;
    this.#maxResponseBytes = options.maxResponseBytes;
  }

  /** The cached token, or a new one; throws AttemptError when the token endpoint fails. */
  async token(signal: AbortSignal | undefined): Promise<string> {
    const cached = this.#token;
    if (cached !== undefined && this.#now() < cached.renewAt) return cached.value;
    this.#pending ??= this.#request(signal).finally(() => {
      this.#pending = undefined;
    });
    return await this.#pending;
  }

  /** Drops the cached token: discovery refused it before it was due to expire. */
  forget(): void {
    this.#token = undefined;
  }

  async #request(signal: AbortSignal | undefined): Promise<string> {
    const form = new URLSearchParams({
      grant_type: "client_credentials",
      client_id: this.#credentials.clientId,
      client_secret: this.#credentials.clientSecret,
      token_type: "jwt",
    });
    let response: Response;
    try {
      response = await this.#send(this.#credentials.tokenUrl, {
        method: "POST",
        headers: { "Content-Type": "application/x-www-form-urlencoded", Accept: "application/json" },
        body: form.toString(),
      }, signal);
    } catch (error) {
      if (signal?.aborted) throw error;
      throw new AttemptError(`Token request failed: ${describeError(error)}`, { retryable: true, status: null, cause: error });
    }
    if (!response.ok) {
      await response.body?.cancel().catch(() => {});
      throw new AttemptError(`Token request answered status ${response.status}`, {
        retryable: response.status === 429 || response.status >= 500,
        status: response.status,
      });
    }
    let payload: unknown;
    try {
      payload = await readJsonWithin(response, this.#maxResponseBytes);
    } catch (error) {
      if (!(error instanceof AttemptError)) throw error;
      throw new AttemptError(`Token response: ${error.message}`, { retryable: error.retryable, status: error.status, cause: error });
    }
    if (!isJsonObject(payload) || typeof payload.access_token !== "string" || payload.access_token === "") {
      throw new AttemptError("Token response has no access_token", { retryable: false, status: response.status });
    }
    const lifetimeMs = typeof payload.expires_in === "number" && payload.expires_in > 0
      ? payload.expires_in * 1000
      : DEFAULT_LIFETIME_MS;
    const renewAt = this.#now() + lifetimeMs - Math.min(TOKEN_MARGIN_MS, lifetimeMs / 2);
    this.#token = { value: payload.access_token, renewAt };
    return payload.access_token;
  }
}
