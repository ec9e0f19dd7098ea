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

export const monotonicNs = (): bigint => process.hrtime.bigint();
// timeOrigin + now() keeps sub-millisecond resolution that Date.now() lacks.
export const wallNs = (): bigint => BigInt(Math.round((performance.timeOrigin + performance.now()) * 1e6));

export function nodePlatform(
  waiter: Waiter,
  stdout: (bytes: Uint8Array) => void,
  stderr: (line: string) => void,
  dumpCore?: Platform["dumpCore"],
): Platform {
  return { stdout, stderr, monotonicNs, wallNs, waiter, dumpCore };
}
