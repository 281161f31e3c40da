/**
 * Use cases on highlight sets and their content: the learner and admin reads and the admin writes,
 * each write recorded in its curation's history. Content is added only while some catalog of the
 * customer contains it, and is shown only while one does (decisions/0014).
 */
import { NotFoundError, ValidationError } from "../errors.ts";
import { actorOf, type ChangeAuthor } from "../history/change.ts";
import type { Clock } from "../ports/clock.ts";
import type { ContentReader } from "../ports/content_reader.ts";
import type { CurationStore, HighlightSetListFilter } from "../ports/curation_store.ts";
import type { IdGenerator } from "../ports/id_generator.ts";
import type { Page, PageRequest } from "../ports/page.ts";
import { requireText, requireUuid } from "../validation.ts";
import {
  type HighlightedContent,
  type HighlightSet,
  isVisibleSet,
  MAX_CURATION_TITLE_LENGTH,
  MAX_HIGHLIGHT_SETS,
  MAX_HIGHLIGHTS_PER_SET,
  MAX_RENAMED_TITLE_LENGTH,
  MAX_REQUESTED_CONTENT_KEYS,
} from "./curation.ts";
import { CurationLimitError, HighlightNotInSetError, NoCurationError } from "./curation_errors.ts";
import { CurationChanges } from "./curation_history.ts";
import type { CurationReadOptions } from "./curation_service.ts";
import { containedContent, type HighlightSetView, resolveHighlightSets } from "./highlight_resolution.ts";

/** The writable fields of a highlight set; absent fields keep their value. */
export interface HighlightSetFields {
  readonly title?: string;
  readonly isPublished?: boolean;
}

/** What creating a highlight set needs: its enterprise (which must have a curation config) and a title. */
export interface NewHighlightSet extends HighlightSetFields {
  readonly enterpriseCustomerUuid: string;
  readonly title: string;
  /** Content keys to highlight at once, at most `MAX_HIGHLIGHTS_PER_SET`. */
  readonly contentKeys?: readonly string[];
}

/** A new set and the requested keys it does not highlight (no catalog of the customer contains them). */
export interface HighlightSetCreation {
  readonly view: HighlightSetView;
  readonly ignoredContentKeys: readonly string[];
}

/** What adding content did with each requested key (each once, in the order requested). */
export interface ContentAddition {
  readonly addedContentKeys: readonly string[];
  /** Keys no catalog of the customer contains (or with no stored content). */
  readonly ignoredContentKeys: readonly string[];
  /** Keys the set already highlighted. */
  readonly existingContentKeys: readonly string[];
  readonly view: HighlightSetView;
}

/** What removing content did with each requested key (each once, in the order requested). */
export interface ContentRemoval {
  readonly removedContentKeys: readonly string[];
  /** Keys the set did not highlight. */
  readonly ignoredContentKeys: readonly string[];
  readonly view: HighlightSetView;
}

/** What the highlight set use cases need from the outside. */
export interface HighlightSetServiceDeps {
  readonly curations: CurationStore;
  readonly reader: ContentReader;
  readonly clock: Clock;
  readonly ids: IdGenerator;
}

/** Creates, reads, changes and deletes highlight sets, and adds and removes their content. */
export class HighlightSetService {
  #deps: HighlightSetServiceDeps;

  constructor(deps: HighlightSetServiceDeps) {
    this.#deps = deps;
  }

  /** A page of the sets the reader sees, newest first, resolved against their customers' catalogs. */
  async listHighlightSets(filter: Omit<HighlightSetListFilter, "unpublishedOf">, page: PageRequest, options: CurationReadOptions): Promise<Page<HighlightSetView>> {
    const unpublishedOf = options.unpublishedOf === "all" ? undefined : options.unpublishedOf;
    const found = await this.#deps.curations.listHighlightSets({ ...filter, unpublishedOf }, page);
    return { count: found.count, items: await this.#views(found.items) };
  }

  /** The set, resolved; NotFoundError when absent or unpublished for a reader who may not see it. */
  async getHighlightSet(uuid: string, options: CurationReadOptions): Promise<HighlightSetView> {
    const set = await this.#existing(uuid);
    if (!isVisibleSet(set, options.unpublishedOf)) throw missingHighlightSet(set.uuid);
    return await this.#view(set);
  }

  /**
   * Creates a set in the enterprise's curation config, with the requested content some catalog of
   * the customer contains. NoCurationError without a config; CurationLimitError at
   * `MAX_HIGHLIGHT_SETS` sets or for more than `MAX_HIGHLIGHTS_PER_SET` keys.
   */
  async createHighlightSet(input: NewHighlightSet, author: ChangeAuthor): Promise<HighlightSetCreation> {
    actorOf(author);
    const customer = requireUuid(input.enterpriseCustomerUuid, "enterprise_customer");
    const title = requireText(input.title, "title", MAX_CURATION_TITLE_LENGTH);
    const keys = uniqueKeys(input.contentKeys ?? []);
    if ((await this.#deps.curations.getCustomerCuration(customer)) === undefined) throw new NoCurationError(customer);
    const content = await containedContent(this.#deps.reader, customer, keys);
    const now = this.#deps.clock.now();
    const set = await this.#deps.curations.transaction(async (store) => {
      const curation = await store.getCustomerCuration(customer);
      if (curation === undefined) throw new NoCurationError(customer);
      await store.lockCuration(curation.uuid);
      const sets = (await store.highlightSetsOf([curation.uuid])).get(curation.uuid) ?? [];
      if (sets.length >= MAX_HIGHLIGHT_SETS) throw new CurationLimitError("highlight_sets", MAX_HIGHLIGHT_SETS);
      if (keys.length > MAX_HIGHLIGHTS_PER_SET) throw new CurationLimitError("highlights_per_set", MAX_HIGHLIGHTS_PER_SET);
      const created: HighlightSet = {
        uuid: this.#deps.ids.uuid(), curationUuid: curation.uuid, enterpriseCustomerUuid: curation.enterpriseCustomerUuid,
        title, isPublished: input.isPublished ?? false, created: now, modified: now,
      };
      const highlights = this.#newHighlights(created.uuid, keys.filter((key) => content.has(key)), 1, now);
      await store.insertHighlightSet(created);
      await store.insertHighlights(highlights);
      const changes = new CurationChanges(curation, { author, now }).highlightSet(undefined, created);
      for (const highlight of highlights) changes.highlight(undefined, highlight);
      await store.recordChanges(changes.changes);
      return created;
    });
    return { view: await this.#view(set), ignoredContentKeys: keys.filter((key) => !content.has(key)) };
  }

  /** Changes the set's title or publication; NotFoundError when absent. */
  async updateHighlightSet(uuid: string, fields: HighlightSetFields, author: ChangeAuthor): Promise<HighlightSetView> {
    actorOf(author);
    const title = fields.title === undefined ? undefined : requireText(fields.title, "title", MAX_CURATION_TITLE_LENGTH);
    return await this.#view(await this.#change(uuid, { title, isPublished: fields.isPublished }, author));
  }

  /**
   * Renames the set as the reference's `edit-highlight-title` does, to at most
   * `MAX_RENAMED_TITLE_LENGTH` characters (CurationLimitError beyond); returns the changed set.
   */
  async renameHighlightSet(uuid: string, title: string, author: ChangeAuthor): Promise<HighlightSet> {
    actorOf(author);
    const text = requireText(title, "title", MAX_CURATION_TITLE_LENGTH);
    if (text.length > MAX_RENAMED_TITLE_LENGTH) throw new CurationLimitError("renamed_title_length", MAX_RENAMED_TITLE_LENGTH);
    return await this.#change(uuid, { title: text }, author);
  }

  /** Deletes the set with its content, each recorded in its curation's history; NotFoundError when absent. */
  async deleteHighlightSet(uuid: string, author: ChangeAuthor): Promise<void> {
    actorOf(author);
    const setUuid = requireUuid(uuid, "uuid");
    const now = this.#deps.clock.now();
    await this.#deps.curations.transaction(async (store) => {
      const { set, curation } = await lockedSet(store, setUuid);
      const changes = new CurationChanges(curation, { author, now });
      for (const highlight of (await store.highlightsOf([set.uuid])).get(set.uuid) ?? []) changes.highlight(highlight, undefined);
      changes.highlightSet(set, undefined);
      if (!(await store.deleteHighlightSet(set.uuid))) throw missingHighlightSet(set.uuid);
      await store.recordChanges(changes.changes);
    });
  }

  /**
   * Highlights the requested content that some catalog of the customer contains and the set does
   * not hold yet, after what it holds. CurationLimitError (adding nothing) when the set would then
   * hold more than `MAX_HIGHLIGHTS_PER_SET`; NotFoundError when the set is absent.
   */
  async addContent(uuid: string, contentKeys: readonly string[], author: ChangeAuthor): Promise<ContentAddition> {
    actorOf(author);
    const setUuid = requireUuid(uuid, "uuid");
    const keys = uniqueKeys(contentKeys);
    const known = await this.#existing(setUuid);
    const content = await containedContent(this.#deps.reader, known.enterpriseCustomerUuid, keys);
    const valid = keys.filter((key) => content.has(key));
    const now = this.#deps.clock.now();
    const { set, added, existing } = await this.#deps.curations.transaction(async (store) => {
      const { set, curation } = await lockedSet(store, setUuid);
      const held = (await store.highlightsOf([set.uuid])).get(set.uuid) ?? [];
      const heldKeys = new Set(held.map((highlight) => highlight.contentKey));
      if (new Set([...heldKeys, ...valid]).size > MAX_HIGHLIGHTS_PER_SET) throw new CurationLimitError("highlights_per_set", MAX_HIGHLIGHTS_PER_SET);
      const lastPosition = Math.max(0, ...held.map((highlight) => highlight.position));
      const highlights = this.#newHighlights(set.uuid, valid.filter((key) => !heldKeys.has(key)), lastPosition + 1, now);
      await store.insertHighlights(highlights);
      const changes = new CurationChanges(curation, { author, now });
      for (const highlight of highlights) changes.highlight(undefined, highlight);
      await store.recordChanges(changes.changes);
      return { set, added: highlights.map((highlight) => highlight.contentKey), existing: valid.filter((key) => heldKeys.has(key)) };
    });
    return {
      addedContentKeys: added,
      ignoredContentKeys: keys.filter((key) => !content.has(key)),
      existingContentKeys: existing,
      view: await this.#view(set),
    };
  }

  /** Removes the requested content from the set (shown or archived alike); NotFoundError when the set is absent. */
  async removeContent(uuid: string, contentKeys: readonly string[], author: ChangeAuthor): Promise<ContentRemoval> {
    actorOf(author);
    const setUuid = requireUuid(uuid, "uuid");
    const keys = uniqueKeys(contentKeys);
    const now = this.#deps.clock.now();
    const { set, removed } = await this.#deps.curations.transaction(async (store) => {
      const { set, curation } = await lockedSet(store, setUuid);
      const requested = new Set(keys);
      const going = ((await store.highlightsOf([set.uuid])).get(set.uuid) ?? []).filter((highlight) => requested.has(highlight.contentKey));
      await store.deleteHighlights(going.map((highlight) => highlight.uuid));
      const changes = new CurationChanges(curation, { author, now });
      for (const highlight of going) changes.highlight(highlight, undefined);
      await store.recordChanges(changes.changes);
      return { set, removed: new Set(going.map((highlight) => highlight.contentKey)) };
    });
    return {
      removedContentKeys: keys.filter((key) => removed.has(key)),
      ignoredContentKeys: keys.filter((key) => !removed.has(key)),
      view: await this.#view(set),
    };
  }

  /**
   * Marks highlighted content of the set as a favorite or not. NotFoundError when the set is
   * absent; HighlightNotInSetError when the content is not the set's.
   */
  async setFavorite(uuid: string, highlightUuid: string, favorite: boolean, author: ChangeAuthor): Promise<void> {
    actorOf(author);
    const setUuid = requireUuid(uuid, "uuid");
    const now = this.#deps.clock.now();
    await this.#deps.curations.transaction(async (store) => {
      const { set, curation } = await lockedSet(store, setUuid);
      const highlight = await store.getHighlight(highlightUuid);
      if (highlight === undefined) throw new HighlightNotInSetError(highlightUuid, "unknown");
      if (highlight.highlightSetUuid !== set.uuid) {
        // Only a set of the same curation may be named: other enterprises' highlights stay unknown.
        const other = await store.getHighlightSet(highlight.highlightSetUuid);
        throw new HighlightNotInSetError(highlightUuid, other?.curationUuid === set.curationUuid ? "other_set" : "unknown");
      }
      if (highlight.isFavorite === favorite) return;
      const changed: HighlightedContent = { ...highlight, isFavorite: favorite, modified: now };
      await store.updateHighlight(changed);
      await store.recordChanges(new CurationChanges(curation, { author, now }).highlight(highlight, changed).changes);
    });
  }

  /** The enterprise of the highlight set, or undefined when there is none with that uuid. */
  async highlightSetOwner(uuid: string): Promise<string | undefined> {
    return (await this.#deps.curations.getHighlightSet(uuid))?.enterpriseCustomerUuid;
  }

  async #change(uuid: string, fields: HighlightSetFields, author: ChangeAuthor): Promise<HighlightSet> {
    const setUuid = requireUuid(uuid, "uuid");
    const now = this.#deps.clock.now();
    return await this.#deps.curations.transaction(async (store) => {
      const { set, curation } = await lockedSet(store, setUuid);
      const changed: HighlightSet = { ...set, title: fields.title ?? set.title, isPublished: fields.isPublished ?? set.isPublished, modified: now };
      await store.updateHighlightSet(changed);
      await store.recordChanges(new CurationChanges(curation, { author, now }).highlightSet(set, changed).changes);
      return changed;
    });
  }

  #newHighlights(setUuid: string, keys: readonly string[], firstPosition: number, now: Date): HighlightedContent[] {
    return keys.map((contentKey, index) => ({
      uuid: this.#deps.ids.uuid(), highlightSetUuid: setUuid, contentKey, isFavorite: false, position: firstPosition + index, created: now, modified: now,
    }));
  }

  async #existing(uuid: string): Promise<HighlightSet> {
    const setUuid = requireUuid(uuid, "uuid");
    const set = await this.#deps.curations.getHighlightSet(setUuid);
    if (set === undefined) throw missingHighlightSet(setUuid);
    return set;
  }

  async #view(set: HighlightSet): Promise<HighlightSetView> {
    const [view] = await this.#views([set]);
    if (view === undefined) throw new TypeError("A set has a view");
    return view;
  }

  async #views(sets: readonly HighlightSet[]): Promise<HighlightSetView[]> {
    return await resolveHighlightSets(this.#deps.reader, sets, await this.#deps.curations.highlightsOf(sets.map((set) => set.uuid)));
  }
}

/** The NotFoundError of a highlight set that does not exist (or is not visible to the caller). */
export function missingHighlightSet(uuid: string): NotFoundError {
  return new NotFoundError(`Cannot find highlight set "${uuid}"`);
}

/** Inside a transaction: the set and its curation, with the curation locked; NotFoundError when the set is gone. */
async function lockedSet(store: CurationStore, setUuid: string) {
  const found = await store.getHighlightSet(setUuid);
  if (found === undefined) throw missingHighlightSet(setUuid);
  await store.lockCuration(found.curationUuid);
  // Read again under the lock: a write that held it may have changed or deleted the set.
  const set = await store.getHighlightSet(setUuid);
  const curation = set === undefined ? undefined : await store.getCuration(set.curationUuid);
  if (set === undefined || curation === undefined) throw missingHighlightSet(setUuid);
  return { set, curation };
}

/** Each key once, in the order first given; ValidationError beyond `MAX_REQUESTED_CONTENT_KEYS`. */
function uniqueKeys(keys: readonly string[]): string[] {
  const unique = [...new Set(keys)];
  if (unique.length > MAX_REQUESTED_CONTENT_KEYS) {
    throw new ValidationError(`A request may name at most ${MAX_REQUESTED_CONTENT_KEYS} content keys`, {
      fieldErrors: [{ field: "content_keys", message: `must hold at most ${MAX_REQUESTED_CONTENT_KEYS} keys` }],
    });
  }
  return unique;
}
