// For editors and tsc (assembly/tsconfig.json): what asc gives these sources that its
// published types do not declare. asc never reads this file.

/** The runtime's allocator (libos/alloc.ts), its @global functions. */
declare function __alloc(size: usize): usize;
declare function __free(ptr: usize): void;
declare function __realloc(ptr: usize, size: usize): usize;

/** Math's seeding, which asc's Math has and its IMath type leaves out. */
interface IMath<T> {
  seedRandom(value: i64): void;
}
