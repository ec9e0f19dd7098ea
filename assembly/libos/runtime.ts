// The AssemblyScript runtime of solo5-wasm guests (asc --runtime ./assembly/libos/runtime):
// AssemblyScript's own incremental collector on top of the libOS allocator, instead of
// the stock TLSF, which would take all memory above __heap_base and grow it.
// Nothing here is exported: exports of a runtime file become exports of the module.
//
// The allocator is reached from guest code only through the @global functions below
// (assembly/heap.ts wraps them): a project that installs the package imports
// solo5-wasm/assembly as ~lib/solo5-wasm/assembly/..., a different module path from
// this file's ./alloc, and an import of libos/alloc from there would compile a second
// allocator that is never set up (its statistics read 0, its malloc fails).
import { aligned_alloc, calloc, free, heap_free, heap_in_use, heap_peak, malloc, realloc } from "./alloc";
import "rt/itcms";
// Targets of asconfig's `--use abort=...` and `--use seed=...`: part of every guest.
import "./abort";
import "./seed";

// @ts-ignore: decorator
@global @unsafe function __alloc(size: usize): usize {
  return malloc(size);
}

// @ts-ignore: decorator
@global @unsafe function __realloc(ptr: usize, size: usize): usize {
  return realloc(ptr, size);
}

// @ts-ignore: decorator
@global @unsafe function __free(ptr: usize): void {
  free(ptr);
}

// @ts-ignore: decorator
@global @unsafe function __libos_calloc(count: usize, size: usize): usize {
  return calloc(count, size);
}

// @ts-ignore: decorator
@global @unsafe function __libos_aligned_alloc(align: usize, size: usize): usize {
  return aligned_alloc(align, size);
}

// @ts-ignore: decorator
@global function __libos_heap_in_use(): usize {
  return heap_in_use();
}

// @ts-ignore: decorator
@global function __libos_heap_peak(): usize {
  return heap_peak();
}

// @ts-ignore: decorator
@global function __libos_heap_free(): usize {
  return heap_free();
}
