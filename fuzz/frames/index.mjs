// The frame fuzzer: storms of mutated and random frames (mutate.mjs) into http-serve's
// network stack, each run a fresh guest in simulated time (storm.mjs): no trap, no
// abort, no heap kept after the storm has settled, and a ping and an HTTP GET answered
// afterwards.
import fs from "node:fs";
import fc from "fast-check";
import { loadKernel } from "../../dist/core/index.js";
import { search } from "../lib/property.mjs";
import { frameArb } from "./mutate.mjs";
import { runStorm } from "./storm.mjs";

const KEPT = new URL("./kept.json", import.meta.url).pathname;
const GUEST = new URL("../../examples/http-serve/http-serve.wasm", import.meta.url).pathname;

/** A run: a storm of 1 to `maxFrames` frames, and the seed of the guest's entropy. */
export const stormArb = (maxFrames) =>
  fc.record({ seed: fc.integer({ min: 1, max: 0x7fffffff }), frames: fc.array(frameArb, { minLength: 1, maxLength: maxFrames, size: "max" }) });

/** Runs `runs` storms of up to `maxFrames` frames. Returns { runs, frames, sent, heap: { before, after, peak } } (the largest seen). */
export async function fuzzFrames({ seed, runs, maxFrames, keepFailures = false, log = () => {} }) {
  const kernel = await loadKernel(fs.readFileSync(GUEST));
  const stats = { runs: 0, frames: 0, sent: 0, heap: { before: 0, after: 0, peak: 0 } };
  const calm = runStorm(kernel, [], seed);
  const start = Date.now();
  await search("frames", stormArb(maxFrames), async (storm) => {
    const r = runStorm(kernel, storm.frames, storm.seed, calm);
    stats.runs++;
    stats.frames += r.frames;
    stats.sent += r.sent;
    stats.heap.before = Math.max(stats.heap.before, r.heapBefore);
    stats.heap.after = Math.max(stats.heap.after, r.heapAfter);
    stats.heap.peak = Math.max(stats.heap.peak, r.peak);
  }, { seed, runs, keptFile: KEPT, keepFailures });
  const seconds = (Date.now() - start) / 1000;
  log(`frames: ${stats.frames} frames in ${stats.runs} guests (${Math.round(stats.frames / seconds)} a second), ${stats.sent} sent back; ` +
    `guest heap in use ${stats.heap.before} bytes at start, at most ${stats.heap.after} after a storm (${calm.heapAfter} after a run without one; peak ${stats.heap.peak})`);
  return stats;
}
