// The libOS heap: malloc and friends over the region the tender hands over,
// [heap_start, heap_start + heap_size) (docs/abi.md, "Memory"). The platform never
// allocates for the guest, so this is the guest's own allocator; it never touches
// memory outside the region and never grows memory. Design and numbers:
// docs/allocator.md.
//
// A block is a 4-byte header followed by its payload p, 16-byte aligned:
//   p - 4  header: payload size | FREE | LEFT_FREE
// which is AssemblyScript's BLOCK (rt/common.ts): its collector reads the payload size
// as mmInfo & ~3. Payload sizes are 12 mod 16, so each block's footprint (header +
// payload) is a multiple of 16 and the next payload is aligned again.
// A free block also keeps, in its payload: at p the next free block of its class, at
// p + 4 the address of the word that points at p (a list head or the previous block's
// "next"), and in its last word p itself, which the right neighbour reads through
// LEFT_FREE to coalesce. Free blocks are never adjacent. A used header of size 0 at the
// end of the region stops coalescing there.
//
// Free blocks sit in segregated lists by footprint class (see cls), with a bitmap per
// group of 32 classes and one bitmap of non-empty groups: finding a block is two
// ctz's, as in TLSF.
import { OBJECT, TOTAL_OVERHEAD } from "rt/common";
import { solo5_console_write, solo5_abort } from "../solo5";
import { startInfo } from "./startinfo";

// @ts-ignore: decorator
@inline const FREE: usize = 1;
// @ts-ignore: decorator
@inline const LEFT_FREE: usize = 2;
/** Smallest footprint: header, next, link and the trailing self pointer. */
// @ts-ignore: decorator
@inline const MIN_BLOCK: usize = 16;
/** Classes: 25 groups of 32 cover footprints up to 4 GiB (see cls). */
// @ts-ignore: decorator
@inline const GROUPS: usize = 25;
// @ts-ignore: decorator
@inline const HEADS_SIZE: usize = GROUPS * 32 * sizeof<usize>();
/** Control area at the start of the region: list heads, then a class bitmap per group. */
// @ts-ignore: decorator
@inline const MAPS_SIZE: usize = GROUPS * sizeof<usize>();
/** Freed blocks up to this footprint wait in a quick list of their exact size. */
// @ts-ignore: decorator
@inline const QUICK_MAX: usize = 1024;
// @ts-ignore: decorator
@inline const QUICK_SIZE: usize = (QUICK_MAX / 16 + 1) * sizeof<usize>();
/** Control area: list heads, the class bitmaps, quick list heads. */
// @ts-ignore: decorator
@inline const CONTROL_SIZE: usize = HEADS_SIZE + MAPS_SIZE + QUICK_SIZE;
/** Larger requests could overflow the footprint computation; they cannot fit anyway. */
// @ts-ignore: decorator
@inline const MAX_REQUEST: usize = 0xFFFF_0000;

/** Bitmaps that read as empty until the first allocation sets the heap up: then the
 * fast path of malloc finds nothing and falls into allocSlow, which does the setup. */
const NO_MAPS = memory.data(<i32>(MAPS_SIZE + QUICK_SIZE));
/** Start of the control area. */
let heads: usize = NO_MAPS - HEADS_SIZE;
/** Bit g: group g of classes has a non-empty list. */
let groupMap: usize = 0;
/** First payload: anything below is static data or NULL, which free() ignores. */
let first: usize = usize.MAX_VALUE;
/** Footprint of the whole arena: what one free block covers when nothing is in use;
 * 0 until set up. */
let arena: usize = 0;
let inUse: usize = 0;
/** Bytes waiting in quick lists, and how many may. */
let quickBytes: usize = 0;
let quickLimit: usize = 0;
let peak: usize = 0;

/**
 * Class of footprint u * 16: exact below 1 KiB (u < 64), then 32 classes per power of
 * two, each within about 3 % of its neighbours.
 */
// @ts-ignore: decorator
@inline function cls(u: usize): usize {
  let sh = shiftOf(u);
  return (sh << 5) + (u >> sh);
}

/** How many low bits of u the class of footprint u * 16 ignores: 0 while u < 64. */
// @ts-ignore: decorator
@inline function shiftOf(u: usize): usize {
  return <usize>26 - clz(u | 32);
}

/** Footprint of a request: payload plus header, rounded up to 16, at least MIN_BLOCK. */
// @ts-ignore: decorator
@inline function footprint(n: usize): usize {
  return (n + 19) & ~15;
}

// @ts-ignore: decorator
@inline function mapOf(i: usize): usize {
  return heads + HEADS_SIZE + ((i >> 5) << 2);
}

/** Puts free block p of footprint t at the head of its class list. */
function insert(p: usize, t: usize): void {
  let i = cls(t >> 4);
  let slot = heads + (i << 2);
  let next = load<usize>(slot);
  store<usize>(p, next);
  store<usize>(p, slot, 4);
  if (next) store<usize>(next, p, 4);
  store<usize>(slot, p);
  let m = mapOf(i);
  store<usize>(m, load<usize>(m) | (1 << i)); // shifts count mod 32: bit i & 31
  groupMap |= 1 << (i >> 5);
}

/** Takes free block p out of its list: no class computation, thanks to the link word. */
function unlink(p: usize): void {
  let next = load<usize>(p);
  let link = load<usize>(p, 4);
  store<usize>(link, next);
  if (next) {
    store<usize>(next, link, 4);
  } else if (link - heads < HEADS_SIZE) { // it was alone in its class
    let i = (link - heads) >> 2;
    let m = mapOf(i);
    let bits = load<usize>(m) & ~(1 << i);
    store<usize>(m, bits);
    if (!bits) groupMap &= ~(1 << (i >> 5));
  }
}

/** Gives free block p's place in its list to nw, a block of the same class. */
function relink(p: usize, nw: usize): void {
  let next = load<usize>(p);
  let link = load<usize>(p, 4);
  store<usize>(nw, next);
  store<usize>(nw, link, 4);
  store<usize>(link, nw);
  if (next) store<usize>(next, nw, 4);
}

// @ts-ignore: decorator
@inline function sameClass(t1: usize, t2: usize): bool {
  return cls(t1 >> 4) == cls(t2 >> 4);
}

/** First non-empty class at or above i, or 0 (class 0 is never used). */
// @ts-ignore: decorator
@inline function search(i: usize): usize {
  let g = i >> 5;
  let bits = load<usize>(mapOf(i)) & (usize.MAX_VALUE << i);
  if (!bits) {
    let groups = groupMap & (usize.MAX_VALUE << (g + 1));
    if (!groups) return 0;
    g = ctz(groups);
    bits = load<usize>(heads + HEADS_SIZE + (g << 2));
  }
  return (g << 5) + ctz(bits);
}

/**
 * Makes block p free, merged with its free neighbours; its header gives its size and
 * whether its left neighbour is free. A merged block that stays in the class of the
 * free neighbour it grew from keeps that neighbour's place in the lists.
 */
function release(p: usize): void {
  let h = load<usize>(p - 4);
  let t = (h & ~3) + 4;
  let right = p + t - 4; // the right neighbour's header
  let rh = load<usize>(right);
  if (h & LEFT_FREE) {
    let left = load<usize>(p - 8);
    let lt = (load<usize>(left - 4) & ~3) + 4;
    t += lt;
    if (rh & FREE) {
      unlink(right + 4);
      t += (rh & ~3) + 4;
      right = left + t - 4;
      rh = load<usize>(right);
    }
    if (!sameClass(t, lt)) {
      unlink(left);
      insert(left, t);
    }
    p = left;
  } else if (rh & FREE) {
    let rt = (rh & ~3) + 4;
    if (sameClass(t + rt, rt)) {
      relink(right + 4, p);
    } else {
      unlink(right + 4);
      insert(p, t + rt);
    }
    t += rt;
    right += rt;
    rh = load<usize>(right);
  } else {
    insert(p, t);
  }
  store<usize>(p - 4, (t - 4) | FREE);
  store<usize>(right - 4, p);
  store<usize>(right, rh | LEFT_FREE);
}

/**
 * Used block p, which has footprint `have`, keeps `need` of it and frees the rest, or
 * keeps it all when the rest is too small to be a block. Returns the footprint kept.
 */
function trim(p: usize, have: usize, need: usize, leftFree: usize): usize {
  if (have - need >= MIN_BLOCK) {
    store<usize>(p - 4, (need - 4) | leftFree);
    store<usize>(p + need - 4, have - need - 4);
    release(p + need);
    return need;
  }
  store<usize>(p - 4, (have - 4) | leftFree);
  let right = p + have - 4;
  store<usize>(right, load<usize>(right) & ~LEFT_FREE);
  return have;
}

/**
 * Allocates footprint t from the start of free block p. The rest, if it can be a
 * block, stays free, in p's place in the lists when it stays in p's class.
 */
function take(p: usize, t: usize): usize {
  let have = (load<usize>(p - 4) & ~3) + 4;
  let rest = have - t;
  if (rest >= MIN_BLOCK) {
    let r = p + t;
    if (sameClass(rest, have)) {
      relink(p, r);
    } else {
      unlink(p);
      insert(r, rest);
    }
    store<usize>(r - 4, (rest - 4) | FREE);
    store<usize>(p + have - 8, r);
    store<usize>(p - 4, t - 4);
  } else {
    unlink(p);
    store<usize>(p - 4, have - 4);
    let right = p + have - 4;
    store<usize>(right, load<usize>(right) & ~LEFT_FREE);
    t = have;
  }
  inUse += t;
  if (inUse > peak) peak = inUse;
  return p;
}

/** Reads the start info and makes the whole region one free block. */
function setup(): void {
  let si = startInfo();
  let start = (si.heap_start + 15) & ~(<usize>15);
  let end = (si.heap_start + si.heap_size) & ~(<usize>15);
  let p = start + ((CONTROL_SIZE + 4 + 15) & ~(<usize>15));
  if (end < p + MIN_BLOCK) oom(0, 0);
  heads = start;
  memory.fill(start, 0, CONTROL_SIZE);
  first = p;
  arena = end - p;
  quickLimit = arena >> 5;
  store<usize>(end - 4, 0); // the end marker: a used, empty block
  store<usize>(p - 4, arena - 4);
  release(p);
}

/**
 * Where the bitmaps found nothing: the heap is not set up yet, or the only blocks that
 * fit are in the request's own class (which the bitmap search skips because its
 * smaller members would not do), or it is out of memory.
 */
function allocSlow(n: usize, t: usize): usize {
  if (!arena) {
    setup();
    return malloc(n);
  }
  if (quickBytes) {
    flushQuick();
    return malloc(n);
  }
  let p = load<usize>(heads + (cls(t >> 4) << 2));
  while (p) {
    if ((load<usize>(p - 4) & ~3) + 4 >= t) return take(p, t);
    p = load<usize>(p);
  }
  return oom(n, 16);
}

/** Returns the blocks of the quick lists to the free lists, coalescing them. */
function flushQuick(): void {
  for (let q = heads + HEADS_SIZE + MAPS_SIZE, end = q + QUICK_SIZE; q < end; q += 4) {
    let p = load<usize>(q);
    while (p) {
      let next = load<usize>(p);
      release(p);
      p = next;
    }
    store<usize>(q, 0);
  }
  quickBytes = 0;
}

// @ts-ignore: decorator
@inline function quickList(t: usize): usize {
  return heads + HEADS_SIZE + MAPS_SIZE + (t >> 2);
}

/** Returns n bytes, 16-byte aligned; aborts when the heap cannot hold them. */
export function malloc(n: usize): usize {
  let t = footprint(n);
  if (n <= QUICK_MAX - 19) {
    let q = quickList(t);
    let p = load<usize>(q);
    if (p) {
      store<usize>(q, load<usize>(p));
      quickBytes -= t;
      inUse += t;
      if (inUse > peak) peak = inUse;
      return p;
    }
  } else if (n > MAX_REQUEST) {
    return oom(n, 16);
  }
  let u = t >> 4;
  // Round up to the next class boundary: every block in that class or above fits.
  let i = search(cls(u + (<usize>1 << shiftOf(u)) - 1));
  if (!i) return allocSlow(n, t);
  return take(load<usize>(heads + (i << 2)), t);
}

/** Returns a block to the heap. NULL and static data (below the heap) are ignored. */
export function free(p: usize): void {
  if (p < first) return;
  let t = (load<usize>(p - 4) & ~3) + 4;
  inUse -= t;
  if (t <= QUICK_MAX && quickBytes < quickLimit) {
    // Stays a used block for its neighbours; the next malloc of its size takes it back.
    let q = quickList(t);
    store<usize>(p, load<usize>(q));
    store<usize>(q, p);
    quickBytes += t;
    return;
  }
  release(p);
}

/**
 * Resizes p to n bytes, in place when it shrinks or the right neighbour is free and
 * large enough, else by moving it. p may be NULL, or static data (which is copied).
 */
export function realloc(p: usize, n: usize): usize {
  if (p < first) {
    let q = malloc(n);
    if (p) memory.copy(q, p, min(n, load<usize>(p - 4) & ~3));
    return q;
  }
  if (n > MAX_REQUEST) return oom(n, 16);
  let t = footprint(n);
  let h = load<usize>(p - 4);
  let old = (h & ~3) + 4;
  let have = old;
  if (t > old) {
    let rh = load<usize>(p + old - 4);
    have += (rh & ~3) + 4;
    if (!(rh & FREE) || have < t) {
      let q = malloc(n);
      memory.copy(q, p, old - 4);
      free(p);
      return q;
    }
    unlink(p + old);
  }
  inUse += trim(p, have, t, h & LEFT_FREE) - old;
  if (inUse > peak) peak = inUse;
  return p;
}

/** Returns n bytes aligned to `align`, a power of two; aborts on any other alignment. */
export function aligned_alloc(align: usize, n: usize): usize {
  if (align <= 16) return malloc(n);
  if (align & (align - 1)) badAlign(align);
  if (n > MAX_REQUEST - align) return oom(n, align);
  let peakBefore = peak;
  // Over-allocate so that the first multiple of align leaves room for a free block
  // (16 bytes or more) in front; then give the front and the tail back.
  let p = malloc(n + align);
  let h = load<usize>(p - 4);
  let have = (h & ~3) + 4;
  let q = (p + align - 1) & ~(align - 1);
  if (q != p) {
    let gap = q - p;
    have -= gap;
    store<usize>(q - 4, have - 4);
    store<usize>(p - 4, (gap - 4) | (h & LEFT_FREE)); // (a quick list block's left may be free)
    release(p);
    inUse -= gap;
  }
  inUse += trim(q, have, footprint(n), LEFT_FREE & load<usize>(q - 4)) - have;
  peak = max(peakBefore, inUse); // the over-allocation was never handed out
  return q;
}

/** Returns count * size zeroed bytes; aborts if the product overflows. */
export function calloc(count: usize, size: usize): usize {
  let n = <u64>count * size;
  if (n > MAX_REQUEST) return oom(<usize>min<u64>(n, MAX_REQUEST), 16);
  let p = malloc(<usize>n);
  memory.fill(p, 0, <usize>n);
  return p;
}

/** Bytes in blocks handed out, headers included. */
export function heap_in_use(): usize {
  return inUse;
}

/** Highest heap_in_use() so far. */
export function heap_peak(): usize {
  return peak;
}

/**
 * Bytes in free blocks, headers included; when nothing is in use, one free block covers
 * them all and malloc(heap_free() - 4) succeeds.
 */
export function heap_free(): usize {
  if (!arena) setup();
  return arena - inUse;
}

/** The region's size as the tender gave it (heap_in_use + heap_free + control area). */
export function heap_size(): usize {
  return startInfo().heap_size;
}

// Messages are built in a static line without allocating: the heap may be the problem.
// Strings travel as plain addresses so that nothing here holds a managed reference
// (which would give these functions a shadow-stack frame).
const line = memory.data(160);
let lineEnd: usize = 0;

/** Appends an ASCII string literal (UTF-16 in memory, its byte length in its header). */
function put(s: usize): void {
  let end = s + changetype<OBJECT>(s - TOTAL_OVERHEAD).rtSize;
  for (; s < end; s += 2) store<u8>(line + lineEnd++, load<u8>(s));
}

function putNum(v: usize): void {
  let d: usize = 1;
  while (v / d >= 10) d *= 10;
  do {
    store<u8>(line + lineEnd++, <u8>(48 + v / d % 10));
    d /= 10;
  } while (d);
}

function oom(n: usize, align: usize): usize {
  put(changetype<usize>("libos: out of memory: cannot allocate "));
  putNum(n);
  put(changetype<usize>(" bytes (alignment "));
  putNum(align);
  put(changetype<usize>(") in a heap of "));
  putNum(heap_size());
  put(changetype<usize>(" bytes, "));
  putNum(inUse);
  put(changetype<usize>(" in use\n"));
  return fail();
}

function badAlign(align: usize): void {
  put(changetype<usize>("libos: aligned_alloc: alignment "));
  putNum(align);
  put(changetype<usize>(" is not a power of two\n"));
  fail();
}

function fail(): usize {
  solo5_console_write(line, lineEnd);
  solo5_abort();
  return unreachable();
}
