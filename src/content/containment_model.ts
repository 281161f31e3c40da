/**
 * Containment answered from memory, exactly: a read model of the catalogs, the stored courses and
 * each asked query's memberships, every part tagged with the version it was read at. A part is used
 * only while no newer version of it has been heard of, and only after `ReadModelChanges.sync()` has
 * delivered every version committed before the question: so an answer never comes from state older
 * than a write the caller could have seen acknowledged (decision 0018). Anything cold, stale or
 * evicted is left to the reader behind (`ModelContentReader`), so answers never depend on what is held.
 */
import type { ReadModelChanges, ReadModelSource, ReadModelVersion } from "../ports/read_model_source.ts";
import type { CatalogScope, Containment, ContentReader } from "../ports/content_reader.ts";
import { isUuid } from "../validation.ts";
import { MATCH_KINDS, type MatchKind, type MatchWay } from "./containment.ts";
import { CatalogDirectory, containmentOf, ContentCourses, KeyTable, QueryMembership } from "./membership_model.ts";

/** What the model has done, for metrics. */
export interface ContainmentModelStats {
  /** Questions answered from memory. */
  readonly hits: number;
  /** Questions left to the reader behind (cold, stale, evicted, or not synchronized). */
  readonly misses: number;
  /** Query memberships dropped to stay within the budget. */
  readonly evictions: number;
  /** Parts loaded, and loads that failed. */
  readonly loads: number;
  readonly loadFailures: number;
  /** Estimated bytes held in all, and of that the queries' memberships alone (what grows with memberships). */
  readonly bytes: number;
  readonly membershipBytes: number;
  readonly memberships: number;
  readonly queries: number;
}

/** How the model is bounded. */
export interface ContainmentModelOptions {
  /** Most bytes held (estimated); least recently used queries are dropped past it. */
  readonly budgetBytes: number;
}

interface Held<T> {
  readonly version: number;
  readonly value: T;
}

interface HeldQuery extends Held<QueryMembership> {
  lastUsed: number;
}

/** The read model of containment; see the module comment. */
export class ContainmentModel {
  readonly #source: ReadModelSource;
  readonly #changes: ReadModelChanges;
  readonly #budgetBytes: number;
  #keys = new KeyTable();
  /** How many keys the table held right after the stored content was last interned. */
  #keysAfterContent = 0;
  #catalogs: Held<CatalogDirectory> | undefined;
  #content: Held<ContentCourses> | undefined;
  readonly #queries = new Map<string, HeldQuery>();
  /** The newest version heard of each part (catalogs, content, query uuid); absent: none heard. */
  readonly #heard = new Map<string, number>();
  readonly #loading = new Map<string, Promise<void>>();
  /** Bumped by `lost()`: a load begun before it must not install. */
  #generation = 0;
  #tick = 0;
  #stop: (() => void) | undefined;
  #stats = { hits: 0, misses: 0, evictions: 0, loads: 0, loadFailures: 0 };

  constructor(deps: { readonly source: ReadModelSource; readonly changes: ReadModelChanges }, options: ContainmentModelOptions) {
    this.#source = deps.source;
    this.#changes = deps.changes;
    this.#budgetBytes = options.budgetBytes;
  }

  /** Starts hearing versions; nothing is answered from memory before. */
  start(): void {
    this.#stop ??= this.#changes.subscribe({ changed: (version) => this.#changed(version), lost: () => this.#lost() });
  }

  /** Stops hearing versions and drops everything held. */
  stop(): void {
    this.#stop?.();
    this.#stop = undefined;
    this.#lost();
  }

  stats(): ContainmentModelStats {
    let memberships = 0;
    let membershipBytes = 0;
    for (const held of this.#queries.values()) {
      memberships += held.value.size;
      membershipBytes += held.value.bytes;
    }
    return { ...this.#stats, bytes: this.#bytes(), membershipBytes, memberships, queries: this.#queries.size };
  }

  /**
   * The containment of keys in a scope (catalogs and/or a customer, uuids already checked) from
   * memory, or undefined when what it needs is not held current; what is missing starts loading.
   */
  async containment(scope: CatalogScope, keys: readonly string[], kind: MatchKind): Promise<Containment | undefined> {
    const catalogs = await this.#currentCatalogs();
    if (catalogs === undefined) return this.#miss();
    const inScope = catalogs.inScope(scope);
    const courses = (MATCH_KINDS[kind] as readonly MatchWay[]).includes("course_of_run") ? this.#currentContent() : null;
    const memberships = new Map<string, QueryMembership>();
    let complete = courses !== undefined;
    const tick = ++this.#tick;
    for (const catalog of inScope) {
      if (memberships.has(catalog.queryUuid)) continue;
      const held = this.#currentQuery(catalog.queryUuid);
      if (held === undefined) complete = false;
      else {
        held.lastUsed = tick;
        memberships.set(catalog.queryUuid, held.value);
      }
    }
    if (!complete) return this.#miss();
    this.#stats.hits++;
    return containmentOf(inScope, keys, kind, { keys: this.#keys, courses: courses ?? undefined, memberships });
  }

  /** catalog uuid → query uuid for the catalogs that exist, from memory; undefined when not held current. */
  async catalogQueries(catalogUuids: readonly string[]): Promise<ReadonlyMap<string, string> | undefined> {
    const catalogs = await this.#currentCatalogs();
    if (catalogs === undefined) return this.#miss();
    this.#stats.hits++;
    const result = new Map<string, string>();
    for (const uuid of catalogUuids) {
      const catalog = catalogs.get(uuid.toLowerCase());
      if (catalog !== undefined) result.set(catalog.uuid, catalog.queryUuid);
    }
    return result;
  }

  /** Loads what containment in the scope needs and waits for it (warm-up, tests); true when all of it is held current. */
  async prepare(scope: CatalogScope): Promise<boolean> {
    for (let attempt = 0; attempt < 3; attempt++) {
      if (!(await this.#changes.sync())) return false;
      const catalogs = this.#catalogs !== undefined && this.#isCurrent("catalogs", this.#catalogs) ? this.#catalogs.value : undefined;
      const waits: Promise<void>[] = [];
      if (catalogs === undefined) waits.push(this.#load("catalogs"));
      if (this.#content === undefined || !this.#isCurrent("content", this.#content)) waits.push(this.#load("content"));
      for (const catalog of catalogs?.inScope(scope) ?? []) {
        const held = this.#queries.get(catalog.queryUuid);
        if (held === undefined || !this.#isCurrent(`query ${catalog.queryUuid}`, held)) waits.push(this.#load(`query ${catalog.queryUuid}`));
      }
      if (waits.length === 0) return true;
      await Promise.all(waits);
    }
    return false;
  }

  #miss(): undefined {
    this.#stats.misses++;
    return undefined;
  }

  async #currentCatalogs(): Promise<CatalogDirectory | undefined> {
    if (!(await this.#changes.sync())) return undefined;
    const held = this.#catalogs;
    if (held !== undefined && this.#isCurrent("catalogs", held)) return held.value;
    void this.#load("catalogs");
    return undefined;
  }

  #currentContent(): ContentCourses | undefined {
    const held = this.#content;
    if (held !== undefined && this.#isCurrent("content", held)) return held.value;
    void this.#load("content");
    return undefined;
  }

  #currentQuery(queryUuid: string): HeldQuery | undefined {
    const held = this.#queries.get(queryUuid);
    if (held !== undefined && this.#isCurrent(`query ${queryUuid}`, held)) return held;
    void this.#load(`query ${queryUuid}`);
    return undefined;
  }

  #isCurrent(part: string, held: Held<unknown>): boolean {
    return held.version >= (this.#heard.get(part) ?? -1);
  }

  #changed(version: ReadModelVersion): void {
    const part = partName(version);
    if (version.version <= (this.#heard.get(part) ?? -1)) return;
    this.#heard.set(part, version.version);
    // What is held and now stale is reloaded at once, so that the next question finds it current.
    const held = version.part === "catalogs" ? this.#catalogs : version.part === "content" ? this.#content : this.#queries.get(version.queryUuid);
    if (held !== undefined && held.version < version.version) void this.#load(part);
  }

  #lost(): void {
    this.#generation++;
    this.#heard.clear();
    this.#catalogs = undefined;
    this.#content = undefined;
    this.#queries.clear();
    this.#keys = new KeyTable();
    this.#keysAfterContent = 0;
  }

  /** Loads one part (at most one load of a part at a time); failures leave the part cold. */
  #load(part: string): Promise<void> {
    const running = this.#loading.get(part);
    if (running !== undefined) return running;
    const generation = this.#generation;
    const load = (async () => {
      try {
        if (part === "catalogs") {
          const loaded = await this.#source.loadCatalogs();
          if (generation !== this.#generation) return;
          this.#catalogs = { version: loaded.version, value: new CatalogDirectory(loaded.catalogs) };
          this.#heardAt(part, loaded.version);
        } else if (part === "content") {
          const loaded = await this.#source.loadContent();
          if (generation !== this.#generation) return;
          this.#compactKeys();
          this.#content = { version: loaded.version, value: new ContentCourses(this.#keys, loaded.rows) };
          // What the stored content interned is most of the table: give back the room kept for growth.
          this.#keys.trim();
          this.#keysAfterContent = this.#keys.size;
          this.#heardAt(part, loaded.version);
        } else {
          const queryUuid = part.slice("query ".length);
          const loaded = await this.#source.loadQuery(queryUuid);
          if (generation !== this.#generation) return;
          if (loaded === undefined) this.#queries.delete(queryUuid);
          else {
            this.#queries.set(queryUuid, { version: loaded.version, value: new QueryMembership(this.#keys, loaded.rows), lastUsed: ++this.#tick });
            this.#heardAt(part, loaded.version);
            this.#evict();
          }
        }
        this.#stats.loads++;
      } catch {
        this.#stats.loadFailures++;
      } finally {
        this.#loading.delete(part);
      }
    })();
    this.#loading.set(part, load);
    return load;
  }

  #heardAt(part: string, version: number): void {
    if (version > (this.#heard.get(part) ?? -1)) this.#heard.set(part, version);
  }

  /**
   * Keys are never un-interned; when the table has doubled since the stored content was last
   * interned (content that came and went), it starts again, and the memberships with it.
   */
  #compactKeys(): void {
    if (this.#keys.size <= 2 * this.#keysAfterContent + 10_000) return;
    this.#keys = new KeyTable();
    this.#queries.clear();
  }

  /** Drops least recently used queries until the estimate fits the budget. */
  #evict(): void {
    let bytes = this.#bytes();
    while (bytes > this.#budgetBytes && this.#queries.size > 0) {
      let oldest: [string, HeldQuery] | undefined;
      for (const entry of this.#queries) if (oldest === undefined || entry[1].lastUsed < oldest[1].lastUsed) oldest = entry;
      const [uuid, held] = oldest as [string, HeldQuery];
      this.#queries.delete(uuid);
      bytes -= held.value.bytes;
      this.#stats.evictions++;
    }
  }

  #bytes(): number {
    let bytes = this.#keys.bytes + (this.#content?.value.bytes ?? 0) + (this.#catalogs?.value.bytes ?? 0);
    for (const held of this.#queries.values()) bytes += held.value.bytes;
    return bytes;
  }
}

function partName(version: ReadModelVersion): string {
  return version.part === "query" ? `query ${version.queryUuid.toLowerCase()}` : version.part;
}

/**
 * A `ContentReader` that answers containment and catalog → query from a `ContainmentModel` when it
 * holds them current, and everything else (and whatever the model does not hold) from `fallback`.
 */
export class ModelContentReader implements ContentReader {
  readonly #fallback: ContentReader;
  readonly #model: ContainmentModel;
  readonly getCatalog: ContentReader["getCatalog"];
  readonly listQueryContent: ContentReader["listQueryContent"];
  readonly restrictedRuns: ContentReader["restrictedRuns"];
  readonly matchQueryContent: ContentReader["matchQueryContent"];
  readonly diffQueryContent: ContentReader["diffQueryContent"];
  readonly lookUpContent: ContentReader["lookUpContent"];
  readonly findCustomerContent: ContentReader["findCustomerContent"];

  constructor(fallback: ContentReader, model: ContainmentModel) {
    this.#fallback = fallback;
    this.#model = model;
    this.getCatalog = fallback.getCatalog.bind(fallback);
    this.listQueryContent = fallback.listQueryContent.bind(fallback);
    this.restrictedRuns = fallback.restrictedRuns.bind(fallback);
    this.matchQueryContent = fallback.matchQueryContent.bind(fallback);
    this.diffQueryContent = fallback.diffQueryContent.bind(fallback);
    this.lookUpContent = fallback.lookUpContent.bind(fallback);
    this.findCustomerContent = fallback.findCustomerContent.bind(fallback);
  }

  async findContainment(scope: CatalogScope, keys: readonly string[], kind: MatchKind): Promise<Containment> {
    // Malformed uuids find nothing, as the port says; a scope of neither is the fallback's to refuse.
    const catalogUuids = scope.catalogUuids?.filter(isUuid);
    if ((scope.customerUuid !== undefined && !isUuid(scope.customerUuid)) || catalogUuids?.length === 0) return { catalogUuids: [], matches: new Map() };
    if (catalogUuids === undefined && scope.customerUuid === undefined) return await this.#fallback.findContainment(scope, keys, kind);
    const held = await this.#model.containment({ catalogUuids, customerUuid: scope.customerUuid }, keys, kind);
    return held ?? await this.#fallback.findContainment(scope, keys, kind);
  }

  async catalogQueries(catalogUuids: readonly string[]): Promise<ReadonlyMap<string, string>> {
    return await this.#model.catalogQueries(catalogUuids.filter(isUuid)) ?? await this.#fallback.catalogQueries(catalogUuids);
  }
}
