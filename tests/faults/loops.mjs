// The process faults' loops, shared by tests/faults/process.test.mjs (small counts)
// and bench/faults (the counts): guests that never yield stopped from
// outside, guests started and stopped by the thousand in one process, and the tender
// SIGKILLed during kv writes. Each returns what it measured; the callers judge.
import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import v8 from "node:v8";
import vm from "node:vm";
import { start } from "../../dist/node/index.js";
import { CLI, example } from "../helpers/paths.mjs";
import { guestWat, manifestOf, wat } from "../helpers/wat.mjs";
import { watchCli } from "../block/helpers.mjs";

const CONSOLE = `(import "solo5" "console_write" (func $w (param i32 i32)))`;
const YIELD = `(import "solo5" "yield" (func $yield (param i64 i32)))`;

/** Prints "running" then loops without a hypercall, for ever. */
export const spinner = () =>
  wat(guestWat({ imports: CONSOLE, body: `(call $w (i32.const 64) (i32.const 8)) (loop $l (br $l))`, extra: String.raw`(data (i32.const 64) "running\0a")` }));

/** Prints "running" then sleeps in yield for ever: the reference for stopping the spinner. */
export const sleeper = () =>
  wat(guestWat({
    imports: `${CONSOLE} ${YIELD}`,
    body: `(call $w (i32.const 64) (i32.const 8)) (call $yield (i64.const -1) (i32.const 0))`,
    extra: String.raw`(data (i32.const 64) "running\0a")`,
  }));

/** Sleeps for ever in yield, with a block and a net device attached (their host sides open). */
export const sleeperWithDevices = () =>
  wat(guestWat({
    imports: YIELD,
    body: "(call $yield (i64.const -1) (i32.const 0))",
    manifest: manifestOf([{ name: "storage", type: "BLOCK_BASIC" }, { name: "service0", type: "NET_BASIC" }]),
  }));

/** Resolves once `stream` has carried `text`. */
const seen = (stream, text) =>
  new Promise((resolve) => {
    let got = "";
    const on = (d) => {
      got += d;
      if (got.includes(text)) {
        stream.off("data", on);
        resolve();
      }
    };
    stream.on("data", on);
  });

/** `kernel` (spinner or sleeper) through the library, stopped with stop() once it runs: { ms (stop() to exited), result }. */
export async function stopWithLibrary(kernel) {
  let out = "";
  let running;
  const ran = new Promise((r) => (running = r));
  const stdout = (b) => {
    out += Buffer.from(b);
    if (out.includes("running")) running();
  };
  const g = await start(kernel, { mem: 2, args: ["--solo5:quiet"], stdout, stderr: () => {} });
  await ran;
  const t0 = performance.now();
  await g.stop();
  const result = await g.exited;
  return { ms: performance.now() - t0, result };
}

/** The kernel in `wasmFile` under the CLI, sent SIGTERM once it runs: { ms (signal to the process's end), status, stderr }. */
export async function stopWithSigterm(wasmFile) {
  const child = spawn(process.execPath, [CLI, "run", "--mem=2", wasmFile, "--solo5:quiet"]);
  let stderr = "";
  child.stderr.setEncoding("utf8").on("data", (d) => (stderr += d));
  const ended = new Promise((resolve) => child.on("close", (status) => resolve(status)));
  await seen(child.stdout.setEncoding("utf8"), "running");
  const t0 = performance.now();
  child.kill("SIGTERM");
  const status = await ended;
  return { ms: performance.now() - t0, status, stderr };
}

const gc = (() => {
  v8.setFlagsFromString("--expose-gc");
  return vm.runInNewContext("gc");
})();

/** This process's open descriptors, threads and memory (heap after a full GC, and RSS), in bytes. */
export function processFigures() {
  gc();
  const threads = Number(/^Threads:\s+(\d+)$/m.exec(fs.readFileSync("/proc/self/status", "utf8"))[1]);
  const { heapUsed, rss } = process.memoryUsage();
  return { fds: fs.readdirSync("/proc/self/fd").length, threads, heapUsed, rss };
}

/**
 * `count` guests, one after another, started through the library with a block file
 * and a udp: device on the same two ports each time (a socket left open would make
 * the next bind fail), each stopped while it sleeps. The figures before (after
 * `warmup` guests, so that lazily made threads and buffers are there) and after.
 */
export async function startStopLoop(count, { dir, ports: [a, b], warmup = 20 }) {
  const disk = path.join(dir, "loop.img");
  fs.writeFileSync(disk, Buffer.alloc(64 * 1024));
  const kernel = sleeperWithDevices();
  const devices = {
    storage: { type: "BLOCK_BASIC", path: disk },
    service0: { type: "NET_BASIC", spec: `udp:local=127.0.0.1:${a},remote=127.0.0.1:${b}` },
  };
  const failures = [];
  const one = async () => {
    const g = await start(kernel, { mem: 2, args: ["--solo5:quiet"], devices, stdout: () => {}, stderr: (l) => failures.push(l) });
    await g.stop();
    const r = await g.exited;
    if (r.reason !== "stopped") failures.push(JSON.stringify(r));
  };
  for (let i = 0; i < warmup; i++) await one();
  const before = processFigures();
  for (let i = 0; i < count; i++) await one();
  return { before, after: processFigures(), failures };
}

/**
 * kv filling the store on `file` under the CLI, SIGKILLed after a number of
 * acknowledged puts that varies from run to run (1 to 120), `kills` times; run i
 * puts i-0, i-1, ... Returns each run's acknowledged count and signal, and kv's
 * `list` afterwards, as a map of key to value.
 */
export async function killDuringKv(kills, file) {
  const runs = [];
  for (let i = 0; i < kills; i++) {
    const after = 1 + ((i * 37) % 120);
    let acked = 0;
    const r = await watchCli(example("kv"), { cliOptions: [`--block:storage=${file}`], args: ["--solo5:quiet", `fill ${i}- 1000000`] }, (line, kill) => {
      if (line.startsWith("OK put ") && ++acked === after) kill();
    });
    runs.push({ acked: [...r.stdout.matchAll(/^OK put (\S+)$/gm)].map((m) => m[1]), signal: r.signal });
  }
  const list = await watchCli(example("kv"), { cliOptions: [`--block:storage=${file}`], args: ["--solo5:quiet", "list"] });
  const items = new Map([...list.stdout.matchAll(/^ITEM (\S+) (.*)$/gm)].map((m) => [m[1], m[2]]));
  return { runs, items, listStatus: list.status };
}
