/**
 * Content filters: the saved discovery query of a catalog, and its hash.
 *
 * The hash must equal Python's `md5(json.dumps(filter, sort_keys=True))` byte for byte, because
 * edx-enterprise and existing data compute it that way. Python keeps the difference between
 * `1` (int) and `1.0` (float) that `JSON.parse` loses, so a filter parsed from JSON text keeps the
 * lexical form of its numbers until it has been turned into its canonical text.
 */
import { createHash } from "node:crypto";
import { ValidationError } from "../errors.ts";
import { isJsonObject, type JsonObject, type JsonValue } from "../json.ts";

/** A catalog's content filter with its canonical Python-compatible JSON text and its hash. */
export interface ContentFilter {
  /** The filter as plain JSON, for evaluation and for API responses. */
  readonly value: JsonObject;
  /** `json.dumps(filter, sort_keys=True)` as Python writes it: ASCII only, itself valid JSON. */
  readonly canonicalJson: string;
  /** 32 lowercase hex characters: md5 of `canonicalJson`. */
  readonly hash: string;
}

/** Deepest nesting accepted in a filter: discovery filters are two levels deep in practice. */
export const MAX_FILTER_DEPTH = 8;

/** Longest canonical filter accepted, in characters. */
export const MAX_FILTER_LENGTH = 64 * 1024;

const HASH_PATTERN = /^[0-9a-f]{32}$/;

/** Tells whether a string has the shape of a content-filter hash. */
export function isContentFilterHash(value: string): boolean {
  return HASH_PATTERN.test(value);
}

/** Builds a content filter from a JSON value; integral numbers count as Python ints. */
export function contentFilterFromValue(value: unknown, field = "content_filter"): ContentFilter {
  if (!isJsonObject(value)) {
    throw new ValidationError(`Content filter must be a JSON object`, {
      fieldErrors: [{ field, message: "must be a JSON object" }],
    });
  }
  return build(value, toLexical(value, field, 0), field);
}

/** Where in a JSON text the filter sits, and the field name errors report. */
export interface ContentFilterSource {
  /** The filter is this member of the top-level object rather than the whole text. */
  readonly member?: string;
  readonly field?: string;
}

/**
 * Builds a content filter from JSON text, keeping `1.0` a float as Python's `json.loads` does.
 * Throws ValidationError when the text (or the chosen member) is not a JSON object.
 */
export function contentFilterFromJson(text: string, source: ContentFilterSource = {}): ContentFilter {
  const field = source.field ?? source.member ?? "content_filter";
  let lexical: unknown;
  let value: unknown;
  try {
    lexical = JSON.parse(text, keepNumberSource as Reviver);
    value = JSON.parse(text);
  } catch (error) {
    // Only nesting overflows the parser's stack (100,000 levels, say): say so, not "not JSON".
    if (error instanceof RangeError) throw tooDeep(field, error);
    throw new ValidationError(`Content filter is not valid JSON`, {
      fieldErrors: [{ field, message: "is not valid JSON" }],
      cause: error,
    });
  }
  if (source.member !== undefined) {
    lexical = isJsonObject(lexical) ? lexical[source.member] : undefined;
    value = isJsonObject(value) ? value[source.member] : undefined;
  }
  if (!isJsonObject(value)) {
    throw new ValidationError(`Content filter must be a JSON object`, {
      fieldErrors: [{ field, message: "must be a JSON object" }],
    });
  }
  checkDepth(value, field, 0);
  return build(value, lexical as Lexical, field);
}

/** md5 of Python's `json.dumps(filter, sort_keys=True)`, for a filter or a plain JSON object. */
export function contentFilterHash(filter: ContentFilter | JsonObject): string {
  return toContentFilter(filter).hash;
}

/** Returns a parsed filter as it is, and builds one from a plain JSON object. */
export function toContentFilter(filter: ContentFilter | JsonObject): ContentFilter {
  return PARSED.has(filter) ? (filter as ContentFilter) : contentFilterFromValue(filter);
}

/** Every filter this module built, so a plain object that merely looks like one is not taken for one. */
const PARSED = new WeakSet<object>();

function build(value: JsonObject, lexical: Lexical, field: string): ContentFilter {
  const canonicalJson = pythonDumps(lexical);
  if (canonicalJson.length > MAX_FILTER_LENGTH) {
    throw new ValidationError(`Content filter is too long`, {
      fieldErrors: [{ field, message: `must be at most ${MAX_FILTER_LENGTH} characters as JSON` }],
    });
  }
  const hash = createHash("md5").update(canonicalJson, "utf8").digest("hex");
  const filter = Object.freeze({ value, canonicalJson, hash });
  PARSED.add(filter);
  return filter;
}

/** A JSON number written as text, kept apart so that its Python type survives. */
interface NumberLexeme {
  readonly [NUMBER]: string;
}
const NUMBER = Symbol("number lexeme");
type Lexical = null | boolean | string | NumberLexeme | Lexical[] | { [key: string]: Lexical };
type Reviver = (this: unknown, key: string, value: unknown, context?: { source?: string }) => unknown;

function keepNumberSource(_key: string, value: unknown, context?: { source?: string }): unknown {
  if (typeof value !== "number") return value;
  // Node 24 passes the source text of primitives (ES2025 JSON.parse source text access).
  return { [NUMBER]: context?.source ?? String(value) } satisfies NumberLexeme;
}

function isNumberLexeme(value: unknown): value is NumberLexeme {
  return typeof value === "object" && value !== null && NUMBER in value;
}

function tooDeep(field: string, cause?: unknown): ValidationError {
  return new ValidationError(`Content filter is nested too deeply`, {
    fieldErrors: [{ field, message: `must be nested at most ${MAX_FILTER_DEPTH} levels deep` }],
    cause,
  });
}

function checkDepth(value: JsonValue, field: string, depth: number): void {
  if (depth > MAX_FILTER_DEPTH) throw tooDeep(field);
  if (Array.isArray(value)) for (const item of value) checkDepth(item, field, depth + 1);
  else if (isJsonObject(value)) for (const item of Object.values(value)) checkDepth(item, field, depth + 1);
}

/** Turns a plain value into the lexical tree, as if it had been sent through `JSON.stringify`. */
function toLexical(value: unknown, field: string, depth: number): Lexical {
  if (depth > MAX_FILTER_DEPTH) throw tooDeep(field);
  if (value === null || typeof value === "boolean" || typeof value === "string") return value;
  if (typeof value === "number") {
    if (!Number.isFinite(value)) {
      throw new ValidationError(`Content filter holds a number JSON cannot write`, {
        fieldErrors: [{ field, message: "numbers must be finite" }],
      });
    }
    return { [NUMBER]: JSON.stringify(value) };
  }
  if (Array.isArray(value)) return value.map((item) => toLexical(item, field, depth + 1));
  if (isJsonObject(value)) {
    const out: { [key: string]: Lexical } = {};
    for (const [key, item] of Object.entries(value)) out[key] = toLexical(item, field, depth + 1);
    return out;
  }
  throw new ValidationError(`Content filter holds a value that is not JSON`, {
    fieldErrors: [{ field, message: "must hold only JSON values" }],
  });
}

/** Python's `json.dumps(value, sort_keys=True)` with its defaults (ensure_ascii, ", " and ": "). */
function pythonDumps(value: Lexical): string {
  if (value === null) return "null";
  if (value === true) return "true";
  if (value === false) return "false";
  if (typeof value === "string") return pythonString(value);
  if (isNumberLexeme(value)) return pythonNumber(value[NUMBER]);
  if (Array.isArray(value)) return `[${value.map(pythonDumps).join(", ")}]`;
  const keys = Object.keys(value).sort(compareCodePoints);
  return `{${keys.map((key) => `${pythonString(key)}: ${pythonDumps(value[key] as Lexical)}`).join(", ")}}`;
}

/** Python sorts str keys by code point; JS sorts by UTF-16 unit, which differs above U+FFFF. */
function compareCodePoints(a: string, b: string): number {
  const left = a[Symbol.iterator]();
  const right = b[Symbol.iterator]();
  for (;;) {
    const x = left.next();
    const y = right.next();
    if (x.done || y.done) return x.done ? (y.done ? 0 : -1) : 1;
    const diff = (x.value.codePointAt(0) as number) - (y.value.codePointAt(0) as number);
    if (diff !== 0) return diff;
  }
}

const SHORT_ESCAPES: Record<string, string> = {
  '"': '\\"', "\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b", "\f": "\\f",
};

function pythonString(text: string): string {
  let out = '"';
  for (let i = 0; i < text.length; i++) {
    const char = text[i] as string;
    const unit = text.charCodeAt(i);
    const short = SHORT_ESCAPES[char];
    if (short !== undefined) out += short;
    else if (unit < 0x20 || unit > 0x7e) out += `\\u${unit.toString(16).padStart(4, "0")}`;
    else out += char;
  }
  return `${out}"`;
}

/** Writes a JSON number lexeme the way Python re-serialises what `json.loads` made of it. */
function pythonNumber(lexeme: string): string {
  if (!/[.eE]/.test(lexeme)) {
    // A Python int: arbitrary precision, written back digit for digit ("-0" becomes "0").
    const digits = lexeme.replace(/^(-?)0+(?=\d)/, "$1");
    return digits === "-0" ? "0" : digits;
  }
  return pythonFloatRepr(Number(lexeme));
}

/** Python's `float.__repr__`: shortest round-trip digits, scientific below 1e-4 and from 1e16. */
function pythonFloatRepr(value: number): string {
  if (value === Infinity) return "Infinity";
  if (value === -Infinity) return "-Infinity";
  if (value === 0) return Object.is(value, -0) ? "-0.0" : "0.0";
  const [mantissa = "", exponentText = "0"] = value.toExponential().split("e");
  const exponent = Number(exponentText);
  const sign = mantissa.startsWith("-") ? "-" : "";
  const digits = mantissa.replace("-", "").replace(".", "");
  if (exponent >= -5 && exponent < 16) {
    // Python switches to scientific when the decimal exponent is < -4 or >= 16.
    if (exponent < -4) return scientific(sign, digits, exponent);
    const point = exponent + 1;
    if (point <= 0) return `${sign}0.${"0".repeat(-point)}${digits}`;
    if (point >= digits.length) return `${sign}${digits}${"0".repeat(point - digits.length)}.0`;
    return `${sign}${digits.slice(0, point)}.${digits.slice(point)}`;
  }
  return scientific(sign, digits, exponent);
}

function scientific(sign: string, digits: string, exponent: number): string {
  const head = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
  const expSign = exponent < 0 ? "-" : "+";
  return `${sign}${head}e${expSign}${String(Math.abs(exponent)).padStart(2, "0")}`;
}
