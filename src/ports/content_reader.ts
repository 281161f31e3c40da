import type { EnterpriseCatalog } from "../catalog/catalog.ts";
import type { ContentMetadata } from "../content/content_metadata.ts";
import type { MatchKind } from "../content/containment.ts";
import type { RestrictedRun } from "../content/restricted_runs.ts";
import type { Page, PageRequest } from "./page.ts";

/** A catalog as the read path sees it: the catalog and the version of its query's content. */
export interface CatalogSnapshot {
  readonly catalog: EnterpriseCatalog;
  /** The query's content version: it changes whenever content this catalog shows changes. */
  readonly contentVersion: number;
  /** Latest `modified` among the query's content, or null while it has none. */
  readonly contentLastModified: Date | null;
}

/** Which catalogs a question is asked of; with both fields, the catalogs that satisfy both. */
export interface CatalogScope {
  /** Only these catalogs. */
  readonly catalogUuids?: readonly string[];
  /** Only catalogs of this customer. */
  readonly customerUuid?: string;
}

/** The catalogs in a scope and which of them contain each requested key. */
export interface Containment {
  /** Every catalog in the scope, oldest first (then by uuid). */
  readonly catalogUuids: readonly string[];
  /** Requested key → the catalogs (in the same order) that contain it; keys no catalog contains are left out. */
  readonly matches: ReadonlyMap<string, readonly string[]>;
}

/** A slice of a catalog's listing: `offset` items skipped, at most `limit` returned. */
export interface ListingRange {
  readonly offset: number;
  readonly limit: number;
}

/** Which listing of a query to read. */
export interface ListingOptions {
  /**
   * The `/api/v2` listing (decision 0016): a course with no active run of its own is listed too when
   * the query allows an active restricted run of it (`isActiveRestrictedRun`).
   */
  readonly withRestrictedRuns?: boolean;
}

/** Which content a catalog-less lookup returns. */
export interface ContentLookup {
  /** Content keys to find; with `contentUuids`, either may match. Both absent: all content. */
  readonly contentKeys?: readonly string[];
  readonly contentUuids?: readonly string[];
  /** Replace each course run by its course (when stored) and return no runs. */
  readonly coerceToParentCourse?: boolean;
}

/** The keys a diff was asked about, split by whether the query holds them. */
export interface ContentDiff {
  /** Requested keys the query holds exactly → their row's `modified`. */
  readonly found: ReadonlyMap<string, Date>;
  /** Keys the query holds that were not requested, in listing order. */
  readonly notRequested: readonly string[];
}

/**
 * The read side of catalogs and their content, for the read API. Answers come from committed data
 * (never from a writer's open transaction), each in a bounded number of round trips whatever the
 * number of keys or catalogs; malformed uuids find nothing instead of failing.
 *
 * Listing order is `compareContentKeys` (code point order of content keys). Every answer that
 * matches requested keys against content applies the containment rule of `src/content/containment.ts`
 * under the kind it is asked with, exactly as `matchWay` decides it, with each query's restricted
 * runs as its `AllowedRestrictedRuns`.
 */
export interface ContentReader {
  /** The catalog with its query's content version, or undefined when there is no such catalog. */
  getCatalog(catalogUuid: string): Promise<CatalogSnapshot | undefined>;
  /**
   * The catalogs of the scope, and for each requested key the catalogs of the scope whose query holds
   * an item matching it under `kind`. The one containment question: the read API, the legacy API and
   * bulk enrollment all ask it. One round trip.
   */
  findContainment(scope: CatalogScope, keys: readonly string[], kind: MatchKind): Promise<Containment>;
  /**
   * A slice of the query's listed content (everything but courses with no active run) in listing
   * order, and how many items are listed in all. One round trip, as fast deep in the list as at its
   * start (with restricted runs, only while no course is listed through them alone).
   */
  listQueryContent(queryUuid: string, range: ListingRange, options?: ListingOptions): Promise<Page<ContentMetadata>>;
  /** course key → the restricted runs the query allows of it, for those of these courses that have any. One round trip. */
  restrictedRuns(queryUuid: string, courseKeys: readonly string[]): Promise<ReadonlyMap<string, readonly RestrictedRun[]>>;
  /** The query's content matching any of the keys under `kind` (listed or not), in listing order. */
  matchQueryContent(queryUuid: string, keys: readonly string[], kind: MatchKind): Promise<readonly ContentMetadata[]>;
  /** Which requested keys the query holds exactly, and every other key it holds. */
  diffQueryContent(queryUuid: string, keys: readonly string[]): Promise<ContentDiff>;
  /** catalog uuid → query uuid for the catalogs that exist among `catalogUuids`. */
  catalogQueries(catalogUuids: readonly string[]): Promise<ReadonlyMap<string, string>>;
  /** Stored content, whichever query holds it, in listing order, a page at a time. */
  lookUpContent(lookup: ContentLookup, page: PageRequest): Promise<Page<ContentMetadata>>;
  /**
   * The first catalog of the customer (oldest first) holding content that matches the identifier,
   * with that content: by `content_uuid` for `{ contentUuid }`; for `{ contentKey }` under `kind`,
   * preferring the best way of matching (`MATCH_WAYS` order), then listing order.
   * Undefined when no catalog of the customer has a match.
   */
  findCustomerContent(
    customerUuid: string,
    identifier: { readonly contentUuid: string } | { readonly contentKey: string },
    kind: MatchKind,
  ): Promise<{ readonly catalog: CatalogSnapshot; readonly content: ContentMetadata } | undefined>;
}
