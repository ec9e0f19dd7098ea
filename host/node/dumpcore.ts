// --dumpcore=DIR: after an abort or a trap, the guest's linear memory is written to
// DIR/core.solo5-wasm.<pid>.<n> (a raw image: offset in the file = guest address),
// with a .txt beside it saying why, for inspection with a hex editor or a script.
import fs from "node:fs";
import path from "node:path";

let dumps = 0;

export function dumpCore(dir: string, memory: Uint8Array, reason: string): string {
  const file = path.join(dir, `core.solo5-wasm.${process.pid}.${dumps++}`);
  fs.writeFileSync(file, memory);
  fs.writeFileSync(`${file}.txt`, `reason: ${reason}\nmemory: ${memory.length} bytes\n`);
  return file;
}
