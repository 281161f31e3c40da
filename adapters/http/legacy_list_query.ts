/**
 * The legacy catalog list's query string as edx-enterprise's viewset reads it: django-filter exact
 * matches on `uuid, title, enterprise_customer, enterprise_catalog_query, created, modified`, and
 * DRF's `?ordering=` over the same fields.
 */
import type { CatalogListFilter, CatalogOrder, CatalogOrderField } from "../../src/ports/catalog_store.ts";
import { HttpProblem } from "./problem.ts";

/** The legacy query parameters this module reads. */
export interface LegacyListQuery {
  readonly uuid?: string;
  readonly title?: string;
  readonly enterprise_customer?: string;
  readonly enterprise_catalog_query?: string;
  readonly created?: string;
  readonly modified?: string;
  readonly ordering?: string;
}

/** Wire field → the store's field; `enterprise_catalog_query` is null on every catalog here, so ordering by it changes nothing. */
const ORDER_FIELDS: Readonly<Record<string, CatalogOrderField | null>> = {
  uuid: "uuid",
  title: "title",
  enterprise_customer: "enterpriseCustomerUuid",
  enterprise_catalog_query: null,
  created: "created",
  modified: "modified",
};

/** django-filter's texts for a value it cannot use. */
const INVALID_CHOICE = "Select a valid choice. That choice is not one of the available choices.";
const INVALID_DATETIME = "Enter a valid date/time.";

/** The store filter for the legacy list's parameters (without the caller's visibility); 400 for a value the legacy filter refuses. */
export function legacyListFilter(query: LegacyListQuery): CatalogListFilter {
  // The legacy id of a query exists nowhere here: every value is "not one of the available choices".
  if (query.enterprise_catalog_query !== undefined && query.enterprise_catalog_query !== "") {
    throw invalid("enterprise_catalog_query", INVALID_CHOICE);
  }
  return {
    enterpriseCustomerUuid: query.enterprise_customer?.toLowerCase(),
    uuid: query.uuid,
    title: query.title,
    created: instantOf(query.created, "created"),
    modified: instantOf(query.modified, "modified"),
    ordering: orderingOf(query.ordering),
  };
}

/** DRF's OrderingFilter: comma-separated fields, `-` for descending, unknown fields dropped, the first mention of a field wins. */
export function orderingOf(text: string | undefined): readonly CatalogOrder[] {
  if (text === undefined) return [];
  const order: CatalogOrder[] = [];
  for (const term of text.split(",").map((part) => part.trim())) {
    const descending = term.startsWith("-");
    const field = ORDER_FIELDS[descending ? term.slice(1) : term];
    if (field === undefined || field === null || order.some((key) => key.field === field)) continue;
    order.push({ field, descending });
  }
  return order;
}

function instantOf(text: string | undefined, field: string): Date | undefined {
  if (text === undefined || text === "") return undefined;
  // An ISO 8601 date-time, with or without an offset (Django reads a bare one in UTC, USE_TZ and TIME_ZONE="UTC").
  const match = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:?\d{2})?$/.exec(text.trim());
  const instant = match === null ? Number.NaN : Date.parse(match[3] === undefined ? `${text.trim().replace(" ", "T")}Z` : text.trim().replace(" ", "T"));
  if (Number.isNaN(instant)) throw invalid(field, INVALID_DATETIME);
  return new Date(instant);
}

function invalid(field: string, message: string): HttpProblem {
  return new HttpProblem(400, `Invalid "${field}": ${message}`, { fieldErrors: [{ field, message }] });
}
