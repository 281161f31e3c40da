/**
 * A bounded, least-recently-used cache of serialized response parts. It is only correct when the
 * key names everything the value depends on: callers key by version (see content_routes.ts).
 */

/** How much the cache may hold. */
export interface ResponseCacheOptions {
  /** Most bytes of values kept; the least recently used go first. */
  readonly maxBytes: number;
  /** Values larger than this are never kept. */
  readonly maxEntryBytes: number;
}

/** Serialized JSON fragments by key, bounded by total size. */
export class ResponseCache<T extends { readonly bytes: number }> {
  #entries = new Map<string, T>();
  #bytes = 0;
  #options: ResponseCacheOptions;

  constructor(options: ResponseCacheOptions) {
    this.#options = options;
  }

  /** The value under this key, marked as just used; undefined when absent. */
  get(key: string): T | undefined {
    const value = this.#entries.get(key);
    if (value === undefined) return undefined;
    this.#entries.delete(key);
    this.#entries.set(key, value);
    return value;
  }

  /** Keeps the value unless it is too large, evicting the least recently used values to make room. */
  set(key: string, value: T): void {
    if (value.bytes > this.#options.maxEntryBytes) return;
    const previous = this.#entries.get(key);
    if (previous !== undefined) {
      this.#bytes -= previous.bytes;
      this.#entries.delete(key);
    }
    this.#entries.set(key, value);
    this.#bytes += value.bytes;
    for (const [oldest, entry] of this.#entries) {
      if (this.#bytes <= this.#options.maxBytes) break;
      this.#entries.delete(oldest);
      this.#bytes -= entry.bytes;
    }
  }

  /** Total bytes held. */
  get bytes(): number {
    return this.#bytes;
  }
}
