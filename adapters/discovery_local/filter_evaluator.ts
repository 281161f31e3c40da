/**
 * Evaluates a catalog content filter over discovery `search/all` records the way discovery's
 * Elasticsearch query does (reference §4.1), so the local adapter answers what discovery would.
 *
 * Discovery first turns the JSON body into query parameters: a one-element list becomes a scalar,
 * booleans become "True"/"False", numbers become strings, blank strings are dropped. Then:
 * different keys AND; several values of a plain key OR (`terms`); `__exclude` is NOT IN;
 * `__gt/__gte/__lt/__lte/__range` are range filters that every value must pass; a term on a field
 * a document does not have does not match. Keys discovery does not know are ignored.
 */
import type { JsonObject, JsonValue } from "../../src/json.ts";

/** The values Elasticsearch would index for one record, with the course fields it derives from runs. */
export interface SearchDocument {
  readonly record: JsonObject;
  /** Fields that replace the record's own when filtering (course fields computed from its runs). */
  readonly derived: JsonObject | null;
}

/** What `searchDocument` may use besides the record itself. */
export interface SearchDocumentOptions {
  /** For a course: every top-level `courserun` record of it, archived ones included. */
  readonly courseRuns?: readonly JsonObject[];
  /** For a course run: its course record. */
  readonly course?: JsonObject;
}

/** A filter turned into a predicate, with what an index can use to narrow the candidates. */
export interface CompiledFilter {
  matches(document: SearchDocument): boolean;
  /** The content types the filter allows, or null when it does not restrict them. */
  readonly contentTypes: ReadonlySet<string> | null;
  /** The aggregation keys the filter allows, or null when it does not restrict them. */
  readonly aggregationKeys: ReadonlySet<string> | null;
}

/** Tells whether a record is in the result set of a content filter. */
export function matchesFilter(record: JsonObject, filterValue: JsonObject, options: SearchDocumentOptions = {}): boolean {
  return compileFilter(filterValue).matches(searchDocument(record, options));
}

/** Builds what a filter is evaluated against; for a course without `courseRuns`, its nested runs count. */
export function searchDocument(record: JsonObject, options: SearchDocumentOptions = {}): SearchDocument {
  switch (record.content_type) {
    case "course":
      return { record, derived: courseFields(record, options.courseRuns) };
    case "courserun":
      return { record, derived: options.course ? { authoring_organizations: options.course.organizations ?? null } : null };
    case "program":
      return { record, derived: programFields(record) };
    default:
      return { record, derived: null };
  }
}

/** Compiles a content filter once, to evaluate it over many documents. */
export function compileFilter(filterValue: JsonObject): CompiledFilter {
  const clauses: Clause[] = [];
  let contentTypes: Set<string> | null = null;
  let aggregationKeys: Set<string> | null = null;
  for (const [rawKey, rawValue] of Object.entries(filterValue)) {
    const key = TYPO_CORRECTIONS.get(rawKey) ?? rawKey;
    const separator = key.indexOf("__");
    const name = separator === -1 ? key : key.slice(0, separator);
    const lookup = separator === -1 ? "" : key.slice(separator + 2);
    const field = FIELDS.get(name);
    if (field === undefined || !LOOKUPS.has(lookup)) continue;
    const values = queryValues(rawValue);
    if (values.length === 0) continue;
    const clause = buildClause(field, lookup, values);
    clauses.push(clause);
    if (clause.allowed && name === "content_type") contentTypes = intersect(contentTypes, clause.allowed);
    if (clause.allowed && name === "aggregation_key") aggregationKeys = intersect(aggregationKeys, clause.allowed);
  }
  return {
    matches: (document) => clauses.every((clause) => clause.test(document)),
    contentTypes,
    aggregationKeys,
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

/** Production filters hold these misspellings; ECS's own emulator corrects them the same way. */
const TYPO_CORRECTIONS: ReadonlyMap<string, string> = new Map([
  ["aggregration__key", "aggregation_key"],
  ["aggregation__key", "aggregation_key"],
  ["org__exempt", "org__exclude"],
]);

const LOOKUPS = new Set(["", "term", "terms", "in", "exclude", "gt", "gte", "lt", "lte", "range"]);

/** How the values of a field are compared with a query value. */
type Comparison = "exact" | "insensitive" | "phrase";

interface FieldSpec {
  /** Record fields searched; several for `q`. */
  readonly fields: readonly string[];
  readonly comparison: Comparison;
}

function spec(comparison: Comparison, ...fields: string[]): FieldSpec {
  return { fields, comparison };
}

/** Discovery's filter fields (reference §4.1); anything else in a filter is ignored. */
const FIELDS: ReadonlyMap<string, FieldSpec> = new Map(Object.entries({
  content_type: spec("exact", "content_type"),
  partner: spec("insensitive", "partner"),
  aggregation_key: spec("exact", "aggregation_key"),
  key: spec("phrase", "key"),
  "key.raw": spec("exact", "key"),
  org: spec("insensitive", "org"),
  authoring_organizations: spec("insensitive", "authoring_organizations"),
  authoring_organization_uuids: spec("exact", "authoring_organization_uuids"),
  availability: spec("exact", "availability"),
  level_type: spec("exact", "level_type"),
  status: spec("exact", "status"),
  published: spec("exact", "published"),
  hidden: spec("exact", "hidden"),
  has_enrollable_seats: spec("exact", "has_enrollable_seats"),
  course_type: spec("exact", "course_type"),
  product_source: spec("exact", "product_source"),
  enterprise_subscription_inclusion: spec("exact", "enterprise_subscription_inclusion"),
  external_course_marketing_type: spec("exact", "external_course_marketing_type"),
  first_enrollable_paid_seat_price: spec("exact", "first_enrollable_paid_seat_price"),
  start: spec("exact", "start"),
  end: spec("exact", "end"),
  end_date: spec("exact", "end_date"),
  course_ends: spec("exact", "course_ends"),
  languages: spec("exact", "languages"),
  pacing_type: spec("exact", "pacing_type"),
  type: spec("insensitive", "type"),
  enrollment_mode: spec("insensitive", "type"),
  number: spec("exact", "number"),
  seat_types: spec("exact", "seat_types"),
  skill_names: spec("exact", "skill_names"),
  skills: spec("exact", "skill_names"),
  subject_uuids: spec("exact", "subject_uuids"),
  short_description: spec("phrase", "short_description"),
  q: spec("phrase", "key", "title", "short_description"),
}));

const TRUE_VALUES = new Set(["t", "T", "true", "True", "TRUE", "1"]);
const FALSE_VALUES = new Set(["f", "F", "false", "False", "FALSE", "0"]);

interface Clause {
  test(document: SearchDocument): boolean;
  /** For a positive term clause: the exact values it allows (used to narrow by index). */
  readonly allowed: ReadonlySet<string> | null;
}

function buildClause(field: FieldSpec, lookup: string, values: readonly string[]): Clause {
  switch (lookup) {
    case "":
    case "term":
    case "terms":
    case "in": {
      // `terms`/`in` take one string of values joined by `__`, as discovery's filter backend does.
      const terms = lookup === "terms" || lookup === "in" ? values.flatMap(splitComplex) : values;
      const matchers = terms.map((term) => termMatcher(field, term));
      return {
        test: (document) => matchers.some((matcher) => matcher(document)),
        allowed: field.comparison === "exact" ? new Set(terms) : null,
      };
    }
    case "exclude": {
      const matchers = values.flatMap(splitComplex).map((term) => termMatcher(field, term));
      return { test: (document) => !matchers.some((matcher) => matcher(document)), allowed: null };
    }
    case "range": {
      const bounds = values.map((value) => splitComplex(value));
      const matchers = bounds.flatMap(([low, high]) => [
        ...(low === undefined ? [] : [rangeMatcher(field, "gte", low)]),
        ...(high === undefined ? [] : [rangeMatcher(field, "lte", high)]),
      ]);
      return { test: (document) => matchers.every((matcher) => matcher(document)), allowed: null };
    }
    default: {
      const matchers = values.map((value) => rangeMatcher(field, lookup as RangeOperator, value));
      return { test: (document) => matchers.every((matcher) => matcher(document)), allowed: null };
    }
  }
}

type Matcher = (document: SearchDocument) => boolean;
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

/** A field's values in a document: a list field gives its scalar items, a missing field none. */
function documentValues(document: SearchDocument, name: string): readonly JsonValue[] {
  const derived = document.derived;
  const value = derived !== null && name in derived ? derived[name] : document.record[name];
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}

/** What discovery makes of a filter value: strings, one per repeated query parameter. */
function queryValues(value: JsonValue): string[] {
  const items = Array.isArray(value) ? value : [value];
  const out: string[] = [];
  for (const item of items) {
    let text: string;
    if (typeof item === "string") text = item.trim();
    else if (typeof item === "number") text = String(item);
    else if (typeof item === "boolean") text = item ? "True" : "False";
    else continue;
    if (text !== "") out.push(text);
  }
  return out;
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

/** Course fields Elasticsearch indexes from the course's runs (discovery's CourseDocument). */
function courseFields(course: JsonObject, courseRuns: readonly JsonObject[] | undefined): JsonObject {
  const nested = Array.isArray(course.course_runs) ? course.course_runs : [];
  const runs = (courseRuns ?? nested).filter((run): run is JsonObject => typeof run === "object" && run !== null && !Array.isArray(run));
  const collect = (name: string): JsonValue[] => runs.map((run) => run[name] ?? null).filter((value) => value !== null);
  const derived: JsonObject = {
    availability: collect("availability"),
    status: collect("status"),
    start: collect("start"),
    end: collect("end"),
    enrollment_start: collect("enrollment_start"),
    enrollment_end: collect("enrollment_end"),
    first_enrollable_paid_seat_price: firstEnrollablePaidPrice(runs),
  };
  if (courseRuns !== undefined) {
    derived.languages = [...new Set(collect("language"))];
  }
  if (typeof course.org !== "string") {
    const first = runs[0]?.key;
    derived.org = typeof first === "string" ? /^course-v1:([^+]+)\+/.exec(first)?.[1] ?? null : null;
  }
  return derived;
}

/** Discovery's Course.first_enrollable_paid_seat_price: the earliest enrollable run with a paid seat. */
function firstEnrollablePaidPrice(runs: readonly JsonObject[]): number | null {
  let best: { start: string; price: number } | null = null;
  for (const run of runs) {
    const price = run.first_enrollable_paid_seat_price;
    if (run.is_enrollable !== true || typeof price !== "number" || price <= 0) continue;
    const start = typeof run.start === "string" ? run.start : "";
    if (best === null || start < best.start) best = { start, price };
  }
  return best?.price ?? null;
}

/** Programs index their organizations as `"<key>: <name>"`, like courses do. */
function programFields(program: JsonObject): JsonObject | null {
  const organizations = program.authoring_organizations;
  if (!Array.isArray(organizations)) return null;
  return {
    authoring_organizations: organizations.map((item) =>
      typeof item === "object" && item !== null && !Array.isArray(item) ? `${String(item.key)}: ${String(item.name)}` : item
    ),
  };
}
