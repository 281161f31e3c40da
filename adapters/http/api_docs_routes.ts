/** `/api-docs`: openapi.yaml rendered by swagger-ui-dist, served from node_modules (no CDN). */
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import type { OperationHandlers } from "./operation_types.ts";

/** The files the page loads, by the name in `/api-docs/assets/{file}`, with their media types. */
const ASSETS: Readonly<Record<string, string>> = {
  "swagger-ui.css": "text/css; charset=utf-8",
  "swagger-ui-bundle.js": "text/javascript; charset=utf-8",
  "swagger-ui-standalone-preset.js": "text/javascript; charset=utf-8",
  "favicon-32x32.png": "image/png",
};

const PAGE = `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>Enterprise Catalog API</title>
  <link rel="stylesheet" href="/api-docs/assets/swagger-ui.css">
  <link rel="icon" type="image/png" href="/api-docs/assets/favicon-32x32.png">
</head>
<body>
  <div id="swagger-ui"></div>
  <script src="/api-docs/assets/swagger-ui-bundle.js"></script>
  <script src="/api-docs/assets/swagger-ui-standalone-preset.js"></script>
  <script src="/api-docs/assets/api-docs.js"></script>
</body>
</html>
`;

/** Starts Swagger UI on /api/schema; validatorUrl null keeps the browser from calling validator.swagger.io. */
const INITIALIZER = `window.addEventListener("load", function () {
  window.ui = SwaggerUIBundle({
    url: "/api/schema",
    dom_id: "#swagger-ui",
    deepLinking: true,
    validatorUrl: null,
    presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset],
    layout: "StandaloneLayout"
  });
});
`;

/** Only our own files; swagger-ui injects styles, hence 'unsafe-inline' for styles alone. */
const CONTENT_SECURITY_POLICY = "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; script-src 'self'; connect-src 'self'; frame-ancestors 'none'";

/** The API documentation operations, by operationId. */
export function apiDocsHandlers() {
  const directory = dirname(createRequire(import.meta.url).resolve("swagger-ui-dist/package.json"));
  const cache = new Map<string, Promise<Buffer>>();
  const asset = (file: string) => {
    let read = cache.get(file);
    if (read === undefined) {
      read = readFile(join(directory, file));
      cache.set(file, read);
      read.catch(() => cache.delete(file));
    }
    return read;
  };
  return {
    getApiDocs: (ctx) => {
      ctx.type = "text/html; charset=utf-8";
      ctx.set("Content-Security-Policy", CONTENT_SECURITY_POLICY);
      ctx.body = PAGE;
    },

    getApiDocsAsset: async (ctx, request) => {
      const file = request.params.file;
      ctx.set("Cache-Control", "public, max-age=86400");
      if (file === "api-docs.js") {
        ctx.type = "text/javascript; charset=utf-8";
        ctx.body = INITIALIZER;
        return;
      }
      // The document's enum already limits `file` to these names; the lookup keeps paths out regardless.
      const type = Object.hasOwn(ASSETS, file) ? ASSETS[file] : undefined;
      if (type === undefined) return;
      ctx.type = type;
      ctx.body = await asset(file);
    },
  } satisfies Partial<OperationHandlers>;
}
