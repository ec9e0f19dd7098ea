// The core in this process, against a fake platform: a guest's hypercall table over
// a memory of its own, with devices whose backends are plain arrays, a clock the
// test moves and a waiter that "sleeps" by moving it. No thread, no module needed:
// each test calls the hypercalls as a guest's imports would.
import { endGuest } from "../../dist/core/context.js";
import { DeviceTable } from "../../dist/core/devices.js";
import { hypercalls } from "../../dist/core/hypercalls/index.js";
import { Log } from "../../dist/core/log.js";
import { GuestMemory } from "../../dist/core/memory.js";
import { GuestEnded, HYPERCALLS, WASM_PAGE } from "../../dist/core/index.js";

const decoder = new TextDecoder();

/** A platform whose output is collected and whose clock moves only when told (or when the guest sleeps). */
export function fakePlatform({ wallOffset = 1_700_000_000_000_000_000n } = {}) {
  const p = {
    now: 0n,
    out: "",
    err: [],
    /** Deadlines the guest slept until. */
    sleeps: [],
    /** Runs when the guest sleeps, before its clock moves (a frame arriving, say). */
    onSleep: undefined,
    stdout: (bytes) => (p.out += decoder.decode(bytes)),
    stderr: (line) => p.err.push(line),
    monotonicNs: () => p.now,
    wallNs: () => p.now + wallOffset,
    waiter: {
      arm: () => true,
      wait(deadline) {
        p.sleeps.push(deadline);
        if (p.onSleep) p.onSleep();
        else p.now = deadline;
      },
    },
    randomFill: (bytes) => bytes.fill(0xa5),
  };
  return p;
}

/** A net device backed by arrays: `inbox` frames for the guest, `sent` frames from it. */
export function fakeNet({ mac = [2, 0, 0, 0, 0, 1], mtu = 1500 } = {}) {
  const net = {
    mac: Uint8Array.from(mac),
    mtu,
    inbox: [],
    sent: [],
    write: (frame) => net.sent.push(Uint8Array.from(frame)),
    read(buf) {
      const frame = net.inbox.shift();
      if (!frame) return -1;
      buf.set(frame);
      return frame.length;
    },
    hasInput: () => net.inbox.length > 0,
    describe: () => "fake net",
    stats: () => `sent ${net.sent.length}`,
  };
  return net;
}

/** A block device over an array of `capacity` bytes. */
export function fakeBlock({ capacity = 8192, blockSize = 512 } = {}) {
  const data = new Uint8Array(capacity);
  return {
    data,
    capacity,
    blockSize,
    read: (offset, memory, at, length) => memory.set(data.subarray(offset, offset + length), at),
    write: (offset, memory, at, length) => data.set(memory.subarray(at, at + length), offset),
    describe: () => "fake block",
    stats: () => "",
  };
}

/**
 * A guest's context and hypercalls: `devices` maps names to fake backends in
 * manifest order. `calls` are the imports; an ending (exit, abort, an invalid
 * access) throws as it unwinds a guest, and `ended()` tells what it was.
 */
export function coreGuest({ pages = 1, devices = {}, hooks = [], platform = fakePlatform() } = {}) {
  const memory = new WebAssembly.Memory({ initial: pages, maximum: pages });
  const entries = Object.entries(devices);
  const manifest = { type: "solo5.manifest", version: 1, devices: entries.map(([name, b]) => ({ name, type: "block" in b ? "BLOCK_BASIC" : "NET_BASIC" })) };
  const backends = new Map(entries);
  const ctx = { devices: new DeviceTable(manifest, backends), platform, log: new Log("info", (b) => platform.stdout(b)) };
  ctx.mem = new GuestMemory(memory, (e) => endGuest(ctx, e));
  const calls = hypercalls(ctx, Object.keys(HYPERCALLS), { hooks });
  const bytes = new Uint8Array(memory.buffer);
  const view = new DataView(memory.buffer);
  return {
    calls,
    ctx,
    platform,
    bytes,
    view,
    size: pages * WASM_PAGE,
    /** Writes a NUL-terminated name at `at`; returns `at`. */
    cstring(at, text) {
      bytes.set(new TextEncoder().encode(`${text}\0`), at);
      return at;
    },
    /** What ended the guest: { result } for exit/abort, { message } for a tender error; undefined if nothing did. */
    ended: () => (ctx.ended instanceof GuestEnded ? { result: ctx.ended.result } : ctx.ended && { message: ctx.ended.message }),
  };
}

/** Calls `f` and returns what it threw (the unwinding of the guest), or fails if it returned. */
export function unwinds(f) {
  try {
    f();
  } catch (e) {
    return e;
  }
  throw new Error("the call returned, but should have ended the guest");
}

export const net = (n) => ({ type: "NET_BASIC", net: n });
export const block = (b) => ({ type: "BLOCK_BASIC", block: b });
