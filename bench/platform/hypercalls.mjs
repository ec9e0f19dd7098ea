// Hypercall cost against an empty import of the same wasm type, called from the same
// module (guests/hypercalls.wat), with the core's own hypercall functions behind the
// solo5 imports: what a guest pays per call, and the floor that any import costs.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { DeviceTable } from "../../dist/core/devices.js";
import { hypercalls } from "../../dist/core/hypercalls/index.js";
import { Log } from "../../dist/core/log.js";
import { GuestMemory } from "../../dist/core/memory.js";
import { attachDevice, openDevice } from "../../dist/node/backends/registry.js";
import { AtomicsWaiter, newControl } from "../../dist/core/index.js";
import { monotonicNs, wallNs } from "../../dist/node/clock.js";
import { sideBySide } from "./stats.mjs";

const min = (xs) => Math.min(...xs);
import { watBytes } from "./wat.mjs";

const CALLS = ["clock_monotonic", "clock_wall", "console_write", "yield", "block_acquire", "block_read", "net_acquire", "net_write"];
/** Each measured hypercall, the loop of its floor, and how it reads in the table. */
const PAIRS = [
  ["clock_monotonic", "floor_i64", "clock_monotonic"],
  ["clock_wall", "floor_i64", "clock_wall"],
  // A clock reading is a new i64 each time, so a new BigInt: this floor makes one too.
  ["clock_monotonic", "floor_fresh_i64", "clock_monotonic over an import returning a new i64"],
  ["console_write", "floor_i32_i32", "console_write of 0 bytes"],
  ["yield", "floor_i64_i32", "yield(0)"],
  ["block_read", "floor_i32_i64_i32_i32", "block_read of one 512-byte sector (file)"],
  // These two after the guest has acquired its hub device (yield then asks it for input).
  ["yield", "floor_i64_i32", "yield(0) with a hub device acquired"],
  ["net_write", "floor_i32_i32_i32", "net_write of 60 bytes to a hub"],
];
const NEEDS_NET = new Set(["yield(0) with a hub device acquired", "net_write of 60 bytes to a hub"]);
let counter = 0n;
const FLOORS = {
  empty_i64: () => 0n,
  fresh_i64: () => counter++,
  empty_i32_i32: () => {},
  empty_i64_i32: () => {},
  empty_i32_i64_i32_i32: () => 0,
  empty_i32_i32_i32: () => 0,
};
/** Each timed run lasts about this long. */
const RUN_MS = 20;

/** Devices of the bench guest: a block file, and a hub port when this build has hub: (else none). */
async function attachDevices(dir) {
  const control = newControl();
  const file = path.join(dir, "disk.img");
  fs.writeFileSync(file, Buffer.alloc(1 << 20));
  const attached = [await attachDevice("storage", { type: "BLOCK_BASIC", path: file }, { wake: () => {} })];
  try {
    attached.push(await attachDevice("service0", { type: "NET_BASIC", spec: "hub:bench-platform" }, { wake: () => {} }));
  } catch {
    // No hub backend in this build: the net_write figure is left out.
  }
  const backends = new Map(attached.map((d) => [d.spec.name, openDevice(d.spec, {}).backend]));
  return { backends, control, blockFd: attached[0].spec.fd, close: () => attached.forEach((d) => d.close()) };
}

/** block_read against the host work it wraps: a bare positioned read of the same sector. */
async function overPread(g, n, fd, quick) {
  const into = new Uint8Array(512);
  const pread = () => {
    for (let i = 0; i < n; i++) fs.readSync(fd, into, 0, 512, 0);
  };
  const [tc, tf] = await sideBySide(() => g.block_read(n), pread, quick ? 5 : 15, min);
  return { name: "hypercall: block_read over a bare fs.readSync of the sector", unit: "ns/call", value: (tc * 1e6) / n, baseline: (tf * 1e6) / n };
}

export async function hypercallFigures({ quick }) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "solo5-bench-"));
  const { backends, control, blockFd, close } = await attachDevices(dir);
  try {
    const memory = new WebAssembly.Memory({ initial: 1, maximum: 1 });
    const mem = new GuestMemory(memory, (e) => {
      throw e;
    });
    const manifest = {
      type: "solo5.manifest",
      version: 1,
      devices: [
        { name: "storage", type: "BLOCK_BASIC" },
        { name: "service0", type: "NET_BASIC" },
      ].filter((d) => backends.has(d.name)),
    };
    const platform = {
      stdout: () => {},
      stderr: (line) => console.error(line),
      monotonicNs,
      wallNs,
      waiter: new AtomicsWaiter(control, monotonicNs),
    };
    const devices = new DeviceTable(manifest, backends);
    const solo5 = hypercalls({ mem, devices, platform, log: new Log("error", () => {}) }, CALLS);
    const module = await WebAssembly.compile(await watBytes("hypercalls"));
    const g = new WebAssembly.Instance(module, { env: { memory }, solo5, bench: FLOORS }).exports;
    if (g.acquire_block() !== 0) throw new Error("block_acquire failed");
    const figures = [];
    let hasNet;
    for (const [call, floor, label] of PAIRS) {
      if (NEEDS_NET.has(label)) hasNet ??= backends.has("service0") && g.acquire_net() === 0;
      if (NEEDS_NET.has(label) && !hasNet) continue;
      // Size the loop so one run takes about RUN_MS.
      let n = 1000;
      const t = performance.now();
      g[call](n);
      n = Math.max(1000, Math.round((n * RUN_MS) / Math.max(performance.now() - t, 0.01)));
      // Warm both before timing: in one fresh process of seven, console_write's whole
      // first run of rounds came out at 3.4x its floor and never again (no deopt in
      // --trace-deopt): the rounds ran before the optimized host code was in place.
      for (let i = 0; i < 3; i++) g[call](n), g[floor](n);
      const [tc, tf] = await sideBySide(() => g[call](n), () => g[floor](n), quick ? 5 : 15, min);
      figures.push({ name: `hypercall: ${label}`, unit: "ns/call", value: (tc * 1e6) / n, baseline: (tf * 1e6) / n });
      if (call === "block_read") figures.push(await overPread(g, n, blockFd, quick));
    }
    return figures;
  } finally {
    close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
