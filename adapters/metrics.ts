/**
 * Prometheus metrics (prom-client, on a registry of our own): HTTP requests, refresh jobs, discovery
 * requests, the freshness of the queries in use, queue depths and the process itself.
 */
import { createServer, type Server } from "node:http";
import type { PgBoss } from "pg-boss";
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from "prom-client";
import type { ContentFilter } from "../src/catalog/content_filter.ts";
import type { ContainmentModelStats } from "../src/content/containment_model.ts";
import type {
  DiscoveryCallOptions,
  DiscoveryClient,
  DiscoveryFetchResult,
  DiscoveryRequestEvent,
  DiscoverySearchResult,
  RestrictedCallOptions,
} from "../src/ports/discovery_client.ts";
import type { QueryFreshness } from "../src/refresh/freshness.ts";
import { REFRESH_DEAD_LETTER_QUEUE, REFRESH_QUEUE } from "./pg_boss/pg_boss_refresh_scheduler.ts";

/** One finished HTTP request, as the app reports it. */
export interface HttpRequestEvent {
  readonly method: string;
  /** The operation's path template, or null when no operation matched. */
  readonly route: string | null;
  readonly status: number;
  readonly durationMs: number;
}

/** One finished refresh job, as the worker reports it. */
export interface RefreshJobMetric {
  readonly outcome: string;
  /** How long the refresh ran, when it produced a run. */
  readonly durationMs?: number;
}

/** Queue depths at scrape time. */
export interface QueueDepth {
  readonly queue: string;
  readonly queued: number;
  readonly active: number;
}

/** What the gauges read at scrape time; each may fail, which leaves the gauge unset. */
export interface MetricsSources {
  /** Every query in use with its age (RefreshService.freshness). */
  readonly freshness?: () => Promise<readonly QueryFreshness[]>;
  readonly queues?: () => Promise<readonly QueueDepth[]>;
  readonly now?: () => Date;
  /** The containment read model's counts (decision 0018), when the process holds one. */
  readonly readModel?: () => ContainmentModelStats;
}

const HTTP_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
const REFRESH_BUCKETS = [0.1, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800];

/** The service's metrics and the registry that exposes them. */
export class ServiceMetrics {
  readonly registry: Registry;
  #http: Histogram<"method" | "route" | "status">;
  /** The histogram's series by "method route status": prom-client hashes labels on every observe otherwise. */
  #httpSeries = new Map<string, ReturnType<Histogram<"method" | "route" | "status">["labels"]>>();
  #refreshDuration: Histogram<"outcome">;
  #refreshJobs: Counter<"outcome">;
  #discoveryRequests: Counter<"endpoint" | "outcome">;
  #discoveryDuration: Histogram<"endpoint" | "outcome">;
  #sources: MetricsSources = {};

  constructor(options: { processMetrics?: boolean } = {}) {
    const registry = new Registry();
    this.registry = registry;
    this.#http = new Histogram({
      name: "catalog_http_request_duration_seconds",
      help: "HTTP request duration by operation route, method and status",
      labelNames: ["method", "route", "status"],
      buckets: HTTP_BUCKETS,
      registers: [registry],
    });
    this.#refreshDuration = new Histogram({
      name: "catalog_refresh_duration_seconds",
      help: "Duration of refresh runs by outcome (succeeded, failed, held)",
      labelNames: ["outcome"],
      buckets: REFRESH_BUCKETS,
      registers: [registry],
    });
    this.#refreshJobs = new Counter({
      name: "catalog_refresh_jobs_total",
      help: "Refresh jobs finished by outcome: succeeded, failed, held, skipped (query gone), error (will be retried)",
      labelNames: ["outcome"],
      registers: [registry],
    });
    this.#discoveryRequests = new Counter({
      name: "catalog_discovery_requests_total",
      help: "Requests to discovery by endpoint (search, courses, programs, reviews) and outcome (ok, retry, failed)",
      labelNames: ["endpoint", "outcome"],
      registers: [registry],
    });
    this.#discoveryDuration = new Histogram({
      name: "catalog_discovery_request_duration_seconds",
      help: "Duration of requests to discovery by endpoint and outcome",
      labelNames: ["endpoint", "outcome"],
      buckets: HTTP_BUCKETS,
      registers: [registry],
    });
    const sources = () => this.#sources;
    new Gauge({
      name: "catalog_stalest_query_age_seconds",
      help: "Age of the stalest query in use: since its last successful refresh, or since its creation if it never had one",
      registers: [registry],
      async collect() {
        const rows = await readOrUndefined(sources().freshness);
        if (rows === undefined) return;
        const now = (sources().now ?? (() => new Date()))().getTime();
        const ages = rows.map((row) => row.ageMs ?? now - row.query.created.getTime());
        this.set(ages.length === 0 ? 0 : Math.max(0, ...ages) / 1000);
      },
    });
    new Gauge({
      name: "catalog_queries_in_use",
      help: "Catalog queries with at least one catalog",
      registers: [registry],
      async collect() {
        const rows = await readOrUndefined(sources().freshness);
        if (rows !== undefined) this.set(rows.length);
      },
    });
    new Gauge({
      name: "catalog_queries_stale",
      help: "Queries in use whose last successful refresh is older than the freshness window (or that never had one)",
      registers: [registry],
      async collect() {
        const rows = await readOrUndefined(sources().freshness);
        if (rows !== undefined) this.set(rows.filter((row) => row.stale).length);
      },
    });
    new Gauge({
      name: "catalog_queue_jobs",
      help: "Jobs in the refresh queues by queue and state (queued, active); the dead-letter queue holds refreshes that ran out of retries",
      labelNames: ["queue", "state"],
      registers: [registry],
      async collect() {
        const depths = await readOrUndefined(sources().queues);
        if (depths === undefined) return;
        this.reset();
        for (const depth of depths) {
          this.set({ queue: depth.queue, state: "queued" }, depth.queued);
          this.set({ queue: depth.queue, state: "active" }, depth.active);
        }
      },
    });
    new Gauge({
      name: "catalog_read_model",
      help: "The containment read model: questions answered from memory (hits) or left to PostgreSQL (misses) since start, queries evicted, parts loaded, estimated bytes, memberships and queries held",
      labelNames: ["measure"],
      registers: [registry],
      collect() {
        const stats = sources().readModel?.();
        if (stats === undefined) return;
        for (const [measure, value] of Object.entries(stats)) this.set({ measure }, value);
      },
    });
    if (options.processMetrics ?? true) collectDefaultMetrics({ register: registry });
  }

  /** Sets where the scrape-time gauges read from (the runtime exists only after the metrics do). */
  setSources(sources: MetricsSources): void {
    this.#sources = sources;
  }

  /** Records one HTTP request; unmatched paths share one label so that scanners cannot explode the series. */
  observeRequest(event: HttpRequestEvent): void {
    const route = event.route ?? "unmatched";
    const key = `${event.method} ${route} ${event.status}`;
    let series = this.#httpSeries.get(key);
    if (series === undefined) {
      series = this.#http.labels({ method: event.method, route, status: String(event.status) });
      this.#httpSeries.set(key, series);
    }
    series.observe(event.durationMs / 1000);
  }

  /** Records one refresh job. */
  observeRefreshJob(event: RefreshJobMetric): void {
    this.#refreshJobs.inc({ outcome: event.outcome });
    if (event.durationMs !== undefined) this.#refreshDuration.observe({ outcome: event.outcome }, event.durationMs / 1000);
  }

  /** Records one request to discovery. */
  observeDiscoveryRequest(event: DiscoveryRequestEvent): void {
    const labels = { endpoint: event.endpoint, outcome: event.outcome };
    this.#discoveryRequests.inc(labels);
    this.#discoveryDuration.observe(labels, event.durationMs / 1000);
  }

  /** The Prometheus text exposition and its content type. */
  async scrape(): Promise<{ contentType: string; text: string }> {
    return { contentType: this.registry.contentType, text: await this.registry.metrics() };
  }
}

/** `DiscoveryClient` decorator counting every request by endpoint and outcome; the caller's `onRequest` still fires. */
export class MeteredDiscoveryClient implements DiscoveryClient {
  #inner: DiscoveryClient;
  #metrics: ServiceMetrics;

  constructor(inner: DiscoveryClient, metrics: ServiceMetrics) {
    this.#inner = inner;
    this.#metrics = metrics;
  }

  searchAll(filter: ContentFilter, options: RestrictedCallOptions = {}): Promise<DiscoverySearchResult> {
    return this.#inner.searchAll(filter, this.#observed(options));
  }

  fetchCourses(courseKeys: readonly string[], options: RestrictedCallOptions = {}): Promise<DiscoveryFetchResult> {
    return this.#inner.fetchCourses(courseKeys, this.#observed(options));
  }

  fetchPrograms(programUuids: readonly string[], options: DiscoveryCallOptions = {}): Promise<DiscoveryFetchResult> {
    return this.#inner.fetchPrograms(programUuids, this.#observed(options));
  }

  fetchCourseReviews(options: DiscoveryCallOptions = {}): Promise<DiscoveryFetchResult> {
    return this.#inner.fetchCourseReviews(this.#observed(options));
  }

  #observed<T extends DiscoveryCallOptions>(options: T): T {
    return {
      ...options,
      onRequest: (event) => {
        this.#metrics.observeDiscoveryRequest(event);
        options.onRequest?.(event);
      },
    };
  }
}

/** Serves `GET /metrics` alone on its own port (METRICS_PORT), e.g. for a worker process or a private network. */
export async function serveMetrics(metrics: ServiceMetrics, options: { port: number; host: string }): Promise<Server> {
  const server = createServer((request, response) => {
    const path = new URL(request.url ?? "/", "http://metrics.local").pathname.replace(/\/$/, "");
    if (request.method !== "GET" || path !== "/metrics") {
      response.writeHead(404, { "content-type": "text/plain" }).end("Not found\n");
      return;
    }
    metrics.scrape().then(
      ({ contentType, text }) => response.writeHead(200, { "content-type": contentType }).end(text),
      () => response.writeHead(500, { "content-type": "text/plain" }).end("Metrics failed\n"),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.host, () => resolve());
  });
  return server;
}

/** Depths of the refresh queue and its dead-letter queue, from pg-boss. */
export async function pgBossQueueDepths(boss: PgBoss): Promise<readonly QueueDepth[]> {
  const queues = await boss.getQueues([REFRESH_QUEUE, REFRESH_DEAD_LETTER_QUEUE]);
  return queues.map((queue) => ({ queue: queue.name, queued: queue.queuedCount, active: queue.activeCount }));
}

async function readOrUndefined<T>(read: (() => Promise<T>) | undefined): Promise<T | undefined> {
  if (read === undefined) return undefined;
  try {
    return await read();
  } catch {
    // A scrape must not fail because the database is briefly away; the gauge keeps its last value.
    return undefined;
  }
}
