/** The use cases the HTTP handlers call, resolved per request by the composition root. */
import type { CatalogService } from "../../src/catalog/catalog_service.ts";
import type { CatalogContentService } from "../../src/content/catalog_content_service.ts";
import type { EnrollmentService } from "../../src/enrollment/enrollment_service.ts";
import type { RefreshService } from "../../src/refresh/refresh_service.ts";

/** The use cases of the current request's unit of work. */
export interface UseCases {
  readonly catalogs: CatalogService;
  readonly refresh: RefreshService;
  readonly enrollment: EnrollmentService;
  readonly content: CatalogContentService;
}

/** Returns the current request's use cases. */
export type UseCasesOfRequest = () => UseCases;
