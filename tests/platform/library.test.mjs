// The library API: many guests at once in one process, stopping a guest from the
// outside wherever it is, refusals as exceptions, yield sleeping without CPU.
import fs from "node:fs";
import { loadKernel, run, start, TenderError } from "../../dist/node/index.js";
import { example } from "../helpers/paths.mjs";
import { guestWat, wat } from "../helpers/wat.mjs";

const YIELD = `(import "solo5" "yield" (func $yield (param i64 i32)))`;
const MONOTONIC = `(import "solo5" "clock_monotonic" (func $now (result i64)))`;
const quiet = { mem: 2, stdout: () => {}, stderr: () => {} };

/** Sleeps forever in yield (no deadline). */
const sleeper = () => wat(guestWat({ imports: YIELD, body: "(call $yield (i64.const -1) (i32.const 0))" }));
/** Spins forever without a hypercall. */
const spinner = () => wat(guestWat({ body: "(loop $l (br $l))" }));
/** Sleeps `ms` then returns `status`. */
const napper = (ms, status) =>
  wat(guestWat({
    imports: `${YIELD} ${MONOTONIC}`,
    main: `(func (export "solo5_app_main") (param i32) (result i32)
      (call $yield (i64.add (call $now) (i64.const ${ms * 1e6})) (i32.const 0)) (i32.const ${status}))`,
  }));

test("runs a guest from bytes and from a loaded kernel", async () => {
  const bytes = fs.readFileSync(example("hello"));
  const kernel = await loadKernel(bytes);
  expect(kernel.manifest.devices).toEqual([]);
  for (const k of [bytes, kernel, kernel]) {
    let out = "";
    const r = await run(k, { ...quiet, args: ["Hello_Solo5"], stdout: (b) => (out += Buffer.from(b)) });
    expect(r).toEqual({ status: 0, reason: "exit", code: 0 });
    expect(out).toContain("SUCCESS");
  }
});

test("eight guests run at once in one process", async () => {
  const t0 = performance.now();
  const results = await Promise.all([5, 3, 8, 1, 7, 2, 6, 4].map((n) => run(napper(400, n), quiet)));
  expect(results.map((r) => r.status)).toEqual([5, 3, 8, 1, 7, 2, 6, 4]);
  // One after another they would need 8 x 400 ms; together, a little over 400 ms.
  expect(performance.now() - t0).toBeLessThan(8 * 400);
});

test.each([
  ["blocked in yield", sleeper],
  ["spinning without hypercalls", spinner],
])("a guest %s is stopped from outside", async (_what, guest) => {
  const g = await start(guest(), quiet);
  const raced = await Promise.race([g.exited, new Promise((r) => setTimeout(() => r("running"), 300))]);
  expect(raced).toBe("running");
  await g.stop();
  expect(await g.exited).toEqual({ status: 1, reason: "stopped", message: "stopped from outside" });
});

test("yield sleeps without burning CPU", async () => {
  const before = process.cpuUsage();
  const r = await run(napper(1000, 0), quiet);
  const used = process.cpuUsage(before);
  expect(r.status).toBe(0);
  // A busy-waiting yield would use about a full second of CPU.
  expect((used.user + used.system) / 1000).toBeLessThan(300);
});

test("refusals before the guest runs reject with a TenderError", async () => {
  await expect(run(new Uint8Array([1, 2, 3]), quiet)).rejects.toThrow(TenderError);
  await expect(run(fs.readFileSync(example("hello")), { ...quiet, mem: 0 })).rejects.toThrow(/--mem=0/);
  await expect(
    run(fs.readFileSync(example("hello")), { ...quiet, devices: { disk: { type: "BLOCK_BASIC", path: "/nonexistent" } } }),
  ).rejects.toThrow(/--block:disk names a device the guest's manifest does not declare/);
});

test("an option the library does not know is refused, naming the nearest known one", async () => {
  const hello = await loadKernel(fs.readFileSync(example("hello")));
  const ping = await loadKernel(fs.readFileSync(example("ping-serve")));
  const hub = { type: "NET_BASIC", spec: "hub:library-unknown" };
  const cases = [
    [() => run(hello, { ...quiet, memory: 4 }), /^unknown option memory: did you mean mem\? the options are mem, args, .*dumpCore, record$/],
    [() => run(hello, { ...quiet, dumpcore: "/tmp" }), /^unknown option dumpcore: did you mean dumpCore\?/],
    [() => run(hello, { ...quiet, colour: "blue" }), /^unknown option colour: the options are /],
    [() => run(ping, { ...quiet, devices: { service0: { ...hub, macc: "02:00:00:00:00:01" } } }), /^devices\.service0\.macc: a NET_BASIC device has no such field: did you mean mac\? its fields are type, spec, mac$/],
    [() => run(ping, { ...quiet, devices: { service0: { type: "NET_BASIC", spec: "hub" } } }), /^--net:service0=hub: the hub: backend needs its colon and what follows it: use hub:NAME$/],
  ];
  for (const [call, message] of cases) {
    const error = await call().then(() => undefined, (e) => e);
    expect(error).toBeInstanceOf(TenderError);
    expect(error.message).toMatch(message);
  }
});

test("options of the wrong shape reject with a TenderError saying what is expected", async () => {
  const hello = await loadKernel(fs.readFileSync(example("hello")));
  const kv = await loadKernel(fs.readFileSync(example("kv")));
  const cases = [
    [() => run("hello.wasm"), /the kernel must be a Kernel .* for a file, use loadKernelFile\(PATH\)/],
    [() => run(null), /the kernel must be a Kernel/],
    [() => run(hello, { args: "Hello_Solo5" }), /args must be an array of strings/],
    [() => run(hello, { args: [1, 2] }), /args must be an array of strings/],
    [() => run(hello, { devices: { x: null } }), /devices\.x must be an object whose type is "NET_BASIC" or "BLOCK_BASIC"/],
    [() => run(kv, { devices: { storage: { type: "FLOPPY", path: "x" } } }), /devices\.storage must be an object whose type is/],
    [() => run(kv, { devices: { storage: { type: "BLOCK_BASIC" } } }), /devices\.storage: a BLOCK_BASIC device needs a path, a string \(as --block:storage=PATH\)/],
  ];
  for (const [call, message] of cases) {
    const error = await call().then(() => undefined, (e) => e);
    expect(error).toBeInstanceOf(TenderError);
    expect(error.message).toMatch(message);
  }
});

test("errors found while running are results, reported on stderr", async () => {
  const lines = [];
  const r = await run(
    wat(guestWat({ imports: `(import "solo5" "console_write" (func $w (param i32 i32)))`, body: "(call $w (i32.const -1) (i32.const 9))" })),
    { ...quiet, stderr: (l) => lines.push(l) },
  );
  expect(r).toEqual({ status: 1, reason: "error", message: "invalid guest access in console_write: ptr=0xffffffff len=9" });
  expect(lines).toEqual(["solo5-wasm: invalid guest access in console_write: ptr=0xffffffff len=9"]);
});

test("an exit caught by a guest with exception handling still ends it with its status", async () => {
  const guest = wat(guestWat({
    imports: `(import "solo5" "exit" (func $exit (param i32)))`,
    main: `(func (export "solo5_app_main") (param i32) (result i32)
      (try (do (call $exit (i32.const 3))) (catch_all)) (i32.const 7))`,
  }));
  let out = "";
  const r = await run(guest, { ...quiet, stdout: (b) => (out += Buffer.from(b)) });
  expect(r).toEqual({ status: 3, reason: "exit", code: 3 });
  expect(out.match(/solo5_exit/g)).toEqual(["solo5_exit"]);
  expect(out).toContain("Solo5: solo5_exit(3) called\n");
});

test("an invalid guest access caught by a guest with exception handling still ends it", async () => {
  const guest = wat(guestWat({
    imports: `(import "solo5" "console_write" (func $w (param i32 i32)))
      (import "solo5" "exit" (func $exit (param i32)))`,
    main: `(func (export "solo5_app_main") (param i32) (result i32)
      (try (do (call $w (i32.const -1) (i32.const 9))) (catch_all))
      (call $exit (i32.const 0)) (i32.const 0))`,
  }));
  const lines = [];
  const r = await run(guest, { ...quiet, stderr: (l) => lines.push(l) });
  expect(r).toEqual({ status: 1, reason: "error", message: "invalid guest access in console_write: ptr=0xffffffff len=9" });
  expect(lines).toEqual(["solo5-wasm: invalid guest access in console_write: ptr=0xffffffff len=9"]);
});

