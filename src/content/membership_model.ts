/**
 * Containment held in memory: the data the containment rule of `containment.ts` reads, compacted.
 * Every key is interned once per process (`KeyTable`: its UTF-8 bytes and about 10 bytes of
 * bookkeeping, no object per key); what grows with memberships is typed arrays
 * of key ids (`QueryMembership`: 4 bytes a member, 4 a distinct parent), never an object per
 * membership. `ContentCourses` is `storedCourseOf` for every stored key, `CatalogDirectory` which
 * catalogs a scope names. Pure data: loading, versions and eviction are `ContainmentModel`'s.
 */
import type { CatalogScope, Containment } from "../ports/content_reader.ts";
import { courseKeyOfRunKey } from "./content_metadata.ts";
import { MATCH_KINDS, type MatchKind, type MatchWay } from "./containment.ts";

/** No key: an id for "absent" in the typed arrays. */
const NONE = -1;

/**
 * Keys interned to dense ids (0, 1, ...), append-only, with no object per key: every key's UTF-8
 * bytes in one buffer, its end offset in an `Int32Array`, and an open-addressing hash table of ids.
 * About the key's bytes plus 10 bytes of bookkeeping a key once `trim()`med; `bytes` is exact.
 */
export class KeyTable {
  #text = new Uint8Array(1 << 12);
  #used = 0;
  /** id → end offset of its bytes in `#text` (its start is the previous id's end). */
  #ends = new Int32Array(256);
  #size = 0;
  /** Hash slots holding id + 1 (0: empty); linear probing. */
  #slots = new Int32Array(512);
  #scratch = new Uint8Array(256);
  static readonly #encoder = new TextEncoder();

  /** The key's id, given a new one when it has none. */
  intern(key: string): number {
    const length = this.#encode(key);
    const bytes = this.#scratch;
    const hash = hashOf(bytes, 0, length);
    const found = this.#find(bytes, length, hash);
    if (found >= 0) return found;
    if (this.#used + length > this.#text.length) this.#text = grown(this.#text, this.#used + length);
    this.#text.set(bytes.subarray(0, length), this.#used);
    this.#used += length;
    if (this.#size === this.#ends.length) this.#ends = grown(this.#ends, this.#size + 1);
    const id = this.#size++;
    this.#ends[id] = this.#used;
    if (this.#size * 10 > this.#slots.length * 7) this.#rehash(Math.ceil((this.#size * 10) / 5));
    else this.#place(id, hash);
    return id;
  }

  /** The key's id, or -1 when it was never interned. */
  idOf(key: string): number {
    const length = this.#encode(key);
    return this.#find(this.#scratch, length, hashOf(this.#scratch, 0, length));
  }

  get size(): number {
    return this.#size;
  }

  /** Bytes held by the table's arrays. */
  get bytes(): number {
    return this.#text.byteLength + this.#ends.byteLength + this.#slots.byteLength + this.#scratch.byteLength;
  }

  /** Gives back the room kept for growth (after a bulk load). */
  trim(): void {
    this.#text = this.#text.slice(0, this.#used);
    this.#ends = this.#ends.slice(0, this.#size);
    this.#rehash(Math.ceil((this.#size * 10) / 7) + 1);
  }

  /** Writes the key's UTF-8 bytes into `#scratch`; returns their length. */
  #encode(key: string): number {
    if (this.#scratch.length < key.length * 3) this.#scratch = new Uint8Array(key.length * 3);
    const scratch = this.#scratch;
    for (let i = 0; i < key.length; i++) {
      const code = key.charCodeAt(i);
      if (code >= 0x80) return KeyTable.#encoder.encodeInto(key, scratch).written;
      scratch[i] = code;
    }
    return key.length;
  }

  #find(bytes: Uint8Array, length: number, hash: number): number {
    const slots = this.#slots;
    for (let at = hash % slots.length; ; at = at + 1 === slots.length ? 0 : at + 1) {
      const held = slots[at] as number;
      if (held === 0) return -1;
      const id = held - 1;
      const start = id === 0 ? 0 : (this.#ends[id - 1] as number);
      if ((this.#ends[id] as number) - start === length && this.#equal(start, bytes, length)) return id;
    }
  }

  #equal(start: number, bytes: Uint8Array, length: number): boolean {
    const text = this.#text;
    for (let i = 0; i < length; i++) if (text[start + i] !== bytes[i]) return false;
    return true;
  }

  #place(id: number, hash: number): void {
    const slots = this.#slots;
    let at = hash % slots.length;
    while (slots[at] !== 0) at = at + 1 === slots.length ? 0 : at + 1;
    slots[at] = id + 1;
  }

  #rehash(capacity: number): void {
    this.#slots = new Int32Array(capacity);
    for (let id = 0; id < this.#size; id++) {
      const start = id === 0 ? 0 : (this.#ends[id - 1] as number);
      this.#place(id, hashOf(this.#text, start, (this.#ends[id] as number) - start));
    }
  }
}

/** FNV-1a over bytes, as a non-negative 31-bit number. */
function hashOf(bytes: Uint8Array, start: number, length: number): number {
  let hash = 0x811c9dc5;
  for (let i = start; i < start + length; i++) hash = Math.imul(hash ^ (bytes[i] as number), 0x01000193);
  return hash >>> 1;
}

function grown<T extends Uint8Array | Int32Array>(array: T, needed: number): T {
  const next = new (array.constructor as new (length: number) => T)(Math.max(needed, Math.ceil(array.length * 1.25)));
  next.set(array);
  return next;
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
