/**
 * Containment held in memory: the data the containment rule of `containment.ts` reads, compacted.
 * Every key is interned once per process (`KeyTable`); what grows with memberships is typed arrays
 * of key ids (`QueryMembership`: 4 bytes a member, 4 a distinct parent), never an object per
 * membership. `ContentCourses` is `storedCourseOf` for every stored key, `CatalogDirectory` which
 * catalogs a scope names. Pure data: loading, versions and eviction are `ContainmentModel`'s.
 */
import type { CatalogScope, Containment } from "../ports/content_reader.ts";
import { courseKeyOfRunKey } from "./content_metadata.ts";
import { MATCH_KINDS, type MatchKind, type MatchWay } from "./containment.ts";

/** No key: an id for "absent" in the typed arrays. */
const NONE = -1;

/** Keys interned to dense ids (0, 1, ...), append-only; `bytes` estimates its heap. */
export class KeyTable {
  readonly #ids = new Map<string, number>();
  #bytes = 0;

  /** The key's id, given a new one when it has none. */
  intern(key: string): number {
    let id = this.#ids.get(key);
    if (id === undefined) {
      id = this.#ids.size;
      this.#ids.set(key, id);
      // A Map entry (key, value, chain, bucket share) and the string itself (header, two bytes a unit at most).
      this.#bytes += 40 + 16 + 8 * Math.ceil((key.length * (isOneByte(key) ? 1 : 2)) / 8);
    }
    return id;
  }

  /** The key's id, or -1 when it was never interned. */
  idOf(key: string): number {
    return this.#ids.get(key) ?? NONE;
  }

  get size(): number {
    return this.#ids.size;
  }

  get bytes(): number {
    return this.#bytes;
  }
}

function isOneByte(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) > 0xff) return false;
  return true;
}

/** Stored content as `storedCourseOf` reads it: each row's key, parent, and the run keys a course lists. */
export interface ContentCourseRows {
  readonly keys: readonly string[];
  readonly parents: readonly (string | null)[];
  /** Per row, `course_run_keys` (`listedRunKeys`): empty for anything but a course. */
  readonly listedRuns: readonly (readonly string[])[];
}

/** `storedCourseOf` for every key: key id → course id, or -1. */
export class ContentCourses {
  readonly #courseOf: Int32Array;

  /** Interns every stored key, parent and listed run key into `keys`. */
  constructor(keys: KeyTable, rows: ContentCourseRows) {
    const ids = rows.keys.map((key) => keys.intern(key));
    const hasRow = new Set(ids);
    const listed: [number, number][] = [];
    rows.listedRuns.forEach((runs, row) => {
      const courseKey = rows.keys[row] as string;
      for (const run of runs) {
        // A run with its own row belongs to its row's parent (the row wins over the key); a listed
        // run belongs to the course its key names, and only when that course is the one listing it.
        if (courseKeyOfRunKey(run) !== courseKey) continue;
        const runId = keys.intern(run);
        if (!hasRow.has(runId)) listed.push([runId, ids[row] as number]);
      }
    });
    const parents = rows.parents.map((parent) => (parent === null ? NONE : keys.intern(parent)));
    this.#courseOf = new Int32Array(keys.size).fill(NONE);
    ids.forEach((id, row) => (this.#courseOf[id] = parents[row] as number));
    for (const [runId, courseId] of listed) this.#courseOf[runId] = courseId;
  }

  /** The id of the course the key belongs to as stored, or -1. */
  courseOf(id: number): number {
    return id < 0 || id >= this.#courseOf.length ? NONE : (this.#courseOf[id] as number);
  }

  get bytes(): number {
    return this.#courseOf.byteLength + 64;
  }
}

/** One query's content as containment reads it. */
export interface QueryMembershipRows {
  /** Member keys, and each member's parent (`parent_content_key`). */
  readonly keys: readonly string[];
  readonly parents: readonly (string | null)[];
  /** The restricted runs the query allows, and the course each belongs to. */
  readonly restrictedRuns: readonly string[];
  readonly restrictedCourses: readonly string[];
}

/** One query's memberships: sorted member ids, sorted distinct parent ids, restricted run → course. */
export class QueryMembership {
  readonly #members: Int32Array;
  readonly #parents: Int32Array;
  readonly #restrictedRuns: Int32Array;
  readonly #restrictedCourses: Int32Array;

  /** Interns the rows' keys into `keys`. */
  constructor(keys: KeyTable, rows: QueryMembershipRows) {
    this.#members = sortedIds(rows.keys.map((key) => keys.intern(key)));
    this.#parents = sortedIds(rows.parents.flatMap((parent) => (parent === null ? [] : [keys.intern(parent)])));
    const restricted = rows.restrictedRuns.map((run, i) => [keys.intern(run), keys.intern(rows.restrictedCourses[i] as string)] as const)
      .sort((a, b) => a[0] - b[0]);
    this.#restrictedRuns = Int32Array.from(restricted, ([run]) => run);
    this.#restrictedCourses = Int32Array.from(restricted, ([, course]) => course);
  }

  /** How many members the query has. */
  get size(): number {
    return this.#members.length;
  }

  get bytes(): number {
    return this.#members.byteLength + this.#parents.byteLength + this.#restrictedRuns.byteLength + this.#restrictedCourses.byteLength + 256;
  }

  /** Whether the query holds an item matching the requested key (id, and its course's id) one of `ways`. */
  matches(key: number, course: number, ways: readonly MatchWay[]): boolean {
    for (const way of ways) {
      if (way === "same_key" ? this.#holds(key)
        : way === "course_of_run" ? this.#holds(course)
        : way === "run_of_course" ? key >= 0 && indexOf(this.#parents, key) >= 0
        : this.#holds(this.#restrictedCourse(key))) return true;
    }
    return false;
  }

  #holds(id: number): boolean {
    return id >= 0 && indexOf(this.#members, id) >= 0;
  }

  #restrictedCourse(key: number): number {
    const at = key < 0 ? NONE : indexOf(this.#restrictedRuns, key);
    return at < 0 ? NONE : (this.#restrictedCourses[at] as number);
  }
}

function sortedIds(ids: number[]): Int32Array {
  const sorted = Int32Array.from(new Set(ids)).sort();
  return sorted;
}

/** Binary search of a sorted Int32Array: the index of `id`, or -1. */
function indexOf(sorted: Int32Array, id: number): number {
  let low = 0;
  let high = sorted.length - 1;
  while (low <= high) {
    const mid = (low + high) >>> 1;
    const value = sorted[mid] as number;
    if (value < id) low = mid + 1;
    else if (value > id) high = mid - 1;
    else return mid;
  }
  return NONE;
}

/** A catalog as containment reads it. */
export interface CatalogEntry {
  /** Lower-case uuids. */
  readonly uuid: string;
  readonly customerUuid: string;
  readonly queryUuid: string;
  readonly created: Date;
}

/** Which catalogs exist, their queries and customers, each customer's catalogs oldest first. */
export class CatalogDirectory {
  readonly #byUuid = new Map<string, CatalogEntry>();
  readonly #byCustomer = new Map<string, CatalogEntry[]>();
  readonly #bytes: number;

  constructor(catalogs: readonly CatalogEntry[]) {
    const ordered = [...catalogs].sort((a, b) => a.created.getTime() - b.created.getTime() || (a.uuid < b.uuid ? -1 : a.uuid > b.uuid ? 1 : 0));
    for (const catalog of ordered) {
      this.#byUuid.set(catalog.uuid, catalog);
      const list = this.#byCustomer.get(catalog.customerUuid);
      if (list === undefined) this.#byCustomer.set(catalog.customerUuid, [catalog]);
      else list.push(catalog);
    }
    this.#bytes = 256 * ordered.length;
  }

  get bytes(): number {
    return this.#bytes;
  }

  /** The catalog with this (lower-case) uuid, or undefined. */
  get(uuid: string): CatalogEntry | undefined {
    return this.#byUuid.get(uuid);
  }

  /**
   * The catalogs of a scope (lower-case uuids), oldest first then by uuid; a scope that names
   * catalogs and a customer has those of them the customer owns.
   */
  inScope(scope: CatalogScope): CatalogEntry[] {
    const customer = scope.customerUuid?.toLowerCase();
    if (scope.catalogUuids === undefined) return customer === undefined ? [] : [...(this.#byCustomer.get(customer) ?? [])];
    const found = new Set<CatalogEntry>();
    for (const uuid of scope.catalogUuids) {
      const catalog = this.#byUuid.get(uuid.toLowerCase());
      if (catalog !== undefined && (customer === undefined || catalog.customerUuid === customer)) found.add(catalog);
    }
    const ordered = [...found];
    if (ordered.length > 1) ordered.sort((a, b) => a.created.getTime() - b.created.getTime() || (a.uuid < b.uuid ? -1 : a.uuid > b.uuid ? 1 : 0));
    return ordered;
  }
}

/**
 * The containment rule over held memberships: for each distinct key, the catalogs of `catalogs`
 * (in scope order) whose query holds a match under `kind`. `memberships` has every query of them.
 */
export function containmentOf(
  catalogs: readonly CatalogEntry[],
  keys: readonly string[],
  kind: MatchKind,
  held: { readonly keys: KeyTable; readonly courses: ContentCourses | undefined; readonly memberships: ReadonlyMap<string, QueryMembership> },
): Containment {
  const ways = MATCH_KINDS[kind] as readonly MatchWay[];
  if (held.courses === undefined && ways.includes("course_of_run")) throw new TypeError(`Containment of kind "${kind}" needs the stored courses`);
  const matches = new Map<string, string[]>();
  for (const key of new Set(keys)) {
    const id = held.keys.idOf(key);
    const course = held.courses === undefined ? NONE : held.courses.courseOf(id);
    let containing: string[] | undefined;
    for (const catalog of catalogs) {
      const membership = held.memberships.get(catalog.queryUuid);
      if (membership === undefined) throw new TypeError(`No membership held for catalog query "${catalog.queryUuid}"`);
      if (membership.matches(id, course, ways)) (containing ??= []).push(catalog.uuid);
    }
    if (containing !== undefined) matches.set(key, containing);
  }
  return { catalogUuids: catalogs.map((catalog) => catalog.uuid), matches };
}
