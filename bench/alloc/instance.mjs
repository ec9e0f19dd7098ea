// Instantiates a benchmark guest the way it expects: a fixed memory of `mem` bytes
// (the libOS gets its start info as from the tender, ABI section 2; the stock runtime
// and dlmalloc take everything above __heap_base themselves), and a `bench` timer
// that records the time between each t0() and t1() call.
import fs from "node:fs";

const modules = new Map();
class Abort extends Error {}

function timer() {
  let start = 0;
  let n = 0;
  let buf = new Float64Array(1 << 16);
  return {
    t0() {
      start = performance.now();
    },
    t1() {
      const t = performance.now() - start;
      if (n === buf.length) {
        const b = new Float64Array(n * 2);
        b.set(buf);
        buf = b;
      }
      buf[n++] = t;
    },
    reset() {
      n = 0;
    },
    /** Milliseconds per timed call. */
    samples() {
      return Array.from(buf.subarray(0, n));
    },
  };
}

/** kind: "libos" (AssemblyScript on the libOS allocator), "stock" (AssemblyScript's TLSF) or "c". */
export function instantiate(file, kind, mem) {
  if (!modules.has(file)) modules.set(file, new WebAssembly.Module(fs.readFileSync(file)));
  const memory = new WebAssembly.Memory({ initial: mem / 65536, maximum: mem / 65536 });
  const t = timer();
  let console = "";
  const stop = () => {
    throw new Abort();
  };
  const imports = {
    env: { memory, abort: stop, seed: () => 1 },
    solo5: {
      console_write: (p, n) => (console += Buffer.from(new Uint8Array(memory.buffer, p >>> 0, n)).toString()),
      abort: stop,
      exit: stop,
    },
    bench: { t0: t.t0, t1: t.t1 },
  };
  const instance = new WebAssembly.Instance(modules.get(file), imports);
  const heapBase = instance.exports.__heap_base.value >>> 0;
  let heapSize = mem - heapBase;
  if (kind === "libos") {
    const si = (heapBase + 15) & ~15;
    const heapStart = (si + 16 + 1 + 15) & ~15; // empty command line
    new Uint32Array(memory.buffer, si, 3).set([si + 16, heapStart, mem - heapStart]);
    heapSize = mem - heapStart;
  }
  instance.exports._initialize?.();
  return {
    exports: instance.exports,
    timer: t,
    heapSize,
    /**
     * Did this exception come from the allocator refusing: the libOS's out-of-memory
     * abort, stock TLSF's `unreachable` when memory cannot grow? (Not another failure.)
     */
    stopped: (e) =>
      (kind === "libos" && e instanceof Abort && console.includes("out of memory")) ||
      (kind === "stock" && e instanceof WebAssembly.RuntimeError && /unreachable/.test(e.message)),
  };
}
