/** Enterprise catalogs and the catalog queries they share. */
import type { ContentFilter } from "./content_filter.ts";

/** Course modes a catalog enables when the client does not say. */
export const DEFAULT_ENABLED_COURSE_MODES: readonly string[] = Object.freeze([
  "verified", "professional", "no-id-professional", "audit", "honor",
]);

/** How the last refresh of a query ended. */
export type RefreshOutcome = "succeeded" | "failed" | "held";

/** What the service knows about a query's content and its last refreshes. */
export interface QueryRefreshState {
  /** Bumped by every refresh that changed the query's content; 0 before the first one. */
  readonly contentVersion: number;
  /** Latest `modified` among the query's content, or null while it has none. */
  readonly contentLastModified: Date | null;
  /** When a refresh last succeeded, or null if none has. */
  readonly lastRefreshedAt: Date | null;
  /** When a refresh was last attempted, or null if none was. */
  readonly lastRefreshAttemptAt: Date | null;
  /** How the last attempt ended, or null if none was made. */
  readonly lastRefreshOutcome: RefreshOutcome | null;
  /** Number of content items the query holds. */
  readonly itemCount: number;
}

/**
 * A saved discovery query. Queries are immutable values keyed by their filter's hash: changing a
 * catalog's filter moves the catalog to another query and never changes the sibling catalogs.
 */
export interface CatalogQuery {
  /** The query's own, immutable identity (content, refresh runs and jobs hang on it). */
  readonly uuid: string;
  /**
   * The uuid a client (edx-enterprise, for its own query) last named this query by, when that is not
   * `uuid`; absent otherwise. Clients see `publicQueryUuid(query)`.
   */
  readonly clientUuid?: string;
  readonly title: string | null;
  readonly contentFilter: ContentFilter;
  readonly created: Date;
  readonly refresh: QueryRefreshState;
}

/** The uuid clients know the query by: the one a client last named it by, else its own. */
export function publicQueryUuid(query: Pick<CatalogQuery, "uuid" | "clientUuid">): string {
  return query.clientUuid ?? query.uuid;
}

/** A catalog: one enterprise customer's view on one catalog query. */
export interface EnterpriseCatalog {
  readonly uuid: string;
  readonly title: string;
  readonly enterpriseCustomerUuid: string;
  readonly enterpriseCustomerName: string;
  readonly queryUuid: string;
  readonly enabledCourseModes: readonly string[];
  readonly publishAuditEnrollmentUrls: boolean;
  readonly created: Date;
  readonly modified: Date;
}

/** A catalog together with the query it points at, as read APIs show it. */
export interface CatalogWithQuery {
  readonly catalog: EnterpriseCatalog;
  readonly query: CatalogQuery;
}

/** The refresh state of a query nobody has refreshed yet. */
export const NEVER_REFRESHED: QueryRefreshState = Object.freeze({
  contentVersion: 0,
  contentLastModified: null,
  lastRefreshedAt: null,
  lastRefreshAttemptAt: null,
  lastRefreshOutcome: null,
  itemCount: 0,
});
