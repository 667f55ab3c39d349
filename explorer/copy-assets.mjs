// Copies the files the explorer page loads from the locked npm packages into the registry's static
// folder (registry/explorer_static/vendor/): the page is served with nothing from a CDN.
import { copyFileSync, mkdirSync, rmSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const target = join(here, "..", "registry", "explorer_static", "vendor");

// UMD builds: each script sets a global (React, ReactDOM, GraphiQL, GraphiQLPluginExplorer) that the
// next one and explorer.js use, so no bundler is needed.
const files = [
  "react/umd/react.production.min.js",
  "react-dom/umd/react-dom.production.min.js",
  "graphiql/graphiql.min.js",
  "graphiql/graphiql.min.css",
  ["@graphiql/plugin-explorer/dist/index.umd.js", "plugin-explorer.umd.js"],
  ["@graphiql/plugin-explorer/dist/style.css", "plugin-explorer.css"],
  ["graphiql/LICENSE", "LICENSE.graphiql"],
  ["react/LICENSE", "LICENSE.react"],
];

rmSync(target, { recursive: true, force: true });
mkdirSync(target, { recursive: true });
for (const entry of files) {
  const [source, name] = Array.isArray(entry) ? entry : [entry, basename(entry)];
  copyFileSync(join(here, "node_modules", source), join(target, name));
}
console.log(`explorer assets: ${files.length} files in ${target}`);
