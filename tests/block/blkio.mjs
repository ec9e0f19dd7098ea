// What tests of tests/guests/blkio share: it fills block i with pattern(i) (512-byte
// sectors) and prints "written i" after each write that returned OK.
import fs from "node:fs";

export const BS = 512;

export function pattern(i) {
  const b = Buffer.alloc(BS);
  for (let j = 4; j < BS; j++) b[j] = (i * 7 + j) & 0xff;
  b.writeUInt32LE(i, 0);
  return b;
}

/** The i of every "written i" line. */
export const acknowledged = (stdout) => [...stdout.matchAll(/^written (\d+)$/gm)].map((m) => Number(m[1]));

/** Every acknowledged block holds its pattern in `file`. */
export function expectAllThere(file, written) {
  const fd = fs.openSync(file, "r");
  const block = Buffer.alloc(BS);
  const missing = written.filter((i) => fs.readSync(fd, block, 0, BS, i * BS) !== BS || !block.equals(pattern(i)));
  fs.closeSync(fd);
  expect(missing).toEqual([]);
}
