/**
 * The containment read model over a test database, for the suites that compare its answers with
 * PostgreSQL's: `strict` loads what each containment question needs first and fails the question if
 * it was not answered from memory, so that a cold model falling back to PostgreSQL cannot pass.
 */
import type pg from "pg";
import { PostgresContentReader } from "../../adapters/postgres/postgres_content_reader.ts";
import { PostgresReadModelChanges, PostgresReadModelSource } from "../../adapters/postgres/postgres_read_model.ts";
import { ContainmentModel, ModelContentReader } from "../../src/content/containment_model.ts";
import type { ContentReader } from "../../src/ports/content_reader.ts";

/** A model, the reader over it, and the strict reader. */
export interface ModelReaderHarness {
  readonly model: ContainmentModel;
  readonly reader: ModelContentReader;
  readonly strict: ContentReader;
  /** Forgets everything held (after a test empties tables behind the stores' back). */
  reset(): void;
  close(): void;
}

/** The model over `pool` (the caller's to end), hearing versions from `databaseUrl`. */
export function modelReaderHarness(databaseUrl: string, pool: pg.Pool, budgetBytes = 64 * 1024 * 1024): ModelReaderHarness {
  const model = new ContainmentModel({ source: new PostgresReadModelSource(pool), changes: new PostgresReadModelChanges(databaseUrl) }, { budgetBytes });
  model.start();
  const reader = new ModelContentReader(new PostgresContentReader(pool), model);
  const fromMemory = async <T>(ask: () => Promise<T>): Promise<T> => {
    const before = model.stats();
    const answer = await ask();
    const after = model.stats();
    if (after.misses !== before.misses) throw new Error("The read model did not answer from memory");
    return answer;
  };
  const strict: ContentReader = {
    getCatalog: (uuid) => reader.getCatalog(uuid),
    findContainment: async (scope, keys, kind) => {
      if (!(await model.prepare(scope))) throw new Error("The read model could not load what the question needs");
      return await fromMemory(() => reader.findContainment(scope, keys, kind));
    },
    listQueryContent: (query, range, options) => reader.listQueryContent(query, range, options),
    restrictedRuns: (query, courses) => reader.restrictedRuns(query, courses),
    matchQueryContent: (query, keys, kind) => reader.matchQueryContent(query, keys, kind),
    diffQueryContent: (query, keys) => reader.diffQueryContent(query, keys),
    catalogQueries: async (uuids) => {
      if (!(await model.prepare({ catalogUuids: uuids }))) throw new Error("The read model could not load the catalogs");
      return await fromMemory(() => reader.catalogQueries(uuids));
    },
    lookUpContent: (lookup, page) => reader.lookUpContent(lookup, page),
    findCustomerContent: (customer, identifier, kind) => reader.findCustomerContent(customer, identifier, kind),
  };
  return {
    model,
    reader,
    strict,
    reset() {
      model.stop();
      model.start();
    },
    close() {
      model.stop();
    },
  };
}
