// clock_monotonic and clock_wall, in nanoseconds (i64 crosses as a BigInt).
import type { GuestContext } from "../context.js";

export function clockCalls({ platform }: GuestContext) {
  return {
    clock_monotonic: (): bigint => platform.monotonicNs(),
    clock_wall: (): bigint => platform.wallNs(),
  };
}
