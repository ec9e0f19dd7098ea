// The guest's devices: the manifest's entries, each with the backend attached to it.
// Handle = index in the manifest + 1; a device must be acquired before use, once.
import type { DeviceType } from "./abi.js";
import { TenderError } from "./errors.js";
import type { Backend, BlockBackend, NetBackend } from "./backend.js";
import type { Manifest } from "./manifest.js";
import { OptionRefusal, deviceOption } from "./options.js";

/** What the user attached: device name -> type (the option that named it). */
export type Attachments = ReadonlyMap<string, DeviceType>;

/** Every declared device attached, every attached device declared, types agreeing. */
export function checkAttachments(manifest: Manifest, attached: Attachments): void {
  const declared = new Map(manifest.devices.map((d) => [d.name, d.type] as const));
  for (const [name, type] of attached) {
    const key = deviceOption(name, type);
    const want = declared.get(name);
    if (want === undefined) {
      const names = manifest.devices.map((d) => d.name).join(", ") || "none";
      throw new OptionRefusal(key, (w) => `${w.name(key)} names a device the guest's manifest does not declare (declared: ${names})`);
    }
    if (want !== type) {
      throw new OptionRefusal(key, (w) => `device ${name} is ${want} in the guest's manifest, attach it with ${w.attach(name, want)}, not ${w.kind(type)}`);
    }
  }
  for (const { name, type } of manifest.devices) {
    if (!attached.has(name)) {
      throw new OptionRefusal(deviceOption(name, type), (w) => `the guest's manifest declares ${type} device ${name}, which is not attached: add ${w.attach(name, type)}`);
    }
  }
}

interface Entry {
  name: string;
  backend: Backend;
  acquired: boolean;
}

export class DeviceTable {
  /** Indexed by handle; slot 0 is unused. */
  private readonly entries: (Entry | undefined)[] = [undefined];
  /** Acquired net devices, for yield: each one's bit in yield's ready set (1n << handle, made once: BigInts are not free). */
  readonly nets: { bit: bigint; net: NetBackend }[] = [];

  constructor(manifest: Manifest, backends: ReadonlyMap<string, Backend>) {
    for (const { name, type } of manifest.devices) {
      const backend = backends.get(name);
      if (!backend || backend.type !== type) throw new TenderError(`device ${name} (${type}) has no backend attached`);
      this.entries.push({ name, backend, acquired: false });
    }
  }

  /** The handle of a device not yet acquired, of this type; 0 if none. */
  acquire(name: string, type: DeviceType): number {
    const handle = this.entries.findIndex((e) => e?.name === name);
    const entry = this.entries[handle];
    if (!entry || entry.backend.type !== type || entry.acquired) return 0;
    entry.acquired = true;
    if (entry.backend.type === "NET_BASIC") this.nets.push({ bit: 1n << BigInt(handle), net: entry.backend.net });
    return handle;
  }

  /** The backend behind an acquired handle of this type, or undefined. */
  net(handle: number): NetBackend | undefined {
    const b = this.entries[handle >>> 0];
    return b?.acquired && b.backend.type === "NET_BASIC" ? b.backend.net : undefined;
  }

  block(handle: number): BlockBackend | undefined {
    const b = this.entries[handle >>> 0];
    return b?.acquired && b.backend.type === "BLOCK_BASIC" ? b.backend.block : undefined;
  }

  /** Bit N set: acquired net device N has a frame waiting. */
  readySet(): bigint {
    let set = 0n;
    for (const { bit, net } of this.nets) if (net.hasInput()) set = set === 0n ? bit : set | bit;
    return set;
  }

  /** Every backend, for closing and statistics at exit. */
  backends(): { name: string; backend: Backend }[] {
    return this.entries.filter((e): e is Entry => e !== undefined);
  }
}
