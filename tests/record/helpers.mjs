// What the record tests share: a scratch folder, replaying a log through the CLI,
// and the console without the lines that differ between a run and its replay (none
// should: the helpers compare whole outputs).
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { runCli } from "../helpers/run.mjs";

export const scratchDir = () => fs.mkdtempSync(path.join(os.tmpdir(), "solo5-record-"));

/** `solo5-wasm replay [OPTIONS] LOG KERNEL`: { status, stdout, stderr }. */
export const replayCli = (log, kernel, options = []) => runCli(["replay", ...options, log, kernel], { timeoutMs: 60000 });

/** The stderr line replay ends with. */
export const lastLine = (stderr) => stderr.trimEnd().split("\n").at(-1);

/** A copy of `file` with the byte at `at` flipped, in `dir`. */
export function flipped(dir, file, at) {
  const bytes = fs.readFileSync(file);
  bytes[at] ^= 0xff;
  const out = path.join(dir, `flipped-${at}.log`);
  fs.writeFileSync(out, bytes);
  return out;
}

/** A copy of `file` cut to its first `length` bytes, in `dir`. */
export function truncated(dir, file, length) {
  const out = path.join(dir, `cut-${length}.log`);
  fs.writeFileSync(out, fs.readFileSync(file).subarray(0, length));
  return out;
}
