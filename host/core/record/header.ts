// The log's header for a guest about to run: what the host knows (the kernel's
// hash, its command line) and what the guest's thread knows (memory, the devices as
// opened, with their MACs, MTUs and sizes).
import { MIB } from "../abi.js";
import type { Backend } from "../backend.js";
import { formatMac } from "../net/mac.js";
import { FORMAT_VERSION, type RecordHeader, type RecordMeta, type RecordedDevice } from "./format.js";

/** What of a guest's config goes into the header (GuestConfig's fields). */
export interface HeaderConfig {
  memBytes: number;
  cmdline: string;
  logLevel: string;
  backends: ReadonlyMap<string, Backend>;
}

export function recordHeader(config: HeaderConfig, meta: RecordMeta): RecordHeader {
  const devices = [...config.backends].map(([name, b]): RecordedDevice =>
    b.type === "NET_BASIC"
      ? { name, type: b.type, mac: formatMac(b.net.mac), mtu: b.net.mtu }
      : { name, type: b.type, capacity: b.block.capacity, blockSize: b.block.blockSize },
  );
  return {
    format: FORMAT_VERSION,
    kernel: meta.kernel,
    mem: config.memBytes / MIB,
    cmdline: config.cmdline,
    logLevel: config.logLevel,
    commandLine: meta.commandLine,
    devices,
    tender: meta.tender,
  };
}
