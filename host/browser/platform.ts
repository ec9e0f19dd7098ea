// The Platform the core runs on inside a browser's Web Worker: clocks from
// performance (5 µs resolution in a cross-origin isolated page), sleeping in
// Atomics.wait, which a dedicated worker may do and a page's main thread may not,
// and the entropy call's bytes from crypto.getRandomValues.
import { AtomicsWaiter } from "../core/atomics-waiter.js";
import type { Platform } from "../core/platform.js";

// performance.now() is in milliseconds with a fractional part; it never goes back.
const monotonicNs = (): bigint => BigInt(Math.round(performance.now() * 1e6));
// timeOrigin + now() keeps the sub-millisecond part that Date.now() drops.
const wallNs = (): bigint => BigInt(Math.round((performance.timeOrigin + performance.now()) * 1e6));

/** getRandomValues fills at most this many bytes a call (else QuotaExceededError). */
const RANDOM_PIECE = 65536;

/** Random bytes in pieces getRandomValues takes; it refuses views of shared memory, which get a copy. */
function randomFill(bytes: Uint8Array): void {
  for (let at = 0; at < bytes.length; at += RANDOM_PIECE) {
    const piece = bytes.subarray(at, at + RANDOM_PIECE);
    if (piece.buffer instanceof SharedArrayBuffer) piece.set(crypto.getRandomValues(new Uint8Array(piece.length)));
    else crypto.getRandomValues(piece);
  }
}

export function browserPlatform(control: Int32Array, stdout: Platform["stdout"], stderr: Platform["stderr"]): Platform {
  return { stdout, stderr, monotonicNs, wallNs, randomFill, waiter: new AtomicsWaiter(control, monotonicNs) };
}
