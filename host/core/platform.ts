// What the core needs from the place it runs (a Node worker, a browser worker, the
// calling thread). The core itself touches no Node or browser API.
import type { OptionWords } from "./options.js";
import type { RecordSink } from "./record/sink.js";

export interface Waiter {
  /**
   * Called before a wait(). A wake-up that happens after arm() returned must end the
   * next wait(). Returns whether input that came before arm() could be slept through,
   * so that yield must look at the devices again before it waits: true for a waiter
   * that sleeps on a wake counter, false for one that sleeps on the devices' own
   * descriptors (ppoll on a TAP sees a frame whenever it came).
   */
  arm(): boolean;
  /** Sleeps until the monotonic clock reaches `deadlineNs` or a device may have input. */
  wait(deadlineNs: bigint): void;
}

export interface Platform {
  /** Console bytes and Solo5: lines, in order. The view is valid only during the call. */
  stdout(bytes: Uint8Array): void;
  /** One line for stderr (tender errors, trace), without its newline. */
  stderr(line: string): void;
  /** Nanoseconds since an arbitrary point; never goes back. Called without `this` (it is the guest's import). */
  monotonicNs(): bigint;
  /** Nanoseconds since the Unix epoch, UTC. Called without `this` (it is the guest's import). */
  wallNs(): bigint;
  /** Fills `bytes` with cryptographically secure random bytes (the entropy call; at most ENTROPY_MAX at once). */
  randomFill(bytes: Uint8Array): void;
  waiter: Waiter;
  /** --dumpcore: saves guest memory after an abort or trap; returns where it went, throws if it could not. */
  dumpCore?(memory: Uint8Array, reason: string): string;
  /** --record: where the log goes (with GuestConfig.record; record/recorder.ts). */
  recordSink?: RecordSink;
  /** How this host names options in refusals made on the guest's thread (default: the core's, FIELD_WORDS). */
  words?: OptionWords;
}

/** A platform without its own way to sleep: what a guest on a shared thread gets (the scheduler does its yield). */
export type SharedPlatform = Omit<Platform, "waiter">;
