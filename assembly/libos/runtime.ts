// The AssemblyScript runtime of solo5-wasm guests (asc --runtime ./assembly/libos/runtime):
// AssemblyScript's own incremental collector on top of the libOS allocator, instead of
// the stock TLSF, which would take all memory above __heap_base and grow it.
// Nothing here is exported: exports of a runtime file become exports of the module.
import { malloc, realloc, free } from "./alloc";
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
