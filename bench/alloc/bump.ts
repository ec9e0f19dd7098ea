// An empty bump allocator as an AssemblyScript runtime: the baseline of the code-size
// comparison ("bytes of code over a bump allocator"). It never frees.
import { startInfo } from "../../assembly/libos/startinfo";
import "rt/itcms";

let top: usize = 0;

// @ts-ignore: decorator
@global @unsafe function __alloc(size: usize): usize {
  if (!top) top = startInfo().heap_start;
  let p = (top + 19) & ~(<usize>15);
  top = p + size;
  store<u32>(p - 4, <u32>(((size + 19) & ~15) - 4));
  return p;
}

// @ts-ignore: decorator
@global @unsafe function __realloc(ptr: usize, size: usize): usize {
  let p = __alloc(size);
  memory.copy(p, ptr, min(size, load<u32>(ptr - 4) & ~3));
  return p;
}

// @ts-ignore: decorator
@global @unsafe function __free(ptr: usize): void {}
