// The library's start() and run(): a guest on a worker of its own, through the
// core's start path with Node's pieces (the device registry, the CLI's words, a
// worker seat). The CLI's run comes here without loading the rest of the library.
import type { DeviceSpec } from "../core/backend.js";
import { startGuest, type Guest, type GuestSeat } from "../core/start.js";
import type { ExitResult } from "../core/errors.js";
import type { Kernel } from "../core/kernel.js";
import { attachDevice } from "./backends/registry.js";
import { checkDumpCoreDir } from "./dumpcore.js";
import { loadKernel } from "./kernels.js";
import { openRecording, type Recording } from "./record-file.js";
import { NODE_OPTIONS, type RunOptions } from "./run-options.js";
import { CLI_WORDS } from "./words.js";
import { workerSeat } from "./worker-seat.js";

/**
 * Starts a guest. Refusals found before it runs (options, devices, a bad module)
 * reject with a TenderError; everything after is in `exited`.
 */
export function start(kernel: Kernel | Uint8Array, options: RunOptions = {}): Promise<Guest> {
  return startOn(workerSeat, kernel, options);
}

/** start() with the guest on `seat` (the CLI's run: the main thread when it can). */
export async function startOn(
  seat: (options: RunOptions, recording?: Recording) => GuestSeat<DeviceSpec>,
  kernel: Kernel | Uint8Array,
  options: RunOptions,
): Promise<Guest> {
  const k = kernel instanceof Uint8Array ? await loadKernel(kernel) : kernel;
  const recording = options.record === undefined ? undefined : await openRecording(options.record, k);
  try {
    return await startGuest(k, options, {
      words: CLI_WORDS,
      ownOptions: NODE_OPTIONS,
      checkOptions: () => options.dumpCore !== undefined && checkDumpCoreDir(options.dumpCore),
      attach: attachDevice,
      seat: () => seat(options, recording),
    });
  } catch (e) {
    recording?.close();
    throw e;
  }
}

/** Runs a guest to its end. */
export async function run(kernel: Kernel | Uint8Array, options: RunOptions = {}): Promise<ExitResult> {
  return (await start(kernel, options)).exited;
}
