/**
 * The in-process API: the use cases the REST handlers call, for co-located code (bulk jobs,
 * admin scripts) to call directly with no HTTP. Get them wired to the service's database with
 * `openRuntime(config, { role: "in-process" })` from `adapters/composition.ts` and its
 * `withServices((useCases) => …)`, or build them over your own adapters of the ports below with
 * `createServices(ports, settings)`.
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
export { catalogSnapshot } from "./catalog/catalog_history.ts";
export { type ContentMetadata, type ContentType, contentRecordFromDiscovery } from "./content/content_metadata.ts";
export {
  type CurationConfig,
  type HighlightedContent,
  type HighlightSet,
  MAX_CURATION_TITLE_LENGTH,
  MAX_HIGHLIGHT_SETS,
  MAX_HIGHLIGHTS_PER_SET,
  MAX_RENAMED_TITLE_LENGTH,
  MAX_REQUESTED_CONTENT_KEYS,
  type UnpublishedSetsOf,
} from "./curation/curation.ts";
export * from "./curation/curation_errors.ts";
export {
  type CurationFields,
  type CurationReadOptions,
  CurationService,
  type CurationServiceDeps,
  type CurationView,
  type NewCuration,
} from "./curation/curation_service.ts";
export {
  type ContentAddition,
  type ContentRemoval,
  type HighlightSetCreation,
  type HighlightSetFields,
  HighlightSetService,
  type HighlightSetServiceDeps,
  type NewHighlightSet,
} from "./curation/highlight_set_service.ts";
export type { HighlightSetView, ShownHighlight } from "./curation/highlight_resolution.ts";
export { type AuthoringOrganization, authoringOrganizations, courseRunStatuses, highlightCardImageUrl } from "./curation/highlight_fields.ts";
export {
  type Change,
  type ChangeAction,
  type ChangeAuthor,
  changedFields,
  type HistoryTrail,
  type RecordKind,
} from "./history/change.ts";
export {
  type CatalogContent,
  type CatalogContentDiff,
  type CatalogContentRequest,
  CatalogContentService,
  type CatalogContentServiceDeps,
  type CustomerContainment,
  type DistinctCatalogQueries,
  MAX_DIFF_KEYS,
  MAX_KEYS_PER_REQUEST,
  type RestrictedRunsOption,
} from "./content/catalog_content_service.ts";
export { MATCH_KINDS, MATCH_WAYS, type MatchKind, type MatchWay } from "./content/containment.ts";
export { RESTRICTION_FOR_B2B, type RestrictedRun } from "./content/restricted_runs.ts";
export { type EnrollmentUrlSettings, enrollmentUrl } from "./content/enrollment_urls.ts";
export { contentMetadataView, type MetadataViewContext } from "./content/metadata_view.ts";
export { ItemNotInCatalogError, type LegacyCatalogPage, LegacyCatalogService, type LegacyCatalogServiceDeps, type LegacyItemKind } from "./content/legacy_catalog_service.ts";
export {
  DEFAULT_FRESHNESS,
  DEFAULT_GUARDRAIL,
  type FreshnessPolicy,
  type RefreshOptions,
  RefreshService,
  type RefreshServiceDeps,
  type SwingGuardrail,
  type SweepResult,
} from "./refresh/refresh_service.ts";
export { type QueryFreshness, queryFreshness } from "./refresh/freshness.ts";
export { createServices, type ServicePorts, type Services, type ServiceSettings, type UnitStores, type UseCases } from "./services.ts";
export type { CustomerDirectory, EnterpriseCustomerRecord } from "./ports/customer_directory.ts";
export { type CatalogCustomer, catalogCustomer } from "./customers/catalog_customer.ts";
export { CustomerDetails, type CustomerDetailsPolicy, DEFAULT_CUSTOMER_DETAILS_POLICY } from "./customers/customer_details.ts";
export type { CatalogScope, CatalogSnapshot, Containment, ContentReader } from "./ports/content_reader.ts";
export {
  type BulkEnrollmentItem,
  type BulkItemField,
  type BulkRequestFault,
  type BulkRequestProblem,
  InvalidBulkRequestError,
  MAX_BULK_ITEMS,
} from "./enrollment/bulk_request.ts";
export { type CourseRun, MODE_PREFERENCE } from "./enrollment/course_run.ts";
export type { Enrollment, Learner, LearnerRef, PendingEnrollment } from "./enrollment/enrollment.ts";
export * from "./enrollment/enrollment_errors.ts";
export {
  type BulkEnrollmentFailure,
  type BulkEnrollmentOptions,
  type BulkEnrollmentResult,
  type BulkEnrollmentSuccess,
  type BulkFailureReason,
  type BulkPendingEnrollment,
  type EnrollLearnerInput,
  type EnrollLearnerResult,
  EnrollmentService,
  type EnrollmentServiceDeps,
  type LearnerRegistrationResult,
  MAX_LEARNERS_PER_REQUEST,
} from "./enrollment/enrollment_service.ts";
export * from "./errors.ts";
export type { JsonObject, JsonValue } from "./json.ts";
export type { CatalogStore } from "./ports/catalog_store.ts";
export type { Clock } from "./ports/clock.ts";
export type { ChangeHistory } from "./ports/change_history.ts";
export type { ContentStore, RefreshRun } from "./ports/content_store.ts";
export type { CurationListFilter, CurationStore, HighlightSetListFilter } from "./ports/curation_store.ts";
export type { DiscoveryClient } from "./ports/discovery_client.ts";
export type { EnrollmentLedger, LearnerRegistration, PendingConversion, Recorded } from "./ports/enrollment_ledger.ts";
export type { IdGenerator } from "./ports/id_generator.ts";
export type { Page, PageRequest } from "./ports/page.ts";
export type { RefreshJobState, RefreshProgress, RefreshRequest, RefreshScheduler, RefreshTrigger } from "./ports/refresh_scheduler.ts";
