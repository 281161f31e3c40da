/** Tables of curation: one config per enterprise, its highlight sets, and their highlighted content. */
import { defineEntity, type InferEntity, p } from "@mikro-orm/core";

/** An enterprise's curation config; the unique customer makes it one per enterprise. */
export const CurationSchema = defineEntity({
  name: "CurationRow",
  tableName: "enterprise_curation",
  properties: {
    uuid: p.uuid().primary(),
    enterpriseCustomerUuid: p.uuid().unique(),
    title: p.text(),
    isHighlightFeatureActive: p.boolean(),
    canOnlyViewHighlightSets: p.boolean(),
    created: p.datetime(),
    modified: p.datetime(),
  },
  indexes: [{ properties: ["created", "uuid"] }],
});
/** An `enterprise_curation` row. */
export type CurationRow = InferEntity<typeof CurationSchema>;

/** A highlight set; it carries its curation's customer (which never changes) so listings filter on it alone. */
export const HighlightSetSchema = defineEntity({
  name: "HighlightSetRow",
  tableName: "highlight_set",
  properties: {
    uuid: p.uuid().primary(),
    curationUuid: p.manyToOne(CurationSchema).mapToPk().fieldName("curation_uuid")
      .deleteRule("cascade").updateRule("no action").index(),
    enterpriseCustomerUuid: p.uuid(),
    title: p.text(),
    isPublished: p.boolean(),
    created: p.datetime(),
    modified: p.datetime(),
  },
  indexes: [{ properties: ["enterpriseCustomerUuid", "created", "uuid"] }],
});
/** A `highlight_set` row. */
export type HighlightSetRow = InferEntity<typeof HighlightSetSchema>;

/**
 * Highlighted content of a set, by content key: no foreign key to `content_metadata`, whose rows the
 * cleanup sweep may delete; a highlight whose content is gone is archived when read.
 */
export const HighlightedContentSchema = defineEntity({
  name: "HighlightedContentRow",
  tableName: "highlighted_content",
  properties: {
    uuid: p.uuid().primary(),
    highlightSetUuid: p.manyToOne(HighlightSetSchema).mapToPk().fieldName("highlight_set_uuid")
      .deleteRule("cascade").updateRule("no action"),
    contentKey: p.text(),
    isFavorite: p.boolean(),
    position: p.integer(),
    created: p.datetime(),
    modified: p.datetime(),
  },
  uniques: [{ properties: ["highlightSetUuid", "contentKey"] }],
});
/** A `highlighted_content` row. */
export type HighlightedContentRow = InferEntity<typeof HighlightedContentSchema>;

/** The curation entities, for `ENTITIES` in `schema.ts`. */
export const CURATION_ENTITIES = [CurationSchema, HighlightSetSchema, HighlightedContentSchema] as const;
