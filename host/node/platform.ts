// The Platform the core runs on inside Node: clocks from the OS, sleeping on a
// SharedArrayBuffer word that device backends on the main thread bump to wake the guest.
import type { Platform, Waiter } from "../core/index.js";

/** Index of the wake counter in the control words shared with the main thread. */
export const WAKE = 0;

/** Atomics.wait on the wake counter: no CPU while asleep, woken by notify or the deadline. */
export class AtomicsWaiter implements Waiter {
  private seen = 0;
  constructor(private readonly control: Int32Array) {}

  arm(): void {
    this.seen = Atomics.load(this.control, WAKE);
  }

  wait(deadlineNs: bigint): void {
    if (deadlineNs === 0xffffffffffffffffn) {
      Atomics.wait(this.control, WAKE, this.seen);
      return;
    }
    const ms = Number(deadlineNs - process.hrtime.bigint()) / 1e6;
    if (ms > 0) Atomics.wait(this.control, WAKE, this.seen, ms);
  }
}

/** Wakes a guest sleeping in an AtomicsWaiter on these control words. */
export function wake(control: Int32Array): void {
  Atomics.add(control, WAKE, 1);
  Atomics.notify(control, WAKE);
}

// hrtime.bigint itself, not a closure over it: the guest's import calls it directly
// (one JS frame less per clock_monotonic; it does not use `this`).
export const monotonicNs: () => bigint = process.hrtime.bigint;
// The wall clock as the monotonic one plus the Unix time of its zero, taken once from
// timeOrigin + now() (sub-millisecond, unlike Date.now()): the same clock as reading
// those two every time (neither follows later steps of the system clock), at a
// tenth of the cost (bench/platform: 331 -> 33 ns), and exact to the nanosecond
// where a double of nanoseconds since 1970 is not.
const wallOffsetNs = BigInt(Math.round((performance.timeOrigin + performance.now()) * 1e6)) - monotonicNs();
export const wallNs = (): bigint => monotonicNs() + wallOffsetNs;

export function nodePlatform(
  waiter: Waiter,
  stdout: (bytes: Uint8Array) => void,
  stderr: (line: string) => void,
  dumpCore?: Platform["dumpCore"],
): Platform {
  return { stdout, stderr, monotonicNs, wallNs, waiter, dumpCore };
}
