// solo5-wasm run: a guest on the library's start path, options as solo5-hvt takes them.
import os from "node:os";
import { STATUS_TENDER_ERROR } from "../../core/abi.js";
import type { Guest } from "../../core/start.js";
import { canRunOnStartingThread } from "../backends/registry.js";
import { loadKernelFile } from "../kernels.js";
import { mainThreadSeat } from "../main-thread-seat.js";
import { signalAddon } from "../signals.js";
import { startOn } from "../start.js";
import { prewarm, workerSeat } from "../worker-seat.js";
import { parseRunArgs } from "./run-args.js";

const SIGNALS = ["SIGINT", "SIGTERM"] as const;
const exitingOn = (signal: (typeof SIGNALS)[number]) => `solo5-wasm: exiting on signal ${os.constants.signals[signal]}\n`;

export async function runCommand(argv: string[]): Promise<number> {
  const { kernelPath, options } = parseRunArgs(argv);
  // From here on a signal ends the run as the ABI says, whether the guest runs yet or
  // the kernel is still being read or compiled (reading a FIFO can take forever).
  let guest: Promise<Guest> | undefined;
  for (const signal of SIGNALS) {
    process.once(signal, () => {
      process.stderr.write(exitingOn(signal));
      const stopped = guest ? guest.then((g) => g.stop(), () => undefined) : Promise.resolve();
      void stopped.then(() => process.exit(STATUS_TENDER_ERROR));
    });
  }
  // The guest runs on this thread when nothing else needs it (one thread to start,
  // not two) and signals can end it there; otherwise on a worker, started now so
  // that its start-up overlaps reading and checking the kernel.
  // A recorded run stays on a worker: its log must say when a signal stopped it, which
  // the native signal handling of the main thread would not let it write.
  const signals = options.record === undefined && canRunOnStartingThread(options.devices ?? {}) ? signalAddon() : undefined;
  if (!signals) prewarm();
  const kernel = await loadKernelFile(kernelPath);
  if (signals) {
    // The guest will hold the event loop, where the listeners above would run.
    for (const signal of SIGNALS) signals.exitOnSignal(os.constants.signals[signal], exitingOn(signal), STATUS_TENDER_ERROR);
  }
  guest = startOn(signals ? mainThreadSeat : workerSeat, kernel, options);
  return (await (await guest).exited).status;
}
