// A short run of the module fuzzer (fuzz/modules), its kept cases first: mutants of
// real guests load or are refused in one line, run to an ending or are refused at
// start in one line, and the CLI's manifest and run treat a sample the same way.
import { FUZZERS } from "../../fuzz/fuzzers.mjs";
import { SEED } from "./seed.mjs";

const { run, short } = FUZZERS.modules;

test(`module fuzzer (FUZZ_SEED=${SEED})`, async () => {
  const stats = await run({ seed: SEED, size: short });
  expect(stats.mutants).toBeGreaterThanOrEqual(short.runs);
  // The mutations leave some modules loadable: the run and its checks are reached.
  expect(stats.loaded).toBeGreaterThan(0);
});
