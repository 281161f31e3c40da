import type { CatalogEntry, ContentCourseRows, QueryMembershipRows } from "../content/membership_model.ts";

/**
 * A part of the containment read model and the version it was read at. Versions only grow: the
 * catalogs' with every catalog write, the content's with every write of stored content rows (keys,
 * parents, listed runs), a query's (`content_version`) with every change of its memberships or
 * restricted runs.
 */
export type ReadModelPart = { readonly part: "catalogs" } | { readonly part: "content" } | { readonly part: "query"; readonly queryUuid: string };

/** A committed version of one part. */
export type ReadModelVersion = ReadModelPart & { readonly version: number };

/**
 * Where the containment read model is loaded from. Each load reads its part and that part's
 * version from one committed snapshot.
 */
export interface ReadModelSource {
  /** Every catalog (lower-case uuids). */
  loadCatalogs(): Promise<{ readonly version: number; readonly catalogs: readonly CatalogEntry[] }>;
  /** Every stored content row's key, parent and listed run keys. */
  loadContent(): Promise<{ readonly version: number; readonly rows: ContentCourseRows }>;
  /** The query's memberships and restricted runs; undefined when there is no such query. */
  loadQuery(queryUuid: string): Promise<{ readonly version: number; readonly rows: QueryMembershipRows } | undefined>;
}

/**
 * Notice of committed versions, from every process writing the same database. `subscribe`'s
 * listener hears each committed version (possibly late, possibly twice; never before its commit);
 * `lost` hears that notices may have been missed (a dropped connection): every version must then be
 * taken as unknown until heard again or reloaded. An adapter also re-reads the versions on a short
 * period of its own (its stated bound), so a missed notice cannot hide a change for longer.
 */
export interface ReadModelChanges {
  /** Starts delivering; returns a function that stops it. */
  subscribe(listener: { readonly changed: (version: ReadModelVersion) => void; readonly lost: () => void }): () => void;
  /**
   * Resolves true once every version committed before the call has been delivered to the
   * listeners; false when that cannot be told now (not connected), and the caller must not trust
   * what it holds. Concurrent calls may share one round trip.
   */
  sync(): Promise<boolean>;
}
