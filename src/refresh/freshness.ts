/** How fresh every query in use is, as operators see it (`catalog status`, `/metrics`). */
import type { CatalogQuery } from "../catalog/catalog.ts";
import type { CatalogStore } from "../ports/catalog_store.ts";

/** One query's freshness, as operators see it. */
export interface QueryFreshness {
  readonly query: CatalogQuery;
  readonly catalogUuids: readonly string[];
  /** Milliseconds since the last successful refresh, or null if there was none. */
  readonly ageMs: number | null;
  readonly stale: boolean;
}

/** Every query in use with its catalogs and age, stalest first; stale past `windowMs` since its last success. */
export async function queryFreshness(catalogs: CatalogStore, options: { readonly now: Date; readonly windowMs: number }): Promise<readonly QueryFreshness[]> {
  const byQuery = await catalogs.catalogsByQuery();
  const queries = await catalogs.getQueries([...byQuery.keys()]);
  const now = options.now.getTime();
  const rows = [...queries.values()].map((query) => {
    const last = query.refresh.lastRefreshedAt;
    const ageMs = last === null ? null : now - last.getTime();
    return {
      query,
      catalogUuids: byQuery.get(query.uuid) ?? [],
      ageMs,
      stale: ageMs === null || ageMs > options.windowMs,
    };
  });
  return rows.sort((a, b) => (b.ageMs ?? Infinity) - (a.ageMs ?? Infinity) || a.query.uuid.localeCompare(b.query.uuid));
}
