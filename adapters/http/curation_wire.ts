/** Maps curation views to the reference's wire shapes (`EnterpriseCuration`, `HighlightSet` in openapi.yaml). */
import type { CurationView } from "../../src/curation/curation_service.ts";
import { aggregationKey, authoringOrganizations, contentTitle, courseRunStatuses, highlightCardImageUrl } from "../../src/curation/highlight_fields.ts";
import type { HighlightSetView, ShownHighlight } from "../../src/curation/highlight_resolution.ts";
import type { Schemas } from "./operation_types.ts";

/** A curation config with the summary of each set the reader sees. */
export function curationToWire({ curation, sets }: CurationView): Schemas["EnterpriseCuration"] {
  return {
    uuid: curation.uuid,
    created: curation.created.toISOString(),
    modified: curation.modified.toISOString(),
    enterprise_customer: curation.enterpriseCustomerUuid,
    title: curation.title,
    is_highlight_feature_active: curation.isHighlightFeatureActive,
    can_only_view_highlight_sets: curation.canOnlyViewHighlightSets,
    highlight_sets: sets.map((view) => ({
      uuid: view.set.uuid,
      is_published: view.set.isPublished,
      title: view.set.title,
      card_image_url: view.cardImageUrl,
      highlighted_content_uuids: view.shown.map((item) => item.highlight.uuid),
      archived_content_count: view.archivedCount,
    })),
  };
}

/** A highlight set with its shown content. */
export function highlightSetToWire(view: HighlightSetView): Schemas["HighlightSet"] {
  return {
    uuid: view.set.uuid,
    title: view.set.title,
    is_published: view.set.isPublished,
    enterprise_curation: view.set.curationUuid,
    card_image_url: view.cardImageUrl,
    highlighted_content: view.shown.map(highlightToWire),
  };
}

function highlightToWire({ highlight, content }: ShownHighlight): Schemas["HighlightedContent"] {
  return {
    uuid: highlight.uuid,
    aggregation_key: aggregationKey(content),
    content_type: content.contentType,
    content_key: content.contentKey,
    title: contentTitle(content),
    card_image_url: highlightCardImageUrl(content),
    authoring_organizations: authoringOrganizations(content).map((organization) => ({
      uuid: organization.uuid, name: organization.name, logo_image_url: organization.logoImageUrl,
    })),
    course_run_statuses: courseRunStatuses(content),
    is_favorite: highlight.isFavorite,
    // The reference's API never sets it; only its Django admin could.
    sort_order: 0,
  };
}

/**
 * The keys to report as ignored, in the order and with the duplicates dropped as requested: the
 * non-strings (the reference takes nulls and ignores them) and the strings the use case ignored.
 */
export function ignoredAsRequested(requested: readonly (string | null)[], ignored: readonly string[]): (string | null)[] {
  const ignoredKeys = new Set(ignored);
  return [...new Set(requested)].filter((key) => key === null || ignoredKeys.has(key));
}

/** The strings among requested keys, for the use case. */
export function requestedKeys(requested: readonly (string | null)[] | undefined): string[] {
  return (requested ?? []).filter((key): key is string => typeof key === "string");
}
