/**
 * Request parameters as Django holds them (a `QueryDict`: every name with its list of values), and
 * discovery's `update_query_params_with_body_data`, which appends a JSON body's keys to them the way
 * Python's `urlencode(data, doseq=True)` and `parse_qsl` would: a one-element list becomes its
 * item, other lists one value per item, booleans `True`/`False`, null `None`, blank values dropped.
 */
import type { JsonValue } from "../../src/json.ts";

/** Names with their values, in the order they arrived. */
export class QueryParameters {
  readonly #values = new Map<string, string[]>();

  /** Parameters from name–value pairs, in order (a `URLSearchParams` is one). */
  constructor(pairs: Iterable<readonly [string, string]> = []) {
    for (const [name, value] of pairs) this.#append(name, value);
  }

  /** These parameters followed by the keys of a JSON body, as discovery merges a POST body into them. */
  withBody(body: { readonly [key: string]: JsonValue }): QueryParameters {
    const merged = new QueryParameters(this.#pairs());
    for (const [name, value] of Object.entries(body)) {
      const single = Array.isArray(value) && value.length === 1 ? value[0] as JsonValue : value;
      for (const text of encodedValues(single)) {
        if (text !== "") merged.#append(name, text);
      }
    }
    return merged;
  }

  /** The last value of a name, as `QueryDict.get` returns it; undefined when absent. */
  get(name: string): string | undefined {
    return this.#values.get(name)?.at(-1);
  }

  /** Every value of a name. */
  getAll(name: string): readonly string[] {
    return this.#values.get(name) ?? [];
  }

  /** Whether the name arrived at all. */
  has(name: string): boolean {
    return this.#values.has(name);
  }

  /** Every name with its values. */
  entries(): IterableIterator<[string, readonly string[]]> {
    return this.#values.entries();
  }

  #append(name: string, value: string): void {
    const list = this.#values.get(name);
    if (list === undefined) this.#values.set(name, [value]);
    else list.push(value);
  }

  *#pairs(): Generator<[string, string]> {
    for (const [name, list] of this.#values) for (const value of list) yield [name, value];
  }
}

/** What `urlencode(doseq=True)` writes for one value: strings as they are, sequences item by item. */
function encodedValues(value: JsonValue): string[] {
  if (typeof value === "string") return [value];
  if (Array.isArray(value)) return value.map((item) => (typeof item === "string" ? item : pythonRepr(item)));
  // Iterating a dict yields its keys.
  if (value !== null && typeof value === "object") return Object.keys(value);
  return [pythonRepr(value)];
}

/** Python's `str()` of a JSON value. */
function pythonRepr(value: JsonValue): string {
  if (value === null) return "None";
  if (value === true) return "True";
  if (value === false) return "False";
  if (typeof value === "number") return String(value);
  if (typeof value === "string") return `'${value.replaceAll("\\", "\\\\").replaceAll("'", "\\'")}'`;
  if (Array.isArray(value)) return `[${value.map(pythonRepr).join(", ")}]`;
  return `{${Object.entries(value).map(([key, item]) => `${pythonRepr(key)}: ${pythonRepr(item)}`).join(", ")}}`;
}

/**
 * Python's `quote_plus`: what `urlencode` writes. It keeps `A-Z a-z 0-9 _ . - ~` and writes a
 * space as `+`; `encodeURIComponent` also keeps `! * ' ( )`, so those are escaped here.
 */
export function quotePlus(text: string): string {
  return encodeURIComponent(text)
    .replace(/[!*'()]/g, (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`)
    .replaceAll("%20", "+");
}
