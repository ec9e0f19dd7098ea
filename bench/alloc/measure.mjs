// The allocator benchmark's measurements, in a child process of bench.mjs that runs
// with --no-liftoff, so that every allocator is timed in V8's optimising tier from the
// first call (with tiering, when a long-running export gets optimised is luck).
//   node --no-liftoff bench/alloc/measure.mjs FILES.json [--quick]  -> JSON on stdout
import fs from "node:fs";
import { instantiate } from "./instance.mjs";

const MiB = 1 << 20;
const SEED = 0x2545f491;

// run(seed, actions, kinds, minSize, maxSize, largePct, largeMin, largeMax, aligned, timed)
const WORKLOADS = [
  { name: "random actions", args: [100000, 3, 1, 10000, 0, 0, 0, 1], mem: 64 * MiB, batch: 8 },
  { name: "small churn", args: [100000, 2, 1, 255, 0, 0, 0, 0], mem: 64 * MiB, batch: 8 },
  { name: "mostly large", args: [20000, 3, 1, 8192, 90, 8193, 262144, 1], mem: 512 * MiB, batch: 1 },
];

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[s.length >> 1];
}

/**
 * actions/µs of each allocator on workload w. The allocators take turns, a batch of runs
 * each, and each keeps its best batch: CPU time, not wall time, so that other processes
 * on the machine cost the least.
 */
function throughput(subjects, w, rounds) {
  const [actions, ...rest] = w.args;
  const gs = subjects.map(([file, kind]) => instantiate(file, kind, w.mem));
  const best = gs.map(() => Infinity);
  for (let round = 0; round < rounds + 2; round++) {
    gs.forEach((g, i) => {
      const before = process.cpuUsage();
      for (let k = 0; k < w.batch; k++) g.exports.run(SEED, actions, ...rest, 0);
      const { user, system } = process.cpuUsage(before);
      if (round >= 2) best[i] = Math.min(best[i], (user + system) / w.batch); // 2 warm-up rounds
    });
  }
  return best.map((us) => actions / us);
}

/**
 * p99, p99.9 and worst ns per allocator call on the random actions, less the timer's own
 * cost; each the median of five timed runs, the allocators taking turns run by run, so
 * that a noisy spell of the machine (an interrupt, another process: the worst call of a
 * run is often the machine's) falls on each alike.
 */
function latency(subjects) {
  const w = WORKLOADS[0];
  const [actions, ...rest] = w.args;
  const gs = subjects.map(([file, kind]) => instantiate(file, kind, w.mem));
  const overheads = gs.map((g) => {
    for (let i = 0; i < 3; i++) g.exports.run(SEED, actions, ...rest, 0);
    g.timer.reset();
    g.exports.calibrate(100000);
    return median(g.timer.samples());
  });
  const runs = gs.map(() => ({ p99: [], p999: [], worst: [] }));
  for (let r = 0; r < 5; r++) {
    gs.forEach((g, i) => {
      g.timer.reset();
      g.exports.run(SEED, actions, ...rest, 1);
      const s = g.timer.samples().map((x) => Math.max(0, x - overheads[i])).sort((a, b) => a - b);
      runs[i].p99.push(s[Math.floor(s.length * 0.99)] * 1e6);
      runs[i].p999.push(s[Math.floor(s.length * 0.999)] * 1e6);
      runs[i].worst.push(s[s.length - 1] * 1e6);
    });
  }
  return runs.map((r) => ({ p99: median(r.p99), p999: median(r.p999), worst: median(r.worst) }));
}

/**
 * talc's heap efficiency: the largest live total before the first refusal, over the heap
 * size, in a fixed 128 MiB heap (talc's size), averaged over rounds with different seeds.
 */
function efficiency(file, kind, rounds) {
  let used = 0;
  let total = 0;
  for (let r = 1; r <= rounds; r++) {
    const g = instantiate(file, kind, 128 * MiB);
    try {
      g.exports.fill(SEED + r);
    } catch (e) {
      if (!g.stopped(e)) throw e; // anything but the allocator's own refusal
    }
    used += g.exports.max_live() >>> 0;
    total += g.heapSize;
  }
  return (used / total) * 100;
}

const [filesJson, ...flags] = process.argv.slice(2);
const quick = flags.includes("--quick");
const f = JSON.parse(fs.readFileSync(filesJson, "utf8"));
const subjects = { libos: [f.libos, "libos"], tlsf: [f.stock, "stock"], dlmalloc: [f.dlmalloc, "c"] };
const table = Object.fromEntries(Object.keys(subjects).map((k) => [k, {}]));
for (const w of WORKLOADS) {
  const r = throughput(Object.values(subjects), w, quick ? 3 : 10);
  Object.keys(subjects).forEach((k, i) => (table[k][w.name] = r[i]));
}
latency(Object.values(subjects)).forEach((l, i) => Object.assign(table[Object.keys(subjects)[i]], l));
for (const [k, [file, kind]] of Object.entries(subjects)) table[k].efficiency = efficiency(file, kind, quick ? 3 : 20);
process.stdout.write(JSON.stringify(table));
