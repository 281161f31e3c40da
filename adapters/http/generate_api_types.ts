/**
 * Writes the wire types generated from openapi.yaml into api_types.ts.
 * With `--check` it writes nothing and fails when the committed file is stale.
 */
import { readFileSync, writeFileSync } from "node:fs";
import openapiTS, { astToString } from "openapi-typescript";
import { OPENAPI_PATH } from "./openapi_document.ts";

const TARGET = new URL("./api_types.ts", import.meta.url);
const HEADER = "// Generated from openapi.yaml by `npm run gen:api-types`. Do not edit by hand.\n";

const generated = HEADER + astToString(await openapiTS(OPENAPI_PATH));
if (process.argv.includes("--check")) {
  let committed = "";
  try {
    committed = readFileSync(TARGET, "utf8");
  } catch {
    // A missing file is stale too.
  }
  if (committed !== generated) {
    console.error("adapters/http/api_types.ts is stale: run `npm run gen:api-types` and commit the result");
    process.exit(1);
  }
  console.log("api_types.ts matches openapi.yaml");
} else {
  writeFileSync(TARGET, generated);
  console.log("wrote adapters/http/api_types.ts");
}
