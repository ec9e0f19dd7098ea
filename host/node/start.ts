// The library's start() and run(): a guest on a worker of its own, through the
// core's start path with Node's pieces (the device registry, the CLI's words, a
// worker seat). The CLI's run comes here without loading the rest of the library.
import { startGuest, type Guest } from "../core/start.js";
import type { ExitResult } from "../core/errors.js";
import type { Kernel } from "../core/kernel.js";
import { attachDevice } from "./backends/registry.js";
import { checkDumpCoreDir } from "./dumpcore.js";
import { loadKernel } from "./kernels.js";
import { openRecording } from "./record-file.js";
import { NODE_OPTIONS, type RunOptions } from "./run-options.js";
import type { OptionWords } from "../core/options.js";
import { CLI_WORDS } from "./words.js";
import { workerSeat } from "./worker-seat.js";

/**
 * Starts a guest. Refusals found before it runs (options, devices, a bad module)
 * reject with a TenderError; everything after is in `exited`.
 */
export const start = (kernel: Kernel | Uint8Array, options: RunOptions = {}): Promise<Guest> => startWorded(kernel, options, CLI_WORDS);

/** start(), its refusals in `words` (the CLI's run: its flags). */
export async function startWorded(kernel: Kernel | Uint8Array, options: RunOptions, words: OptionWords): Promise<Guest> {
  const k = kernel instanceof Uint8Array ? await loadKernel(kernel) : kernel;
  const recording = options.record === undefined ? undefined : await openRecording(options.record, k);
  try {
    return await startGuest(k, options, {
      words,
      ownOptions: NODE_OPTIONS,
      checkOptions: () => options.dumpCore !== undefined && checkDumpCoreDir(options.dumpCore),
      attach: attachDevice,
      seat: () => workerSeat(options, recording),
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
