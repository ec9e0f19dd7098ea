// solo5-wasm run: a guest on the library's start(), options as solo5-hvt takes them.
import os from "node:os";
import { STATUS_TENDER_ERROR } from "../../core/abi.js";
import type { Guest } from "../../core/start.js";
import { startWorded } from "../start.js";
import { CLI_WORDS } from "../words.js";
import { loadKernelFile } from "../kernels.js";
import { prewarm } from "../worker-seat.js";
import { parseRunArgs } from "./run-args.js";

export async function runCommand(argv: string[]): Promise<number> {
  const { kernelPath, options } = parseRunArgs(argv);
  // From here on a signal ends the run as the ABI says, whether the guest runs yet or
  // the kernel is still being read or compiled (reading a FIFO can take forever).
  let guest: Promise<Guest> | undefined;
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.once(signal, () => {
      process.stderr.write(`solo5-wasm: exiting on signal ${os.constants.signals[signal]}\n`);
      const stopped = guest ? guest.then((g) => g.stop(), () => undefined) : Promise.resolve();
      void stopped.then(() => process.exit(STATUS_TENDER_ERROR));
    });
  }
  prewarm();
  const kernel = await loadKernelFile(kernelPath);
  guest = startWorded(kernel, options, CLI_WORDS);
  return (await (await guest).exited).status;
}
