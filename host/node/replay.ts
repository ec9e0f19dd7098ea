// The library's replay(): a recorded run (run's `record` option, --record=FILE)
// replayed on this thread with no devices, each hypercall answered from the log and
// each output checked against it (docs/record.md). Nothing waits, so it runs as fast
// as the guest computes.
import type { Waiter } from "../core/platform.js";
import { TenderError } from "../core/errors.js";
import type { Kernel } from "../core/kernel.js";
import { loadDigests } from "../core/record/digest.js";
import { kernelSha256 } from "../core/record/kernel-hash.js";
import { readLog } from "../core/record/log-reader.js";
import { replayGuest } from "../core/record/replay.js";
import type { ReplayOutcome } from "../core/record/replayer.js";
import { checkDumpCoreDir, dumpCore } from "./dumpcore.js";
import { writeFully } from "./fd-write.js";
import { loadKernel } from "./kernels.js";
import { nodePlatform } from "./platform.js";

export type { ReplayOutcome } from "../core/record/replayer.js";

export interface ReplayOptions {
  /** One stderr line per hypercall, showing the recorded results (as --trace). */
  trace?: boolean;
  /** Directory for a memory image after an abort or a trap, or where `until` stops (as --dumpcore=DIR). */
  dumpCore?: string;
  /** Stop before hypercall N, counted from 1 (as --until=N). */
  until?: number;
  /** Replay even if the log names another kernel (as --any-kernel): a changed guest then diverges where it differs. */
  anyKernel?: boolean;
  /** What refusals call the log (default "the log"; the CLI gives its path). */
  source?: string;
  /** Console output and Solo5: lines (default: the process's stdout). */
  stdout?: (bytes: Uint8Array) => void;
  /** solo5-wasm: lines, without newline (default: the process's stderr). */
  stderr?: (line: string) => void;
}

/** Replay never sleeps: a yield is answered from the log. */
const noWaiter: Waiter = {
  arm: () => false,
  wait: () => {
    throw new TenderError("replay waited: a yield should have come from the log");
  },
};

/**
 * Replays `log` (a record log's bytes) with `kernel`. Rejects with a TenderError for a
 * log that is not one, is corrupt, or names another kernel; otherwise says how the
 * replay came out (a divergence, a log cut short, a match) on `stderr` and resolves.
 */
export async function replay(kernel: Kernel | Uint8Array, log: Uint8Array, options: ReplayOptions = {}): Promise<ReplayOutcome> {
  const k = kernel instanceof Uint8Array ? await loadKernel(kernel) : kernel;
  const source = options.source ?? "the log";
  const digests = await loadDigests();
  const parsed = readLog(source, log, digests);
  if (!options.anyKernel) {
    const hash = await kernelSha256(k);
    if (hash !== parsed.header.kernel) {
      throw new TenderError(
        `${source} was recorded with another kernel (sha256 ${parsed.header.kernel.slice(0, 16)}...), not this one (sha256 ${hash.slice(0, 16)}...): replay it with the kernel it was recorded with, or with --any-kernel to see where they differ`,
      );
    }
  }
  const until = options.until;
  if (until !== undefined && !(Number.isInteger(until) && until >= 1)) throw new TenderError(`--until=${until}: expected a hypercall's number, 1 or more`);
  if (options.dumpCore !== undefined) checkDumpCoreDir(options.dumpCore);
  const stdout = options.stdout ?? ((bytes: Uint8Array) => writeFully(1, bytes));
  const stderr = options.stderr ?? ((line: string) => writeFully(2, new TextEncoder().encode(`${line}\n`)));
  const core = options.dumpCore === undefined ? undefined : (memory: Uint8Array, reason: string) => dumpCore(options.dumpCore!, memory, reason);
  return replayGuest(k, parsed, digests, nodePlatform(noWaiter, stdout, stderr, core), { trace: options.trace, until });
}
