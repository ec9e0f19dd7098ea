// The tenders the hypercall fuzzer runs its guest under, each with its own way of
// attaching the guest's three devices: the Node library (a worker thread per guest),
// a guest pool (guests sharing one thread, yield made resumable) and the browser
// host (its start path and Web Worker bundle, under Node: lib/browser-in-node.mjs).
import fs from "node:fs";
import path from "node:path";
import { browserHost } from "../lib/browser-in-node.mjs";
import { STORAGE_BYTES } from "./tape.mjs";

let hubs = 0;

/** Node's devices: real files under `dir`, a hub of the guest's own. */
function fileDevices(dir, tape) {
  const tapePath = path.join(dir, "tape.img");
  const storagePath = path.join(dir, "storage.img");
  fs.writeFileSync(tapePath, tape);
  fs.writeFileSync(storagePath, new Uint8Array(STORAGE_BYTES));
  return {
    tape: { type: "BLOCK_BASIC", path: tapePath },
    storage: { type: "BLOCK_BASIC", path: storagePath },
    service0: { type: "NET_BASIC", spec: `hub:fuzz-hypercalls-${hubs++}` },
  };
}

/** A page's devices: buffers in memory, a hub of the page's. */
function memoryDevices(tape) {
  const tapeBuffer = new SharedArrayBuffer(tape.length);
  new Uint8Array(tapeBuffer).set(tape);
  return {
    tape: { type: "BLOCK_BASIC", memory: tapeBuffer },
    storage: { type: "BLOCK_BASIC", memory: new SharedArrayBuffer(STORAGE_BYTES) },
    service0: { type: "NET_BASIC", hub: `fuzz-hypercalls-${hubs++}` },
  };
}

/** { load(bytes), start(kernel, options, tape), close() } for a host's name. */
export const HOSTS = {
  async thread(dir) {
    const lib = await import("../../dist/node/index.js");
    return { load: lib.loadKernel, start: (k, o, tape) => lib.start(k, { ...o, devices: fileDevices(dir, tape) }), close: async () => {} };
  },
  async pool(dir) {
    const lib = await import("../../dist/node/index.js");
    const pool = lib.createGuestPool();
    return { load: lib.loadPooledKernel, start: (k, o, tape) => pool.start(k, { ...o, devices: fileDevices(dir, tape) }), close: () => pool.close() };
  },
  async browser() {
    const lib = await browserHost();
    return { load: lib.loadKernel, start: (k, o, tape) => lib.start(k, { ...o, devices: memoryDevices(tape) }), close: async () => {} };
  },
};
