// Every fuzzer, with its long run's size (npm run fuzz) and its short run's (the
// one inside npm test, tests/fuzz/). run({ seed, size, part, keepFailures, log })
// throws on a failure and returns its counts; `part` narrows it (a host's name).
import { fuzzHypercalls } from "./hypercalls/index.mjs";

export const FUZZERS = {
  hypercalls: {
    what: "random and edge-case hypercalls from a guest, under the thread host, a pool and the browser host",
    // Long: at least 1,000,000 calls per host (tapes average about 2,500 calls of 6,000 at most).
    long: { runs: 450, maxCalls: 6000 },
    short: { runs: 6, maxCalls: 400 },
    run: ({ seed, size, part, keepFailures, log }) => fuzzHypercalls({ seed, ...size, hosts: part ? [part] : undefined, keepFailures, log }),
  },
};
