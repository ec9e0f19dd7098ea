// Density: how many small guests (1 MiB of memory each, blocked in yield) one process
// holds, what each costs in RSS, and how long each takes to boot, in a guest pool
// (many guests per thread, core/pool/scheduler.ts) against a Worker per guest (start()).
// The count's baseline is the engine's own ceiling: bare instances, each with its own
// 1 MiB memory, held by one thread (V8 reserves 10 GiB of address space per memory,
// and a process has 128 TiB).
//
// Each measurement runs in a child process of its own (`node density.mjs child MODE
// N`): RSS then belongs to that run alone, and the runs that go to the limit cannot
// harm this one.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import wabtInit from "wabt";

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, "../..");
const SLEEPER_SOURCE = path.join(ROOT, "tests/guests/sleeper.ts");
const SLEEPER = path.join(HERE, "build/sleeper.wasm");
/** Guests the pool's count stops at if nothing refuses first. */
const POOL_CAP = 20000;
const MIB = 1 << 20;

async function buildSleeper() {
  const { compileGuestCached } = await import("../../dist/build/compile.js");
  await compileGuestCached(SLEEPER_SOURCE, SLEEPER);
}

/** Runs `child MODE N` in a fresh process; its last stdout line is a JSON result. */
function child(mode, n) {
  const r = spawnSync(process.execPath, [fileURLToPath(import.meta.url), "child", mode, String(n)], {
    encoding: "utf8",
    maxBuffer: 64 * MIB,
  });
  const last = r.stdout.trim().split("\n").pop();
  if (r.status !== 0 || !last?.startsWith("{")) throw new Error(`density child ${mode} ${n} failed (${r.status}): ${r.stderr.slice(-2000)}`);
  return JSON.parse(last);
}

/**
 * Figure names stay the same with --quick (fewer guests: 2,000 held and 10 Workers,
 * against 10,000 and 40), so results can be compared across runs.
 */
export async function densityFigures({ quick }) {
  await buildSleeper();
  const held = quick ? 2000 : 10000;
  const workers = quick ? 10 : 40;
  const pool = child("pool", held);
  const worker = child("worker", workers);
  const max = child("pool-max", POOL_CAP);
  const bare = child("bare-max", POOL_CAP);
  const minimal = child("pool-wat", held);
  const bareRss = child("bare-rss", held);
  return [
    { name: "density: guests one process holds in a pool (1 MiB each, in yield)", unit: "guests", value: max.count, baseline: bare.count },
    { name: "density: RSS per pooled guest, against a Worker per guest", unit: "KiB", value: pool.rssPerGuest / 1024, baseline: worker.rssPerGuest / 1024 },
    { name: "density: boot per pooled guest until it waits in yield, against a Worker per guest", unit: "ms", value: pool.msPerBoot, baseline: worker.msPerBoot },
    // What the pool itself costs per guest: a WAT guest that touches one page of its memory.
    { name: "density: RSS per pooled minimal guest, against a bare instance with its own 1 MiB memory", unit: "KiB", value: minimal.rssPerGuest / 1024, baseline: bareRss.rssPerGuest / 1024 },
  ];
}

// ---- in the child process ----

/** Starts `n` sleepers with `start` and waits until each has said it sleeps; RSS and time per guest. */
async function hold(start, n) {
  let sleeping = 0;
  let allAsleep;
  const asleep = new Promise((resolve) => (allAsleep = resolve));
  const options = (i) => ({
    mem: 1,
    args: ["--solo5:quiet", `g${i}`, "forever"],
    stdout: () => ++sleeping === n + 1 && allAsleep(),
    stderr: (line) => console.error(line),
  });
  const first = await start(0, options(0)); // warm: thread, kernel, first instance
  while (sleeping < 1) await new Promise((r) => setTimeout(r, 1));
  const rss0 = process.memoryUsage().rss;
  const t0 = performance.now();
  const guests = [first];
  for (let i = 1; i <= n; i++) guests.push(await start(i, options(i)));
  await asleep;
  const ms = performance.now() - t0;
  const rss = process.memoryUsage().rss - rss0;
  return { guests, result: { count: n, rssPerGuest: rss / n, msPerBoot: ms / n } };
}

/** Starts sleepers until one is refused (or `cap`): how many one process holds. */
async function holdMax(pool, kernel, cap) {
  let count = 0;
  for (; count < cap; count++) {
    let asleep;
    const slept = new Promise((resolve) => (asleep = () => resolve(true)));
    const guest = await pool.start(kernel, { mem: 1, args: ["--solo5:quiet", `g${count}`, "forever"], stdout: () => asleep(), stderr: () => {} });
    if (!(await Promise.race([slept, guest.exited.then(() => false)]))) break;
  }
  return { count };
}

/** A minimal guest: writes one byte of console (its "asleep" signal), then yields with no deadline. */
const MINIMAL = `(module
  (import "env" "memory" (memory 1))
  (import "solo5" "console_write" (func $write (param i32 i32)))
  (import "solo5" "yield" (func $yield (param i64 i32)))
  (global (export "__heap_base") i32 (i32.const 1024))
  (func (export "solo5_app_main") (param i32) (result i32)
    (call $write (i32.const 0) (i32.const 1)) (call $yield (i64.const -1) (i32.const 0)) (i32.const 0)))`;

/** A bare instance: its own memory, one byte of data (so one page touched, as the minimal guest's start info). */
const BARE = `(module (import "env" "memory" (memory 1)) (data (i32.const 1024) "x"))`;

/** Bare instances, each with its own 1 MiB memory, until `cap` or the engine refuses. */
async function bareInstances(cap) {
  const keep = [];
  const module = new WebAssembly.Module(await watBytes(BARE));
  const rss0 = process.memoryUsage().rss;
  try {
    while (keep.length < cap) {
      const memory = new WebAssembly.Memory({ initial: 16, maximum: 16 });
      keep.push(new WebAssembly.Instance(module, { env: { memory } }));
    }
  } catch {
    // The engine's refusal is the count.
  }
  return { count: keep.length, rssPerGuest: (process.memoryUsage().rss - rss0) / keep.length };
}

async function watBytes(text) {
  const module = (await wabtInit()).parseWat("minimal.wat", text);
  try {
    return new Uint8Array(module.toBinary({}).buffer);
  } finally {
    module.destroy();
  }
}

async function childMain(mode, n) {
  const lib = await import("../../dist/node/index.js");
  const bytes = fs.readFileSync(SLEEPER);
  let result;
  if (mode === "bare-max" || mode === "bare-rss") {
    result = await bareInstances(n);
  } else if (mode === "worker") {
    const kernel = await lib.loadKernel(bytes, lib.NODE_KERNELS);
    const { guests, result: r } = await hold((_i, o) => lib.start(kernel, o), n);
    await Promise.all(guests.map((g) => g.stop()));
    result = r;
  } else {
    const pool = lib.createGuestPool();
    const kernel = await lib.loadPooledKernel(mode === "pool-wat" ? await watBytes(MINIMAL) : bytes);
    result = mode === "pool-max" ? await holdMax(pool, kernel, n) : (await hold((_i, o) => pool.start(kernel, o), n)).result;
    await pool.close();
  }
  console.log(JSON.stringify(result));
}

if (process.argv[2] === "child") await childMain(process.argv[3], Number(process.argv[4]));
