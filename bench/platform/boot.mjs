// Boot time of hello, each way it can start, beside the floor of that way:
//   direct  core runGuest in this thread (compiled module cached) until solo5_app_main
//           runs, against instantiating the same module into a bare memory of the size;
//   worker  the library's start() until solo5_app_main runs, against a bare Worker
//           that posts one message;
//   CLI     a whole `solo5-wasm run` process, against `node -e 0`: hello, and kernels
//           that end at once with a block device (a file) and with a TAP device (in
//           a network namespace, both commands through `ip netns exec`);
//   --mem   direct boots at 64 and 512 MiB (and the CLI at 512) against 1 MiB, and
//           what a 512 MiB memory costs to create unshared against shared.
// "Until solo5_app_main runs" is the first console byte of a --solo5:quiet hello: its
// first puts, before which only the tender's start-up has happened.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Worker } from "node:worker_threads";
import { loadKernel, MIB, NODE_KERNELS, runGuest, start } from "../../dist/node/index.js";
import { AtomicsWaiter, newControl } from "../../dist/core/index.js";
import { monotonicNs } from "../../dist/node/clock.js";
import { nodePlatform } from "../../dist/node/platform.js";
import { netnsSupport, withNetns } from "../../tests/net/netns.mjs";
import { median, sideBySide } from "./stats.mjs";
import { watBytes } from "./wat.mjs";

const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), "../..");
const HELLO = path.join(ROOT, "examples/hello/hello.wasm");
const CLI = path.join(ROOT, "dist/node/cli.js");
const ARGS = ["--solo5:quiet", "Hello_Solo5"];

/** ms from runGuest's call to solo5_app_main's first output, in this thread. */
function directBoot(kernel, mib) {
  let t0 = 0;
  let entered = 0;
  const platform = nodePlatform(
    new AtomicsWaiter(newControl(), monotonicNs),
    () => (entered ||= performance.now()),
    (line) => console.error(line),
  );
  const config = { memBytes: mib * MIB, cmdline: "Hello_Solo5", logLevel: "error", trace: false, backends: new Map() };
  t0 = performance.now();
  const r = runGuest(kernel, config, platform);
  if (r.status !== 0 || !entered) throw new Error(`hello failed: ${JSON.stringify(r)}`);
  return entered - t0;
}

/** ms to instantiate hello's module into a fresh memory, imports stubbed: the engine's floor. */
function bareInstantiate(kernel, mib) {
  const imports = Object.fromEntries(kernel.hypercalls.map((n) => [n, () => 0n]));
  const t0 = performance.now();
  const memory = new WebAssembly.Memory({ initial: mib * 16, maximum: mib * 16, shared: kernel.sharedMemory });
  new WebAssembly.Instance(kernel.module, { env: { memory }, solo5: imports });
  return performance.now() - t0;
}

/** ms from start() to solo5_app_main's first output, on the guest's own worker. */
async function workerBoot(kernel) {
  const t0 = performance.now();
  let entered;
  const firstByte = new Promise((resolve) => (entered = resolve));
  const guest = await start(kernel, { mem: 1, args: ARGS, stdout: () => entered(performance.now()) });
  const t = (await firstByte) - t0;
  const r = await guest.exited;
  if (r.status !== 0) throw new Error(`hello failed: ${JSON.stringify(r)}`);
  return t;
}

/** ms from new Worker() to its first message: the floor of a guest on its own thread. */
function bareWorker() {
  const t0 = performance.now();
  const w = new Worker("require('node:worker_threads').parentPort.postMessage(0)", { eval: true });
  return new Promise((resolve) => w.once("message", () => resolve(performance.now() - t0)));
}

/** ms of a whole process run: node ARGS, or PREFIX... node ARGS. */
function processRun(args, prefix = []) {
  const argv = [...prefix, process.execPath, ...args];
  const t0 = performance.now();
  const r = spawnSync(argv[0], argv.slice(1), { stdio: "ignore" });
  if (r.status !== 0) throw new Error(`${argv.join(" ")} exited ${r.status}`);
  return performance.now() - t0;
}

/** Median and spread of each side, for stderr: the figure alone hides how the rounds went. */
function spread(name, [a, b]) {
  const show = (xs) => `${median(xs).toFixed(1)} ms (${Math.min(...xs).toFixed(1)}-${Math.max(...xs).toFixed(1)})`;
  console.error(`bench: platform: ${name}: ${show(a)} against ${show(b)} over ${a.length} rounds`);
  return [median(a), median(b)];
}

/** The CLI runs of kernels with devices, against node -e 0 run the same way. */
async function deviceRuns(rounds) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "solo5-wasm-boot-"));
  const all = (xs) => xs;
  try {
    const kernel = async (name) => {
      const file = path.join(dir, `${name}.wasm`);
      fs.writeFileSync(file, await watBytes(name));
      return file;
    };
    const disk = path.join(dir, "disk.img");
    fs.writeFileSync(disk, Buffer.alloc(1 << 20));
    const blockKernel = await kernel("block-exit");
    const figures = [
      figure(
        "CLI run of a kernel with a block device (--mem=1), against node -e 0",
        spread("CLI run with a block device", await sideBySide(() => processRun([CLI, "run", "--mem=1", `--block:storage=${disk}`, blockKernel]), () => processRun(["-e", "0"]), rounds, all)),
      ),
    ];
    const support = netnsSupport();
    if (!support.ok) {
      console.error(`bench: platform: no CLI run with a TAP device: ${support.reason}`);
      return figures;
    }
    const tapKernel = await kernel("tap-exit");
    const tap = await withNetns((ns) => {
      ns.addTap("tap0", { address: "10.0.0.1/24" });
      const inNs = ["ip", "netns", "exec", ns.name];
      return sideBySide(() => processRun([CLI, "run", "--mem=1", "--net:service0=tap:tap0", tapKernel], inNs), () => processRun(["-e", "0"], inNs), rounds, all);
    });
    figures.push(figure("CLI run of a kernel with a TAP device (--mem=1), against node -e 0, both in a network namespace", spread("CLI run with a TAP device", tap)));
    return figures;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const figure = (name, [value, baseline], unit = "ms") => ({ name, unit, value, baseline });

export async function bootFigures({ quick }) {
  const kernel = await loadKernel(fs.readFileSync(HELLO), NODE_KERNELS);
  const rounds = quick ? 10 : 40;
  const figures = [];
  // Warm both paths (first-call compilation, lazy module parts) before timing.
  for (let i = 0; i < 5; i++) directBoot(kernel, 1), bareInstantiate(kernel, 1);
  figures.push(figure("boot hello direct (in-process, --mem=1) to solo5_app_main", await sideBySide(() => directBoot(kernel, 1), () => bareInstantiate(kernel, 1), rounds)));
  for (const mib of [64, 512]) {
    figures.push(figure(`boot hello direct at --mem=${mib} (against --mem=1)`, await sideBySide(() => directBoot(kernel, mib), () => directBoot(kernel, 1), rounds)));
  }
  // The cause of the above without shared memory: V8 answers a large unshared memory
  // with garbage collection (core/shared-memory.ts).
  const memory = (shared) => () => new WebAssembly.Memory({ initial: 512 * 16, maximum: 512 * 16, shared });
  // The mean, not the median: the collections hit some creations hard and most not at all.
  const mean = (xs) => xs.reduce((a, b) => a + b, 0) / xs.length;
  figures.push(figure("new WebAssembly.Memory of 512 MiB unshared (mean), against shared", await sideBySide(memory(false), memory(true), rounds, mean)));
  await workerBoot(kernel);
  await bareWorker();
  const workerRounds = quick ? 5 : 15;
  const tw = [];
  const tb = [];
  for (let i = 0; i < workerRounds; i++) tw.push(await workerBoot(kernel)), tb.push(await bareWorker());
  figures.push(figure("boot hello on a worker (library start) to solo5_app_main, against a bare Worker", [median(tw), median(tb)]));
  const cliRounds = quick ? 5 : 15;
  const cli = (mib) => () => processRun([CLI, "run", `--mem=${mib}`, HELLO, ...ARGS]);
  const all = (xs) => xs;
  figures.push(figure("CLI run of hello (--mem=1), against node -e 0", spread("CLI run of hello", await sideBySide(cli(1), () => processRun(["-e", "0"]), cliRounds, all))));
  figures.push(...(await deviceRuns(cliRounds)));
  figures.push(figure("CLI run of hello at --mem=512 (the default), against --mem=1", await sideBySide(cli(512), cli(1), cliRounds)));
  return figures;
}
