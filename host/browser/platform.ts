// The Platform the core runs on inside a browser's Web Worker: clocks from
// performance (5 µs resolution in a cross-origin isolated page), sleeping in
// Atomics.wait, which a dedicated worker may do and a page's main thread may not.
import { AtomicsWaiter } from "../core/atomics-waiter.js";
import type { Platform } from "../core/platform.js";

// performance.now() is in milliseconds with a fractional part; it never goes back.
const monotonicNs = (): bigint => BigInt(Math.round(performance.now() * 1e6));
// timeOrigin + now() keeps the sub-millisecond part that Date.now() drops.
const wallNs = (): bigint => BigInt(Math.round((performance.timeOrigin + performance.now()) * 1e6));

export function browserPlatform(control: Int32Array, stdout: Platform["stdout"], stderr: Platform["stderr"]): Platform {
  return { stdout, stderr, monotonicNs, wallNs, waiter: new AtomicsWaiter(control, monotonicNs) };
}
