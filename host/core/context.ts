// What every hypercall module gets: the guest's memory, devices, platform and log.
import type { DeviceTable } from "./devices.js";
import { TenderError, type GuestEnded } from "./errors.js";
import type { Log } from "./log.js";
import type { GuestMemory } from "./memory.js";
import type { Platform } from "./platform.js";

export interface GuestContext {
  mem: GuestMemory;
  devices: DeviceTable;
  platform: Platform;
  log: Log;
  /**
   * How the guest ended, recorded before the ending unwinds it (exit, abort, an
   * invalid guest access, a host I/O error), so that it stands even if a guest built
   * with exception handling catches the unwinding. The first one recorded stands.
   */
  ended?: GuestEnded | TenderError;
}

/** Ends the guest: records `e` (unless an ending came first) and unwinds with it. */
export function endGuest(ctx: Pick<GuestContext, "ended">, e: GuestEnded | TenderError): never {
  ctx.ended ??= e;
  throw ctx.ended;
}

/**
 * For what a hypercall catches from a device backend: a TenderError (a host I/O
 * error) ends the guest as endGuest does; anything else goes on as it was.
 */
export function endOnTenderError(ctx: Pick<GuestContext, "ended">, e: unknown): never {
  if (e instanceof TenderError) endGuest(ctx, e);
  throw e;
}
