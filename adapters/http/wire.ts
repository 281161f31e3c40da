/** Maps domain objects to the wire shapes of openapi.yaml. */
import { type CatalogQuery, type CatalogWithQuery, publicQueryUuid } from "../../src/catalog/catalog.ts";
import type { RefreshRun } from "../../src/ports/content_store.ts";
import type { components } from "./api_types.ts";

type Schemas = components["schemas"];

/** A catalog as the enterprise-catalog service shows it, plus when its content was refreshed. */
export function catalogToWire({ catalog, query }: CatalogWithQuery): Schemas["EnterpriseCatalog"] {
  return {
    uuid: catalog.uuid,
    title: catalog.title,
    enterprise_customer: catalog.enterpriseCustomerUuid,
    catalog_query_uuid: publicQueryUuid(query),
    content_last_modified: isoOrNull(query.refresh.contentLastModified),
    catalog_modified: catalog.modified.toISOString(),
    query_title: query.title,
    content_last_refreshed: isoOrNull(query.refresh.lastRefreshedAt),
  };
}

/** A catalog query as the enterprise-catalog service shows it, plus its freshness. */
export function queryToWire(query: CatalogQuery): Schemas["CatalogQuery"] {
  return {
    uuid: publicQueryUuid(query),
    content_filter: query.contentFilter.value,
    content_filter_hash: query.contentFilter.hash,
    title: query.title,
    content_last_refreshed: isoOrNull(query.refresh.lastRefreshedAt),
    item_count: query.refresh.itemCount,
    last_refresh_outcome: query.refresh.lastRefreshOutcome,
  };
}

/** One refresh attempt, for operators. */
export function refreshRunToWire(run: RefreshRun): Schemas["RefreshRun"] {
  return {
    uuid: run.uuid,
    trigger: run.trigger,
    started_at: run.startedAt.toISOString(),
    finished_at: run.finishedAt.toISOString(),
    outcome: run.outcome,
    added: run.added,
    removed: run.removed,
    updated: run.updated,
    unchanged: run.unchanged,
    discovery_requests: run.discoveryRequests,
    stage: run.stage,
    message: run.message,
  };
}

/** An ISO 8601 timestamp, or null. */
export function isoOrNull(date: Date | null): string | null {
  return date === null ? null : date.toISOString();
}

/** DRF's BooleanField takes the strings "true" and "false" too. */
export function booleanLike(value: boolean | string | undefined): boolean | undefined {
  return typeof value === "string" ? value.toLowerCase() === "true" : value;
}
