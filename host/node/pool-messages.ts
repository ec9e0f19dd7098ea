// What the main thread and a guest pool's thread tell each other (pool.ts,
// pool-thread.ts). Every guest message carries the guest's id within the pool.
import type { ExitResult, GuestConfig, Kernel } from "../core/index.js";
import type { DeviceSpec } from "./devices.js";

export interface PoolThreadInput {
  /** Control words shared with the main thread: WAKE is bumped after every message and by devices. */
  control: SharedArrayBuffer;
}

export type ToPoolThread =
  /** An asyncified kernel, sent once per thread and named by `kernel` in later starts. */
  | { t: "kernel"; kernel: number; body: Kernel }
  | { t: "start"; id: number; kernel: number; config: Omit<GuestConfig, "backends">; devices: DeviceSpec[]; dumpCore?: string }
  | { t: "stop"; id: number };

export type FromPoolThread =
  | { t: "out"; id: number; bytes: Uint8Array }
  | { t: "err"; id: number; line: string }
  | { t: "end"; id: number; result: ExitResult };
