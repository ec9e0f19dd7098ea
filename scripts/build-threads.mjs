// Bundles the entry of each thread the Node tender starts (a guest's worker, a
// pool's thread, the bridge's uplink thread) into one file, written over what tsc
// emitted for it: a new thread then loads one module instead of about thirty, and a
// guest started through the library reaches solo5_app_main about 17 ms sooner
// (docs/performance.md). Packages stay external; the files keep their places, so
// relative paths from import.meta.url (the TAP addon) still hold.
import { build } from "esbuild";

await build({
  entryPoints: ["host/node/worker.ts", "host/node/pool-thread.ts", "host/node/bridge-worker.ts"],
  outdir: "dist/node",
  bundle: true,
  format: "esm",
  platform: "node",
  target: "node20",
  packages: "external",
  sourcemap: true,
  allowOverwrite: true,
  logLevel: "warning",
});
