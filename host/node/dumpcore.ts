// --dumpcore=DIR: after an abort or a trap, the guest's linear memory is written to
// DIR/core.solo5-wasm.<pid>.<n> (a raw image: offset in the file = guest address),
// with a .txt beside it saying why, for inspection with a hex editor or a script.
import fs from "node:fs";
import path from "node:path";
import { DUMPCORE_OPTION, refuseOption } from "../core/options.js";

let dumps = 0;

/**
 * Returns where the core went. DIR was checked at start but may since have gone or
 * become unwritable (or the disk filled): then it throws, after removing any partial
 * core, and the caller reports that without changing the guest's ending.
 */
export function dumpCore(dir: string, memory: Uint8Array, reason: string): string {
  const file = path.join(dir, `core.solo5-wasm.${process.pid}.${dumps++}`);
  try {
    fs.writeFileSync(file, memory);
    fs.writeFileSync(`${file}.txt`, `reason: ${reason}\nmemory: ${memory.length} bytes\n`);
    return file;
  } catch (e) {
    for (const f of [file, `${file}.txt`]) {
      try {
        fs.rmSync(f, { force: true });
      } catch {
        // The directory is gone or unwritable: nothing was left in it.
      }
    }
    throw e;
  }
}

/** Checks at start that DIR is a folder this user may write to. */
export function checkDumpCoreDir(dir: string): void {
  const refuse = (why: string) => refuseOption(DUMPCORE_OPTION, dir, why);
  try {
    if (fs.statSync(dir).isDirectory()) return fs.accessSync(dir, fs.constants.W_OK);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === "ENOENT") throw refuse(`no such directory: create it first (mkdir -p ${dir})`);
    if (code === "EACCES") throw refuse("not writable by this user: choose another directory");
    throw refuse((e as Error).message);
  }
  throw refuse("not a directory");
}
