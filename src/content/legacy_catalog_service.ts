/**
 * The legacy edx-enterprise catalog API (`/enterprise/api/v1/`) answered from the service's own
 * content: catalogs with a page of their content, ALL-per-catalog containment, and item details.
 */
import { NotFoundError } from "../errors.ts";
import type { JsonObject } from "../json.ts";
import type { CatalogSnapshot, ContentReader } from "../ports/content_reader.ts";
import type { PageRequest } from "../ports/page.ts";
import { isUuid, requireUuid } from "../validation.ts";
import { checkContentKeys, MAX_KEYS_PER_REQUEST, requireContentKeys } from "./catalog_content_service.ts";
import type { ContentMetadata, ContentType } from "./content_metadata.ts";
import { courseRunLookupKeys, storedCourseRun } from "./containment.ts";
import { containsAllKeys, legacyDetail, legacyListItem } from "./legacy_view.ts";

/** What the legacy use cases need from the outside. */
export interface LegacyCatalogServiceDeps {
  readonly reader: ContentReader;
  /** LMS root without a trailing slash: legacy enrollment URLs always use the LMS form. */
  readonly lmsBaseUrl: string;
}

/** A catalog with one page of its content as the legacy retrieve shows it. */
export interface LegacyCatalogPage {
  readonly snapshot: CatalogSnapshot;
  /** Listed items of the whole catalog, before the legacy post-filter (the reference's count is discovery's raw count too). */
  readonly count: number;
  readonly items: readonly JsonObject[];
}

/** Which kind of item a legacy detail route asks for. */
export type LegacyItemKind = "course" | "courserun" | "program";

/** Raised when the catalog exists but does not hold the item; the legacy API answers "Not found.". */
export class ItemNotInCatalogError extends NotFoundError {
  readonly reason = "not_in_catalog" as const;
}

/** The legacy catalog use cases. */
export class LegacyCatalogService {
  #deps: LegacyCatalogServiceDeps;

  constructor(deps: LegacyCatalogServiceDeps) {
    this.#deps = deps;
  }

  /** The catalog and one page of its listed content, legacy post-filter applied; NotFoundError for an unknown catalog. */
  async catalogPage(catalogUuid: string, page: PageRequest): Promise<LegacyCatalogPage> {
    const snapshot = await this.#snapshot(catalogUuid);
    const found = await this.#deps.reader.listQueryContent(snapshot.catalog.queryUuid, {
      offset: (page.page - 1) * page.pageSize,
      limit: page.pageSize,
    });
    const items = found.items
      .map((item) => legacyListItem(item, snapshot.catalog, this.#deps.lmsBaseUrl))
      .filter((item) => item !== undefined);
    return { snapshot, count: found.count, items };
  }

  /** Whether the catalog contains every key (runs, courses and programs alike); NotFoundError for an unknown catalog. */
  async catalogContainsAll(catalogUuid: string, keys: readonly string[]): Promise<boolean> {
    const uuid = requireUuid(catalogUuid, "uuid");
    const wanted = requireContentKeys(checkContentKeys(keys, MAX_KEYS_PER_REQUEST, "course_run_ids"), "course_run_ids");
    const found = await this.#deps.reader.findContainment({ catalogUuids: [uuid] }, wanted, "contains");
    if (found.catalogUuids.length === 0) throw new NotFoundError(`Cannot find catalog "${uuid}"`);
    return containsAllKeys(found.matches, wanted, uuid);
  }

  /** Whether one catalog of the customer contains every key; a union across catalogs does not count. */
  async customerContainsAll(customerUuid: string, keys: readonly string[]): Promise<boolean> {
    const customer = requireUuid(customerUuid, "uuid");
    const wanted = requireContentKeys(checkContentKeys(keys, MAX_KEYS_PER_REQUEST, "course_run_ids"), "course_run_ids");
    const found = await this.#deps.reader.findContainment({ customerUuid: customer }, wanted, "contains");
    return found.catalogUuids.some((catalog) => containsAllKeys(found.matches, wanted, catalog));
  }

  /**
   * One course, run or program of the catalog with its legacy enrollment URLs. NotFoundError for an
   * unknown catalog; ItemNotInCatalogError when the catalog does not hold the item.
   */
  async item(catalogUuid: string, kind: LegacyItemKind, key: string): Promise<JsonObject> {
    const snapshot = await this.#snapshot(catalogUuid);
    if (key === "" || key.length > 255 || (kind === "program" && !isUuid(key))) throw notInCatalog(kind, key);
    const identifier = kind === "program" ? key.toLowerCase() : key;
    const found = await this.#deps.reader.findContainment({ catalogUuids: [snapshot.catalog.uuid] }, [identifier], "contains");
    const stored = found.matches.has(identifier) ? await this.#stored(kind, identifier) : undefined;
    if (stored === undefined) throw notInCatalog(kind, key);
    return legacyDetail(stored, snapshot.catalog, this.#deps.lmsBaseUrl);
  }

  async #snapshot(catalogUuid: string): Promise<CatalogSnapshot> {
    const uuid = requireUuid(catalogUuid, "uuid");
    const snapshot = await this.#deps.reader.getCatalog(uuid);
    if (snapshot === undefined) throw new NotFoundError(`Cannot find catalog "${uuid}"`);
    return snapshot;
  }

  /** The item's own row; for a run stored only inside its course, that course's entry for it, as a run. */
  async #stored(kind: LegacyItemKind, key: string): Promise<ContentMetadata | undefined> {
    const lookup = kind === "program" ? { contentUuids: [key] } : { contentKeys: kind === "courserun" ? courseRunLookupKeys(key) : [key] };
    const found = await this.#deps.reader.lookUpContent(lookup, { page: 1, pageSize: 2 });
    if (kind !== "courserun") return found.items.find((item) => item.contentKey === key && item.contentType === (kind as ContentType));
    const run = storedCourseRun(key, (contentKey) => found.items.find((item) => item.contentKey === contentKey));
    if (run === undefined || !run.nested) return run?.row;
    return {
      ...run.row, contentKey: key, contentType: "courserun", contentUuid: null, parentContentKey: run.row.contentKey,
      jsonMetadata: { ...run.record, course: run.row.contentKey },
    };
  }
}

function notInCatalog(kind: LegacyItemKind, key: string): ItemNotInCatalogError {
  return new ItemNotInCatalogError(`The catalog does not hold ${kind} "${key.slice(0, 255)}"`);
}
