// The options of the library's start() and run() (and of a pool's start()): the
// core's, with Node's devices and what only Node has.
import type { StartOptions } from "../core/start.js";
import type { DeviceOption } from "./backends/registry.js";

/** The options of RunOptions beyond the core's StartOptions (the start path refuses any other). */
export const NODE_OPTIONS: readonly (keyof RunOptions)[] = ["dumpCore", "record"];

export interface RunOptions extends StartOptions<DeviceOption> {
  /**
   * Devices by manifest name, as --net:NAME=SPEC and --block:NAME=PATH say them:
   * { type: "NET_BASIC", spec, mac? } and { type: "BLOCK_BASIC", path, sectorSize? }.
   */
  devices?: Readonly<Record<string, DeviceOption>>;
  /**
   * Console output and Solo5: lines. Default: the process's stdout, written by the
   * guest's thread itself before console_write returns (as Solo5's tenders do).
   */
  stdout?: (bytes: Uint8Array) => void;
  /** solo5-wasm: lines, without newline (default: the process's stderr, likewise). */
  stderr?: (line: string) => void;
  /** Directory for a memory image after an abort or a trap (as --dumpcore=DIR). */
  dumpCore?: string;
  /** A file to record the run to, for replay() (as --record=FILE; docs/record.md). */
  record?: string;
}
