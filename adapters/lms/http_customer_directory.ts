/**
 * The LMS's enterprise customers over HTTP, as the reference asks for them:
 * `GET {LMS}/enterprise/api/v1/enterprise-customer/?uuid=<uuid>` with an OAuth2 client-credentials
 * JWT (the same client and token cache as discovery's), reading `results[0]`. One attempt per
 * call, under a time limit: the caller (`CustomerDetails`) keeps the last answer and retries later.
 */
import { UpstreamUnavailableError } from "../../src/errors.ts";
import { isJsonObject } from "../../src/json.ts";
import type { CustomerDirectory, EnterpriseCustomerRecord } from "../../src/ports/customer_directory.ts";
import { readJsonWithin } from "../discovery_http/bounded_json.ts";
import { type OAuthClientCredentials, OAuthTokenCache } from "../discovery_http/oauth_token_cache.ts";
import { customerFromLmsRecord } from "./lms_customer_record.ts";

/** Where the LMS is and how to talk to it. */
export interface HttpCustomerDirectoryOptions {
  /** The LMS root the service reaches (no trailing slash). */
  readonly baseUrl: string;
  /** Without them, requests carry no Authorization header (the LMS then refuses them). */
  readonly oauth?: OAuthClientCredentials;
  /** Longest one lookup (token included) may take. */
  readonly timeoutMs?: number;
  /** Largest answer read; a customer record is a few kilobytes. */
  readonly maxResponseBytes?: number;
  readonly fetch?: typeof fetch;
  readonly now?: () => number;
}

/** The path of edx-enterprise's customer list under the LMS root. */
export const ENTERPRISE_CUSTOMER_PATH = "/enterprise/api/v1/enterprise-customer/";

/** Reads enterprise customers from the LMS, one request per lookup. */
export class HttpCustomerDirectory implements CustomerDirectory {
  readonly #baseUrl: string;
  readonly #timeoutMs: number;
  readonly #maxResponseBytes: number;
  readonly #fetch: typeof fetch;
  readonly #tokens: OAuthTokenCache | undefined;

  constructor(options: HttpCustomerDirectoryOptions) {
    this.#baseUrl = options.baseUrl.replace(/\/+$/, "");
    this.#timeoutMs = options.timeoutMs ?? 5000;
    this.#maxResponseBytes = options.maxResponseBytes ?? 1024 * 1024;
    this.#fetch = options.fetch ?? fetch;
    this.#tokens = options.oauth === undefined ? undefined : new OAuthTokenCache(options.oauth, {
      send: (url, init, signal) => this.#fetch(url, { ...init, signal }),
      now: options.now ?? Date.now,
      maxResponseBytes: 64 * 1024,
    });
  }

  async findCustomer(uuid: string, options: { readonly signal?: AbortSignal } = {}): Promise<EnterpriseCustomerRecord | undefined> {
    const timeout = AbortSignal.timeout(this.#timeoutMs);
    const signal = options.signal === undefined ? timeout : AbortSignal.any([options.signal, timeout]);
    const url = `${this.#baseUrl}${ENTERPRISE_CUSTOMER_PATH}?${new URLSearchParams({ uuid })}`;
    try {
      let response = await this.#get(url, signal);
      if (response.status === 401 && this.#tokens !== undefined) {
        // The token was refused before it was due to expire: one new token, one more try.
        await response.body?.cancel().catch(() => {});
        this.#tokens.forget();
        response = await this.#get(url, signal);
      }
      if (!response.ok) {
        await response.body?.cancel().catch(() => {});
        throw new Error(`answered status ${response.status}`);
      }
      return recordFromPage(await readJsonWithin(response, this.#maxResponseBytes), uuid);
    } catch (error) {
      if (error instanceof UpstreamUnavailableError) throw error;
      const reason = error instanceof Error && error.name === "TimeoutError" ? "timed out" : error instanceof Error ? error.message : String(error);
      throw new UpstreamUnavailableError(`The LMS could not tell about enterprise customer "${uuid}": ${reason}`, { cause: error });
    }
  }

  async #get(url: string, signal: AbortSignal): Promise<Response> {
    const headers: Record<string, string> = { Accept: "application/json" };
    if (this.#tokens !== undefined) headers.Authorization = `JWT ${await this.#tokens.token(signal)}`;
    return await this.#fetch(url, { headers, signal });
  }
}

/** The customer in a DRF list page (`{count, next, previous, results}`); undefined when it has none. */
function recordFromPage(page: unknown, uuid: string): EnterpriseCustomerRecord | undefined {
  if (!isJsonObject(page) || !Array.isArray(page.results)) {
    throw new UpstreamUnavailableError(`The LMS answered something other than a list of enterprise customers for "${uuid}"`);
  }
  // The reference takes `results[0]`; a record of another customer (a filter the LMS ignored) is not this one.
  const record = customerFromLmsRecord(page.results[0]);
  return record !== undefined && record.uuid === uuid.toLowerCase() ? record : undefined;
}
