/**
 * An LMS for tests, over real HTTP: its OAuth2 token endpoint and edx-enterprise's
 * `GET /enterprise/api/v1/enterprise-customer/?uuid=` list, answering customer records in the
 * serializer's shape (with fields this service ignores), failing or hanging on demand.
 */
import { createServer, type Server } from "node:http";

/** A customer as the LMS's serializer writes it (the fields this service reads, and a few it does not). */
export interface LmsCustomer {
  readonly uuid: string;
  readonly name: string;
  readonly slug: string;
  readonly enable_learner_portal: boolean;
  readonly modified: string;
}

/** A listening LMS. */
export interface FakeLms {
  readonly url: string;
  /** Its token endpoint, for `OAUTH2_TOKEN_URL`. */
  readonly tokenUrl: string;
  readonly clientId: string;
  readonly clientSecret: string;
  /** Adds or replaces a customer. */
  put(customer: LmsCustomer): void;
  /** `failing`: customer lookups answer 503; `hanging`: they never answer; undefined: they work. */
  outage: "failing" | "hanging" | undefined;
  /** Customer lookups received (failed and hung ones included). */
  readonly customerRequests: number;
  /** Lookups refused for a missing or unknown token. */
  readonly unauthorized: number;
  close(): Promise<void>;
}

/** Starts the LMS on a free local port. */
export async function startFakeLms(): Promise<FakeLms> {
  const customers = new Map<string, LmsCustomer>();
  const tokens = new Set<string>();
  const state = { outage: undefined as FakeLms["outage"], customerRequests: 0, unauthorized: 0 };
  const clientId = "catalog-backend-service";
  const clientSecret = "catalog-backend-secret";
  const hung = new Set<() => void>();
  const server: Server = createServer((incoming, outgoing) => {
    const url = new URL(incoming.url ?? "/", "http://lms.test");
    const chunks: Buffer[] = [];
    incoming.on("data", (chunk: Buffer) => chunks.push(chunk));
    incoming.on("end", () => {
      const json = (status: number, body: unknown) => outgoing.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
      if (incoming.method === "POST" && url.pathname === "/oauth2/access_token") {
        const form = new URLSearchParams(Buffer.concat(chunks).toString("utf8"));
        if (form.get("grant_type") !== "client_credentials" || form.get("client_id") !== clientId || form.get("client_secret") !== clientSecret) {
          json(401, { error: "invalid_client" });
          return;
        }
        const token = `lms-token-${tokens.size + 1}`;
        tokens.add(token);
        json(200, { access_token: token, token_type: "JWT", expires_in: 3600, scope: "read write" });
        return;
      }
      if (incoming.method === "GET" && url.pathname === "/enterprise/api/v1/enterprise-customer/") {
        state.customerRequests++;
        const token = /^JWT (\S+)$/.exec(incoming.headers.authorization ?? "")?.[1];
        if (token === undefined || !tokens.has(token)) {
          state.unauthorized++;
          json(401, { detail: "Authentication credentials were not provided." });
          return;
        }
        if (state.outage === "failing") {
          json(503, { detail: "Service unavailable" });
          return;
        }
        if (state.outage === "hanging") {
          hung.add(() => outgoing.destroy());
          return;
        }
        const found = customers.get(String(url.searchParams.get("uuid")).toLowerCase());
        const results = found === undefined ? [] : [{ ...found, active: true, site: { domain: "example.com", name: "example" }, enable_data_sharing_consent: true }];
        json(200, { count: results.length, num_pages: 1, current_page: 1, start: 0, next: null, previous: null, results });
        return;
      }
      json(404, { detail: "Not found." });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  const url = `http://127.0.0.1:${typeof address === "object" && address !== null ? address.port : 0}`;
  return {
    url,
    tokenUrl: `${url}/oauth2/access_token`,
    clientId,
    clientSecret,
    put: (customer) => customers.set(customer.uuid.toLowerCase(), customer),
    get outage() {
      return state.outage;
    },
    set outage(value) {
      state.outage = value;
      if (value !== "hanging") {
        for (const release of hung) release();
        hung.clear();
      }
    },
    get customerRequests() {
      return state.customerRequests;
    },
    get unauthorized() {
      return state.unauthorized;
    },
    async close() {
      for (const release of hung) release();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}
