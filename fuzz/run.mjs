// npm run fuzz [-- NAME[:PART] ...]: the long runs of the fuzzers (fuzzers.mjs),
// all of them or those named, from FUZZ_SEED or a fresh seed, printed first so that
// any run can be repeated. A failure's shrunk case is added to the fuzzer's kept
// cases (its kept.json), which every later run, and the suite, replays first.
import { FUZZERS } from "./fuzzers.mjs";

const seed = process.env.FUZZ_SEED === undefined ? Date.now() % 2 ** 31 : Number(process.env.FUZZ_SEED);
if (!Number.isInteger(seed)) {
  console.error(`solo5-wasm fuzz: FUZZ_SEED must be an integer (got ${JSON.stringify(process.env.FUZZ_SEED)})`);
  process.exit(1);
}
const names = process.argv.slice(2);
const chosen = names.length === 0 ? Object.keys(FUZZERS).map((name) => [name, undefined]) : names.map((n) => n.split(":"));
for (const [name] of chosen) {
  if (!FUZZERS[name]) {
    console.error(`solo5-wasm fuzz: no fuzzer ${JSON.stringify(name)}: choose from ${Object.keys(FUZZERS).join(", ")}`);
    process.exit(1);
  }
}
if (!globalThis.gc) console.log("(run node with --expose-gc for exact heap figures; npm run fuzz does)");
console.log(`fuzz seed ${seed} (repeat with FUZZ_SEED=${seed} npm run fuzz -- ${names.join(" ") || "NAME"})`);
let failed = 0;
for (const [name, part] of chosen) {
  const start = Date.now();
  try {
    await FUZZERS[name].run({ seed, size: FUZZERS[name].long, part, keepFailures: true, log: (line) => console.log(line) });
    console.log(`${name}${part ? `:${part}` : ""}: passed in ${((Date.now() - start) / 1000).toFixed(1)} s`);
  } catch (e) {
    failed++;
    console.log(e instanceof Error ? e.message : String(e));
  }
}
process.exit(failed === 0 ? 0 : 1);
