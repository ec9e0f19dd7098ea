// clock_monotonic and clock_wall, in nanoseconds (i64 crosses as a BigInt).
import type { GuestContext } from "../context.js";

export function clockCalls({ platform }: GuestContext) {
  // The platform's own functions, not closures around them: one JS frame less per
  // call, which is most of a clock read's cost (bench/platform: 142 -> 35 ns in Node).
  return {
    clock_monotonic: platform.monotonicNs,
    clock_wall: platform.wallNs,
  };
}
