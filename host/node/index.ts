// The library API: run unikernels from Node. Each guest runs on its own worker
// thread, so several run at once, a guest blocked in yield stalls nobody, and a
// guest that loops forever can still be stopped.
import { startGuest, type ExitResult, type Guest, type Kernel } from "../core/index.js";
import { attachDevice } from "./backends/registry.js";
import { checkDumpCoreDir } from "./dumpcore.js";
import { loadKernel } from "./kernels.js";
import type { RunOptions } from "./run-options.js";
import { CLI_WORDS } from "./words.js";
import { workerSeat } from "./worker-seat.js";

export * from "../core/index.js";
export type { DeviceOption } from "./backends/registry.js";
export { NODE_KERNELS, loadKernel, loadKernelFile } from "./kernels.js";
export { createGuestPool, loadPooledKernel, type GuestPool, type PoolOptions, type PooledKernel } from "./pool.js";
export type { RunOptions } from "./run-options.js";
export { prewarm } from "./worker-seat.js";

/**
 * Starts a guest. Refusals found before it runs (options, devices, a bad module)
 * reject with a TenderError; everything after is in `exited`.
 */
export async function start(kernel: Kernel | Uint8Array, options: RunOptions = {}): Promise<Guest> {
  const k = kernel instanceof Uint8Array ? await loadKernel(kernel) : kernel;
  return startGuest(k, options, {
    words: CLI_WORDS,
    checkOptions: () => options.dumpCore !== undefined && checkDumpCoreDir(options.dumpCore),
    attach: attachDevice,
    seat: () => workerSeat(options),
  });
}

/** Runs a guest to its end. */
export async function run(kernel: Kernel | Uint8Array, options: RunOptions = {}): Promise<ExitResult> {
  return (await start(kernel, options)).exited;
}
