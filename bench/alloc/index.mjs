// The allocator benchmark: the libOS allocator (assembly/libos/alloc.ts) against
// AssemblyScript's stock TLSF and wasi-libc's dlmalloc, on the same workloads
// (workload.ts / workload.c): throughput in actions/µs, latency per call, heap efficiency
// and code size over an empty bump allocator.
//
//   node bench/alloc/index.mjs [--quick]
//
// allocBench() returns [{name, unit, value, baseline, ratio}]: value is the libOS
// allocator's figure, baseline the reference allocator's from the same run,
// ratio = value / baseline. Needs clang, lld and wasi-libc (Debian) for dlmalloc.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "./build.mjs";
import { instantiate } from "./instance.mjs";

const MiB = 1 << 20;

// run(seed, actions, kinds, minSize, maxSize, largePct, largeMin, largeMax, aligned, timed)
const WORKLOADS = [
  { name: "random actions", args: [100000, 3, 1, 10000, 0, 0, 0, 1], mem: 64 * MiB, runs: 30 },
  { name: "small churn", args: [100000, 2, 1, 255, 0, 0, 0, 0], mem: 64 * MiB, runs: 30 },
  { name: "mostly large", args: [20000, 3, 1, 8192, 90, 8193, 262144, 1], mem: 512 * MiB, runs: 5 },
];
const SEED = 0x2545f491;

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[s.length >> 1];
}

/** actions/µs: median of timed runs after warm-up runs, on one instance. */
function throughput(file, kind, w, quick) {
  const g = instantiate(file, kind, w.mem);
  const [actions, ...rest] = w.args;
  const go = () => g.exports.run(SEED, actions, ...rest, 0);
  for (let i = 0; i < 5; i++) go();
  const times = [];
  for (let i = 0; i < (quick ? 3 : w.runs); i++) {
    const t = performance.now();
    go();
    times.push(performance.now() - t);
  }
  return actions / (median(times) * 1000);
}

/** p99 and worst ns per allocator call on the random actions, less the timer's own cost. */
function latency(file, kind) {
  const w = WORKLOADS[0];
  const g = instantiate(file, kind, w.mem);
  const [actions, ...rest] = w.args;
  for (let i = 0; i < 5; i++) g.exports.run(SEED, actions, ...rest, 0);
  g.timer.reset();
  g.exports.calibrate(100000);
  const overhead = median(g.timer.samples());
  g.timer.reset();
  g.exports.run(SEED, actions, ...rest, 1);
  const s = g.timer.samples().map((x) => Math.max(0, x - overhead)).sort((a, b) => a - b);
  return { p99: s[Math.floor(s.length * 0.99)] * 1e6, worst: s[s.length - 1] * 1e6 };
}

/** Live bytes at the first refusal / heap size, over rounds of talc's heap-efficiency fill. */
function efficiency(file, kind, rounds) {
  let used = 0;
  let total = 0;
  for (let r = 1; r <= rounds; r++) {
    const g = instantiate(file, kind, 32 * MiB);
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

/** Size of the code section of a module. */
function codeSize(file) {
  const b = fs.readFileSync(file);
  let i = 8;
  const leb = () => {
    let v = 0;
    for (let shift = 0; ; shift += 7) {
      const x = b[i++];
      v += (x & 0x7f) * 2 ** shift;
      if (!(x & 0x80)) return v;
    }
  };
  while (i < b.length) {
    const id = b[i++];
    const size = leb();
    if (id === 10) return size;
    i += size;
  }
  return 0;
}

export async function allocBench({ quick = false, log = () => {} } = {}) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "solo5-alloc-bench-"));
  try {
    const f = await build(dir);
    const subjects = { libos: [f.libos, "libos"], tlsf: [f.stock, "stock"], dlmalloc: [f.dlmalloc, "c"] };
    const table = {};
    for (const [who, [file, kind]] of Object.entries(subjects)) {
      const row = (table[who] = {});
      for (const w of WORKLOADS) row[w.name] = throughput(file, kind, w, quick);
      Object.assign(row, latency(file, kind));
      row.efficiency = efficiency(file, kind, quick ? 3 : 20);
      log(who, row);
    }
    table.libos.code = codeSize(f.sizeLibos) - codeSize(f.sizeBump);
    table.tlsf.code = codeSize(f.sizeStock) - codeSize(f.sizeBump);
    table.dlmalloc.code = codeSize(f.sizeDlmalloc) - codeSize(f.sizeCBump);
    const results = [];
    const add = (name, unit, key) => {
      for (const ref of ["tlsf", "dlmalloc"]) {
        const value = table.libos[key];
        const baseline = table[ref][key];
        results.push({ name: `${name}, libOS vs ${ref === "tlsf" ? "AS TLSF" : "dlmalloc"}`, unit, value, baseline, ratio: value / baseline });
      }
    };
    for (const w of WORKLOADS) add(w.name, "actions/µs", w.name);
    add("random actions p99 latency", "ns", "p99");
    add("random actions worst latency", "ns", "worst");
    add("heap efficiency", "%", "efficiency");
    add("code over a bump allocator", "bytes", "code");
    return results;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const quick = process.argv.includes("--quick");
  const results = await allocBench({ quick });
  const fmt = (x) => (x >= 100 ? x.toFixed(0) : x.toFixed(2));
  for (const r of results) {
    console.log(`${r.name.padEnd(52)} ${fmt(r.value).padStart(8)} ${r.unit.padEnd(10)} baseline ${fmt(r.baseline).padStart(8)}  ratio ${r.ratio.toFixed(2)}`);
  }
}
