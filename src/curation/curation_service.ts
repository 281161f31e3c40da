/** Use cases on enterprise curation configs: the learner and admin reads, the admin writes, their history. */
import { ConflictError, NotFoundError } from "../errors.ts";
import { actorOf, type Change, type ChangeAuthor } from "../history/change.ts";
import type { Clock } from "../ports/clock.ts";
import type { ContentReader } from "../ports/content_reader.ts";
import type { CurationListFilter, CurationStore } from "../ports/curation_store.ts";
import type { IdGenerator } from "../ports/id_generator.ts";
import type { Page, PageRequest } from "../ports/page.ts";
import { requireText, requireUuid } from "../validation.ts";
import { type CurationConfig, isVisibleSet, MAX_CURATION_TITLE_LENGTH, type UnpublishedSetsOf } from "./curation.ts";
import { CurationEnterpriseChangeError, CurationExistsError } from "./curation_errors.ts";
import { CurationChanges } from "./curation_history.ts";
import { type HighlightSetView, resolveHighlightSets } from "./highlight_resolution.ts";

/** The writable fields of a curation config; on update, absent fields keep their value. */
export interface CurationFields {
  readonly title?: string;
  readonly isHighlightFeatureActive?: boolean;
  readonly canOnlyViewHighlightSets?: boolean;
  /** On update, the config's own enterprise or absent: a config never changes enterprise. */
  readonly enterpriseCustomerUuid?: string;
}

/** What creating a curation config needs: its enterprise and a title at least. */
export interface NewCuration extends CurationFields {
  readonly enterpriseCustomerUuid: string;
  readonly title: string;
}

/** A curation config with its highlight sets (newest first) as the reader sees them now. */
export interface CurationView {
  readonly curation: CurationConfig;
  readonly sets: readonly HighlightSetView[];
}

/** How a read shows highlight sets. */
export interface CurationReadOptions {
  /** Whose unpublished sets the reader sees; learners see only published ones of other enterprises. */
  readonly unpublishedOf: UnpublishedSetsOf;
}

/** What the curation use cases need from the outside. */
export interface CurationServiceDeps {
  readonly curations: CurationStore;
  readonly reader: ContentReader;
  readonly clock: Clock;
  readonly ids: IdGenerator;
}

/** Creates, reads, changes and deletes curation configs, and reads their history. */
export class CurationService {
  #deps: CurationServiceDeps;

  constructor(deps: CurationServiceDeps) {
    this.#deps = deps;
  }

  /** A page of curation configs, newest first, each with its sets resolved against its customer's catalogs. */
  async listCurations(filter: CurationListFilter, page: PageRequest, options: CurationReadOptions): Promise<Page<CurationView>> {
    const found = await this.#deps.curations.listCurations(filter, page);
    return { count: found.count, items: await this.#views(found.items, options) };
  }

  /** The curation config with its sets; NotFoundError when absent. */
  async getCuration(uuid: string, options: CurationReadOptions): Promise<CurationView> {
    const curation = await this.#existing(uuid);
    const [view] = await this.#views([curation], options);
    if (view === undefined) throw new TypeError("A curation has a view");
    return view;
  }

  /** Creates the enterprise's curation config; CurationExistsError when it has one. */
  async createCuration(input: NewCuration, author: ChangeAuthor): Promise<CurationView> {
    actorOf(author);
    const now = this.#deps.clock.now();
    const curation: CurationConfig = {
      uuid: this.#deps.ids.uuid(),
      enterpriseCustomerUuid: requireUuid(input.enterpriseCustomerUuid, "enterprise_customer"),
      title: requireText(input.title, "title", MAX_CURATION_TITLE_LENGTH),
      isHighlightFeatureActive: input.isHighlightFeatureActive ?? true,
      canOnlyViewHighlightSets: input.canOnlyViewHighlightSets ?? false,
      created: now,
      modified: now,
    };
    try {
      await this.#deps.curations.transaction(async (store) => {
        if (await store.getCustomerCuration(curation.enterpriseCustomerUuid)) throw new CurationExistsError(curation.enterpriseCustomerUuid);
        await store.insertCuration(curation);
        await store.recordChanges(new CurationChanges(curation, { author, now }).curation(undefined, curation).changes);
      });
    } catch (error) {
      // Another request created one first.
      if (error instanceof ConflictError && !(error instanceof CurationExistsError)) throw new CurationExistsError(curation.enterpriseCustomerUuid, { cause: error });
      throw error;
    }
    return { curation, sets: [] };
  }

  /** Changes the given fields of a curation config; NotFoundError when absent. */
  async updateCuration(uuid: string, fields: CurationFields, author: ChangeAuthor): Promise<CurationView> {
    actorOf(author);
    const curationUuid = requireUuid(uuid, "uuid");
    const title = fields.title === undefined ? undefined : requireText(fields.title, "title", MAX_CURATION_TITLE_LENGTH);
    const now = this.#deps.clock.now();
    await this.#deps.curations.transaction(async (store) => {
      const current = await store.getCuration(curationUuid);
      if (current === undefined) throw missingCuration(curationUuid);
      if (fields.enterpriseCustomerUuid !== undefined && fields.enterpriseCustomerUuid.toLowerCase() !== current.enterpriseCustomerUuid) {
        throw new CurationEnterpriseChangeError(current.enterpriseCustomerUuid);
      }
      const changed: CurationConfig = {
        ...current,
        title: title ?? current.title,
        isHighlightFeatureActive: fields.isHighlightFeatureActive ?? current.isHighlightFeatureActive,
        canOnlyViewHighlightSets: fields.canOnlyViewHighlightSets ?? current.canOnlyViewHighlightSets,
        modified: now,
      };
      await store.updateCuration(changed);
      await store.recordChanges(new CurationChanges(current, { author, now }).curation(current, changed).changes);
    });
    return await this.getCuration(curationUuid, { unpublishedOf: "all" });
  }

  /** Deletes a curation config with its sets and their content, each recorded in its history; NotFoundError when absent. */
  async deleteCuration(uuid: string, author: ChangeAuthor): Promise<void> {
    actorOf(author);
    const curationUuid = requireUuid(uuid, "uuid");
    const now = this.#deps.clock.now();
    await this.#deps.curations.transaction(async (store) => {
      const curation = await store.getCuration(curationUuid);
      if (curation === undefined) throw missingCuration(curationUuid);
      await store.lockCuration(curation.uuid);
      const sets = (await store.highlightSetsOf([curation.uuid])).get(curation.uuid) ?? [];
      const highlights = await store.highlightsOf(sets.map((set) => set.uuid));
      const changes = new CurationChanges(curation, { author, now });
      for (const set of sets) {
        for (const highlight of highlights.get(set.uuid) ?? []) changes.highlight(highlight, undefined);
        changes.highlightSet(set, undefined);
      }
      changes.curation(curation, undefined);
      if (!(await store.deleteCuration(curation.uuid))) throw missingCuration(curationUuid);
      await store.recordChanges(changes.changes);
    });
  }

  /** The enterprise of the curation config, or undefined when there is none with that uuid. */
  async curationOwner(uuid: string): Promise<string | undefined> {
    return (await this.#deps.curations.getCuration(uuid))?.enterpriseCustomerUuid;
  }

  /**
   * A page of the changes of the curation config, its sets and their content, newest first; it
   * stays readable after the config is deleted. NotFoundError when there is no such config and no history of one.
   */
  async curationHistory(uuid: string, page: PageRequest): Promise<Page<Change>> {
    const curationUuid = requireUuid(uuid, "uuid");
    const changes = await this.#deps.curations.listChanges({ kind: "curation", uuid: curationUuid }, page);
    if (changes.count === 0 && (await this.#deps.curations.getCuration(curationUuid)) === undefined) throw missingCuration(curationUuid);
    return changes;
  }

  /** The enterprise whose admins may read the curation's history: its owner, or for a deleted config the one its last change recorded. */
  async curationHistoryOwner(uuid: string): Promise<string | undefined> {
    const owner = await this.curationOwner(uuid);
    if (owner !== undefined) return owner;
    const latest = await this.#deps.curations.listChanges({ kind: "curation", uuid }, { page: 1, pageSize: 1 });
    return latest.items[0]?.enterpriseCustomerUuid;
  }

  async #existing(uuid: string): Promise<CurationConfig> {
    const curationUuid = requireUuid(uuid, "uuid");
    const curation = await this.#deps.curations.getCuration(curationUuid);
    if (curation === undefined) throw missingCuration(curationUuid);
    return curation;
  }

  /** The configs with their visible sets, newest first, resolved against each customer's catalogs. */
  async #views(curations: readonly CurationConfig[], options: CurationReadOptions): Promise<CurationView[]> {
    const setsByCuration = await this.#deps.curations.highlightSetsOf(curations.map((curation) => curation.uuid));
    const visible = curations.map((curation) => (setsByCuration.get(curation.uuid) ?? []).filter((set) => isVisibleSet(set, options.unpublishedOf)));
    const highlights = await this.#deps.curations.highlightsOf(visible.flat().map((set) => set.uuid));
    const views = await resolveHighlightSets(this.#deps.reader, visible.flat(), highlights);
    const byUuid = new Map(views.map((view) => [view.set.uuid, view]));
    return curations.map((curation, index) => ({
      curation,
      sets: (visible[index] ?? []).map((set) => byUuid.get(set.uuid)).filter((view): view is HighlightSetView => view !== undefined),
    }));
  }
}

/** The NotFoundError of a curation config that does not exist (or is not visible to the caller). */
export function missingCuration(uuid: string): NotFoundError {
  return new NotFoundError(`Cannot find enterprise curation "${uuid}"`);
}
