// Guest pools (host/node/pool.ts): many guests share a thread, each suspended in
// yield while it waits. For every guest the ABI must hold as on its own worker:
// yield returns at its deadline or on input, output and endings are its own, and
// one guest's trap, exit or stop leaves the others running.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { createGuestPool, loadPooledKernel } from "../../dist/node/index.js";
import { example, guest } from "../helpers/paths.mjs";
import { guestWat, wat } from "../helpers/wat.mjs";

const decoder = new TextDecoder();

/**
 * Starts a guest in `pool` with its output collected (and each piece passed to
 * `onOutput`); `exited` gives { status, reason, ..., stdout, stderr }.
 */
async function startIn(pool, kernel, args, { onOutput = () => {}, ...options } = {}) {
  let stdout = "";
  let stderr = "";
  const g = await pool.start(kernel, {
    mem: 2,
    args,
    ...options,
    stdout: (b) => {
      const text = decoder.decode(b);
      stdout += text;
      onOutput(text);
    },
    stderr: (line) => (stderr += `${line}\n`),
  });
  return { stop: () => g.stop(), exited: g.exited.then((r) => ({ ...r, stdout, stderr })), output: () => stdout };
}

let pool;
let sleeper;
beforeAll(async () => {
  sleeper = await loadPooledKernel(fs.readFileSync(guest("sleeper")));
});
beforeEach(() => (pool = createGuestPool()));
afterEach(() => pool.close());

test("many guests on one thread wake at their deadlines, in deadline order, each with its own status", async () => {
  const ms = Array.from({ length: 60 }, (_, i) => 50 + ((i * 37) % 60) * 5); // 50..345 ms, shuffled, no ties
  const woke = [];
  const guests = await Promise.all(
    ms.map((m, i) =>
      startIn(pool, sleeper, ["--solo5:quiet", `g${i}`, String(m), String(i)], {
        onOutput: (text) => text.includes("woke") && woke.push(i),
      }),
    ),
  );
  expect(pool.size).toBe(60);
  const results = await Promise.all(guests.map((g) => g.exited));
  results.forEach((r, i) => expect(r).toEqual(expect.objectContaining({ status: i, reason: "exit", code: i })));
  // Each guest's deadline counts from its own start, and 60 starts spread over some
  // milliseconds (more on a loaded machine): two guests may swap only when their sleeps
  // differ by less than that spread.
  const skew = 30;
  const late = woke.flatMap((g, at) => woke.slice(at + 1).filter((h) => ms[h] + skew < ms[g]).map((h) => `g${h} (${ms[h]} ms) after g${g} (${ms[g]} ms)`));
  expect(late).toEqual([]);
  expect([...woke].sort((a, b) => a - b)).toEqual([...ms.keys()]);
  expect(pool.size).toBe(0);
});

test("each guest's output is its own, and a sleeper sleeps at least as long as asked", async () => {
  const [a, b] = await Promise.all([startIn(pool, sleeper, ["a", "120", "3"]), startIn(pool, sleeper, ["b", "40", "4"])]);
  const [ra, rb] = await Promise.all([a.exited, b.exited]);
  expect(ra.stdout).toMatch(/^Solo5: Bindings version/);
  expect(ra.stdout).toMatch(/a sleeping\na woke (\d+)\nSolo5: solo5_exit\(3\) called\n$/);
  expect(Number(/woke (\d+)/.exec(ra.stdout)[1])).toBeGreaterThanOrEqual(120);
  expect(rb.stdout).toMatch(/b sleeping\nb woke \d+\nSolo5: solo5_exit\(4\) called\n$/);
  expect(rb.stdout).not.toContain("a ");
});

test("Solo5's test_time passes in a pool: yield sleeps as long as asked, not much more", async () => {
  const r = await (await startIn(pool, fs.readFileSync(guest("time")), [])).exited;
  expect(r.stdout).toContain("SUCCESS");
  expect(r.status).toBe(0);
});

test("a trap, an exit and an abort end only their own guest", async () => {
  const sleepers = await Promise.all([1, 2, 3].map((i) => startIn(pool, sleeper, ["--solo5:quiet", `s${i}`, "300", String(i)])));
  const trap = await (await startIn(pool, fs.readFileSync(guest("trap")), ["unreachable"])).exited;
  expect(trap).toEqual(expect.objectContaining({ status: 255, reason: "trap" }));
  expect(trap.stdout).toMatch(/Solo5: trap: unreachable\nSolo5: {3}at .*solo5_app_main/);
  const exit = await (await startIn(pool, fs.readFileSync(guest("exit")), ["exit", "7"])).exited;
  expect(exit).toEqual(expect.objectContaining({ status: 7, reason: "exit", code: 7 }));
  const abort = await (await startIn(pool, fs.readFileSync(guest("abort")), [])).exited;
  expect(abort).toEqual(expect.objectContaining({ status: 255, reason: "abort" }));
  const results = await Promise.all(sleepers.map((g) => g.exited));
  results.forEach((r, i) => expect(r).toEqual(expect.objectContaining({ status: i + 1, reason: "exit" })));
});

test("stop ends a sleeping guest at once; the others sleep on; close stops the rest", async () => {
  const forever = await startIn(pool, sleeper, ["--solo5:quiet", "f", "forever"]);
  const later = await startIn(pool, sleeper, ["--solo5:quiet", "l", "200", "5"]);
  const kept = await startIn(pool, sleeper, ["--solo5:quiet", "k", "forever"]);
  while (!forever.output().includes("sleeping")) await new Promise((r) => setTimeout(r, 5));
  await forever.stop();
  expect(await forever.exited).toEqual(expect.objectContaining({ status: 1, reason: "stopped" }));
  expect(await later.exited).toEqual(expect.objectContaining({ status: 5, reason: "exit" }));
  await pool.close();
  expect(await kept.exited).toEqual(expect.objectContaining({ status: 1, reason: "stopped" }));
  await expect(pool.start(sleeper, { args: ["late", "1"] })).rejects.toThrow(/this guest pool is closed/);
});

test("guests spread over several threads all run", async () => {
  const wide = createGuestPool({ threads: 3 });
  try {
    const guests = await Promise.all(Array.from({ length: 9 }, (_, i) => startIn(wide, sleeper, ["--solo5:quiet", `w${i}`, "30", String(i)])));
    const results = await Promise.all(guests.map((g) => g.exited));
    results.forEach((r, i) => expect(r.status).toBe(i));
  } finally {
    await wide.close();
  }
});

test("the memory asyncify borrows at the start info is the guest's again whenever it runs", async () => {
  // Fills 32 KiB from the start info on with a pattern (over the start info, command
  // line and heap), sleeps 20 ms (suspended and resumed), and checks every byte.
  const bytes = wat(
    guestWat({
      imports: `(import "solo5" "clock_monotonic" (func $now (result i64)))
                (import "solo5" "yield" (func $yield (param i64 i32)))`,
      main: `(func (export "solo5_app_main") (param $si i32) (result i32) (local $i i32)
        (loop $fill
          (i32.store8 (i32.add (local.get $si) (local.get $i)) (i32.xor (local.get $i) (i32.const 0x5a)))
          (br_if $fill (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1))) (i32.const 32768))))
        (call $yield (i64.add (call $now) (i64.const 20000000)) (i32.const 0))
        (local.set $i (i32.const 0))
        (loop $check
          (if (i32.ne (i32.load8_u (i32.add (local.get $si) (local.get $i))) (i32.and (i32.xor (local.get $i) (i32.const 0x5a)) (i32.const 0xff)))
            (then (return (i32.const 1))))
          (br_if $check (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1))) (i32.const 32768))))
        (i32.const 0))`,
    }),
  );
  expect(await (await startIn(pool, bytes, ["--solo5:quiet"])).exited).toEqual(expect.objectContaining({ status: 0, reason: "exit" }));
});

test("a guest whose stack at yield does not fit the borrowed window ends with a message saying so", async () => {
  // Recurses 5000 deep (each frame keeps 4 locals live), then sleeps at the bottom.
  const bytes = wat(
    guestWat({
      imports: `(import "solo5" "yield" (func $yield (param i64 i32)))`,
      main: `(func $deep (param $n i32) (param $a i64) (param $b i64) (param $c i64) (result i64)
          (if (result i64) (i32.eqz (local.get $n))
            (then (call $yield (i64.const -1) (i32.const 0)) (i64.const 0))
            (else (i64.add (call $deep (i32.sub (local.get $n) (i32.const 1)) (local.get $b) (local.get $c) (local.get $a))
                           (i64.add (local.get $a) (i64.add (local.get $b) (local.get $c)))))))
        (func (export "solo5_app_main") (param i32) (result i32)
          (drop (call $deep (i32.const 5000) (i64.const 1) (i64.const 2) (i64.const 3))) (i32.const 0))`,
    }),
  );
  const r = await (await startIn(pool, bytes, ["--solo5:quiet"])).exited;
  expect(r).toEqual(expect.objectContaining({ status: 1, reason: "error" }));
  expect(r.message).toMatch(/stack at yield needs more than \d+ bytes to be suspended on a shared thread: run it on its own worker/);
});

test("two guests on one thread talk over a hub: input wakes a guest waiting in yield", async () => {
  const hub = `hub:pool${process.pid}`;
  const server = await startIn(pool, fs.readFileSync(example("ping-serve")), [], { devices: { service0: { type: "NET_BASIC", spec: hub } } });
  const pinger = await startIn(pool, fs.readFileSync(guest("net-pinger")), ["10.0.0.3/24", "10.0.0.2", "500", "4"], {
    devices: { service0: { type: "NET_BASIC", spec: hub } },
  });
  const r = await pinger.exited;
  expect(r.stdout).toMatch(/net-pinger: 500 replies in \d+ us/);
  expect(r.status).toBe(0);
  await server.stop();
});

test("a block device works in a pool", async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "solo5-pool-"));
  const disk = path.join(dir, "disk.img");
  fs.writeFileSync(disk, Buffer.alloc(1 << 20));
  try {
    const r = await (await startIn(pool, fs.readFileSync(guest("blk")), [], { devices: { storage: { type: "BLOCK_BASIC", path: disk } } })).exited;
    expect(r.stdout).toContain("SUCCESS");
    expect(r.status).toBe(0);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test("refusals reject start() as they do for a guest on its own worker", async () => {
  await expect(pool.start(new Uint8Array([1, 2, 3]))).rejects.toThrow(/not a valid WebAssembly module/);
  await expect(pool.start(sleeper, { mem: 0 })).rejects.toThrow(/--mem=0/);
  await expect(pool.start(sleeper, { memory: 1 })).rejects.toThrow(/^unknown option memory: did you mean mem\?/);
  await expect(pool.start(sleeper, { devices: { disk: { type: "BLOCK_BASIC", path: "/nonexistent" } } })).rejects.toThrow(
    /names a device the guest's manifest does not declare/,
  );
  expect(pool.size).toBe(0);
});
