// Sleeping in yield on a SharedArrayBuffer word: the guest's thread waits with
// Atomics.wait (no CPU while asleep); whoever queues input for it bumps the word and
// notifies. Only ECMAScript: a Node worker and a browser Web Worker both use it,
// each with its own clock.
import { CONTROL_BYTES, UINT64_MAX } from "./abi.js";
import type { Waiter } from "./platform.js";

/** Index of the wake counter in the control words shared with the guest's thread. */
export const WAKE = 0;

/** New control words for one guest's thread (or a pool's, or the bridge's uplink). */
export const newControl = (): Int32Array => new Int32Array(new SharedArrayBuffer(CONTROL_BYTES));

export class AtomicsWaiter implements Waiter {
  private seen = 0;
  /** `monotonicNs` must be the clock the guest's deadlines are in. */
  constructor(
    private readonly control: Int32Array,
    private readonly monotonicNs: () => bigint,
  ) {}

  arm(): boolean {
    this.seen = Atomics.load(this.control, WAKE);
    return true;
  }

  wait(deadlineNs: bigint): void {
    if (deadlineNs === UINT64_MAX) {
      Atomics.wait(this.control, WAKE, this.seen);
      return;
    }
    const ms = Number(deadlineNs - this.monotonicNs()) / 1e6;
    if (ms > 0) Atomics.wait(this.control, WAKE, this.seen, ms);
  }
}

/** Wakes a guest sleeping in an AtomicsWaiter on these control words. */
export function wake(control: Int32Array): void {
  Atomics.add(control, WAKE, 1);
  Atomics.notify(control, WAKE);
}
