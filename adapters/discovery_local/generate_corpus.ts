/**
 * Writes the bundled corpus: `node adapters/discovery_local/generate_corpus.ts`.
 * A test regenerates it in memory and compares, so edit `corpus.ts` and rerun this together.
 */
import { writeFile } from "node:fs/promises";
import { gzipSync } from "node:zlib";
import { BUNDLED_CORPUS_URL, DEFAULT_CORPUS_OPTIONS, generateCorpus, serializeCorpus } from "./corpus.ts";

/** Generates the default corpus and writes it gzipped next to this script; returns its size in bytes. */
export async function writeBundledCorpus(): Promise<number> {
  const text = serializeCorpus(generateCorpus(DEFAULT_CORPUS_OPTIONS));
  const compressed = gzipSync(text, { level: 9 });
  await writeFile(BUNDLED_CORPUS_URL, compressed);
  return compressed.length;
}

if (import.meta.main) {
  const bytes = await writeBundledCorpus();
  console.log(`Wrote ${BUNDLED_CORPUS_URL.pathname} (${(bytes / 1024 / 1024).toFixed(2)} MB)`);
}
