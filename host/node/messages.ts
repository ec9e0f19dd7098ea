// What the main thread and a guest's worker tell each other.
import type { ExitResult, GuestConfig, Kernel } from "../core/index.js";
import type { DeviceSpec } from "./devices.js";

export interface WorkerInput {
  kernel: Kernel;
  config: Omit<GuestConfig, "backends">;
  devices: DeviceSpec[];
  /** Control words shared with the main thread (WAKE in platform.ts). */
  control: SharedArrayBuffer;
  dumpCore?: string;
}

export type ToMain =
  | { t: "out"; bytes: Uint8Array }
  | { t: "err"; line: string }
  | { t: "end"; result: ExitResult };
