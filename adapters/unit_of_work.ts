/** Where units of work run: one request, job or command each, with the database-unavailable rule applied as it ends. */
import type { Services, UseCases } from "../src/services.ts";
import { asDatabaseUnavailable } from "./database_unavailable.ts";

/**
 * Runs `work` in a new unit of work of `services`. A failure that says the database is unavailable
 * leaves it as a `DatabaseUnavailableError`, whichever path (ORM or read pool) it came from.
 */
export async function inUnitOfWork<T>(services: Services, work: (useCases: UseCases) => Promise<T>): Promise<T> {
  try {
    return await work(services.unitOfWork());
  } catch (error) {
    throw asDatabaseUnavailable(error);
  }
}
