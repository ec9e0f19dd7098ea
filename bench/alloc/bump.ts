// An empty bump allocator with the libOS allocator's API, as an AssemblyScript runtime:
// the baseline of the code-size comparison ("bytes of code over a bump allocator"). It
// never frees. Its exports become the probe's, like size-probe-libos.ts's.
import { startInfo } from "../../assembly/libos/startinfo";
import "rt/itcms";

let start: usize = 0;
let top: usize = 0;

export function aligned_alloc(align: usize, n: usize): usize {
  if (!top) top = start = startInfo().heap_start;
  let p = (top + 4 + align - 1) & ~(align - 1);
  top = p + n;
  store<u32>(p - 4, <u32>n); // the collector's BLOCK header
  return p;
}

export function calloc(count: usize, size: usize): usize {
  let n = count * size;
  let p = aligned_alloc(16, n);
  memory.fill(p, 0, n);
  return p;
}

export function heap_in_use(): usize {
  return top - start;
}

export function heap_peak(): usize {
  return top - start;
}

export function heap_free(): usize {
  return startInfo().heap_size - (top - start);
}

export function heap_size(): usize {
  return startInfo().heap_size;
}

// @ts-ignore: decorator
@global @unsafe function __alloc(size: usize): usize {
  return aligned_alloc(16, size);
}

// @ts-ignore: decorator
@global @unsafe function __realloc(ptr: usize, size: usize): usize {
  let p = __alloc(size);
  memory.copy(p, ptr, min(size, load<u32>(ptr - 4)));
  return p;
}

// @ts-ignore: decorator
@global @unsafe function __free(ptr: usize): void {}
