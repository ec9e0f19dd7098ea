// What the main thread and a guest pool's thread tell each other (pool.ts,
// pool-thread.ts). Every guest message carries the guest's id within the pool.
import type { Kernel } from "../core/kernel.js";
import type { GuestEvent, GuestInput } from "../core/thread.js";

export interface PoolThreadInput {
  /** Control words shared with the main thread: WAKE is bumped after every message and by devices. */
  control: SharedArrayBuffer;
}

export type ToPoolThread =
  /** An asyncified kernel, sent once per thread and named by `kernel` in later starts. */
  | { t: "kernel"; kernel: number; body: Kernel }
  | ({ t: "start"; id: number; kernel: number; dumpCore?: string } & Omit<GuestInput, "kernel">)
  | { t: "stop"; id: number };

export type FromPoolThread = GuestEvent & { id: number };
