/**
 * The database schema as MikroORM entity definitions (no decorators). Migrations are generated from
 * these with `node adapters/postgres/create_migration.ts`; rows never leave `adapters/postgres/`.
 */
import { defineEntity, p, type InferEntity } from "@mikro-orm/core";
import type { JsonObject } from "../../src/json.ts";
import { CURATION_ENTITIES } from "./curation_schema.ts";
import { ENROLLMENT_ENTITIES } from "./enrollment_schema.ts";
import { HISTORY_ENTITIES } from "./history_schema.ts";

/**
 * A saved discovery query and its refresh state. `title` is deliberately not unique: queries are
 * values keyed by their filter's hash, and catalogs created concurrently may carry equal titles.
 */
export const CatalogQuerySchema = defineEntity({
  name: "CatalogQueryRow",
  tableName: "catalog_query",
  properties: {
    uuid: p.uuid().primary(),
    /**
     * The uuid a client (edx-enterprise) last named this query by, when it is not `uuid`: the
     * query's public uuid is `coalesce(client_uuid, uuid)`, unique across queries.
     */
    clientUuid: p.uuid().nullable().unique(),
    title: p.text().nullable(),
    /** The canonical (Python `json.dumps`) text: it rebuilds the filter exactly. */
    contentFilter: p.text(),
    contentFilterHash: p.character().length(32).unique(),
    created: p.datetime(),
    contentVersion: p.integer().default(0),
    contentLastModified: p.datetime().nullable(),
    lastRefreshedAt: p.datetime().nullable(),
    lastRefreshAttemptAt: p.datetime().nullable(),
    lastRefreshOutcome: p.text().nullable(),
    itemCount: p.integer().default(0),
  },
});
/** A `catalog_query` row. */
export type CatalogQueryRow = InferEntity<typeof CatalogQuerySchema>;

/** An enterprise customer's catalog, pointing at the query it shares with identical catalogs. */
export const EnterpriseCatalogSchema = defineEntity({
  name: "EnterpriseCatalogRow",
  tableName: "enterprise_catalog",
  properties: {
    uuid: p.uuid().primary(),
    title: p.text(),
    enterpriseCustomerUuid: p.uuid(),
    enterpriseCustomerName: p.text(),
    catalogQueryUuid: p.manyToOne(CatalogQuerySchema).mapToPk().fieldName("catalog_query_uuid")
      .deleteRule("no action").updateRule("no action").index(),
    enabledCourseModes: p.json<string[]>(),
    publishAuditEnrollmentUrls: p.boolean(),
    created: p.datetime(),
    modified: p.datetime(),
  },
  indexes: [
    { properties: ["enterpriseCustomerUuid", "created", "uuid"] },
    { properties: ["created", "uuid"] },
  ],
});
/** An `enterprise_catalog` row. */
export type EnterpriseCatalogRow = InferEntity<typeof EnterpriseCatalogSchema>;

/** One course, run, program or pathway, shared by every query that holds it. */
export const ContentMetadataSchema = defineEntity({
  name: "ContentMetadataRow",
  tableName: "content_metadata",
  properties: {
    contentKey: p.string().length(255).primary(),
    contentType: p.string().length(32),
    contentUuid: p.uuid().nullable().index(),
    parentContentKey: p.string().length(255).nullable().index(),
    jsonMetadata: p.json<JsonObject>(),
    fingerprint: p.character().length(32),
    modified: p.datetime(),
    /** False for a course with no active run: unfiltered catalog listings leave it out. */
    listed: p.boolean().default(true),
    /** Fingerprint of the filter-independent part of the search record the row was built from. */
    searchFingerprint: p.character().length(32).nullable(),
    /** When discovery's full record (`/courses`, `/programs`) was last asked for; null for runs and pathways. */
    enrichedAt: p.datetime().nullable(),
    /** The run keys a course's record lists in `course_runs` (`listedRunKeys`), so containment reads no JSON. */
    courseRunKeys: p.array().defaultRaw("'{}'"),
  },
});
/** A `content_metadata` row. */
export type ContentMetadataRow = InferEntity<typeof ContentMetadataSchema>;

/**
 * Membership: which content a query holds. `parent_content_key`, `content_type` and `listed` copy the
 * content row's so that containment checks and listings read this table alone. `position` numbers
 * the query's listed members 1..n in `content_key` order (C collation), null for unlisted ones, so
 * that page n of a listing is a range lookup however deep it lies; `applyContentChange` keeps it.
 */
export const QueryContentSchema = defineEntity({
  name: "QueryContentRow",
  tableName: "query_content",
  properties: {
    queryUuid: p.manyToOne(CatalogQuerySchema).mapToPk().primary().fieldName("query_uuid")
      .deleteRule("cascade").updateRule("no action"),
    contentKey: p.manyToOne(ContentMetadataSchema).mapToPk().primary().fieldName("content_key")
      .deleteRule("no action").updateRule("no action"),
    parentContentKey: p.string().length(255).nullable(),
    contentType: p.string().length(32),
    listed: p.boolean().default(true),
    position: p.integer().nullable(),
    /** Fingerprint of the record as this query's search returned it (a course's nested runs depend on the filter). */
    searchFingerprint: p.character().length(32).nullable(),
  },
  indexes: [
    { properties: ["queryUuid", "position"] },
    { properties: ["queryUuid", "parentContentKey"] },
    // Containment probes by key across queries read the query from the index alone (index-only scans).
    { properties: ["contentKey", "queryUuid"] },
    { properties: ["parentContentKey", "queryUuid"] },
  ],
});
/** A `query_content` row. */
export type QueryContentRow = InferEntity<typeof QueryContentSchema>;

/**
 * The restricted ("custom B2B") runs a query allows, stored for that query alone (decision 0016):
 * never a shared `content_metadata` row, so one query's allowed runs never reach another's answers
 * or the `/api/v1` ones. `course_key` is a course the query holds; `active` is
 * `isActiveRestrictedRun(json_metadata)`, which the `/api/v2` listing reads.
 */
export const QueryRestrictedRunSchema = defineEntity({
  name: "QueryRestrictedRunRow",
  tableName: "query_restricted_run",
  properties: {
    queryUuid: p.manyToOne(CatalogQuerySchema).mapToPk().primary().fieldName("query_uuid")
      .deleteRule("cascade").updateRule("no action"),
    runKey: p.string().length(255).primary(),
    courseKey: p.string().length(255),
    /** The run's entry in discovery's `/courses` record, asked with `include_restricted`. */
    jsonMetadata: p.json<JsonObject>(),
    fingerprint: p.character().length(32),
    /** Fingerprint of the run's record in the restricted search. */
    searchFingerprint: p.character().length(32),
    enrichedAt: p.datetime(),
    active: p.boolean(),
    modified: p.datetime(),
  },
  indexes: [
    // Containment probes a requested run key across queries (customer containment) or in one.
    { properties: ["runKey", "queryUuid"] },
    { properties: ["queryUuid", "courseKey"] },
  ],
});
/** A `query_restricted_run` row. */
export type QueryRestrictedRunRow = InferEntity<typeof QueryRestrictedRunSchema>;

/** One attempt to refresh one query. */
export const RefreshRunSchema = defineEntity({
  name: "RefreshRunRow",
  tableName: "refresh_run",
  properties: {
    uuid: p.uuid().primary(),
    queryUuid: p.manyToOne(CatalogQuerySchema).mapToPk().fieldName("query_uuid")
      .deleteRule("cascade").updateRule("no action"),
    trigger: p.text(),
    startedAt: p.datetime(),
    finishedAt: p.datetime(),
    outcome: p.text(),
    added: p.integer(),
    removed: p.integer(),
    updated: p.integer(),
    unchanged: p.integer(),
    discoveryRequests: p.integer(),
    /** The stage a failed run stopped in. */
    stage: p.text().nullable(),
    message: p.text().nullable(),
  },
  indexes: [
    { name: "refresh_run_query_uuid_started_at_index", columns: [{ name: "query_uuid" }, { name: "started_at", sort: "desc" }] },
  ],
});
/** A `refresh_run` row. */
export type RefreshRunRow = InferEntity<typeof RefreshRunSchema>;

/**
 * The versions of the containment read model's shared parts (decision 0018): `catalogs` grows with
 * every catalog write, `content` with every write of content rows' keys, parents or listed runs.
 * Bumped and notified as the last statements of the writing transaction (`read_model_notify.ts`).
 */
export const ReadModelVersionSchema = defineEntity({
  name: "ReadModelVersionRow",
  tableName: "read_model_version",
  properties: {
    part: p.text().primary(),
    version: p.bigint("number").default(0),
  },
});

/** Every entity of the schema, for `MikroORM.init`. */
export const ENTITIES = [
  CatalogQuerySchema,
  EnterpriseCatalogSchema,
  ContentMetadataSchema,
  QueryContentSchema,
  QueryRestrictedRunSchema,
  RefreshRunSchema,
  ReadModelVersionSchema,
  ...ENROLLMENT_ENTITIES,
  ...CURATION_ENTITIES,
  ...HISTORY_ENTITIES,
] as const;
