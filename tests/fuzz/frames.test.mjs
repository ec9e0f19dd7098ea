// A short run of the frame fuzzer (fuzz/frames), its kept cases first: storms of
// mutated and random frames into http-serve's stack leave it untrapped, its heap as a
// calm run leaves it, and answering a ping and an HTTP GET.
import { FUZZERS } from "../../fuzz/fuzzers.mjs";
import { SEED } from "./seed.mjs";

const { run, short } = FUZZERS.frames;

test(`frame fuzzer (FUZZ_SEED=${SEED})`, async () => {
  const stats = await run({ seed: SEED, size: short });
  expect(stats.runs).toBeGreaterThanOrEqual(short.runs);
  // The storms reach the stack: it answers some of what they carry (ARP, pings, SYNs, RSTs).
  expect(stats.sent).toBeGreaterThan(0);
});
