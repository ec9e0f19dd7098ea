// Replaying a record log: the guest runs on the calling thread with the recorded
// memory size, command line and log level, its devices described by the log's
// header and attached to nothing (every call that would reach them is answered from
// the log by the Replayer).
import { MIB } from "../abi.js";
import type { Backend } from "../backend.js";
import type { LogLevel } from "../cmdline.js";
import { TenderError } from "../errors.js";
import { runGuest } from "../guest.js";
import type { Kernel } from "../kernel.js";
import { parseMac } from "../net/mac.js";
import type { Platform } from "../platform.js";
import type { Digests } from "./digest.js";
import type { RecordedDevice } from "./format.js";
import type { RecordLog } from "./log-reader.js";
import { Replayer, type ReplayOutcome } from "./replayer.js";

export interface ReplayRun {
  /** One stderr line per hypercall, as --trace (the results shown are the recorded ones). */
  trace?: boolean;
  /** Stop before call N, counted from 1. */
  until?: number;
}

const unreachable = (): never => {
  throw new TenderError("a replayed device was used: its calls should have come from the log");
};

/** A device as the log describes it; replay answers its calls, so none reaches it. */
function recordedBackend(d: RecordedDevice): Backend {
  const stats = () => "replayed";
  if (d.type === "NET_BASIC") {
    const describe = () => `recorded mac ${d.mac} mtu ${d.mtu}`;
    return { type: d.type, net: { mac: parseMac(d.name, d.mac), mtu: d.mtu, write: unreachable, read: unreachable, hasInput: unreachable, describe, stats } };
  }
  const describe = () => `recorded ${d.capacity} bytes in ${d.blockSize}-byte sectors`;
  return { type: d.type, block: { capacity: d.capacity, blockSize: d.blockSize, read: unreachable, write: unreachable, describe, stats } };
}

/** Replays `log` with `kernel` (already checked to be the recorded one, or let through) on this thread. */
export function replayGuest(kernel: Kernel, log: RecordLog, digests: Digests, platform: Platform, run: ReplayRun = {}): ReplayOutcome {
  const { header } = log;
  const replayer = new Replayer(log, digests, { until: run.until });
  const config = {
    memBytes: header.mem * MIB,
    cmdline: header.cmdline,
    logLevel: header.logLevel as LogLevel,
    trace: run.trace ?? false,
    backends: new Map(header.devices.map((d) => [d.name, recordedBackend(d)] as const)),
  };
  const outcome = replayer.finish(runGuest(kernel, config, platform, [replayer.hook]));
  if (!replayer.said) platform.stderr(`solo5-wasm: ${outcome.message}`);
  return outcome;
}
