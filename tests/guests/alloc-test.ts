// Unit tests of the libOS allocator (assembly/libos/alloc.ts), run inside a guest.
// Prints SUCCESS when every check passed; otherwise prints what failed and aborts.
// With the command line "oom" it instead asks for more than the heap holds, and with
// "corrupt" it overwrites a free block (a use after free), both of which must abort with
// the allocator's message.
import { malloc, free, realloc, calloc, aligned_alloc } from "../../assembly/libos/alloc";
import {
  cmdline, puts, solo5_abort, solo5_start_info,
  heap_in_use, heap_peak, heap_free, heap_size,
} from "../../assembly";

let heapStart: usize = 0;
let heapEnd: usize = 0;
/** Bytes in use before the tests: what the collector keeps alive (nothing, normally). */
let base: usize = 0;

function fail(what: string): void {
  puts("alloc-test: FAILED: " + what + "\n");
  solo5_abort();
}

// xorshift32: the same sequence on every run for a given seed.
let rng: u32 = 1;
function rand(): u32 {
  let x = rng;
  x ^= x << 13;
  x ^= x >> 17;
  x ^= x << 5;
  return (rng = x);
}
function below(n: u32): u32 {
  return rand() % n;
}

/** Footprint of block p as its header says (payload + 4-byte header). */
function footprintOf(p: usize): usize {
  return (load<usize>(p - 4) & ~3) + 4;
}

/** A block just handed out: inside the heap, aligned, big enough per its header.
 * (Messages are built only on failure: building them allocates.) */
function checkBlock(p: usize, size: usize, align: usize, what: string): void {
  if (p == 0) fail(what + ": NULL");
  if (p & 15 || p & (align - 1)) fail(what + ": " + p.toString() + " not aligned to " + align.toString());
  if (p < heapStart || p + size > heapEnd) fail(what + ": " + p.toString() + "+" + size.toString() + " outside the heap");
  if ((load<usize>(p - 4) & ~3) < size) fail(what + ": header smaller than " + size.toString());
  if (p - 4 + footprintOf(p) > heapEnd) fail(what + ": block runs past the heap");
}

function fill(p: usize, size: usize, tag: u8): void {
  memory.fill(p, tag, size);
}

function holds(p: usize, size: usize, tag: u8): bool {
  let word = <u64>tag * 0x0101010101010101;
  let i: usize = 0;
  for (; i + 8 <= size; i += 8) if (load<u64>(p + i) != word) return false;
  for (; i < size; ++i) if (load<u8>(p + i) != tag) return false;
  return true;
}

// Live blocks of the random test: slot k at table + 16k holds ptr, size, align, tag.
// 512 slots, or fewer in a heap under 2 MiB.
let slots: u32 = 512;
let table: usize = 0;

/** Mostly small, some medium, a few large: up to 256 KiB, or 1/128 of a smaller heap. */
function randomSize(): usize {
  let r = below(100);
  if (r < 70) return below(257);
  if (r < 95) return 257 + below(8192 - 257);
  return 8192 + below(<u32>max<usize>(min<usize>(262144, heap_size() >> 7), 8193) - 8192);
}

/** Mostly the default, sometimes any power of two up to 64 KiB (1/64 of a small heap). */
function randomAlign(): usize {
  return below(4) ? 16 : <usize>1 << below(min<u32>(17, 26 - <u32>clz(heap_size())));
}

function verifyAll(step: u32): void {
  let used: usize = footprintOf(table);
  for (let k: u32 = 0; k < slots; ++k) {
    let e = table + (<usize>k << 4);
    let p = load<usize>(e);
    if (!p) continue;
    if (!holds(p, load<usize>(e, 4), load<u8>(e, 12))) fail("step " + step.toString() + ": block " + k.toString() + " was overwritten");
    used += footprintOf(p);
  }
  if (used + base != heap_in_use()) fail("step " + step.toString() + ": heap_in_use " + heap_in_use().toString() + " != " + used.toString());
}

function randomActions(seed: u32, steps: u32): void {
  rng = seed;
  slots = <u32>min<usize>(512, heap_size() >> 12);
  table = calloc(slots, 16);
  checkBlock(table, slots * 16, 16, "calloc table");
  if (!holds(table, slots * 16, 0)) fail("calloc did not zero");
  for (let step: u32 = 0; step < steps; ++step) {
    let e = table + (<usize>below(slots) << 4);
    let p = load<usize>(e);
    let size = load<usize>(e, 4);
    let align = load<usize>(e, 8);
    let tag = load<u8>(e, 12);
    if (p && !holds(p, size, tag)) fail("block overwritten before step " + step.toString());
    let action = below(3);
    if (!p) {
      size = randomSize();
      align = randomAlign();
      p = align > 16 || below(2) ? aligned_alloc(align, size) : malloc(size);
      checkBlock(p, size, align, "alloc");
    } else if (action == 0) {
      free(p);
      p = 0;
    } else {
      let newSize = randomSize();
      let q = realloc(p, newSize);
      // realloc keeps the default alignment only
      checkBlock(q, newSize, 16, "realloc");
      if (!holds(q, min(size, newSize), tag)) fail("realloc lost contents");
      p = q;
      size = newSize;
      align = 16;
    }
    tag = <u8>(rand() | 1);
    if (p) fill(p, size, tag);
    store<usize>(e, p);
    store<usize>(e, size, 4);
    store<usize>(e, align, 8);
    store<u8>(e, tag, 12);
    if (step % 4096 == 0) verifyAll(step);
  }
  verifyAll(steps);
  for (let k: u32 = 0; k < slots; ++k) free(load<usize>(table + (<usize>k << 4)));
  free(table);
}

/** After everything is freed, one block covers the heap again. */
function checkCoalesced(what: string): void {
  if (heap_in_use() != 0) fail(what + ": " + heap_in_use().toString() + " bytes still in use");
  let f = heap_free();
  if (f + 4096 <= heap_size() || f > heap_size()) fail(what + ": only " + f.toString() + " of " + heap_size().toString() + " free");
  let p = malloc(f - 4);
  checkBlock(p, f - 4, 16, "whole-heap malloc");
  if (heap_free() != 0) fail(what + ": whole-heap block leaves " + heap_free().toString());
  free(p);
  if (heap_free() != f) fail(what + ": free after whole-heap malloc");
}

function inPlace(): void {
  // (large enough for freed blocks to coalesce at once, not wait in a quick list)
  let a = malloc(3000);
  let b = malloc(3000);
  let c = malloc(3000);
  fill(a, 3000, 7);
  free(b);
  if (realloc(a, 5000) != a) fail("realloc did not grow into the free right neighbour");
  if (!holds(a, 3000, 7)) fail("in-place grow lost contents");
  if (realloc(a, 2000) != a) fail("realloc did not shrink in place");
  if (!holds(a, 2000, 7)) fail("in-place shrink lost contents");
  free(a);
  free(c);
  // NULL and static data are not heap blocks: free ignores them, realloc copies them
  let before = heap_in_use();
  free(0);
  free(changetype<usize>("static"));
  if (heap_in_use() != before) fail("free of NULL or static data changed the heap");
  let s = realloc(changetype<usize>("static"), 12);
  if (load<u64>(s) != load<u64>(changetype<usize>("static"))) fail("realloc of static data did not copy it");
  free(s);
  let z = realloc(0, 10);
  checkBlock(z, 10, 16, "realloc(NULL)");
  free(z);
  let align = min<usize>(1 << 20, heap_size() >> 2); // the largest alignments
  align = <usize>1 << (31 - clz(align)); // (a power of two)
  let big = aligned_alloc(align, 1);
  checkBlock(big, 1, align, "aligned_alloc of a quarter of the heap");
  free(big);
  let c2 = malloc(64);
  fill(c2, 64, 0xff);
  free(c2);
  let z2 = calloc(16, 4);
  if (!holds(z2, 64, 0)) fail("calloc of a recycled block did not zero it");
  free(z2);
  let large = heap_size() >> 2;
  free(malloc(large));
  if (heap_peak() < large) fail("heap_peak missed a block of a quarter of the heap");
}

// Managed objects through AssemblyScript's collector: every byte must come back.
function churn(rounds: i32): void {
  let keep = new Array<string>();
  for (let i = 0; i < rounds; ++i) {
    let s = "item-" + i.toString();
    let a = new Array<i32>(i & 63);
    for (let j = 0; j < a.length; ++j) a[j] = i + j;
    let sum = 0;
    for (let j = 0; j < a.length; ++j) sum += a[j] - i;
    let n = a.length;
    if (sum != n * (n - 1) / 2) fail("array contents");
    if (i % 7 == 0) keep.push(s);
    if (keep.length > 100) keep = keep.slice(50);
    if (i % 1000 == 0) __collect();
  }
  for (let i = 0; i < keep.length; ++i) if (!keep[i].startsWith("item-")) fail("kept string corrupted");
}

/** In a function of its own, so that the command line string is garbage once it returns. */
function mode(): i32 {
  let c = cmdline();
  return c == "oom" ? 1 : c == "corrupt" ? 2 : 0;
}

/** A use after free: the free block's link word overwritten, then that block reused. */
function corrupt(): void {
  let a = malloc(5000); // (too large for a quick list: it goes to a class list)
  malloc(5000);
  free(a);
  store<usize>(a, 0, 8); // a word of a's free payload...
  store<usize>(a, a + 8, 4); // ...made its link, which must point at a
  malloc(5000);
}

export function solo5_app_main(si: usize): i32 {
  let info = changetype<solo5_start_info>(si);
  heapStart = info.heap_start;
  heapEnd = info.heap_start + info.heap_size;
  if (heap_size() != info.heap_size) fail("heap_size() differs from the start info");
  let m = mode();
  if (m == 1) {
    malloc(heap_size());
    puts("alloc-test: FAILED: malloc(heap_size) returned\n");
    return 1;
  }
  if (m == 2) {
    corrupt();
    puts("alloc-test: FAILED: a corrupted free block went unnoticed\n");
    return 1;
  }
  __collect();
  base = heap_in_use();
  if (base != 0) fail(base.toString() + " bytes in use before the tests");
  inPlace();
  if (heap_in_use() != base) fail("inPlace leaked");
  for (let seed: u32 = 1; seed <= 3; ++seed) randomActions(seed * 0x9e3779b9, 40000);
  if (heap_in_use() != base) fail("random actions leaked");
  churn(20000);
  __collect();
  if (heap_in_use() != base) fail("collector churn leaked " + (heap_in_use() - base).toString() + " bytes");
  checkCoalesced("after all");
  puts("SUCCESS\n");
  return 0;
}
