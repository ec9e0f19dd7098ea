// What every hypercall module gets: the guest's memory, devices, platform and log.
import type { DeviceTable } from "./devices.js";
import type { Log } from "./log.js";
import type { GuestMemory } from "./memory.js";
import type { Platform } from "./platform.js";

export interface GuestContext {
  mem: GuestMemory;
  devices: DeviceTable;
  platform: Platform;
  log: Log;
}
