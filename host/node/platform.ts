// The Platform the core runs on inside Node: clocks from the OS; the guest sleeps in
// the core's AtomicsWaiter (or, with TAP devices, in ppoll: net-wait.ts); refusals
// on its thread say options as the CLI does.
import { createRequire } from "node:module";
import { AtomicsWaiter } from "../core/atomics-waiter.js";
import type { Platform, SharedPlatform, Waiter } from "../core/platform.js";
import { monotonicNs, wallNs } from "./clock.js";
import { CLI_WORDS } from "./words.js";

/**
 * The entropy call's bytes: the OS's CSPRNG, straight into guest memory (shared
 * memory included). node:crypto is loaded at the first call: it would cost every
 * guest's worker 4 ms at start, and most guests never ask.
 */
let randomFillSync: typeof import("node:crypto").randomFillSync | undefined;
const randomFill = (bytes: Uint8Array): void => {
  randomFillSync ??= (createRequire(import.meta.url)("node:crypto") as typeof import("node:crypto")).randomFillSync;
  randomFillSync(bytes);
};

/** A guest's platform on a shared thread (a pool's): no waiter of its own. */
export function sharedNodePlatform(stdout: Platform["stdout"], stderr: Platform["stderr"], dumpCore?: Platform["dumpCore"]): SharedPlatform {
  return { stdout, stderr, monotonicNs, wallNs, randomFill, dumpCore, words: CLI_WORDS };
}

export function nodePlatform(waiter: Waiter, stdout: Platform["stdout"], stderr: Platform["stderr"], dumpCore?: Platform["dumpCore"]): Platform {
  return { ...sharedNodePlatform(stdout, stderr, dumpCore), waiter };
}

/** Sleeping on the control words that the main thread's backends bump (core/atomics-waiter.ts). */
export const atomicsWaiter = (control: Int32Array): Waiter => new AtomicsWaiter(control, monotonicNs);
