// solo5-wasm replay [--trace] [--dumpcore=DIR] [--until=N] [--any-kernel] FILE KERNEL.wasm:
// a run recorded with --record=FILE, replayed by the library's replay(). Its status
// is the recorded run's when the replay matched it, 0 when --until stopped it, else 1.
import fs from "node:fs";
import { TenderError } from "../../core/errors.js";
import { loadKernelFile } from "../kernels.js";
import { replay, type ReplayOptions } from "../replay.js";
import { DUMPCORE_FLAG } from "../words.js";

const usage = (what: string): never => {
  throw new TenderError(`${what} (usage: solo5-wasm replay [--trace] [--dumpcore=DIR] [--until=N] [--any-kernel] FILE KERNEL.wasm)`);
};

export function parseReplayArgs(argv: readonly string[]): { file: string; kernelPath: string; options: ReplayOptions } {
  const options: ReplayOptions = {};
  const rest: string[] = [];
  for (const arg of argv) {
    const [flag, value] = arg.startsWith("--") ? [arg.split("=")[0]!, arg.includes("=") ? arg.slice(arg.indexOf("=") + 1) : undefined] : [undefined, undefined];
    if (flag === undefined) rest.push(arg);
    else if (flag === "--trace" && value === undefined) options.trace = true;
    else if (flag === "--any-kernel" && value === undefined) options.anyKernel = true;
    else if (flag === DUMPCORE_FLAG && value) options.dumpCore = value;
    else if (flag === "--until" && value !== undefined) {
      if (!/^[1-9]\d*$/.test(value)) usage(`--until=${value}: expected the number of a hypercall, 1 or more`);
      options.until = Number(value);
    } else usage(`unknown option ${arg}`);
  }
  if (rest.length !== 2) usage(rest.length < 2 ? "expected FILE and KERNEL.wasm" : `unexpected ${rest.slice(2).join(" ")}`);
  return { file: rest[0]!, kernelPath: rest[1]!, options: { ...options, source: rest[0]! } };
}

export async function replayCommand(argv: string[]): Promise<number> {
  const { file, kernelPath, options } = parseReplayArgs(argv);
  let log: Uint8Array;
  try {
    log = fs.readFileSync(file);
  } catch (e) {
    throw new TenderError(`cannot read ${file}: ${(e as Error).message}`);
  }
  const kernel = await loadKernelFile(kernelPath);
  return (await replay(kernel, log, options)).status;
}
