// npm run build (and so npm test, npm run bench, npm run demo): each step of the
// build, skipped when its inputs are the same as when it last ran here and its
// outputs are there. A step's inputs are files and folders, hashed by path and
// content, with the step's own script and this Node's version; a step also runs
// again when one it follows ran (the thread bundles overwrite what tsc wrote).
//
//   node scripts/build.mjs [--force | --clean]
// --force runs every step; --clean also removes dist/ first, so that nothing of an
// earlier build is left there (npm pack uses it).
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const TSC = path.join(ROOT, "node_modules/typescript/bin/tsc");
const HOST = ["host", "package.json"];

const STEPS = [
  { name: "tsc", inputs: HOST, outputs: ["dist/node/cli.js", "dist/core/index.js"], command: [TSC, "-p", "host"] },
  {
    name: "threads",
    inputs: [...HOST, "scripts/build-threads.mjs"],
    outputs: ["dist/node/cli.js", "dist/node/worker.js", "dist/node/pool-thread.js", "dist/node/bridge-worker.js"],
    after: "tsc",
    command: ["scripts/build-threads.mjs"],
  },
  {
    name: "native",
    inputs: ["native/tap/tap.c", "native/tap/signals.c", "native/tap/binding.gyp", "scripts/build-native.mjs"],
    outputs: ["native/tap/build/Release/solo5_tap.node", "native/tap/build/Release/solo5_signals.node"],
    stamp: "native/tap/build/inputs.sha256",
    command: ["scripts/build-native.mjs"],
  },
  // Each example is skipped by compileGuestCached when its own sources are unchanged.
  { name: "examples", command: ["scripts/build-examples.mjs"] },
  {
    name: "browser",
    inputs: [...HOST, "scripts/build-browser.mjs"],
    outputs: ["dist/browser/solo5-wasm.js", "dist/browser/solo5-wasm-worker.js"],
    command: ["scripts/build-browser.mjs"],
  },
];

const files = (p) => (fs.statSync(p).isDirectory() ? fs.readdirSync(p).sort().flatMap((e) => files(path.join(p, e))) : [p]);

function digest(inputs) {
  const hash = createHash("sha256").update(process.version);
  for (const input of inputs) for (const file of files(path.join(ROOT, input))) hash.update(path.relative(ROOT, file)).update(fs.readFileSync(file));
  return hash.digest("hex");
}

const clean = process.argv.includes("--clean");
const force = clean || process.argv.includes("--force");
if (clean) fs.rmSync(path.join(ROOT, "dist"), { recursive: true, force: true });
const ran = new Set();
for (const step of STEPS) {
  const stamp = path.join(ROOT, step.stamp ?? `dist/.build/${step.name}.sha256`);
  const hash = step.inputs && digest(step.inputs);
  const fresh =
    hash !== undefined &&
    !force &&
    !(step.after && ran.has(step.after)) &&
    step.outputs.every((o) => fs.existsSync(path.join(ROOT, o))) &&
    fs.existsSync(stamp) &&
    fs.readFileSync(stamp, "utf8") === hash;
  if (fresh) continue;
  const r = spawnSync(process.execPath, step.command, { cwd: ROOT, stdio: "inherit" });
  if (r.status !== 0) {
    console.error(`build: ${step.name} failed (exit ${r.status ?? r.signal})`);
    process.exit(1);
  }
  ran.add(step.name);
  if (hash !== undefined) {
    fs.mkdirSync(path.dirname(stamp), { recursive: true });
    fs.writeFileSync(stamp, hash);
  }
}
