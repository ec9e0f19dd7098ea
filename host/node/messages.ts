// What the main thread sends a guest's worker (the worker answers with the core's
// GuestEvents: console bytes, stderr lines, the result).
import type { GuestInput } from "../core/thread.js";

export interface WorkerInput extends GuestInput {
  /** Control words shared with the main thread (core/atomics-waiter.ts). */
  control: SharedArrayBuffer;
  /** The eventfd to sleep on beside the TAP devices (net-wait.ts); only with TAP devices. */
  eventFd?: number;
  dumpCore?: string;
  /** --record: the log's descriptor, written by the guest's thread. */
  recordFd?: number;
  /** Where the guest's thread writes console output and stderr lines itself; absent: as messages. */
  stdoutFd?: number;
  stderrFd?: number;
}
