/**
 * The attempt loop every discovery request goes through: OAuth2 token, time limit, size limit,
 * bounded retries with exponential backoff and full jitter, `Retry-After`, one token renewal on a
 * 401, and one event per attempt. A request that still fails becomes UpstreamUnavailableError
 * naming the endpoint and the page.
 */
import { UpstreamUnavailableError } from "../../src/errors.ts";
import { isJsonObject, type JsonObject } from "../../src/json.ts";
import type { DiscoveryCallOptions, DiscoveryEndpoint, DiscoveryRequestEvent } from "../../src/ports/discovery_client.ts";
import { AttemptError, describeError } from "./_internal.ts";
import { readJsonWithin } from "./bounded_json.ts";
import type { OAuthTokenCache, SendRequest } from "./oauth_token_cache.ts";

/** One request of a call: where it goes, and how a failure names it. */
export interface PageRequest {
  readonly endpoint: DiscoveryEndpoint;
  readonly url: URL;
  readonly method: "GET" | "POST";
  /** JSON text of a POST body. */
  readonly body?: string;
  /** Where in the call the request is, for failure messages: `page 3`, `batch 2 page 1`. */
  readonly where: string;
}

/** A page of a Django REST framework list, the envelope of every discovery endpoint the client reads. */
export interface ListPage {
  readonly count: number;
  /** Discovery's link to the next page, or null on the last one. */
  readonly next: string | null;
  readonly results: readonly JsonObject[];
}

/** One port call in progress: the caller's options and the requests made so far, retries included. */
export interface DiscoveryCall {
  readonly options: DiscoveryCallOptions;
  requests: number;
}

/** How hard the loop tries and what it talks through. */
export interface DiscoveryRequesterSettings {
  readonly maxAttempts: number;
  readonly backoffBaseMs: number;
  readonly backoffMaxMs: number;
  readonly maxRetryAfterMs: number;
  readonly maxResponseBytes: number;
  readonly tokens: OAuthTokenCache | undefined;
  /** Sends one request under the client's time limit and the caller's signal. */
  readonly send: SendRequest;
  readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  readonly random: () => number;
  readonly now: () => number;
}

interface AttemptFailure {
  readonly retryable: boolean;
  readonly status: number | null;
  readonly retryAfterMs: number | null;
  readonly error: unknown;
}

/** Sends discovery requests through the attempt loop. */
export class DiscoveryRequester {
  readonly #settings: DiscoveryRequesterSettings;

  constructor(settings: DiscoveryRequesterSettings) {
    this.#settings = settings;
  }

  /**
   * One page, retried; throws UpstreamUnavailableError once it gives up (status, network error,
   * time limit, an answer that is not a list page or is too large), or the caller's abort reason.
   */
  async fetchPage(request: PageRequest, call: DiscoveryCall): Promise<ListPage> {
    const { signal, onRequest } = call.options;
    const settings = this.#settings;
    let renewedToken = false;
    let attempt = 0;
    for (;;) {
      signal?.throwIfAborted();
      attempt++;
      call.requests++;
      const started = performance.now();
      const report = (outcome: DiscoveryRequestEvent["outcome"], status: number | null): void => {
        onRequest?.({ endpoint: request.endpoint, outcome, status, durationMs: performance.now() - started });
      };
      let failure: AttemptFailure;
      try {
        const response = await this.#send(request, signal);
        if (response.ok) {
          const page = parseListPage(await readJsonWithin(response, settings.maxResponseBytes), response.status);
          report("ok", response.status);
          return page;
        }
        await response.body?.cancel().catch(() => {});
        if (response.status === 401 && settings.tokens !== undefined && !renewedToken) {
          // The token expired between the cache check and discovery: renew it and try once more.
          renewedToken = true;
          settings.tokens.forget();
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
      if (!failure.retryable || attempt >= settings.maxAttempts) {
        report("failed", failure.status);
        const after = failure.retryable ? ` after ${attempt} attempts` : "";
        throw new UpstreamUnavailableError(
          `Discovery ${request.endpoint} failed on ${request.where}${after}: ${describeError(failure.error)}`,
          { cause: failure.error },
        );
      }
      report("retry", failure.status);
      try {
        await settings.sleep(failure.retryAfterMs ?? this.#backoff(attempt), signal);
      } catch (error) {
        throw signal?.aborted ? signal.reason : error;
      }
    }
  }

  async #send(request: PageRequest, signal: AbortSignal | undefined): Promise<Response> {
    const headers: Record<string, string> = { Accept: "application/json" };
    if (request.body !== undefined) headers["Content-Type"] = "application/json";
    const tokens = this.#settings.tokens;
    if (tokens !== undefined) headers.Authorization = `JWT ${await tokens.token(signal)}`;
    const init: RequestInit = { method: request.method, headers };
    if (request.body !== undefined) init.body = request.body;
    return await this.#settings.send(request.url.toString(), init, signal);
  }

  #backoff(attempt: number): number {
    const { random, backoffBaseMs, backoffMaxMs } = this.#settings;
    return Math.floor(random() * Math.min(backoffMaxMs, backoffBaseMs * 2 ** (attempt - 1)));
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
      ms = Math.max(0, date - this.#settings.now());
    }
    return Math.min(ms, this.#settings.maxRetryAfterMs);
  }
}

/** Checks the envelope; an answer that is not a list page is a failed attempt (a proxy's error page, say). */
function parseListPage(payload: unknown, status: number): ListPage {
  if (!isJsonObject(payload) || !Array.isArray(payload.results)) {
    throw new AttemptError("the answer has no results list", { retryable: true, status });
  }
  const { count, next, results } = payload;
  if (typeof count !== "number" || !Number.isInteger(count) || count < 0) {
    throw new AttemptError("the answer has no valid count", { retryable: true, status });
  }
  if (next !== null && next !== undefined && typeof next !== "string") {
    throw new AttemptError("the answer's next link is not a string", { retryable: true, status });
  }
  if (!results.every(isJsonObject)) {
    throw new AttemptError("the answer holds a result that is not an object", { retryable: true, status });
  }
  return { count, next: typeof next === "string" && next !== "" ? next : null, results };
}
