// yield(deadline, ready_set): sleep until the deadline or until an acquired net
// device has a frame. Level-triggered: a device with unread frames is reported again.
import { HANDLE_SIZE, asU64 } from "../abi.js";
import { endOnTenderError, type GuestContext } from "../context.js";

/**
 * Whether a deadline has passed, reading the clock only when it must: monotonic time
 * never goes back, so a deadline at or before the last reading has passed. A poll
 * (yield(0), or any deadline already seen) then costs no clock read.
 */
export function deadlinePassed(monotonicNs: () => bigint): (until: bigint) => boolean {
  let seen = 0n;
  return (until) => until <= seen || until <= (seen = monotonicNs());
}

export function yieldCalls(ctx: GuestContext) {
  const { mem, devices, platform } = ctx;
  const { waiter } = platform;
  const passed = deadlinePassed(platform.monotonicNs);
  return {
    yield(deadline: bigint, readySet: number): void {
      const out = readySet === 0 ? 0 : mem.check("yield", readySet, HANDLE_SIZE);
      const until = asU64(deadline);
      // A poll that finds a device ready or the deadline passed returns without arming
      // the waiter; arming matters only before a wait. A device's host I/O error
      // (found while looking for input) ends the guest.
      let set = 0n;
      try {
        set = devices.readySet();
        while (set === 0n && !passed(until)) {
          if (waiter.arm()) {
            set = devices.readySet();
            if (set !== 0n) break;
          }
          waiter.wait(until);
          set = devices.readySet();
        }
      } catch (e) {
        endOnTenderError(ctx, e);
      }
      if (readySet !== 0) mem.view.setBigUint64(out, set, true);
    },
  };
}
