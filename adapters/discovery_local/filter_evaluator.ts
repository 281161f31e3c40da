/**
 * Evaluates discovery's `search/all` filter parameters over search documents (the field values
 * Elasticsearch indexes for each record) the way discovery's filter backends build their query
 * (reference §4.1, `BaseAggregateSearchViewSet.filter_fields`):
 *
 * - only names of `filter_fields` count, each with its own lookups; anything else is ignored
 *   (`aggregation__key` is the unknown field `aggregation`, `org__exempt` an unknown lookup);
 * - values are stripped and blank ones dropped; different names AND;
 * - a name without lookup ORs its values (`terms`); `key` and `short_description` are phrase
 *   matches on analysed tokens; `org`, `partner`, `authoring_organizations`, `type` and
 *   `enrollment_mode` compare lower-cased;
 * - `__terms`/`__in` take values joined by `__`; `__term` must match every value;
 * - `__exclude` drops documents matching a value; a value `a__b` drops only documents matching
 *   both (discovery ORs the negations of its parts);
 * - `__gt/__gte/__lt/__lte/__range` are range filters every value must pass;
 * - `q` is a phrase search over key, title and description.
 *
 * A term on a field a document lacks does not match.
 */
import type { JsonObject, JsonValue } from "../../src/json.ts";
import type { QueryParameters } from "./query_parameters.ts";

/** A filter turned into a predicate over search documents, with what an index can use to narrow the candidates. */
export interface CompiledFilter {
  matches(document: JsonObject): boolean;
  /** The content types the filter allows, or null when it does not restrict them. */
  readonly contentTypes: ReadonlySet<string> | null;
  /** The aggregation keys the filter allows, or null when it does not restrict them. */
  readonly aggregationKeys: ReadonlySet<string> | null;
  /** The clauses that took effect, canonically: equal keys select equal documents. */
  readonly key: string;
}

/** Compiles the filter parameters of a request once, to evaluate them over many documents. */
export function compileFilter(parameters: QueryParameters): CompiledFilter {
  const clauses: Clause[] = [];
  const applied: string[] = [];
  let contentTypes: Set<string> | null = null;
  let aggregationKeys: Set<string> | null = null;
  for (const [name, rawValues] of parameters.entries()) {
    const separator = name.indexOf("__");
    const fieldName = separator === -1 ? name : name.slice(0, separator);
    const lookup = separator === -1 ? "" : name.slice(separator + 2);
    const field = Object.hasOwn(FIELDS, fieldName) ? FIELDS[fieldName] : undefined;
    if (field === undefined || (lookup !== "" && !field.lookups.has(lookup))) continue;
    const values = rawValues.map((value) => value.trim()).filter((value) => value !== "");
    if (values.length === 0) continue;
    // Several `q` values are several phrase queries that must all match.
    const clause = buildClause(field, fieldName === "q" ? "term" : lookup, values);
    clauses.push(clause);
    applied.push(JSON.stringify([name, values]));
    if (clause.allowed && fieldName === "content_type") contentTypes = intersect(contentTypes, clause.allowed);
    if (clause.allowed && fieldName === "aggregation_key") aggregationKeys = intersect(aggregationKeys, clause.allowed);
  }
  return {
    matches: (document) => clauses.every((clause) => clause.test(document)),
    contentTypes,
    aggregationKeys,
    key: applied.sort().join(","),
  };
}

/**
 * Splits text into lower-cased tokens roughly as Elasticsearch's standard analyser does (Unicode
 * word boundaries): `course-v1:edX+DemoX+2T2025` gives `course`, `v1`, `edx`, `demox`, `2t2025`.
 */
export function standardTokens(text: string): string[] {
  const tokens: string[] = [];
  let current = "";
  const chars = [...text];
  for (let i = 0; i < chars.length; i++) {
    const char = chars[i] as string;
    if (isWordChar(char)) {
      current += char;
      continue;
    }
    // Letters stay joined across `:`, `.` and `'`; digits across `.` and `,` (UAX #29 WB6/7, WB11/12).
    const before = chars[i - 1];
    const after = chars[i + 1];
    if (current !== "" && before !== undefined && after !== undefined) {
      const letters = isLetter(before) && isLetter(after) && (char === ":" || char === "." || char === "'");
      const digits = isDigit(before) && isDigit(after) && (char === "." || char === ",");
      if (letters || digits) {
        current += char;
        continue;
      }
    }
    if (current !== "") tokens.push(current.toLowerCase());
    current = "";
  }
  if (current !== "") tokens.push(current.toLowerCase());
  return tokens;
}

// ---------------------------------------------------------------------------------------------

/** How the values of a field are compared with a query value. */
type Comparison = "exact" | "insensitive" | "phrase";

interface FieldSpec {
  /** Document fields searched; several for `q`. */
  readonly fields: readonly string[];
  readonly comparison: Comparison;
  /** Lookups the field accepts besides none. */
  readonly lookups: ReadonlySet<string>;
}

const TERM = ["term", "terms"];
const RANGE = ["gt", "gte", "lt", "lte"];

function spec(comparison: Comparison, field: string, lookups: readonly string[]): FieldSpec {
  return { fields: [field], comparison, lookups: new Set(lookups) };
}

/** Discovery's `filter_fields` (and the `q` search parameter): document field, comparison, lookups. */
const FIELDS: Readonly<Record<string, FieldSpec>> = {
  aggregation_key: spec("exact", "aggregation_key", [...TERM, "exclude"]),
  authoring_organization_uuids: spec("exact", "authoring_organization_uuids", TERM),
  authoring_organizations: spec("insensitive", "authoring_organizations", [...TERM, "exclude"]),
  availability: spec("exact", "availability", TERM),
  content_type: spec("exact", "content_type", TERM),
  course_type: spec("exact", "course_type", [...TERM, "exclude"]),
  enterprise_subscription_inclusion: spec("exact", "enterprise_subscription_inclusion", ["term"]),
  external_course_marketing_type: spec("exact", "external_course_marketing_type", TERM),
  product_source: spec("exact", "product_source", TERM),
  first_enrollable_paid_seat_price: spec("exact", "first_enrollable_paid_seat_price", ["range", "in", ...RANGE, "terms"]),
  active: spec("exact", "is_active", ["term"]),
  end: spec("exact", "end", RANGE),
  end_date: spec("exact", "end_date", RANGE),
  course_ends: spec("exact", "course_ends", TERM),
  enrollment_mode: spec("insensitive", "type", ["term"]),
  has_enrollable_seats: spec("exact", "has_enrollable_seats", ["term"]),
  hidden: spec("exact", "hidden", ["term"]),
  "key.raw": spec("exact", "key", [...TERM, "exclude"]),
  key: spec("phrase", "key", ["match_phrase"]),
  languages: spec("exact", "languages", TERM),
  level_type: spec("exact", "level_type", TERM),
  number: spec("exact", "number", TERM),
  org: spec("insensitive", "org", [...TERM, "exclude"]),
  pacing_type: spec("exact", "pacing_type", TERM),
  partner: spec("insensitive", "partner", ["term"]),
  published: spec("exact", "published", ["term"]),
  skill_names: spec("exact", "skill_names", TERM),
  skills: spec("exact", "skill_names", TERM),
  status: spec("exact", "status", ["term"]),
  start: spec("exact", "start", RANGE),
  short_description: spec("phrase", "short_description", ["match_phrase"]),
  subject_uuids: spec("exact", "subject_uuids", TERM),
  type: spec("insensitive", "type", ["term"]),
  q: { fields: ["key", "title", "short_description"], comparison: "phrase", lookups: new Set() },
};

const TRUE_VALUES = new Set(["t", "T", "true", "True", "TRUE", "1"]);
const FALSE_VALUES = new Set(["f", "F", "false", "False", "FALSE", "0"]);

interface Clause {
  test(document: JsonObject): boolean;
  /** For a positive term clause: the exact values it allows (used to narrow by index). */
  readonly allowed: ReadonlySet<string> | null;
}

function buildClause(field: FieldSpec, lookup: string, values: readonly string[]): Clause {
  switch (lookup) {
    case "":
    case "match_phrase":
    case "terms":
    case "in": {
      const terms = lookup === "terms" || lookup === "in" ? values.flatMap(splitComplex) : values;
      const matchers = terms.map((term) => termMatcher(field, term));
      return {
        test: (document) => matchers.some((matcher) => matcher(document)),
        allowed: field.comparison === "exact" ? new Set(terms) : null,
      };
    }
    case "term": {
      const matchers = values.map((term) => termMatcher(field, term));
      return { test: (document) => matchers.every((matcher) => matcher(document)), allowed: null };
    }
    case "exclude": {
      const parts = values.map((value) => splitComplex(value).map((term) => termMatcher(field, term)));
      return {
        test: (document) => parts.every((matchers) => !matchers.every((matcher) => matcher(document))),
        allowed: null,
      };
    }
    case "range": {
      const matchers = values.flatMap((value) => {
        const [low, high] = splitComplex(value);
        return [
          ...(low === undefined ? [] : [rangeMatcher(field, "gte", low)]),
          ...(high === undefined ? [] : [rangeMatcher(field, "lte", high)]),
        ];
      });
      return { test: (document) => matchers.every((matcher) => matcher(document)), allowed: null };
    }
    default: {
      const matchers = values.map((value) => rangeMatcher(field, lookup as RangeOperator, value));
      return { test: (document) => matchers.every((matcher) => matcher(document)), allowed: null };
    }
  }
}

type Matcher = (document: JsonObject) => boolean;
type RangeOperator = "gt" | "gte" | "lt" | "lte";

function termMatcher(field: FieldSpec, term: string): Matcher {
  if (field.comparison === "phrase") {
    const phrase = standardTokens(term);
    return (document) => phrase.length > 0 && field.fields.some((name) =>
      documentValues(document, name).some((value) => typeof value === "string" && containsPhrase(tokensOf(value), phrase))
    );
  }
  const insensitive = field.comparison === "insensitive";
  const wanted = insensitive ? term.toLowerCase() : term;
  const number = Number(term);
  const numeric = term.trim() !== "" && Number.isFinite(number);
  const truth = TRUE_VALUES.has(term) ? true : FALSE_VALUES.has(term) ? false : null;
  return (document) => field.fields.some((name) =>
    documentValues(document, name).some((value) => {
      if (typeof value === "string") return (insensitive ? value.toLowerCase() : value) === wanted;
      if (typeof value === "number") return numeric && value === number;
      if (typeof value === "boolean") return value === truth;
      return false;
    })
  );
}

function rangeMatcher(field: FieldSpec, operator: RangeOperator, bound: string): Matcher {
  const number = Number(bound);
  const numeric = bound.trim() !== "" && Number.isFinite(number);
  const date = parseDate(bound);
  return (document) => field.fields.some((name) =>
    documentValues(document, name).some((value) => {
      let difference: number;
      if (typeof value === "number") {
        if (!numeric) return false;
        difference = value - number;
      } else if (typeof value === "string") {
        const valueDate = date === null ? null : parseDate(value);
        if (valueDate !== null && date !== null) difference = valueDate - date;
        else if (numeric && value.trim() !== "" && Number.isFinite(Number(value))) difference = Number(value) - number;
        else difference = value < bound ? -1 : value > bound ? 1 : 0;
      } else {
        return false;
      }
      switch (operator) {
        case "gt":
          return difference > 0;
        case "gte":
          return difference >= 0;
        case "lt":
          return difference < 0;
        case "lte":
          return difference <= 0;
      }
    })
  );
}

/** A field's values in a document: a list field gives its scalar items, a missing or null field none. */
function documentValues(document: JsonObject, name: string): readonly JsonValue[] {
  const value = document[name];
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}

function splitComplex(value: string): string[] {
  return value.split("__").filter((part) => part !== "");
}

function intersect(current: Set<string> | null, next: ReadonlySet<string>): Set<string> {
  if (current === null) return new Set(next);
  return new Set([...current].filter((item) => next.has(item)));
}

const TOKEN_CACHE = new Map<string, string[]>();

/** Tokens of a document value; keys repeat across filters, so their tokens are kept (bounded). */
function tokensOf(text: string): string[] {
  let tokens = TOKEN_CACHE.get(text);
  if (tokens === undefined) {
    tokens = standardTokens(text);
    if (TOKEN_CACHE.size >= 500_000) TOKEN_CACHE.clear();
    TOKEN_CACHE.set(text, tokens);
  }
  return tokens;
}

function containsPhrase(tokens: readonly string[], phrase: readonly string[]): boolean {
  outer: for (let start = 0; start + phrase.length <= tokens.length; start++) {
    for (let i = 0; i < phrase.length; i++) if (tokens[start + i] !== phrase[i]) continue outer;
    return true;
  }
  return false;
}

function isWordChar(char: string): boolean {
  return /[\p{L}\p{N}\p{M}_]/u.test(char);
}

function isLetter(char: string): boolean {
  return /[\p{L}\p{M}]/u.test(char);
}

function isDigit(char: string): boolean {
  return /\p{N}/u.test(char);
}

const DATE_PATTERN = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?(Z|[+-]\d{2}:?\d{2})?$/;

/** Milliseconds of an ISO date or date-time; a time without a zone is UTC, as in Elasticsearch. */
function parseDate(text: string): number | null {
  const match = DATE_PATTERN.exec(text);
  if (match === null) return null;
  let normalized = text.replace(" ", "T");
  if (match[1] === undefined) normalized += normalized.length === 10 ? "T00:00:00Z" : "Z";
  const ms = Date.parse(normalized);
  return Number.isFinite(ms) ? ms : null;
}
