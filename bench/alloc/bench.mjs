// The allocator benchmark: the libOS allocator (assembly/libos/alloc.ts) against
// AssemblyScript's stock TLSF and wasi-libc's dlmalloc, on the same workloads
// (workload.ts / workload.c): throughput in actions/µs, latency per call, heap efficiency
// and code size over an empty bump allocator. Method and results: docs/allocator.md.
//
//   node bench/alloc/bench.mjs [--quick]     (after `npm run build`; needs clang and
//   node bench/run.mjs alloc [--quick]          wasi-libc for dlmalloc)
//
// The default export (bench/run.mjs's interface) returns [{name, unit, value, baseline,
// ratio}]: value is the libOS allocator's figure, baseline the reference allocator's from
// the same run, ratio = value / baseline (for ns and bytes, lower is better).
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "./build.mjs";

const here = path.dirname(fileURLToPath(import.meta.url));

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

const UNITS = { p99: "ns", p999: "ns", worst: "ns", efficiency: "%", code: "bytes" };
const NAMES = { p99: "random actions p99 latency", p999: "random actions p99.9 latency", worst: "random actions worst latency", efficiency: "heap efficiency", code: "code over a bump allocator" };

export default async function allocBench({ quick = false } = {}) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "solo5-alloc-bench-"));
  try {
    const f = await build(dir);
    const files = path.join(dir, "files.json");
    fs.writeFileSync(files, JSON.stringify(f));
    const out = execFileSync(process.execPath, ["--no-liftoff", path.join(here, "measure.mjs"), files, ...(quick ? ["--quick"] : [])], {
      encoding: "utf8",
      maxBuffer: 1 << 20,
    });
    const table = JSON.parse(out);
    table.libos.code = codeSize(f.sizeLibos) - codeSize(f.sizeBump);
    table.tlsf.code = codeSize(f.sizeStock) - codeSize(f.sizeBump);
    table.dlmalloc.code = codeSize(f.sizeDlmalloc) - codeSize(f.sizeCBump);
    const results = [];
    for (const key of Object.keys(table.libos)) {
      for (const [ref, refName] of [["tlsf", "AS TLSF"], ["dlmalloc", "dlmalloc"]]) {
        const value = table.libos[key];
        const baseline = table[ref][key];
        results.push({ name: `${NAMES[key] ?? key}, libOS vs ${refName}`, unit: UNITS[key] ?? "actions/µs", value, baseline, ratio: value / baseline });
      }
    }
    return results;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const results = await allocBench({ quick: process.argv.includes("--quick") });
  const fmt = (x) => (x >= 100 ? x.toFixed(0) : x.toFixed(2));
  for (const r of results) {
    console.log(`${r.name.padEnd(52)} ${fmt(r.value).padStart(8)} ${r.unit.padEnd(10)} baseline ${fmt(r.baseline).padStart(8)}  ratio ${r.ratio.toFixed(2)}`);
  }
}
