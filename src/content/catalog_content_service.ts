/** Use cases that read catalog content: containment, listings, diffs and single items. */
import type { EnterpriseCatalog } from "../catalog/catalog.ts";
import type { CatalogCustomer } from "../customers/catalog_customer.ts";
import type { CustomerDetails } from "../customers/customer_details.ts";
import { NotFoundError, ValidationError } from "../errors.ts";
import type { JsonObject } from "../json.ts";
import type { CatalogSnapshot, ContentLookup, ContentReader } from "../ports/content_reader.ts";
import type { Page, PageRequest } from "../ports/page.ts";
import { isUuid, requireUuid } from "../validation.ts";
import type { ContentMetadata } from "./content_metadata.ts";
import type { MatchKind } from "./containment.ts";
import type { EnrollmentUrlSettings } from "./enrollment_urls.ts";
import { contentMetadataView } from "./metadata_view.ts";
import { courseWithRestrictedRuns } from "./course_with_restricted_runs.ts";

/** Most keys one containment or filter question may carry (the reference has no limit; URLs and bodies do). */
export const MAX_KEYS_PER_REQUEST = 2000;
/**
 * Most keys one catalog diff may carry. edx-enterprise's integrated channels send every key they
 * ever sent for the catalog in one body, unchunked; the reference has no limit. A catalog is at
 * most what one discovery search returns (15,000 records through v1 pages, rarely much more), so
 * this is several times what a channel sends while still bounding the work (the reader compares
 * them in chunks; decision 0006).
 */
export const MAX_DIFF_KEYS = 100_000;
/** Most catalogs one distinct-queries question may name. */
export const MAX_CATALOGS_PER_REQUEST = 1000;

/** What the content use cases need from the outside. */
export interface CatalogContentServiceDeps {
  readonly reader: ContentReader;
  readonly enrollment: EnrollmentUrlSettings;
  /** What the LMS says of each catalog's customer (slug, learner portal, last change). */
  readonly customers: CustomerDetails;
}

/**
 * Which restricted runs a read shows: none by default (`/api/v1`, legacy, enrollment), or with
 * `withRestrictedRuns` those each catalog's query allows (`/api/v2`; decision 0016).
 */
export interface RestrictedRunsOption {
  readonly withRestrictedRuns?: boolean;
}

/** Which part of a catalog's content to show. */
export interface CatalogContentRequest extends RestrictedRunsOption {
  /** Only content matching these keys (parent/child aware, inactive courses kept). */
  readonly contentKeys?: readonly string[];
  /** One page; undefined shows everything at once (`traverse_pagination`). */
  readonly page?: PageRequest;
}

/** A catalog's content as the read API shows it. */
export interface CatalogContent {
  readonly snapshot: CatalogSnapshot;
  /** Items matching the request across all pages. */
  readonly count: number;
  readonly items: readonly JsonObject[];
}

/** A customer-level containment answer. */
export interface CustomerContainment {
  readonly contains: boolean;
  /** The customer's catalogs containing any of the keys, oldest first. */
  readonly catalogUuids: readonly string[];
}

/** The reference's catalog diff. */
export interface CatalogContentDiff {
  readonly itemsNotFound: readonly string[];
  readonly itemsNotIncluded: readonly string[];
  readonly itemsFound: readonly { readonly contentKey: string; readonly dateUpdated: Date }[];
}

/**
 * Limits a read to one customer's catalogs: another customer's catalog is answered as if it did not
 * exist. The HTTP adapter passes the caller's only enterprise here, so that authorizing and
 * answering take one read instead of two; no `customerUuid` means no limit.
 */
export interface CustomerScope {
  readonly customerUuid?: string;
}

/** Catalogs grouped by the query they share. */
export interface DistinctCatalogQueries {
  readonly count: number;
  /** query uuid → catalog uuids, in the order the catalogs were named. */
  readonly catalogUuidsByQuery: ReadonlyMap<string, readonly string[]>;
}

/** Answers the read API's questions about catalog content from the service's own copy. */
export class CatalogContentService {
  #deps: CatalogContentServiceDeps;

  constructor(deps: CatalogContentServiceDeps) {
    this.#deps = deps;
  }

  /**
   * Whether the catalog contains any of the keys (ANY semantics); NotFoundError for an unknown
   * catalog, and (with `within`) for a catalog of another customer, decided in the same read.
   */
  async catalogContains(catalogUuid: string, keys: readonly string[], within: CustomerScope & RestrictedRunsOption = {}): Promise<boolean> {
    const uuid = requireUuid(catalogUuid, "uuid");
    const wanted = checkContentKeys(keys, MAX_KEYS_PER_REQUEST, "course_run_ids");
    const found = await this.#deps.reader.findContainment({ catalogUuids: [uuid], customerUuid: within.customerUuid }, wanted, containsKind(within));
    if (found.catalogUuids.length === 0) throw missingCatalog(uuid);
    requireContentKeys(wanted, "course_run_ids");
    return found.matches.size > 0;
  }

  /** Whether any catalog of the customer contains any of the keys, and which catalogs do. */
  async customerContains(customerUuid: string, keys: readonly string[], options: RestrictedRunsOption = {}): Promise<CustomerContainment> {
    const customer = requireCustomer(customerUuid);
    const wanted = requireContentKeys(checkContentKeys(keys, MAX_KEYS_PER_REQUEST, "course_run_ids"), "course_run_ids");
    const found = await this.#deps.reader.findContainment({ customerUuid: customer }, wanted, containsKind(options));
    const containing = new Set([...found.matches.values()].flat());
    const catalogUuids = found.catalogUuids.filter((uuid) => containing.has(uuid));
    return { contains: catalogUuids.length > 0, catalogUuids };
  }

  /**
   * The requested keys that a catalog of the customer holds exactly, or as the course of a run it
   * holds (the `filter` kind: a run does not match through its course); with `catalogUuids`, only
   * those of the customer's catalogs count. Restricted runs never change this answer: the kind has no
   * way through a run's course, and they are no members (so `/api/v2` asks this same question).
   */
  async filterContentItems(customerUuid: string, keys: readonly string[], options: { catalogUuids?: readonly string[] } = {}): Promise<readonly string[]> {
    const customer = requireCustomer(customerUuid);
    const wanted = checkContentKeys(keys, MAX_KEYS_PER_REQUEST, "content_keys");
    const catalogUuids = options.catalogUuids?.map((uuid) => requireUuid(uuid, "catalog_uuids"));
    if (wanted.length === 0) return [];
    const scope = catalogUuids === undefined || catalogUuids.length === 0 ? { customerUuid: customer } : { customerUuid: customer, catalogUuids };
    const found = await this.#deps.reader.findContainment(scope, wanted, "filter");
    return wanted.filter((key) => found.matches.has(key));
  }

  /** The enterprise customer owning the catalog (lowercase), or undefined when there is no such catalog. One round trip. */
  async catalogOwner(catalogUuid: string): Promise<string | undefined> {
    const snapshot = await this.#deps.reader.getCatalog(catalogUuid);
    return snapshot?.catalog.enterpriseCustomerUuid.toLowerCase();
  }

  /** The catalog with its query's content version; NotFoundError when absent (or, with `within`, another customer's). */
  async getCatalogSnapshot(catalogUuid: string, within: CustomerScope = {}): Promise<CatalogSnapshot> {
    const uuid = requireUuid(catalogUuid, "uuid");
    const snapshot = await this.#deps.reader.getCatalog(uuid);
    if (snapshot === undefined || !isWithin(snapshot.catalog, within)) throw missingCatalog(uuid);
    return snapshot;
  }

  /** The catalog's customer as its links name it: the LMS record as last known (never waiting long), else the catalog alone. */
  customerOf(catalog: EnterpriseCatalog): Promise<CatalogCustomer> {
    return this.#deps.customers.customerOf(catalog);
  }

  /**
   * A catalog's content, one page or all of it: without keys every listed item (courses with no
   * active run left out); with keys every item they match (parent/child aware, inactive kept).
   * Links and dates name `customer` (looked up when not given). `withRestrictedRuns` shows each
   * course with the restricted runs the query allows of it, and counts those runs in what is
   * active and listed.
   */
  async catalogContent(snapshot: CatalogSnapshot, request: CatalogContentRequest = {}, customer?: CatalogCustomer): Promise<CatalogContent> {
    const queryUuid = snapshot.catalog.queryUuid;
    const page = request.page;
    const range = page === undefined
      ? { offset: 0, limit: Number.MAX_SAFE_INTEGER }
      : { offset: (page.page - 1) * page.pageSize, limit: page.pageSize };
    let found: Page<ContentMetadata>;
    if (request.contentKeys !== undefined && request.contentKeys.length > 0) {
      const keys = checkContentKeys(request.contentKeys, MAX_KEYS_PER_REQUEST, "content_keys");
      const matched = await this.#deps.reader.matchQueryContent(queryUuid, keys, containsKind(request));
      found = { count: matched.length, items: matched.slice(range.offset, range.offset + range.limit) };
    } else {
      found = await this.#deps.reader.listQueryContent(queryUuid, range, { withRestrictedRuns: request.withRestrictedRuns });
    }
    const items = request.withRestrictedRuns ? await this.#withRestrictedRuns(queryUuid, found.items) : found.items;
    const context = {
      catalog: snapshot.catalog, customer: customer ?? await this.customerOf(snapshot.catalog), settings: this.#deps.enrollment,
      withRestrictedRuns: request.withRestrictedRuns,
    };
    return { snapshot, count: found.count, items: items.map((item) => contentMetadataView(item, context)) };
  }

  /** The items, each course with the restricted runs the query allows of it (one read, none without courses). */
  async #withRestrictedRuns(queryUuid: string, items: readonly ContentMetadata[]): Promise<readonly ContentMetadata[]> {
    const courseKeys = items.filter((item) => item.contentType === "course").map((item) => item.contentKey);
    if (courseKeys.length === 0) return items;
    const runs = await this.#deps.reader.restrictedRuns(queryUuid, courseKeys);
    if (runs.size === 0) return items;
    return items.map((item) => courseWithRestrictedRuns(item, runs.get(item.contentKey) ?? []));
  }

  /** Which keys the catalog holds exactly (with when they last changed), which it lacks, and what else it holds. */
  async catalogContentDiff(catalogUuid: string, keys: readonly string[]): Promise<CatalogContentDiff> {
    const snapshot = await this.getCatalogSnapshot(catalogUuid);
    const wanted = checkContentKeys(keys, MAX_DIFF_KEYS, "content_keys");
    const diff = await this.#deps.reader.diffQueryContent(snapshot.catalog.queryUuid, wanted);
    // The reference's `date_updated`: the latest of the item's, the catalog's and the customer record's change.
    const customerModified = (await this.customerOf(snapshot.catalog)).modified;
    const catalogModified = customerModified !== null && customerModified > snapshot.catalog.modified ? customerModified : snapshot.catalog.modified;
    return {
      itemsNotFound: wanted.filter((key) => !diff.found.has(key)),
      itemsNotIncluded: diff.notRequested,
      itemsFound: wanted.flatMap((key) => {
        const modified = diff.found.get(key);
        if (modified === undefined) return [];
        return [{ contentKey: key, dateUpdated: modified.getTime() >= catalogModified.getTime() ? modified : catalogModified }];
      }),
    };
  }

  /** The named catalogs grouped by their query; unknown catalogs are left out. */
  async distinctCatalogQueries(catalogUuids: readonly string[]): Promise<DistinctCatalogQueries> {
    if (catalogUuids.length > MAX_CATALOGS_PER_REQUEST) {
      throw new ValidationError(`At most ${MAX_CATALOGS_PER_REQUEST} catalogs may be named at once, got ${catalogUuids.length}`, {
        fieldErrors: [{ field: "enterprise_catalog_uuids", message: `must have at most ${MAX_CATALOGS_PER_REQUEST} items` }],
      });
    }
    const uuids = [...new Set(catalogUuids.map((uuid) => requireUuid(uuid, "enterprise_catalog_uuids")))];
    const queries = await this.#deps.reader.catalogQueries(uuids);
    const byQuery = new Map<string, string[]>();
    for (const uuid of uuids) {
      const query = queries.get(uuid);
      if (query !== undefined) byQuery.set(query, [...(byQuery.get(query) ?? []), uuid]);
    }
    return { count: byQuery.size, catalogUuidsByQuery: byQuery };
  }

  /** Stored content by key or uuid (or all of it), with no catalog context, a page at a time. */
  async lookUpContent(identifiers: readonly string[], options: { coerceToParentCourse?: boolean }, page: PageRequest): Promise<Page<JsonObject>> {
    const wanted = checkContentKeys(identifiers, MAX_KEYS_PER_REQUEST, "content_identifiers");
    const lookup: ContentLookup = wanted.length === 0
      ? { coerceToParentCourse: options.coerceToParentCourse }
      : {
        contentKeys: wanted.filter((identifier) => !isUuid(identifier)),
        contentUuids: wanted.filter(isUuid).map((uuid) => uuid.toLowerCase()),
        coerceToParentCourse: options.coerceToParentCourse,
      };
    const found = await this.#deps.reader.lookUpContent(lookup, page);
    const context = { settings: this.#deps.enrollment };
    return { count: found.count, items: found.items.map((item) => contentMetadataView(item, context)) };
  }

  /** One stored item by content key or uuid, optionally its course instead of a run; NotFoundError when absent. */
  async getContent(identifier: string, options: { coerceToParentCourse?: boolean } = {}): Promise<JsonObject> {
    const found = await this.lookUpContent([identifier], options, { page: 1, pageSize: 1 });
    const item = found.items[0];
    if (item === undefined) throw new NotFoundError(`Cannot find content "${identifier.slice(0, 255)}"`);
    return item;
  }

  /**
   * One item from the first catalog of the customer that holds it (by content uuid, or by key with
   * the containment rules), shown in that catalog; NotFoundError when none does. With
   * `withRestrictedRuns`, as the reference's v2: a uuid is first resolved to the key of the stored
   * content that has it, whichever query holds it, which is then matched as a key is, restricted
   * runs the catalog's query allows included, and a course is shown with them.
   */
  async customerContent(customerUuid: string, identifier: string, options: { skipEnrollmentUrls?: boolean } & RestrictedRunsOption = {}): Promise<JsonObject> {
    const customer = requireCustomer(customerUuid);
    const missing = () => new NotFoundError(`No catalog of customer "${customer}" holds content "${identifier.slice(0, 255)}"`);
    let wanted: { readonly contentUuid: string } | { readonly contentKey: string } = isUuid(identifier)
      ? { contentUuid: identifier.toLowerCase() }
      : { contentKey: identifier };
    if (options.withRestrictedRuns && "contentUuid" in wanted) {
      const [stored] = (await this.#deps.reader.lookUpContent({ contentUuids: [wanted.contentUuid] }, { page: 1, pageSize: 1 })).items;
      if (stored === undefined) throw missing();
      wanted = { contentKey: stored.contentKey };
    }
    const found = await this.#deps.reader.findCustomerContent(customer, wanted, containsKind(options));
    if (found === undefined) throw missing();
    const catalog = found.catalog.catalog;
    const [content] = options.withRestrictedRuns ? await this.#withRestrictedRuns(catalog.queryUuid, [found.content]) : [found.content];
    // `skip_customer_fetch`: the reference then leaves the LMS out (no enrollment URLs, no customer date).
    return contentMetadataView(content as ContentMetadata, {
      catalog,
      customer: options.skipEnrollmentUrls ? undefined : await this.customerOf(catalog),
      settings: this.#deps.enrollment,
      skipEnrollmentUrls: options.skipEnrollmentUrls,
      withRestrictedRuns: options.withRestrictedRuns,
    });
  }
}

/** Distinct keys in the order given; ValidationError past the limit or for a non-string key. */
export function checkContentKeys(keys: readonly string[], max: number, field: string): string[] {
  const unique = [...new Set(keys)];
  if (unique.some((key) => typeof key !== "string")) {
    throw new ValidationError(`Content keys must be strings`, { fieldErrors: [{ field, message: "must be strings" }] });
  }
  if (unique.length > max) {
    throw new ValidationError(`At most ${max} content keys may be asked at once, got ${unique.length}`, {
      fieldErrors: [{ field, message: `must have at most ${max} items` }],
    });
  }
  return unique;
}

/** The keys unchanged; ValidationError when there are none. */
export function requireContentKeys(keys: string[], field: string): string[] {
  if (keys.length === 0) {
    throw new ValidationError(`At least one content key is required`, { fieldErrors: [{ field, message: "at least one is required", code: "required" }] });
  }
  return keys;
}

/** The containment kind a read asks: `/api/v2`'s sees the restricted runs each query allows. */
function containsKind(options: RestrictedRunsOption): MatchKind {
  return options.withRestrictedRuns ? "contains_with_restricted" : "contains";
}

function isWithin(catalog: { readonly enterpriseCustomerUuid: string }, within: CustomerScope): boolean {
  return within.customerUuid === undefined || catalog.enterpriseCustomerUuid.toLowerCase() === within.customerUuid.toLowerCase();
}

function requireCustomer(customerUuid: string): string {
  if (!isUuid(customerUuid)) {
    throw new ValidationError(`Invalid enterprise customer uuid: "${customerUuid.slice(0, 80)}"`, {
      fieldErrors: [{ field: "enterprise_customer", message: "must be a valid UUID" }],
    });
  }
  return customerUuid.toLowerCase();
}

function missingCatalog(uuid: string): NotFoundError {
  return new NotFoundError(`Cannot find catalog "${uuid}"`);
}
