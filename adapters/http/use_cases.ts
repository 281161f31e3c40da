/** The use cases the HTTP handlers call, resolved per request by the composition root. */
import type { CatalogService } from "../../src/catalog/catalog_service.ts";
import type { CatalogContentService } from "../../src/content/catalog_content_service.ts";
import type { LegacyCatalogService } from "../../src/content/legacy_catalog_service.ts";
import type { EnrollmentService } from "../../src/enrollment/enrollment_service.ts";
import type { RefreshService } from "../../src/refresh/refresh_service.ts";

/** The use cases of the current request's unit of work. */
export interface UseCases {
  readonly catalogs: CatalogService;
  readonly refresh: RefreshService;
  readonly enrollment: EnrollmentService;
  /** The read API; shared by every unit of work (it reads through a pool of its own). */
  readonly content: CatalogContentService;
  /** The legacy `/enterprise/api/v1/` read API over the same reader. */
  readonly legacy: LegacyCatalogService;
}

/** Returns the current request's use cases. */
export type UseCasesOfRequest = () => UseCases;
