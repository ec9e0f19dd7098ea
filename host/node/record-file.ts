// --record=FILE on Node: the file is created on the thread that starts the guest (a
// path that cannot be written is refused before the guest runs), and written by the
// guest's thread itself, each chunk with write(2) as soon as it is complete: what a
// write returned for is with the OS, so a tender killed with SIGKILL leaves it.
import fs from "node:fs";
import { TenderError, type ExitResult } from "../core/errors.js";
import { loadDigests } from "../core/record/digest.js";
import type { RecordMeta } from "../core/record/format.js";
import { kernelSha256 } from "../core/record/kernel-hash.js";
import { endChunk } from "../core/record/recorder.js";
import type { RecordSink } from "../core/record/sink.js";
import type { Kernel } from "../core/kernel.js";
import { VERSION } from "../core/version.js";

export const RECORD_FLAG = "--record";

/** A log being recorded: its descriptor (for the guest's thread) and the header's facts. */
export interface Recording {
  fd: number;
  meta: RecordMeta;
  /** Appends the ending of a guest whose thread was stopped (and so wrote none). */
  stopped(result: ExitResult): void;
  close(): void;
}

/** Creates (or empties) `path` for the log of a run of `kernel`. */
export async function openRecording(path: string, kernel: Kernel): Promise<Recording> {
  if (typeof path !== "string" || path === "") throw new TenderError(`${RECORD_FLAG}: expected ${RECORD_FLAG}=FILE, the log to write`);
  const meta: RecordMeta = {
    kernel: await kernelSha256(kernel),
    commandLine: process.argv.slice(1).join(" "),
    tender: `solo5-wasm ${VERSION} (node)`,
  };
  const digests = await loadDigests();
  let fd: number;
  try {
    fd = fs.openSync(path, "w");
  } catch (e) {
    throw new TenderError(`${RECORD_FLAG}=${path}: cannot create it (${(e as Error).message}): check that its folder exists and is writable`);
  }
  let open = true;
  const close = () => {
    if (open) fs.closeSync(fd);
    open = false;
  };
  const stopped = (result: ExitResult) => {
    if (open) fs.writeSync(fd, endChunk(result, digests));
  };
  return { fd, meta, stopped, close };
}

/** The guest thread's sink for the log on `fd`; a failed write is said once and ends the log there. */
export async function fileRecordSink(fd: number, stderr: (line: string) => void): Promise<RecordSink> {
  const digests = await loadDigests();
  let failed = false;
  return {
    digests,
    write(chunk) {
      if (failed) return;
      try {
        for (let done = 0; done < chunk.length; ) done += fs.writeSync(fd, chunk, done, chunk.length - done);
      } catch (e) {
        failed = true;
        stderr(`solo5-wasm: cannot write the record log (${(e as Error).message}): it stops here, the run goes on`);
      }
    },
  };
}
