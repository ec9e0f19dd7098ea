// Attaching devices in Node. Each backend is one module with two halves: attach()
// runs on the main thread before the guest starts (opens, checks, refuses early) and
// returns a structured-cloneable spec; open() runs in the guest's worker and builds
// the Backend the core's hypercalls use.
import type { Backend } from "../core/index.js";
import { TenderError } from "../core/index.js";
import { parseMac, randomMac } from "../core/net/mac.js";
import { openRingNet } from "../core/net/ring-backend.js";
import * as blockFile from "./backends/block-file.js";
import * as netHub from "../core/net/hub.js";
import type { RingSpec } from "../core/net/ring-port.js";
import * as netTap from "./backends/net-tap.js";
import * as netUdp from "./backends/net-udp.js";

/** How the user attached a device: what --net:NAME=SPEC / --block:NAME=PATH say. */
export type DeviceOption =
  | { type: "NET_BASIC"; spec: string; mac?: string }
  | { type: "BLOCK_BASIC"; path: string; sectorSize?: number };

/** What the worker needs to open a device's backend; tagged by backend kind. */
export type DeviceSpec = blockFile.Spec | netTap.Spec | RingSpec;

/** The main-thread half of an attached device, closed when the guest has ended. */
export interface AttachedDevice {
  readonly spec: DeviceSpec;
  close(): void;
}

/** Main-thread facilities of one guest that a backend may use. */
export interface AttachContext {
  /** Wakes the guest if it sleeps in yield (after a frame was queued for it). */
  wake(): void;
}

/** Worker-side facilities of one guest that a backend may use. */
export interface OpenContext {
  /** With --trace: reports events no hypercall shows (dropped frames). */
  trace?: (line: string) => void;
}

export function attachDevice(name: string, option: DeviceOption, ctx: AttachContext): AttachedDevice | Promise<AttachedDevice> {
  if (option.type === "BLOCK_BASIC") {
    if (typeof option.path !== "string") throw new TenderError(`devices.${name}: a BLOCK_BASIC device needs a path, a string (as --block:${name}=PATH)`);
    return blockFile.attach(name, option.path, option.sectorSize);
  }
  if (typeof option.spec !== "string") throw new TenderError(`devices.${name}: a NET_BASIC device needs a spec, a string (as --net:${name}=SPEC)`);
  return attachNet(name, option.spec, option.mac, ctx);
}

/** --net:NAME=SPEC: tap:IFNAME or a bare IFNAME (as Solo5), udp:..., hub:NAME. */
function attachNet(name: string, spec: string, mac: string | undefined, ctx: AttachContext) {
  const address = mac === undefined ? randomMac() : parseMac(`--net-mac:${name}`, mac);
  const colon = spec.indexOf(":");
  const [backend, rest] = colon < 0 ? ["tap", spec] : [spec.slice(0, colon), spec.slice(colon + 1)];
  switch (backend) {
    case "tap":
      return netTap.attach(name, rest, address);
    case "udp":
      return netUdp.attach(name, rest, address, ctx.wake);
    case "hub":
      return netHub.attach(name, rest, address, ctx.wake);
    default:
      throw new TenderError(
        `--net:${name}=${spec}: unknown network backend ${backend}: use tap:IFNAME (or a bare IFNAME), udp:local=HOST:PORT,remote=HOST:PORT or hub:NAME`,
      );
  }
}

export function openBackend(spec: DeviceSpec, ctx: OpenContext): Backend {
  switch (spec.kind) {
    case "file":
      return { type: "BLOCK_BASIC", block: blockFile.open(spec) };
    case "tap":
      return { type: "NET_BASIC", net: netTap.open(spec, ctx.trace) };
    case "ring":
      return { type: "NET_BASIC", net: openRingNet(spec, ctx.trace) };
  }
}

/** The descriptors a guest's thread must sleep on in yield (its TAP devices). */
export const pollFds = (specs: readonly DeviceSpec[]): number[] =>
  specs.flatMap((s) => (s.kind === "tap" ? [s.fd] : []));
