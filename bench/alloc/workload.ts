// The allocator benchmark's workloads, as an AssemblyScript guest. One source for two
// builds: with --use LIBOS=1 it calls the libOS allocator (assembly/libos/alloc.ts);
// without, AssemblyScript's heap.* API (stock TLSF, or the bump runtime for code size),
// which has no aligned allocation, so alignment is made by over-allocating.
// workload.c is the same code in C for dlmalloc; both must draw the same random numbers.
// Built as every guest is, and asconfig.json routes abort and seed to these (the libOS
// runtime imports them too; the stock and bump runtimes do not).
import "../../assembly/libos/abort";
import "../../assembly/libos/seed";
import { malloc, free, realloc, aligned_alloc } from "../../assembly/libos/alloc";

// @ts-ignore: decorator
@external("bench", "t0") declare function t0(): void;
// @ts-ignore: decorator
@external("bench", "t1") declare function t1(): void;

let rng: u32 = 1;
// @ts-ignore: decorator
@inline function rand(): u32 {
  let x = rng;
  x ^= x << 13;
  x ^= x >> 17;
  x ^= x << 5;
  return (rng = x);
}

/** Uniform in [0, n) by multiply-shift (as fastrand does): a division would cost more
 * than some allocator calls. */
// @ts-ignore: decorator
@inline function below(n: u32): u32 {
  return <u32>((<u64>rand() * n) >> 32);
}

// Live blocks, in static memory so that they do not count against the heap under test:
// entry k at table + 16k holds the pointer handed out, the block to free, size, alignment.
// @ts-ignore: decorator
@inline const MAX_LIVE: u32 = 65536;
const table = memory.data(<i32>MAX_LIVE * 16);
let count: u32 = 0;
/** Sum of the sizes of the live blocks, and its highest value. */
let liveBytes: usize = 0;
let maxLive: usize = 0;
/** When set, each allocator call is timed by the host (t0 before, t1 after). */
let timed = false;

/** talc's alignment distribution: 8 (75 %), 16 (19 %), 32 (5 %) ... up to 2048. */
// @ts-ignore: decorator
@inline function randomAlign(): usize {
  return <usize>8 << (ctz((rand() & 0xffff) | 0x10000) >> 1);
}

function allocate(size: usize, align: usize): void {
  let ptr: usize, base: usize;
  if (timed) t0();
  if (isDefined(LIBOS)) {
    ptr = base = align > 16 ? aligned_alloc(align, size) : malloc(size);
  } else {
    base = heap.alloc(align > 16 ? size + align - 16 : size);
    ptr = (base + align - 1) & ~(align - 1);
  }
  if (timed) t1();
  let e = table + (<usize>(count++) << 4);
  store<usize>(e, ptr);
  store<usize>(e, base, 4);
  store<usize>(e, size, 8);
  store<usize>(e, align, 12);
  liveBytes += size;
}

function release(k: u32): void {
  let e = table + (<usize>k << 4);
  liveBytes -= load<usize>(e, 8);
  if (timed) t0();
  if (isDefined(LIBOS)) free(load<usize>(e, 4));
  else heap.free(load<usize>(e, 4));
  if (timed) t1();
  moveEntry(e, table + (<usize>(--count) << 4)); // swap-remove
}

/** Copies a table entry (memory.copy would call out of the wasm code for 16 bytes). */
// @ts-ignore: decorator
@inline function moveEntry(to: usize, from: usize): void {
  store<u64>(to, load<u64>(from));
  store<u64>(to, load<u64>(from, 8), 8);
}

/** A resize keeps the block's alignment: above 16, by allocating, copying and freeing. */
function resize(k: u32, size: usize): void {
  let e = table + (<usize>k << 4);
  let old = load<usize>(e, 8);
  let align = load<usize>(e, 12);
  if (align > 16) {
    let from = load<usize>(e);
    let fromBase = load<usize>(e, 4);
    allocate(size, align);
    let n = table + (<usize>(--count) << 4);
    memory.copy(load<usize>(n), from, min(old, size));
    if (timed) t0();
    if (isDefined(LIBOS)) free(fromBase);
    else heap.free(fromBase);
    if (timed) t1();
    moveEntry(e, n);
    liveBytes -= old;
    return;
  }
  if (timed) t0();
  let p = isDefined(LIBOS) ? realloc(load<usize>(e), size) : heap.realloc(load<usize>(e), size);
  if (timed) t1();
  store<usize>(e, p);
  store<usize>(e, p, 4);
  store<usize>(e, size, 8);
  liveBytes += size - old;
}

/**
 * `actions` random actions: allocate (size in [minSize, maxSize], or with probability
 * largePct % in [largeMin, largeMax]), free or resize a random live block, with at least
 * 50 blocks live; then frees everything. kinds 2: allocate/free; 3: also resize.
 */
export function run(seed: u32, actions: u32, kinds: u32, minSize: u32, maxSize: u32,
                    largePct: u32, largeMin: u32, largeMax: u32, aligned: bool, time: bool): void {
  rng = seed;
  timed = time;
  for (let i: u32 = 0; i < actions; ++i) {
    let action = below(kinds);
    if (count < 50) action = 0;
    if (action == 1) {
      release(below(count));
      continue;
    }
    let size = below(100) < largePct
      ? largeMin + below(largeMax - largeMin + 1)
      : minSize + below(maxSize - minSize + 1);
    if (action == 0) allocate(size, aligned ? randomAlign() : 16);
    else resize(below(count), size);
  }
  while (count) release(count - 1);
}

/**
 * talc's heap-efficiency round: allocate (biased sizes below 10,000, talc's alignments),
 * free or grow/shrink to below 100,000, until the heap refuses. The allocator then
 * aborts or traps; the host reads max_live().
 */
export function fill(seed: u32): void {
  rng = seed;
  timed = false;
  while (count < MAX_LIVE) {
    let action = below(10);
    if (action < 5) {
      let cap = 16 + below(10000 - 16);
      let size = 4 + below(cap - 4);
      allocate(size, randomAlign());
    } else if (action == 5) {
      if (count) release(below(count));
    } else if (count) {
      let k = below(count);
      resize(k, 1 + below(100000 - 1));
    }
    if (liveBytes > maxLive) maxLive = liveBytes;
  }
}

/** The largest live total so far (in fill: before the first refusal). */
export function max_live(): usize {
  return maxLive;
}

/** The host times calls to this to subtract its own t0/t1 overhead. */
export function calibrate(n: u32): void {
  for (let i: u32 = 0; i < n; ++i) {
    t0();
    t1();
  }
}
