// The libOS heap (docs/allocator.md): malloc and friends for raw memory, and the heap's
// statistics. These call the one allocator the runtime runs (libos/runtime.ts, through
// its @global functions), however this file was reached: as ../assembly in the
// checkout or as ~lib/solo5-wasm/assembly in a project that installs the package.
import { startInfo } from "./libos/startinfo";

/** n bytes, 16-byte aligned; aborts with the heap's figures when they do not fit. */
export function malloc(n: usize): usize {
  return __alloc(n);
}

/** Returns a block from malloc (or calloc, realloc, aligned_alloc); NULL is ignored. */
export function free(p: usize): void {
  __free(p);
}

/** p resized to n bytes, moved if need be (p may be NULL). */
export function realloc(p: usize, n: usize): usize {
  return __realloc(p, n);
}

/** count * size zeroed bytes; aborts if the product overflows. */
export function calloc(count: usize, size: usize): usize {
  // @ts-ignore: a @global of the runtime
  return __libos_calloc(count, size);
}

/** n bytes aligned to `align`, a power of two. */
export function aligned_alloc(align: usize, n: usize): usize {
  // @ts-ignore: a @global of the runtime
  return __libos_aligned_alloc(align, n);
}

/** Bytes in blocks handed out, headers included. */
export function heap_in_use(): usize {
  // @ts-ignore: a @global of the runtime
  return __libos_heap_in_use();
}

/** Highest heap_in_use() so far. */
export function heap_peak(): usize {
  // @ts-ignore: a @global of the runtime
  return __libos_heap_peak();
}

/** Bytes in free blocks, headers included (after freeing everything, one block). */
export function heap_free(): usize {
  // @ts-ignore: a @global of the runtime
  return __libos_heap_free();
}

/** The heap region's size as the tender gave it (in use + free + the control area). */
export function heap_size(): usize {
  return startInfo().heap_size;
}
