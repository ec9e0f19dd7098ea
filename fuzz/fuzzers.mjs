// Every fuzzer, with its long run's size (npm run fuzz) and its short run's (the
// one inside npm test, tests/fuzz/). run({ seed, size, part, keepFailures, log })
// throws on a failure and returns its counts; `part` narrows it (a host's name).
import { fuzzHypercalls } from "./hypercalls/index.mjs";
import { fuzzFrames } from "./frames/index.mjs";
import { fuzzModules } from "./modules/index.mjs";

export const FUZZERS = {
  hypercalls: {
    what: "random and edge-case hypercalls from a guest, under the thread host, a pool and the browser host",
    // Long: at least 1,000,000 calls per host (a tape makes about 1,000 calls on average before one stops the guest or it ends).
    long: { runs: 1000, maxCalls: 6000 },
    short: { runs: 6, maxCalls: 400 },
    run: ({ seed, size, part, keepFailures, log }) => fuzzHypercalls({ seed, ...size, hosts: part ? [part] : undefined, keepFailures, log }),
  },
  modules: {
    what: "mutants of real guests (sections dropped, repeated, moved, renumbered, cut, mis-sized, flipped; manifests replaced; byte flips) through loadKernel, the manifest's formatting, a run and a sample through the CLI",
    long: { runs: 100_000, runOdds: 4, cliOdds: 500 },
    short: { runs: 300, runOdds: 4, cliOdds: 100 },
    run: ({ seed, size, keepFailures, log }) => fuzzModules({ seed, ...size, keepFailures, log }),
  },
  frames: {
    what: "storms of mutated real traffic (ARP, ICMP, TCP with options and on a live connection, UDP, DHCP, DNS) and random frames into http-serve's network stack, then a ping and an HTTP GET",
    // Long: at least 1,000,000 frames (a storm averages half its most).
    long: { runs: 1000, maxFrames: 2400 },
    short: { runs: 40, maxFrames: 400 },
    run: ({ seed, size, keepFailures, log }) => fuzzFrames({ seed, ...size, keepFailures, log }),
  },
};
