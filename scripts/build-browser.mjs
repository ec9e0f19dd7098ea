// Bundles the browser entry of the tender so that a page can use it with no bundler
// of its own: dist/browser/solo5-wasm.js (the page's module: it pulls in the wasm
// parser, a CommonJS package a browser cannot import as it is) and
// dist/browser/solo5-wasm-worker.js (each guest's Web Worker; the entry finds it
// next to itself). Both are plain ES modules.
import { build } from "esbuild";

await build({
  entryPoints: {
    "solo5-wasm": "host/browser/index.ts",
    "solo5-wasm-worker": "host/browser/worker.ts",
  },
  outdir: "dist/browser",
  bundle: true,
  format: "esm",
  platform: "browser",
  target: "es2022",
  sourcemap: true,
  logLevel: "warning",
});
