/**
 * Writes the bundled discovery database: `npm run gen:discovery-database`.
 * A test regenerates it in memory and compares, so change the generator and rerun this together.
 */
import { writeFile } from "node:fs/promises";
import { gzipSync } from "node:zlib";
import { BUNDLED_DATABASE_URL, serializeDiscoveryDatabase } from "../../adapters/discovery_local/discovery_database.ts";
import { DEFAULT_DATABASE_OPTIONS, generateDiscoveryDatabase } from "./generate_database.ts";

/** Generates the default database and writes it gzipped where the adapter reads it; returns its size in bytes. */
export async function writeBundledDatabase(): Promise<number> {
  const text = serializeDiscoveryDatabase(generateDiscoveryDatabase(DEFAULT_DATABASE_OPTIONS));
  const compressed = gzipSync(text, { level: 9 });
  await writeFile(BUNDLED_DATABASE_URL, compressed);
  return compressed.length;
}

if (import.meta.main) {
  const bytes = await writeBundledDatabase();
  console.log(`Wrote ${BUNDLED_DATABASE_URL.pathname} (${(bytes / 1024 / 1024).toFixed(2)} MB)`);
}
