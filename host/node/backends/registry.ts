// The Node host's devices: every device type with its backends, in one list. The
// CLI's help and option parser, what start() attaches, what a guest's thread opens
// and how refusals name options are all made from it: a new backend is one module
// added to its type's list (docs/architecture.md).
import { opener, type AttachContext, type AttachedDevice, type DeviceSpec } from "../../core/backend.js";
import { TenderError } from "../../core/errors.js";
import { nearest } from "../../core/nearest.js";
import { block, type BlockOption } from "./block.js";
import type { NodeBackend, NodeDeviceType } from "./device-type.js";
import { net, type NetOption } from "./net.js";

/** How the library attaches a device: what --net:NAME=SPEC / --block:NAME=PATH and their settings say. */
export type DeviceOption = NetOption | BlockOption;

export const DEVICE_TYPES: readonly NodeDeviceType<DeviceOption>[] = [net, block];

const BACKENDS: readonly NodeBackend<object, DeviceSpec>[] = DEVICE_TYPES.flatMap((t) => t.backends);
const byKind = new Map(BACKENDS.map((b) => [b.kind, b] as const));

/** Attaches device `name` on the main thread; its type was checked (prepareStart). */
export function attachDevice(name: string, option: DeviceOption, ctx: AttachContext): Promise<AttachedDevice> {
  const type = DEVICE_TYPES.find((t) => t.type === option.type)!;
  const [main] = type.flags;
  // The library's callers pass whatever JavaScript they have; a misspelt field
  // ({ macc }) would otherwise be dropped without a word.
  const fields = ["type", ...type.flags.map((f) => f.field)];
  for (const field of Object.keys(option)) {
    if (fields.includes(field)) continue;
    const near = nearest(field, fields);
    throw new TenderError(`devices.${name}.${field}: a ${type.type} device has no such field: ${near === undefined ? "" : `did you mean ${near}? `}its fields are ${fields.join(", ")}`);
  }
  if (typeof (option as unknown as Record<string, unknown>)[main.field] !== "string") {
    throw new TenderError(`devices.${name}: a ${type.type} device needs a ${main.field}, a string (as ${main.flag}:${name}=${main.value})`);
  }
  return type.attach(name, option, ctx);
}

/**
 * Whether a guest with these devices can run on the thread that attaches them, which
 * it then holds until it ends: not if one of them is a frame ring (a hub's port, a
 * udp: socket), whose other end that thread serves from its event loop. Unknown
 * device types and backends say no: attaching them refuses them anyway.
 */
export function canRunOnStartingThread(devices: Readonly<Record<string, DeviceOption>>): boolean {
  return Object.values(devices).every((option) => {
    const type = DEVICE_TYPES.find((t) => t.type === option?.type);
    const backend = type?.backendOf(option as never);
    return backend !== undefined && backend.kind !== "ring";
  });
}

/** Opens a device on the guest's thread. */
export const openDevice = opener(BACKENDS);

/** The descriptors a guest's thread must sleep on in yield (its TAP devices). */
export const pollFds = (specs: readonly DeviceSpec[]): number[] =>
  specs.flatMap((spec) => {
    const fd = byKind.get(spec.kind)?.pollFd?.(spec);
    return fd === undefined ? [] : [fd];
  });
