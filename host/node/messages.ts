// What the main thread and a guest's worker tell each other.
import type { ExitResult, GuestConfig, Kernel } from "../core/index.js";
import type { DeviceSpec } from "./devices.js";

export interface WorkerInput {
  kernel: Kernel;
  config: Omit<GuestConfig, "backends">;
  devices: DeviceSpec[];
  /** Control words shared with the main thread (WAKE in platform.ts). */
  control: SharedArrayBuffer;
  /** The eventfd to sleep on beside the TAP devices (net-wait.ts); only with TAP devices. */
  eventFd?: number;
  dumpCore?: string;
  /** Where the guest's thread writes console output and stderr lines itself; absent: as messages. */
  stdoutFd?: number;
  stderrFd?: number;
}

export type ToMain =
  | { t: "out"; bytes: Uint8Array }
  | { t: "err"; line: string }
  | { t: "end"; result: ExitResult };
