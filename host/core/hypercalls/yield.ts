// yield(deadline, ready_set): sleep until the deadline or until an acquired net
// device has a frame. Level-triggered: a device with unread frames is reported again.
import { HANDLE_SIZE } from "../abi.js";
import type { GuestContext } from "../context.js";

export function yieldCalls({ mem, devices, platform }: GuestContext) {
  const { waiter } = platform;
  return {
    yield(deadline: bigint, readySet: number): void {
      const out = readySet === 0 ? 0 : mem.check("yield", readySet, HANDLE_SIZE);
      const until = BigInt.asUintN(64, deadline); // UINT64_MAX: no deadline
      let set = 0n;
      for (;;) {
        waiter.arm();
        set = devices.readySet();
        if (set !== 0n || platform.monotonicNs() >= until) break;
        waiter.wait(until);
      }
      if (readySet !== 0) mem.view.setBigUint64(out, set, true);
    },
  };
}
