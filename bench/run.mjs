// npm run bench: every benchmark of the project, one table, one results file.
// Each bench/NAME/bench.mjs default-exports `async ({ quick }) => Figure[]`, where a
// Figure is { name, unit, value, baseline } and baseline is the figure of the reference
// run made side by side in the same script (so ratios hold on a noisy machine).
// The ratio (value / baseline) is computed here, once, for all of them.
//
//   node bench/run.mjs [--quick] [NAME...]     (default: every bench, in ORDER)
//
// The run has a temp folder of its own; it fails if a bench leaves anything there,
// or processes, namespaces or interfaces (tests/helpers/leftovers.mjs).
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { afterRun, beforeRun } from "../tests/helpers/leftovers.mjs";

const BENCH_DIR = path.dirname(fileURLToPath(import.meta.url));
const RESULTS = path.join(BENCH_DIR, "results.json");
/** The platform first; others follow in this order, then any new one by name. */
const ORDER = ["platform", "alloc", "block", "net", "record"];

function benchNames(wanted) {
  if (wanted.length > 0) return wanted;
  const present = fs
    .readdirSync(BENCH_DIR, { withFileTypes: true })
    .filter((d) => d.isDirectory() && !ORDER.includes(d.name) && fs.existsSync(path.join(BENCH_DIR, d.name, "bench.mjs")))
    .map((d) => d.name)
    .sort();
  return [...ORDER, ...present];
}

/** A figure as results.json holds it, or a message saying what is wrong with it. */
function checkFigure(f) {
  const ok = f && typeof f.name === "string" && typeof f.unit === "string" && Number.isFinite(f.value) && Number.isFinite(f.baseline);
  if (!ok) return `malformed figure ${JSON.stringify(f)}: needs name, unit, and finite value and baseline`;
  return { name: f.name, unit: f.unit, value: f.value, baseline: f.baseline, ratio: f.baseline === 0 ? null : f.value / f.baseline };
}

const num = (x) => (x === null ? "-" : Math.abs(x) >= 1000 || Number.isInteger(x) ? String(Math.round(x)) : x.toPrecision(3));

function printTable(figures) {
  const rows = [["name", "value", "unit", "baseline", "ratio"], ...figures.map((f) => [f.name, num(f.value), f.unit, num(f.baseline), num(f.ratio)])];
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  const line = (r) => r.map((c, i) => (i === 0 || i === 2 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join("  ");
  console.log(line(rows[0]));
  console.log(widths.map((w) => "-".repeat(w)).join("  "));
  for (const r of rows.slice(1)) console.log(line(r));
}

const before = beforeRun();
const args = process.argv.slice(2);
const quick = args.includes("--quick");
const figures = [];
let failed = false;
for (const name of benchNames(args.filter((a) => !a.startsWith("--")))) {
  const file = path.join(BENCH_DIR, name, "bench.mjs");
  if (!fs.existsSync(file)) {
    console.error(`bench: ${name}: no ${path.relative(process.cwd(), file)}, skipped`);
    continue;
  }
  const t0 = performance.now();
  try {
    const { default: bench } = await import(pathToFileURL(file).href);
    for (const f of await bench({ quick })) {
      const checked = checkFigure(f);
      if (typeof checked === "string") throw new Error(checked);
      figures.push(checked);
    }
    console.error(`bench: ${name}: done in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  } catch (e) {
    failed = true;
    console.error(`bench: ${name} failed: ${e?.stack ?? e}`);
  }
}
printTable(figures);
fs.writeFileSync(RESULTS, `${JSON.stringify(figures, null, 2)}\n`);
console.error(`bench: ${figures.length} figures written to ${path.relative(process.cwd(), RESULTS)}`);
const left = afterRun(before);
for (const thing of left) console.error(`bench: left behind: ${thing}`);
process.exitCode = failed || left.length > 0 ? 1 : 0;
