/** Import rules of the hexagon; `npm test` fails when one breaks. */
module.exports = {
  forbidden: [
    {
      name: "core-imports-no-adapters",
      comment: "src/ is the pure core: it may not reach into adapters/ or test/.",
      severity: "error",
      from: { path: "^src/" },
      to: { path: "^(adapters|test)/" },
    },
    {
      name: "core-imports-no-npm",
      comment: "src/ may not import npm packages; the platform only for pure primitives.",
      severity: "error",
      from: { path: "^src/" },
      to: { dependencyTypes: ["npm", "npm-dev", "npm-optional", "npm-peer", "npm-bundled", "npm-no-pkg", "unknown", "undetermined"] },
    },
    {
      name: "core-platform-primitives-only",
      comment: "src/ may use node:crypto for hashing and nothing else from Node.",
      severity: "error",
      from: { path: "^src/" },
      to: { dependencyTypes: ["core"], pathNot: "^(node:)?crypto$" },
    },
    {
      name: "adapters-import-no-tests",
      severity: "error",
      from: { path: "^adapters/" },
      to: { path: "^test/" },
    },
    {
      name: "runtime-imports-no-tools",
      comment: "tools/ holds build-time programs (the discovery corpus generator): the service never needs them.",
      severity: "error",
      from: { path: "^(src|adapters)/" },
      to: { path: "^tools/" },
    },
    {
      name: "tools-import-no-tests",
      severity: "error",
      from: { path: "^tools/" },
      to: { path: "^test/" },
    },
    {
      name: "no-circular",
      comment: "Circular imports are forbidden everywhere.",
      severity: "error",
      from: {},
      to: { circular: true },
    },
    {
      name: "not-to-unresolvable",
      severity: "error",
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    exclude: { path: "(^|/)api_types\\.ts$" },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    enhancedResolveOptions: {
      extensions: [".ts", ".js"],
      exportsFields: ["exports"],
      conditionNames: ["import", "require", "node", "types", "default"],
      mainFields: ["module", "main", "types"],
    },
  },
};
