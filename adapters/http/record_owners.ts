/**
 * How the access guard finds the enterprise that owns each stored thing an `OWNED_KINDS` source
 * names, and the 404 it answers when there is none (or the caller may not know of it). The texts
 * are the use cases' own, so a hidden thing reads exactly like an unknown one.
 */
import { missingCuration } from "../../src/curation/curation_service.ts";
import { missingHighlightSet } from "../../src/curation/highlight_set_service.ts";
import type { UseCases } from "../../src/services.ts";
import type { OwnedKind } from "./permissions.ts";

/** One kind of owned thing: its owner (undefined when there is none) and its not-found text. */
export interface RecordOwner {
  owner(services: UseCases, uuid: string): Promise<string | undefined>;
  missing(uuid: string): string;
}

/** Every owned kind's lookup. */
export const RECORD_OWNERS: { readonly [K in OwnedKind]: RecordOwner } = {
  curation: {
    owner: (services, uuid) => services.curation.curationOwner(uuid),
    missing: (uuid) => missingCuration(uuid).message,
  },
  "highlight-set": {
    owner: (services, uuid) => services.highlightSets.highlightSetOwner(uuid),
    missing: (uuid) => missingHighlightSet(uuid).message,
  },
  // Histories outlive what they describe: the owner now, or the one the last change recorded.
  "catalog-history": {
    owner: (services, uuid) => services.catalogs.catalogHistoryOwner(uuid),
    missing: (uuid) => `Cannot find catalog "${uuid}"`,
  },
  "curation-history": {
    owner: (services, uuid) => services.curation.curationHistoryOwner(uuid),
    missing: (uuid) => missingCuration(uuid).message,
  },
};
