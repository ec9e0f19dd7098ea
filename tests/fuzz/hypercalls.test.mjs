// A short run of the hypercall fuzzer (fuzz/hypercalls) under each host, its kept
// cases first: every call's result as ABI section 4 says, every invalid access one
// line and status 1, every run ended.
import { FUZZERS } from "../../fuzz/fuzzers.mjs";
import { SEED } from "./seed.mjs";

const { run, short } = FUZZERS.hypercalls;

describe(`hypercall fuzzer (FUZZ_SEED=${SEED})`, () => {
  for (const host of ["thread", "pool", "browser"]) {
    test(`under the ${host} host`, async () => {
      const stats = await run({ seed: SEED, size: short, part: host });
      expect(stats[host].tapes).toBeGreaterThanOrEqual(short.runs);
      expect(stats[host].calls).toBeGreaterThan(0);
    });
  }
});
