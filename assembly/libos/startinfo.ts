// Where the tender put solo5_start_info: align16(__heap_base) (docs/abi.md, "Memory").
// Because the address is a pure function of __heap_base, the runtime can find the heap
// before solo5_app_main runs (top-level code runs in _initialize and may allocate).
import { solo5_start_info } from "../solo5";

// @ts-ignore: decorator
@inline
export function startInfo(): solo5_start_info {
  return changetype<solo5_start_info>((__heap_base + 15) & ~(<usize>15));
}
