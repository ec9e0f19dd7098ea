// exit and abort never return: they unwind the guest by throwing GuestEnded.
import { STATUS_ABORT } from "../abi.js";
import { endGuest, type GuestContext } from "../context.js";
import { GuestEnded } from "../errors.js";

export function exitCalls(ctx: GuestContext) {
  const { log } = ctx;
  const end = (e: GuestEnded): never => endGuest(ctx, e);
  return {
    exit(status: number): void {
      log.solo5("info", `solo5_exit(${status | 0}) called`);
      end(new GuestEnded({ status: status & 0xff, reason: "exit", code: status | 0 }));
    },
    abort(): void {
      log.solo5("error", "solo5_abort() called");
      end(new GuestEnded({ status: STATUS_ABORT, reason: "abort" }));
    },
  };
}
