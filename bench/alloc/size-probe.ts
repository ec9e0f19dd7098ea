// What the code-size comparison builds with each runtime: the allocator's API through
// AssemblyScript's heap.* and nothing else (size-probe-libos.ts adds the rest of the
// libOS allocator's API).
// Built as every guest is, and asconfig.json routes abort and seed to these (the libOS
// runtime imports them too; the stock and bump runtimes do not).
import "../../assembly/libos/abort";
import "../../assembly/libos/seed";

export function m(size: usize): usize {
  return heap.alloc(size);
}

export function r(ptr: usize, size: usize): usize {
  return heap.realloc(ptr, size);
}

export function f(ptr: usize): void {
  heap.free(ptr);
}
