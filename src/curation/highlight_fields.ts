/**
 * What a highlight shows of its content, read from the stored metadata per content type exactly as
 * the reference's `HighlightedContent` properties read it (curation/models.py).
 */
import type { ContentMetadata } from "../content/content_metadata.ts";
import { isJsonObject, type JsonValue } from "../json.ts";

/** An organization that authored the content. */
export interface AuthoringOrganization {
  readonly uuid: string | null;
  readonly name: string | null;
  readonly logoImageUrl: string | null;
}

/** Course run statuses that make a highlight count as archived when all of its runs have one (the reference's rule). */
export const ARCHIVED_RUN_STATUSES: readonly string[] = Object.freeze(["archived", "unpublished"]);

/**
 * The content's card image: `image_url` for courses and runs, `card_image_url` for programs,
 * `card_image.card.url` for learner pathways; null when absent.
 */
export function highlightCardImageUrl(content: Pick<ContentMetadata, "contentType" | "jsonMetadata">): string | null {
  const metadata = content.jsonMetadata;
  switch (content.contentType) {
    case "course":
    case "courserun":
      return stringOrNull(metadata.image_url);
    case "program":
      return stringOrNull(metadata.card_image_url);
    case "learnerpathway": {
      const card = isJsonObject(metadata.card_image) ? metadata.card_image.card : undefined;
      return isJsonObject(card) ? stringOrNull(card.url) : null;
    }
  }
}

/**
 * Who authored the content: a course's `owners`, a program's `authoring_organizations`; none for
 * runs and pathways, whose records name no organization by name. Entries that are no objects are skipped.
 */
export function authoringOrganizations(content: Pick<ContentMetadata, "contentType" | "jsonMetadata">): AuthoringOrganization[] {
  const owners = content.contentType === "course" ? content.jsonMetadata.owners
    : content.contentType === "program" ? content.jsonMetadata.authoring_organizations
    : undefined;
  if (!Array.isArray(owners)) return [];
  return owners.filter(isJsonObject).map((owner) => ({
    uuid: stringOrNull(owner.uuid),
    name: stringOrNull(owner.name),
    logoImageUrl: stringOrNull(owner.logo_image_url),
  }));
}

/** The record's `course_run_statuses` (its strings), or null when it has none. */
export function courseRunStatuses(content: Pick<ContentMetadata, "jsonMetadata">): string[] | null {
  const statuses = content.jsonMetadata.course_run_statuses;
  return Array.isArray(statuses) ? statuses.filter((status): status is string => typeof status === "string") : null;
}

/** Whether every run of the content is archived or unpublished (and it has runs): the reference's `archived_content_count` rule. */
export function hasOnlyArchivedRuns(content: Pick<ContentMetadata, "jsonMetadata">): boolean {
  const statuses = courseRunStatuses(content);
  return statuses !== null && statuses.length > 0 && statuses.every((status) => ARCHIVED_RUN_STATUSES.includes(status));
}

/** The record's `title`, or null. */
export function contentTitle(content: Pick<ContentMetadata, "jsonMetadata">): string | null {
  return stringOrNull(content.jsonMetadata.title);
}

/** The record's `aggregation_key`, or null. */
export function aggregationKey(content: Pick<ContentMetadata, "jsonMetadata">): string | null {
  return stringOrNull(content.jsonMetadata.aggregation_key);
}

function stringOrNull(value: JsonValue | undefined): string | null {
  return typeof value === "string" ? value : null;
}
