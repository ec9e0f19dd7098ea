// Device backends: what a guest's devices are attached to (a file, a TAP interface,
// a hub port, a page's OPFS file). Each backend is one module with two halves, as
// Solo5's hvt_module_*.c are: attach() runs on the thread that starts the guest
// (opens, checks, refuses before the guest runs) and makes a structured-cloneable
// spec; open() runs on the guest's thread and makes of the spec the NetBackend or
// BlockBackend its hypercalls use. Each host lists its backends in one registry
// (host/node/backends/, host/browser/backends/) with the option syntax its users
// choose them by; this file is what every registry has in common.
import type { DeviceType } from "./abi.js";

export interface NetBackend {
  /** 6 bytes. */
  readonly mac: Uint8Array;
  /** Excludes the Ethernet header. */
  readonly mtu: number;
  /** Sends one frame; a frame the backend cannot take now is dropped and counted. */
  write(frame: Uint8Array): void;
  /** Copies the next waiting frame into `buf` (at least mtu + 14 bytes); its length, or -1 if none. */
  read(buf: Uint8Array): number;
  /** True when read() would return a frame. */
  hasInput(): boolean;
  /** What it is attached to, for logs: "tap:tap100". */
  describe(): string;
  /** Counters for --trace and debug logs: "rx 10 tx 12 dropped 0". */
  stats(): string;
}

export interface BlockBackend {
  /** Bytes; a multiple of blockSize. */
  readonly capacity: number;
  /** Bytes: a power of two from 512 to 32768. */
  readonly blockSize: number;
  /**
   * Fills `length` bytes of `memory` from `at` with the device's bytes from `offset`;
   * throws HostIoError when the storage fails (the guest gets EUNSPEC). (Memory and range rather than a subarray:
   * making a view of guest memory per call costs about a tenth of a 4 KiB read.)
   */
  read(offset: number, memory: Uint8Array, at: number, length: number): void;
  /** Writes `length` bytes of `memory` from `at` at byte `offset`, all before returning; throws HostIoError when the storage fails. */
  write(offset: number, memory: Uint8Array, at: number, length: number): void;
  describe(): string;
  stats(): string;
}

/** What the guest's device table holds for a device: its backend, by type. */
export type Backend = { type: "NET_BASIC"; net: NetBackend } | { type: "BLOCK_BASIC"; block: BlockBackend };

/** What attach() hands the guest's thread; structured-cloneable, tagged by the kind of backend that opens it. */
export interface DeviceSpec {
  readonly kind: string;
  /** The device's manifest name. */
  readonly name: string;
}

/** The starting thread's half of an attached device, closed when the guest has ended. */
export interface AttachedDevice<S extends DeviceSpec = DeviceSpec> {
  readonly spec: S;
  close(): void;
}

/** The guest thread's half: the backend, and what releases it when the guest has ended. */
export interface OpenedDevice {
  readonly backend: Backend;
  close?(): void;
}

/** What a backend may use while it attaches. */
export interface AttachContext {
  /** Wakes the guest if it sleeps in yield (after a frame was queued for it). */
  wake(): void;
}

/** What a backend may use on the guest's thread. */
export interface OpenContext {
  /** With --trace: reports events no hypercall shows (dropped frames). */
  trace?: (line: string) => void;
  /** Says a fault the guest goes on through (a TAP interface deleted), one stderr line, once. */
  warn?: (line: string) => void;
}

/** One backend as every registry holds it; `P` is what its option is parsed into, `S` its spec. */
export interface BackendModule<P = object, S extends DeviceSpec = DeviceSpec> {
  readonly type: DeviceType;
  /** The kind of spec it makes (backends whose devices are frame rings share "ring", and one open). */
  readonly kind: S["kind"];
  /** The starting thread's half; refusals are TenderErrors naming the option (options.ts). */
  attach(name: string, params: P, ctx: AttachContext): AttachedDevice<S> | Promise<AttachedDevice<S>>;
  /** The guest thread's half. */
  open(spec: S, ctx: OpenContext): OpenedDevice | Promise<OpenedDevice>;
}

/**
 * The guest thread's half of a registry: opens a spec with the backend of its kind.
 * Synchronous when the backends' open() are (a pool's thread cannot wait for promises).
 */
export function opener<R extends OpenedDevice | Promise<OpenedDevice>>(
  modules: readonly { kind: string; open(spec: DeviceSpec, ctx: OpenContext): R }[],
): (spec: DeviceSpec, ctx: OpenContext) => R {
  const byKind = new Map(modules.map((m) => [m.kind, m] as const));
  return (spec, ctx) => {
    const module = byKind.get(spec.kind);
    if (!module) throw new Error(`no backend opens a device of kind ${spec.kind}`);
    return module.open(spec, ctx);
  };
}
