// Attaching devices in a page. As in the Node host, each backend has two halves:
// attach() runs in the page before the guest starts (finds storage, checks sizes,
// refuses early) and returns a structured-cloneable spec; open() runs in the guest's
// Web Worker and builds the Backend the core's hypercalls use.
import type { Backend } from "../core/devices.js";
import * as blockMemory from "./block-memory.js";
import * as blockOpfs from "./block-opfs.js";

/** How a page attaches a device, by the name the guest's manifest gives it. */
export type DeviceOption =
  /** In memory: the guest's disk is this buffer (see block-memory.ts). */
  | { type: "BLOCK_BASIC"; memory: ArrayBuffer | SharedArrayBuffer; sectorSize?: number }
  /** A file in the Origin Private File System; `size` (bytes) creates it if missing. */
  | { type: "BLOCK_BASIC"; opfs: string; size?: number; sectorSize?: number };

/** What the worker needs to open a device's backend; tagged by backend kind. */
export type DeviceSpec = blockMemory.Spec | blockOpfs.Spec;

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

export async function attachDevice(name: string, option: DeviceOption): Promise<AttachedDevice> {
  if ("memory" in option) return blockMemory.attach(name, option.memory, option.sectorSize);
  return blockOpfs.attach(name, option.opfs, option.size, option.sectorSize);
}

export async function openDevice(spec: DeviceSpec): Promise<OpenedDevice> {
  switch (spec.kind) {
    case "memory":
      return { backend: { type: "BLOCK_BASIC", block: blockMemory.open(spec) }, close() {} };
    case "opfs":
      return blockOpfs.open(spec);
  }
}
