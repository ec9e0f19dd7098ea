// What every hypercall module gets: the guest's memory, devices, platform and log.
import type { DeviceTable } from "./devices.js";
import type { GuestEnded } from "./errors.js";
import type { Log } from "./log.js";
import type { GuestMemory } from "./memory.js";
import type { Platform } from "./platform.js";

export interface GuestContext {
  mem: GuestMemory;
  devices: DeviceTable;
  platform: Platform;
  log: Log;
  /**
   * Set by exit/abort before they unwind the guest, so the ending stands even if a
   * guest built with exception handling catches the unwinding.
   */
  ended?: GuestEnded;
}
