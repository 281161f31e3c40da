/** `catalog status`: every query in use with its catalogs and freshness; stale ones flagged. */
import type { QueryFreshness } from "../../src/refresh/freshness.ts";

/** Prints the freshness table (or JSON); returns 1 when any query is stale, else 0. */
export function printStatus(rows: readonly QueryFreshness[], options: { json?: boolean }): number {
  const stale = rows.filter((row) => row.stale).length;
  if (options.json) {
    console.log(JSON.stringify(rows.map((row) => ({
      query_uuid: row.query.uuid,
      title: row.query.title,
      content_filter_hash: row.query.contentFilter.hash,
      catalogs: row.catalogUuids,
      last_refreshed: row.query.refresh.lastRefreshedAt?.toISOString() ?? null,
      age_seconds: row.ageMs === null ? null : Math.round(row.ageMs / 1000),
      last_outcome: row.query.refresh.lastRefreshOutcome,
      item_count: row.query.refresh.itemCount,
      stale: row.stale,
    })), null, 2));
    return stale > 0 ? 1 : 0;
  }
  const table = rows.map((row) => [
    row.stale ? "STALE" : "fresh",
    row.query.uuid,
    String(row.catalogUuids.length),
    row.query.refresh.lastRefreshedAt?.toISOString().replace(/\.\d+Z$/, "Z") ?? "never",
    row.ageMs === null ? "-" : formatAge(row.ageMs),
    row.query.refresh.lastRefreshOutcome ?? "-",
    String(row.query.refresh.itemCount),
    row.query.title ?? "",
  ]);
  const header = ["", "query", "catalogs", "last refreshed", "age", "last outcome", "items", "title"];
  const widths = header.map((_, i) => Math.max(header[i]?.length ?? 0, ...table.map((cells) => cells[i]?.length ?? 0)));
  for (const cells of [header, ...table]) console.log(cells.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join("  ").trimEnd());
  console.log(`\n${rows.length} queries in use, ${stale} stale`);
  return stale > 0 ? 1 : 0;
}

function formatAge(ms: number): string {
  const minutes = Math.floor(ms / 60_000);
  if (minutes < 60) return `${minutes}m`;
  const hours = Math.floor(minutes / 60);
  return hours < 48 ? `${hours}h${String(minutes % 60).padStart(2, "0")}m` : `${Math.floor(hours / 24)}d${hours % 24}h`;
}
