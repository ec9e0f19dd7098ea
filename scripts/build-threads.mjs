// Bundles the entry of each thread the Node tender starts (a guest's worker, a
// pool's thread, the bridge's uplink thread) into one file, written over what tsc
// emitted for it: a new thread then loads one module instead of about thirty, and a
// guest started through the library reaches solo5_app_main about 17 ms sooner
// (docs/performance.md). The CLI's entry is bundled too, for a run whose guest runs
// on the main thread, where nothing overlaps the loading: the commands loaded when
// chosen (and what only they import: crypto, http, ws, the compiler) are chunks of
// their own, cli-*.js, and what they share with the run path is in one, so each
// module exists once (a TenderError a command throws is the class cli.ts knows).
// Packages stay external; the files keep their places in dist/node, so relative
// paths from import.meta.url (the addons, the thread entries) still hold.
import { build } from "esbuild";
import fs from "node:fs";
import path from "node:path";

const OUT = "dist/node";
const common = {
  outdir: OUT,
  bundle: true,
  format: "esm",
  platform: "node",
  target: "node20",
  packages: "external",
  sourcemap: true,
  allowOverwrite: true,
  logLevel: "warning",
};

await build({ ...common, entryPoints: ["host/node/worker.ts", "host/node/pool-thread.ts", "host/node/bridge-worker.ts"] });
// Chunks of an earlier build have other hashes.
for (const f of fs.readdirSync(OUT)) if (f.startsWith("cli-")) fs.rmSync(path.join(OUT, f));
await build({ ...common, entryPoints: ["host/node/cli.ts"], splitting: true, chunkNames: "cli-[name]-[hash]" });
