/**
 * Discovery's `search/all` over HTTP, as the reference service calls it (reference §3.3 step 1),
 * minus its flaws: every page is retried with backoff and jitter, and a page that still fails
 * fails the whole search instead of ending it quietly with partial data.
 */
import { setTimeout as delay } from "node:timers/promises";
import type { ContentFilter } from "../../src/catalog/content_filter.ts";
import { UpstreamUnavailableError } from "../../src/errors.ts";
import { isJsonObject, type JsonObject } from "../../src/json.ts";
import type {
  DiscoveryClient,
  DiscoveryRequestEvent,
  DiscoverySearchOptions,
  DiscoverySearchResult,
} from "../../src/ports/discovery_client.ts";

/** OAuth2 client credentials of a backend service, as edX services use them. */
export interface OAuthClientCredentials {
  readonly tokenUrl: string;
  readonly clientId: string;
  readonly clientSecret: string;
}

/** How to reach discovery and how hard to try. */
export interface HttpDiscoveryClientOptions {
  /** Discovery's root, e.g. `https://discovery.example.org`; `/api/v1/search/all/` is appended. */
  readonly baseUrl: string | URL;
  /** Records per page (default 100). */
  readonly pageSize?: number;
  /** Time limit of one HTTP request, body included (default 15 s). */
  readonly timeoutMs?: number;
  /** Attempts per page, the first included (default 5). */
  readonly maxAttempts?: number;
  /** Exponential backoff with full jitter: attempt n waits random × min(maxMs, baseMs × 2^(n-1)). */
  readonly backoff?: { readonly baseMs?: number; readonly maxMs?: number };
  /** Longest wait a `Retry-After` header may ask for (default 60 s). */
  readonly maxRetryAfterMs?: number;
  /** Without it, requests carry no Authorization header. */
  readonly oauth?: OAuthClientCredentials;
  readonly fetch?: typeof fetch;
  /** Waits between attempts; tests pass one that records instead of waiting. */
  readonly sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Jitter source in [0, 1) (default Math.random). */
  readonly random?: () => number;
  /** Wall clock in ms, for token expiry and `Retry-After` dates (default Date.now). */
  readonly now?: () => number;
}

const SEARCH_PATH = "/api/v1/search/all/";
/** A token is renewed this long before it expires (or at half its life, if that is shorter). */
const TOKEN_MARGIN_MS = 60_000;

/** Discovery's `search/all` over HTTP with retries and an OAuth2 token cache. */
export class HttpDiscoveryClient implements DiscoveryClient {
  readonly #searchUrl: string;
  readonly #pageSize: number;
  readonly #timeoutMs: number;
  readonly #maxAttempts: number;
  readonly #baseMs: number;
  readonly #maxMs: number;
  readonly #maxRetryAfterMs: number;
  readonly #oauth: OAuthClientCredentials | undefined;
  readonly #fetch: typeof fetch | undefined;
  readonly #sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  readonly #random: () => number;
  readonly #now: () => number;
  #token: { readonly value: string; readonly renewAt: number } | undefined;
  #tokenRequest: Promise<string> | undefined;

  constructor(options: HttpDiscoveryClientOptions) {
    this.#searchUrl = `${String(options.baseUrl).replace(/\/+$/, "")}${SEARCH_PATH}`;
    this.#pageSize = positiveInteger("Page size", options.pageSize ?? 100);
    this.#timeoutMs = positiveInteger("Timeout", options.timeoutMs ?? 15_000);
    this.#maxAttempts = positiveInteger("Attempts", options.maxAttempts ?? 5);
    this.#baseMs = options.backoff?.baseMs ?? 2_000;
    this.#maxMs = options.backoff?.maxMs ?? 30_000;
    this.#maxRetryAfterMs = options.maxRetryAfterMs ?? 60_000;
    this.#oauth = options.oauth;
    this.#fetch = options.fetch;
    this.#sleep = options.sleep ?? ((ms, signal) => delay(ms, undefined, signal ? { signal } : {}));
    this.#random = options.random ?? Math.random;
    this.#now = options.now ?? Date.now;
  }

  /**
   * Every record of every page, or UpstreamUnavailableError when a page still fails after the
   * retries, when a page is not a search result, or when the total differs from the first count.
   */
  async searchAll(filter: ContentFilter, options: DiscoverySearchOptions = {}): Promise<DiscoverySearchResult> {
    const body = JSON.stringify(filter.value);
    const records: JsonObject[] = [];
    const tally = { requests: 0 };
    let count: number | undefined;
    for (let page = 1; ; page++) {
      const result = await this.#fetchPage(page, body, options, tally);
      if (count === undefined) count = result.count;
      else if (result.count !== count) {
        throw new UpstreamUnavailableError(
          `Discovery changed during the search: page ${page} counts ${result.count} records, page 1 counted ${count}`,
        );
      }
      for (const record of result.results) records.push(record);
      if (result.next === null) break;
      // An empty page that still points further, or more records than counted, would page forever.
      if (result.results.length === 0 || records.length > count) {
        throw new UpstreamUnavailableError(`Discovery kept paging past the ${count} records it counted`);
      }
    }
    if (records.length !== count) {
      throw new UpstreamUnavailableError(
        `Discovery returned ${records.length} records but counted ${count}: it changed during the search`,
      );
    }
    return { records, count, requests: tally.requests };
  }

  /** One page, retried; throws UpstreamUnavailableError once it gives up, or the caller's abort reason. */
  async #fetchPage(page: number, body: string, options: DiscoverySearchOptions, tally: { requests: number }): Promise<SearchPage> {
    const { signal, onRequest } = options;
    const url = `${this.#searchUrl}?exclude_expired_course_run=True&include_learner_pathways=True` +
      `&page_size=${this.#pageSize}&ordering=aggregation_key,start&page=${page}`;
    let renewedToken = false;
    let attempt = 0;
    for (;;) {
      signal?.throwIfAborted();
      attempt++;
      tally.requests++;
      const started = performance.now();
      const report = (outcome: DiscoveryRequestEvent["outcome"], status: number | null): void => {
        onRequest?.({ outcome, status, durationMs: performance.now() - started });
      };
      let failure: AttemptFailure;
      try {
        const headers: Record<string, string> = { "Content-Type": "application/json", Accept: "application/json" };
        if (this.#oauth !== undefined) headers.Authorization = `JWT ${await this.#accessToken(signal)}`;
        const response = await this.#fetchWithTimeout(url, { method: "POST", headers, body }, signal);
        if (response.ok) {
          const parsed = await readSearchPage(response);
          report("ok", response.status);
          return parsed;
        }
        await response.body?.cancel().catch(() => {});
        if (response.status === 401 && this.#oauth !== undefined && !renewedToken) {
          // The token expired between the cache check and discovery: renew it and try once more.
          renewedToken = true;
          this.#token = undefined;
          attempt--;
          report("retry", 401);
          continue;
        }
        failure = {
          retryable: response.status === 429 || response.status >= 500,
          status: response.status,
          retryAfterMs: this.#retryAfter(response.headers.get("Retry-After")),
          error: new Error(`status ${response.status}`),
        };
      } catch (error) {
        if (signal?.aborted) {
          report("failed", null);
          throw signal.reason;
        }
        failure = error instanceof AttemptError
          ? { retryable: error.retryable, status: error.status, retryAfterMs: null, error }
          : { retryable: true, status: null, retryAfterMs: null, error };
      }
      if (!failure.retryable || attempt >= this.#maxAttempts) {
        report("failed", failure.status);
        const after = failure.retryable ? ` after ${attempt} attempts` : "";
        throw new UpstreamUnavailableError(`Discovery search failed on page ${page}${after}: ${describeError(failure.error)}`, {
          cause: failure.error,
        });
      }
      report("retry", failure.status);
      try {
        await this.#sleep(failure.retryAfterMs ?? this.#backoff(attempt), signal);
      } catch (error) {
        throw signal?.aborted ? signal.reason : error;
      }
    }
  }

  async #fetchWithTimeout(url: string, init: RequestInit, signal: AbortSignal | undefined): Promise<Response> {
    const timeout = AbortSignal.timeout(this.#timeoutMs);
    const combined = signal === undefined ? timeout : AbortSignal.any([signal, timeout]);
    return await (this.#fetch ?? globalThis.fetch)(url, { ...init, signal: combined });
  }

  #backoff(attempt: number): number {
    return Math.floor(this.#random() * Math.min(this.#maxMs, this.#baseMs * 2 ** (attempt - 1)));
  }

  /** `Retry-After` in ms (delta seconds or an HTTP date), capped; null when absent or unreadable. */
  #retryAfter(header: string | null): number | null {
    if (header === null || header.trim() === "") return null;
    const text = header.trim();
    let ms: number;
    if (/^\d+$/.test(text)) ms = Number(text) * 1000;
    else {
      const date = Date.parse(text);
      if (!Number.isFinite(date)) return null;
      ms = Math.max(0, date - this.#now());
    }
    return Math.min(ms, this.#maxRetryAfterMs);
  }

  /** A cached token, or a new one (one request at a time, however many searches wait for it). */
  async #accessToken(signal: AbortSignal | undefined): Promise<string> {
    const cached = this.#token;
    if (cached !== undefined && this.#now() < cached.renewAt) return cached.value;
    this.#tokenRequest ??= this.#requestToken(signal).finally(() => {
      this.#tokenRequest = undefined;
    });
    return await this.#tokenRequest;
  }

  async #requestToken(signal: AbortSignal | undefined): Promise<string> {
    const oauth = this.#oauth as OAuthClientCredentials;
    const form = new URLSearchParams({
      grant_type: "client_credentials",
      client_id: oauth.clientId,
      client_secret: oauth.clientSecret,
      token_type: "jwt",
    });
    let response: Response;
    try {
      response = await this.#fetchWithTimeout(oauth.tokenUrl, {
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
      payload = await response.json();
    } catch (error) {
      throw new AttemptError("Token response is not JSON", { retryable: true, status: response.status, cause: error });
    }
    if (!isJsonObject(payload) || typeof payload.access_token !== "string" || payload.access_token === "") {
      throw new AttemptError("Token response has no access_token", { retryable: false, status: response.status });
    }
    const lifetimeMs = typeof payload.expires_in === "number" && payload.expires_in > 0 ? payload.expires_in * 1000 : 3_600_000;
    const renewAt = this.#now() + lifetimeMs - Math.min(TOKEN_MARGIN_MS, lifetimeMs / 2);
    this.#token = { value: payload.access_token, renewAt };
    return payload.access_token;
  }
}

interface SearchPage {
  readonly count: number;
  readonly next: string | null;
  readonly results: readonly JsonObject[];
}

interface AttemptFailure {
  readonly retryable: boolean;
  readonly status: number | null;
  readonly retryAfterMs: number | null;
  readonly error: unknown;
}

/** A failed attempt that says whether trying again may help (token endpoint, malformed page). */
class AttemptError extends Error {
  readonly retryable: boolean;
  readonly status: number | null;
  constructor(message: string, options: { retryable: boolean; status: number | null; cause?: unknown }) {
    super(message, { cause: options.cause });
    this.name = "AttemptError";
    this.retryable = options.retryable;
    this.status = options.status;
  }
}

/** Reads a page; a body that is not a search result is a failed attempt (a proxy's error page, say). */
async function readSearchPage(response: Response): Promise<SearchPage> {
  let payload: unknown;
  try {
    payload = await response.json();
  } catch (error) {
    // A timeout or abort while the body streams is not a malformed page.
    if (error instanceof DOMException && (error.name === "TimeoutError" || error.name === "AbortError")) throw error;
    throw new AttemptError("Discovery page is not JSON", { retryable: true, status: response.status, cause: error });
  }
  if (!isJsonObject(payload) || !Array.isArray(payload.results)) {
    throw new AttemptError("Discovery page has no results list", { retryable: true, status: response.status });
  }
  const { count, next, results } = payload;
  if (typeof count !== "number" || !Number.isInteger(count) || count < 0) {
    throw new AttemptError("Discovery page has no valid count", { retryable: true, status: response.status });
  }
  if (!results.every(isJsonObject)) {
    throw new AttemptError("Discovery page holds a result that is not an object", { retryable: true, status: response.status });
  }
  return { count, next: typeof next === "string" && next !== "" ? next : null, results };
}

function describeError(error: unknown): string {
  if (error instanceof Error || error instanceof DOMException) {
    if (error.name === "TimeoutError") return "timed out";
    return error.message;
  }
  return String(error);
}

function positiveInteger(what: string, value: number): number {
  if (!Number.isInteger(value) || value < 1) throw new RangeError(`${what} must be a positive integer: "${value}"`);
  return value;
}
