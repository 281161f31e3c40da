/** The content reader in memory, over the database the memory stores write. */
import type { EnterpriseCatalog } from "../../src/catalog/catalog.ts";
import type { ContentMetadata } from "../../src/content/content_metadata.ts";
import {
  type AllowedRestrictedRuns,
  bestMatch,
  type MatchKind,
  matchWay,
  type RequestedKey,
  requestedKeys,
} from "../../src/content/containment.ts";
import { compareContentKeys, isListedContent } from "../../src/content/listing.ts";
import { isActiveRestrictedRun, type RestrictedRun } from "../../src/content/restricted_runs.ts";
import type {
  CatalogScope,
  CatalogSnapshot,
  Containment,
  ContentDiff,
  ContentLookup,
  ContentReader,
  ListingOptions,
  ListingRange,
} from "../../src/ports/content_reader.ts";
import type { Page, PageRequest } from "../../src/ports/page.ts";
import { byCreatedThenUuid, copyCatalog, copyContent, MemoryDatabase } from "./memory_database.ts";

/** `ContentReader` over a `MemoryDatabase`; behaves as `PostgresContentReader` does. */
export class MemoryContentReader implements ContentReader {
  #db: MemoryDatabase;

  constructor(db: MemoryDatabase) {
    this.#db = db;
  }

  async getCatalog(catalogUuid: string): Promise<CatalogSnapshot | undefined> {
    const catalog = this.#db.tables.catalogs.get(catalogUuid.toLowerCase());
    return catalog === undefined ? undefined : this.#snapshot(catalog);
  }

  async findContainment(scope: CatalogScope, keys: readonly string[], kind: MatchKind): Promise<Containment> {
    const catalogs = this.#inScope(scope);
    const matches = new Map<string, string[]>();
    for (const requested of this.#requested(keys)) {
      const containing = catalogs
        .filter((catalog) => {
          const allowed = this.#allowed(catalog.queryUuid);
          return this.#members(catalog.queryUuid).some((item) => matchWay(item, requested, kind, allowed) !== undefined);
        })
        .map((catalog) => catalog.uuid);
      if (containing.length > 0) matches.set(requested.key, containing);
    }
    return { catalogUuids: catalogs.map((catalog) => catalog.uuid), matches };
  }

  async listQueryContent(queryUuid: string, range: ListingRange, options: ListingOptions = {}): Promise<Page<ContentMetadata>> {
    const throughRestricted = new Set<string>();
    if (options.withRestrictedRuns) {
      for (const run of this.#db.tables.restrictedRuns.get(queryUuid.toLowerCase())?.values() ?? []) {
        if (isActiveRestrictedRun(run.record)) throughRestricted.add(run.courseKey);
      }
    }
    const listed = this.#members(queryUuid).filter((item) => isListedContent(item) || throughRestricted.has(item.contentKey));
    return { count: listed.length, items: listed.slice(range.offset, range.offset + range.limit).map(copyContent) };
  }

  async restrictedRuns(queryUuid: string, courseKeys: readonly string[]): Promise<ReadonlyMap<string, readonly RestrictedRun[]>> {
    const wanted = new Set(courseKeys);
    const result = new Map<string, RestrictedRun[]>();
    for (const run of this.#db.tables.restrictedRuns.get(queryUuid.toLowerCase())?.values() ?? []) {
      if (!wanted.has(run.courseKey)) continue;
      const copy: RestrictedRun = { runKey: run.runKey, courseKey: run.courseKey, record: structuredClone(run.record), modified: new Date(run.modified.getTime()) };
      result.set(run.courseKey, [...(result.get(run.courseKey) ?? []), copy]);
    }
    return result;
  }

  async matchQueryContent(queryUuid: string, keys: readonly string[], kind: MatchKind): Promise<readonly ContentMetadata[]> {
    const requested = this.#requested(keys);
    const allowed = this.#allowed(queryUuid);
    return this.#members(queryUuid)
      .filter((item) => requested.some((key) => matchWay(item, key, kind, allowed) !== undefined))
      .map(copyContent);
  }

  async diffQueryContent(queryUuid: string, keys: readonly string[]): Promise<ContentDiff> {
    const requested = new Set(keys);
    const found = new Map<string, Date>();
    const notRequested: string[] = [];
    for (const content of this.#members(queryUuid)) {
      if (requested.has(content.contentKey)) found.set(content.contentKey, new Date(content.modified.getTime()));
      else notRequested.push(content.contentKey);
    }
    return { found, notRequested };
  }

  async catalogQueries(catalogUuids: readonly string[]): Promise<ReadonlyMap<string, string>> {
    const result = new Map<string, string>();
    for (const uuid of catalogUuids) {
      const catalog = this.#db.tables.catalogs.get(uuid.toLowerCase());
      if (catalog !== undefined) result.set(catalog.uuid, catalog.queryUuid);
    }
    return result;
  }

  async lookUpContent(lookup: ContentLookup, page: PageRequest): Promise<Page<ContentMetadata>> {
    const content = this.#db.tables.content;
    let found: ContentMetadata[];
    if (lookup.contentKeys === undefined && lookup.contentUuids === undefined) {
      found = [...content.values()];
    } else {
      const keys = new Set(lookup.contentKeys ?? []);
      const uuids = new Set((lookup.contentUuids ?? []).map((uuid) => uuid.toLowerCase()));
      found = [...content.values()].filter((item) =>
        keys.has(item.contentKey) || (item.contentUuid !== null && uuids.has(item.contentUuid.toLowerCase()))
      );
    }
    if (lookup.coerceToParentCourse) {
      const byKey = new Map<string, ContentMetadata>();
      for (const item of found) {
        const course = item.contentType === "courserun"
          ? (item.parentContentKey === null ? undefined : content.get(item.parentContentKey))
          : item;
        if (course !== undefined && course.contentType !== "courserun") byKey.set(course.contentKey, course);
      }
      found = [...byKey.values()];
    }
    found.sort((a, b) => compareContentKeys(a.contentKey, b.contentKey));
    const offset = (page.page - 1) * page.pageSize;
    return { count: found.length, items: found.slice(offset, offset + page.pageSize).map(copyContent) };
  }

  async findCustomerContent(
    customerUuid: string,
    identifier: { readonly contentUuid: string } | { readonly contentKey: string },
    kind: MatchKind,
  ): Promise<{ readonly catalog: CatalogSnapshot; readonly content: ContentMetadata } | undefined> {
    const find: (items: readonly ContentMetadata[], allowed: AllowedRestrictedRuns) => ContentMetadata | undefined = "contentUuid" in identifier
      ? (items) => items.find((item) => item.contentUuid?.toLowerCase() === identifier.contentUuid.toLowerCase())
      : (items, allowed) => bestMatch(items, this.#requested([identifier.contentKey])[0] as RequestedKey, kind, allowed);
    for (const catalog of this.#inScope({ customerUuid })) {
      const content = find(this.#members(catalog.queryUuid), this.#allowed(catalog.queryUuid));
      if (content !== undefined) return { catalog: this.#snapshot(catalog), content: copyContent(content) };
    }
    return undefined;
  }

  /** The query's members in listing order. */
  #members(queryUuid: string): ContentMetadata[] {
    const tables = this.#db.tables;
    const items: ContentMetadata[] = [];
    for (const key of tables.members.get(queryUuid.toLowerCase()) ?? []) {
      const content = tables.content.get(key);
      if (content !== undefined) items.push(content);
    }
    return items.sort((a, b) => compareContentKeys(a.contentKey, b.contentKey));
  }

  /** The restricted runs the query allows, as the containment rule asks for them. */
  #allowed(queryUuid: string): AllowedRestrictedRuns {
    const runs = this.#db.tables.restrictedRuns.get(queryUuid.toLowerCase());
    return (runKey) => runs?.get(runKey)?.courseKey;
  }

  /** The keys as the containment rule sees them, with the course each belongs to in the stored content. */
  #requested(keys: readonly string[]): RequestedKey[] {
    const content = this.#db.tables.content;
    return requestedKeys(keys, (key) => content.get(key));
  }

  #inScope(scope: CatalogScope): EnterpriseCatalog[] {
    const uuids = scope.catalogUuids === undefined ? undefined : new Set(scope.catalogUuids.map((uuid) => uuid.toLowerCase()));
    const customer = scope.customerUuid?.toLowerCase();
    return [...this.#db.tables.catalogs.values()]
      .filter((catalog) => (uuids === undefined || uuids.has(catalog.uuid)) && (customer === undefined || catalog.enterpriseCustomerUuid === customer))
      .sort(byCreatedThenUuid);
  }

  #snapshot(catalog: EnterpriseCatalog): CatalogSnapshot {
    const query = this.#db.tables.queries.get(catalog.queryUuid);
    return {
      catalog: copyCatalog(catalog),
      contentVersion: query?.refresh.contentVersion ?? 0,
      contentLastModified: query?.refresh.contentLastModified == null ? null : new Date(query.refresh.contentLastModified.getTime()),
    };
  }
}
