/** The Postgres stores of one unit of work. */
import type { UnitStores } from "../../src/services.ts";
import type { Orm } from "./orm.ts";
import { PostgresCatalogStore } from "./postgres_catalog_store.ts";
import { PostgresContentStore } from "./postgres_content_store.ts";
import { PostgresCurationStore } from "./postgres_curation_store.ts";
import { PostgresEnrollmentLedger } from "./postgres_enrollment_ledger.ts";

/** Opens the stores of a new unit of work over a fork of the ORM's EntityManager, so units never share an identity map. */
export function openPostgresStores(orm: Orm): UnitStores {
  const em = orm.em.fork();
  return {
    catalogs: new PostgresCatalogStore(em), content: new PostgresContentStore(em), ledger: new PostgresEnrollmentLedger(em), curations: new PostgresCurationStore(em),
  };
}
