// Attaching devices in a page. As in the Node host, each backend has two halves:
// attach() runs in the page before the guest starts (finds storage, checks sizes,
// refuses early) and returns a structured-cloneable spec; open() runs in the guest's
// Web Worker and builds the Backend the core's hypercalls use.
import type { Backend } from "../core/devices.js";
import { TenderError } from "../core/errors.js";
import { parseMac, randomMac } from "../core/net/mac.js";
import * as netHub from "../core/net/hub.js";
import { openRingNet } from "../core/net/ring-backend.js";
import type { RingSpec } from "../core/net/ring-port.js";
import * as blockMemory from "./block-memory.js";
import * as blockOpfs from "./block-opfs.js";
import * as netWebSocket from "./net-websocket.js";

/** How a page attaches a device, by the name the guest's manifest gives it. */
export type DeviceOption =
  /** In memory: the guest's disk is this buffer (see block-memory.ts). */
  | { type: "BLOCK_BASIC"; memory: ArrayBuffer | SharedArrayBuffer; sectorSize?: number }
  /** A file in the Origin Private File System; `size` (bytes) creates it if missing. */
  | { type: "BLOCK_BASIC"; opfs: string; size?: number; sectorSize?: number }
  /** An Ethernet switch in this page: guests on the same hub name share a segment. MAC default: random. */
  | { type: "NET_BASIC"; hub: string; mac?: string }
  /** A WebSocket carrying a frame per message, e.g. to `solo5-wasm bridge`. */
  | { type: "NET_BASIC"; websocket: string; mac?: string };

/** What the worker needs to open a device's backend; tagged by backend kind. */
export type DeviceSpec = blockMemory.Spec | blockOpfs.Spec | RingSpec;

/** The page's half of an attached device, closed when the guest has ended. */
export interface AttachedDevice {
  readonly spec: DeviceSpec;
  close(): void;
}

/** The worker's half: the backend, and what releases it when the guest has ended. */
export interface OpenedDevice {
  readonly backend: Backend;
  close(): void;
}

/** `wake` wakes the guest if it sleeps in yield (after a frame was queued for it). */
export async function attachDevice(name: string, option: DeviceOption, wake: () => void): Promise<AttachedDevice> {
  if ("memory" in option) return blockMemory.attach(name, option.memory, option.sectorSize);
  if ("opfs" in option) return blockOpfs.attach(name, option.opfs, option.size, option.sectorSize);
  const mac = option.mac === undefined ? randomMac() : parseMac(`devices.${name}.mac`, option.mac);
  if ("hub" in option) {
    if (option.hub === "") throw new TenderError(`devices.${name}: name the hub, e.g. { hub: "lan" } (guests on the same name share it)`);
    return netHub.attach(name, option.hub, mac, wake);
  }
  return netWebSocket.attach(name, option.websocket, mac, wake);
}

/** `trace`, with RunOptions.trace, hears of frames dropped on the way (no hypercall shows those). */
export async function openDevice(spec: DeviceSpec, trace?: (line: string) => void): Promise<OpenedDevice> {
  switch (spec.kind) {
    case "memory":
      return { backend: { type: "BLOCK_BASIC", block: blockMemory.open(spec) }, close() {} };
    case "opfs":
      return blockOpfs.open(spec);
    case "ring":
      return { backend: { type: "NET_BASIC", net: openRingNet(spec, trace) }, close() {} };
  }
}
