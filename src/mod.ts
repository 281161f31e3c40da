/**
 * The in-process API: the use cases the REST handlers call, for co-located code (bulk jobs,
 * admin scripts) to call directly with no HTTP. Build the services with `createServices()` from
 * `adapters/composition.ts`, or construct them over your own adapters of the ports below.
 */
export { type CatalogFields, CatalogService, type CatalogServiceDeps, type CatalogWriteResult, type NewCatalog } from "./catalog/catalog_service.ts";
export type { CatalogQuery, CatalogWithQuery, EnterpriseCatalog, QueryRefreshState, RefreshOutcome } from "./catalog/catalog.ts";
export { DEFAULT_ENABLED_COURSE_MODES } from "./catalog/catalog.ts";
export {
  type ContentFilter,
  contentFilterFromJson,
  contentFilterFromValue,
  contentFilterHash,
  isContentFilterHash,
} from "./catalog/content_filter.ts";
export { type ContentMetadata, type ContentType, contentRecordFromDiscovery } from "./content/content_metadata.ts";
export * from "./errors.ts";
export type { JsonObject, JsonValue } from "./json.ts";
export type { CatalogStore } from "./ports/catalog_store.ts";
export type { Clock } from "./ports/clock.ts";
export type { ContentStore, RefreshRun } from "./ports/content_store.ts";
export type { DiscoveryClient } from "./ports/discovery_client.ts";
export type { IdGenerator } from "./ports/id_generator.ts";
export type { Page, PageRequest } from "./ports/page.ts";
export type { RefreshRequest, RefreshScheduler, RefreshTrigger } from "./ports/refresh_scheduler.ts";
