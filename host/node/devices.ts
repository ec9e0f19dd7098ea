// Attaching devices in Node. Each backend is one module with two halves: attach()
// runs on the main thread before the guest starts (opens, checks, refuses early) and
// returns a structured-cloneable spec; open() runs in the guest's worker and builds
// the Backend the core's hypercalls use.
import type { Backend } from "../core/index.js";
import { TenderError } from "../core/index.js";
import * as blockFile from "./block-file.js";

/** How the user attached a device: what --net:NAME=SPEC / --block:NAME=PATH say. */
export type DeviceOption =
  | { type: "NET_BASIC"; spec: string; mac?: string }
  | { type: "BLOCK_BASIC"; path: string; sectorSize?: number };

/** What the worker needs to open a device's backend; tagged by backend kind. */
export type DeviceSpec = blockFile.Spec;

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
  control: Int32Array;
}

export function attachDevice(name: string, option: DeviceOption, _ctx: AttachContext): AttachedDevice {
  if (option.type === "BLOCK_BASIC") return blockFile.attach(name, option.path, option.sectorSize);
  throw new TenderError(`--net:${name}=${option.spec}: network backends are not available in this build`);
}

export function openBackend(spec: DeviceSpec, _ctx: OpenContext): Backend {
  switch (spec.kind) {
    case "file":
      return { type: "BLOCK_BASIC", block: blockFile.open(spec) };
  }
}
