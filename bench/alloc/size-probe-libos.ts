// The code-size probe for the libOS allocator: size-probe.ts (heap.* through the
// runtime), plus the rest of the allocator's API, so that its code is counted too.
export * from "./size-probe";
export { aligned_alloc, calloc, heap_in_use, heap_peak, heap_free, heap_size } from "../../assembly/libos/alloc";
