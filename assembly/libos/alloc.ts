// The libOS heap: malloc and friends over the region the tender hands over,
// [heap_start, heap_start + heap_size) (docs/abi.md, "Memory"). The platform never
// allocates for the guest, so this is the guest's own allocator; it never touches
// memory outside the region and never grows memory. Design, measurements and the
// designs tried before this one: docs/allocator.md.
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
// ctz's, as in TLSF. In front of them, small freed blocks wait, uncoalesced, in quick
// lists of their exact size, which the next malloc of that size pops.
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
// @ts-ignore: decorator
@inline const MAPS_SIZE: usize = GROUPS * sizeof<usize>();
/** Freed blocks up to this footprint go to the quick list of their size. */
// @ts-ignore: decorator
@inline const QUICK_MAX: usize = 1024;
// @ts-ignore: decorator
@inline const QUICK_SIZE: usize = (QUICK_MAX / 16 + 1) * sizeof<usize>();
/** Control area, at the start of the region: class bitmaps, quick lists, class list heads. */
// @ts-ignore: decorator
@inline const HEADS: usize = MAPS_SIZE + QUICK_SIZE;
// @ts-ignore: decorator
@inline const CONTROL_SIZE: usize = HEADS + HEADS_SIZE;
/** Where the first payload is, from the start of the region. */
// @ts-ignore: decorator
@inline const ARENA_OFFSET: usize = (CONTROL_SIZE + 4 + 15) & ~15;
/** Larger requests could overflow the footprint computation; they cannot fit anyway. */
// @ts-ignore: decorator
@inline const MAX_REQUEST: usize = 0xFFFF_0000;

/** Start of the control area. Until the first allocation sets the heap up, zeros in
 * static data, where bitmaps and quick lists read as empty: malloc's fast paths then
 * find nothing and fall into allocSlow, which does it. (Class heads are read only
 * after a bitmap says so.) */
let control: usize = memory.data(<i32>HEADS);
/** Bit g: group g of classes has a non-empty list. */
let groupMap: usize = 0;
/** First payload: anything below is static data or NULL, which free() ignores. */
let first: usize = 0;
/** Footprint of the arena, what one free block covers when nothing is in use; 0 until set up. */
let arena: usize = 0;
let inUse: usize = 0;
let peak: usize = 0;
/** Bytes waiting in quick lists: at most 1/32 of the arena; the rest coalesces at once. */
let quickBytes: usize = 0;
/** Blocks waiting in quick lists, at most QUICK_COUNT_MAX. */
let quickCount: usize = 0;
/** The most blocks quick lists hold: coalescing them all is the allocator's longest
 * pause (thousands of small blocks took 150 us); this many take a few microseconds. */
// @ts-ignore: decorator
@inline const QUICK_COUNT_MAX: usize = 256;

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

/** Footprint of block p, from its header. */
// @ts-ignore: decorator
@inline function sizeOf(p: usize): usize {
  return (load<usize>(p - 4) & ~3) + 4;
}

// @ts-ignore: decorator
@inline function headOf(i: usize): usize {
  return control + HEADS + (i << 2);
}

// @ts-ignore: decorator
@inline function mapOf(i: usize): usize {
  return control + ((i >> 5) << 2);
}

// @ts-ignore: decorator
@inline function quickList(t: usize): usize {
  return control + MAPS_SIZE + (t >> 2);
}

/**
 * Takes free block p out of its class list: the link word makes this O(1) without
 * knowing p's class, unless its list empties. The link is checked first: if it does not
 * point back at p, the heap was overwritten (an overflow, a use after free) and going
 * on would spread the damage.
 */
function unlink(p: usize): void {
  unlinkHere(p);
}

/** unlink, inlined (for take, the hottest caller). */
// @ts-ignore: decorator
@inline function unlinkHere(p: usize): void {
  let next = load<usize>(p);
  let link = load<usize>(p, 4);
  if (load<usize>(link) != p) corrupted(p);
  store<usize>(link, next);
  if (next) {
    store<usize>(next, link, 4);
  } else if (link - control - HEADS < HEADS_SIZE) { // p was alone in its class
    let j = (link - control - HEADS) >> 2;
    let m = mapOf(j);
    let bits = load<usize>(m) & ~(1 << j); // shifts count mod 32: bit j & 31
    store<usize>(m, bits);
    if (!bits) groupMap &= ~(1 << (j >> 5));
  }
}

/** Puts free block p of footprint t at the head of its class list. */
// @ts-ignore: decorator
@inline function insert(p: usize, t: usize): void {
  let i = cls(t >> 4);
  let slot = headOf(i);
  let next = load<usize>(slot);
  store<usize>(p, next);
  store<usize>(p, slot, 4);
  store<usize>(slot, p);
  if (next) {
    store<usize>(next, p, 4);
  } else { // the class was empty
    let m = mapOf(i);
    store<usize>(m, load<usize>(m) | (1 << i));
    groupMap |= 1 << (i >> 5);
  }
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
    bits = load<usize>(control + (g << 2));
  }
  return (g << 5) + ctz(bits);
}

/** The first class where every block has room for footprint t (the request's class
 * rounded up), or 0 if none has blocks. */
function fit(t: usize): usize {
  let u = t >> 4;
  return search(cls(u + (<usize>1 << shiftOf(u)) - 1));
}

/**
 * Makes block p free, merged with its free neighbours; its header gives its size and
 * whether its left neighbour is free. (The list operations are inlined here and in
 * take, and only there: everything else goes through these two.)
 */
function release(p: usize): void {
  let h = load<usize>(p - 4);
  let t = (h & ~3) + 4;
  let right = p + t - 4; // the right neighbour's header
  let rh = load<usize>(right);
  if (rh & FREE) {
    unlink(right + 4);
    t += (rh & ~3) + 4;
    right = p + t - 4;
    rh = load<usize>(right);
  }
  if (h & LEFT_FREE) {
    p = load<usize>(p - 8);
    unlink(p);
    t += sizeOf(p);
  }
  insert(p, t);
  store<usize>(p - 4, (t - 4) | FREE);
  store<usize>(right - 4, p);
  store<usize>(right, rh | LEFT_FREE);
}

/**
 * Room to grow: while less than 1/8 of the arena is in use, a block of footprint t over
 * 1 KiB keeps room (not small ones: they go to quick lists by footprint, which must
 * match requests exactly). It is not split if the rest would be under half its size,
 * a shrinking realloc leaves it whole, and a moving one asks half again.
 */
// @ts-ignore: decorator
@inline function roomy(t: usize): bool {
  return t > QUICK_MAX && inUse < arena >> 3;
}

/** Records footprint t handed out. */
// @ts-ignore: decorator
@inline function used(p: usize, t: usize): usize {
  inUse += t;
  if (inUse > peak) peak = inUse;
  return p;
}

/**
 * Allocates footprint t (or all of it, if the rest could not be a block) from the start
 * of free block p, whose left neighbour is in use; the rest stays free.
 */
function take(p: usize, t: usize): usize {
  unlinkHere(p);
  let have = sizeOf(p);
  if (have - t < (roomy(t) ? t >> 1 : MIN_BLOCK)) {
    t = have;
    let right = p + have - 4;
    store<usize>(right, load<usize>(right) & ~LEFT_FREE);
  } else {
    let rest = p + t;
    insert(rest, have - t);
    store<usize>(rest - 4, (have - t - 4) | FREE);
    store<usize>(p + have - 8, rest);
  }
  store<usize>(p - 4, t - 4);
  return used(p, t);
}

/**
 * Used block p keeps footprint `need` and frees the rest, or keeps it all when the rest
 * is too small to be a block or `need` is roomy.
 */
function trim(p: usize, need: usize): void {
  let h = load<usize>(p - 4);
  let have = (h & ~3) + 4;
  if (have - need >= MIN_BLOCK && !roomy(need)) {
    store<usize>(p - 4, (need - 4) | (h & LEFT_FREE));
    store<usize>(p + need - 4, have - need - 4);
    inUse -= have - need;
    release(p + need);
  }
}

/**
 * Where malloc's fast path did not answer: the heap is not set up yet; or the blocks
 * waiting in quick lists are to be coalesced (`flush`); or the heap is more than half
 * full, when a block of the request's own class may fit more closely than class i's
 * (the next class with blocks, which all fit), so the first few are tried; or no class
 * above has any, when the whole own class is tried; else it is out of memory.
 */
function allocSlow(n: usize, t: usize, i: usize, flush: bool): usize {
  if (!arena) {
    // The region is fresh memory that the tender never writes, so zeros (the control
    // area, the end marker: a used, empty block in the last word), 16-byte aligned at
    // both ends (the heap ends where memory does), 64 KiB or more (ABI section 2).
    let si = startInfo();
    control = si.heap_start;
    first = control + ARENA_OFFSET;
    arena = si.heap_size - ARENA_OFFSET;
    store<usize>(first - 4, arena - 4);
    release(first);
    return malloc(n);
  }
  if (flush) {
    for (let q = quickList(0), end = quickList(QUICK_MAX); q <= end; q += 4) {
      let p = load<usize>(q);
      store<usize>(q, 0);
      while (p) {
        let next = load<usize>(p);
        release(p);
        p = next;
      }
    }
    quickBytes = 0;
    quickCount = 0;
    return malloc(n);
  }
  let p = load<usize>(headOf(cls(t >> 4)));
  for (let k = i ? 2 : -1; p && k; --k, p = load<usize>(p)) {
    if (sizeOf(p) >= t) return take(p, t);
  }
  if (i) return take(load<usize>(headOf(i)), t);
  return oom(n, 16);
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
      quickCount--;
      return used(p, t);
    }
  } else if (n > MAX_REQUEST) {
    return oom(n, 16);
  }
  let i = fit(t);
  // Quick lists serve churn; they are coalesced when nothing fits, and when a large
  // request would split one of the largest blocks: left waiting there, little blocks
  // would fence the heap off into pieces that large ones cannot use.
  let flush = quickBytes != 0 && (!i || t > QUICK_MAX && i >> 5 == <usize>31 - clz(groupMap));
  if (!i || flush || inUse > arena >> 1) return allocSlow(n, t, i, flush);
  return take(load<usize>(headOf(i)), t);
}

/** Returns a block to the heap. NULL and static data (below the heap) are ignored. */
export function free(p: usize): void {
  if (p - first >= arena) return; // (unsigned: also below first)
  let t = sizeOf(p);
  inUse -= t;
  if (t <= QUICK_MAX && quickBytes < arena >> 5 && quickCount < QUICK_COUNT_MAX) {
    // It stays a used block to its neighbours until malloc takes it back (or allocSlow
    // coalesces the quick lists).
    let q = quickList(t);
    store<usize>(p, load<usize>(q));
    store<usize>(q, p);
    quickBytes += t;
    quickCount++;
    return;
  }
  release(p);
}

/**
 * Resizes p to n bytes, in place when it shrinks (unless the heap is over half full and
 * a smaller free block holds n: then it moves there) or when the right neighbour is free
 * and large enough, else by moving it. p may be NULL, or static data (which is copied).
 */
export function realloc(p: usize, n: usize): usize {
  if (p - first < arena) {
    // (Sizes compare as payloads, not footprints: a huge n could overflow a footprint,
    // and must go on to malloc's refusal.)
    let h = load<usize>(p - 4);
    let old = (h & ~3) + 4;
    let rh: usize;
    if (n <= old - 4) {
      // Under pressure, a smaller block that fits takes it (when one does), which
      // leaves this one's whole room free, not just its tail.
      if (inUse <= arena >> 1 || !fit(footprint(n))) {
        trim(p, footprint(n));
        return p;
      }
    } else if ((rh = load<usize>(p + old - 4)) & FREE && old + (rh & ~3) >= n) {
      // The right neighbour is allocated the difference, and p swallows it.
      take(p + old, footprint(n) - old);
      store<usize>(p - 4, (old + sizeOf(p + old) - 4) | (h & LEFT_FREE));
      return p;
    }
  }
  // (While the heap is under 1/8 full: roomy, and small enough not to overflow.)
  let q = malloc(max(n, inUse) < arena >> 3 ? n + (n >> 1) : n);
  if (p) {
    memory.copy(q, p, min(n, load<usize>(p - 4) & ~3));
    free(p);
  }
  return q;
}

/**
 * Returns n bytes aligned to `align`, a power of two (any other alignment is refused as
 * out of memory, with the alignment in the message).
 */
export function aligned_alloc(align: usize, n: usize): usize {
  if (align <= 16) return malloc(n);
  if (align & (align - 1) || n > MAX_REQUEST - align) return oom(n, align);
  // Over-allocate so that the first multiple of align leaves room for a free block
  // (16 bytes or more) in front; then give the front back, and the tail (unless roomy).
  let p = malloc(n + align);
  let q = (p + align - 1) & ~(align - 1);
  if (q != p) {
    let h = load<usize>(p - 4);
    let gap = q - p;
    store<usize>(q - 4, (h & ~3) - gap);
    store<usize>(p - 4, (gap - 4) | (h & LEFT_FREE)); // (a quick list block's left may be free)
    inUse -= gap;
    release(p);
  }
  trim(q, footprint(n));
  return q;
}

/** Returns count * size zeroed bytes; aborts if the product overflows. */
export function calloc(count: usize, size: usize): usize {
  let n = <u64>count * size;
  let p = malloc(n > MAX_REQUEST ? usize.MAX_VALUE : <usize>n); // (malloc refuses that)
  memory.fill(p, 0, <usize>n);
  return p;
}

/** Bytes in blocks handed out, headers included. */
export function heap_in_use(): usize {
  return inUse;
}

/** Highest heap_in_use() so far (including aligned_alloc's momentary over-allocation). */
export function heap_peak(): usize {
  return peak;
}

/**
 * Bytes in free blocks, headers included. When nothing is in use, one free block
 * covers them all and malloc(heap_free() - 4) succeeds.
 */
export function heap_free(): usize {
  return heap_size() - ARENA_OFFSET - inUse; // (arena - inUse, even before the set-up)
}

/** The region's size as the tender gave it (heap_in_use + heap_free + control area). */
export function heap_size(): usize {
  return startInfo().heap_size;
}

// Messages are built over the control area, without allocating: the heap is done for.
// Texts travel as plain addresses so that nothing here holds a managed reference (which
// would give the functions a shadow-stack frame).

function oom(n: usize, align: usize): usize {
  return die(changetype<usize>("libos: out of memory: cannot allocate # bytes (alignment #) in a heap of # bytes, # in use\n\0"), n, align);
}

function corrupted(p: usize): void {
  die(changetype<usize>("libos: heap corrupted: the free block at # was overwritten\n\0"), p, 0);
}

/** Prints text s (UTF-16 in memory, ASCII only: every other byte, up to the NUL), its #
 * replaced by a, b, the heap size and the bytes in use, in order; then aborts. */
function die(s: usize, a: usize, b: usize): usize {
  let at = control;
  let c = heap_size();
  let d = inUse;
  for (let ch = load<u8>(s); ch; ch = load<u8>(s += 2)) {
    if (ch != 0x23) {
      store<u8>(at++, ch);
      continue;
    }
    let m: usize = 1;
    while (a / m >= 10) m *= 10;
    do {
      store<u8>(at++, <u8>(0x30 + a / m % 10));
      m /= 10;
    } while (m);
    a = b;
    b = c;
    c = d;
  }
  solo5_console_write(control, at - control);
  solo5_abort();
  return unreachable();
}
