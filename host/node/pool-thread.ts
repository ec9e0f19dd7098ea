// A guest pool's thread: many guests on the core's scheduler (core/pool/scheduler.ts),
// each booted by the core's thread bootstrap with Node's pieces. It sleeps in
// Atomics.wait on its control words until the next deadline of its guests; the main
// thread bumps them after each message it posts, and devices when they queue input.
// Messages are taken synchronously (receiveMessageOnPort): this thread never returns
// to its event loop, so sleeping and serving are one loop.
import { parentPort, receiveMessageOnPort, workerData } from "node:worker_threads";
import { UINT64_MAX } from "../core/abi.js";
import { WAKE } from "../core/atomics-waiter.js";
import type { Kernel } from "../core/kernel.js";
import type { SharedPlatform } from "../core/platform.js";
import { bootGuest } from "../core/thread.js";
import { Scheduler } from "../core/pool/scheduler.js";
import { openDevice } from "./backends/registry.js";
import { monotonicNs } from "./clock.js";
import { dumpCore } from "./dumpcore.js";
import { sharedNodePlatform } from "./platform.js";
import type { FromPoolThread, PoolThreadInput, ToPoolThread } from "./pool-messages.js";

// A trap prints the whole wasm stack, down to solo5_app_main even after deep recursion.
Error.stackTraceLimit = Infinity;

const port = parentPort!;
const control = new Int32Array((workerData as PoolThreadInput).control);
const post = (m: FromPoolThread) => port.postMessage(m);
const scheduler = new Scheduler(monotonicNs);
const kernels = new Map<number, Kernel>();
const stops = new Map<number, () => void>();

function start(m: Extract<ToPoolThread, { t: "start" }>): void {
  const { id } = m;
  let ended = false;
  const platform = sharedNodePlatform(
    (bytes) => post({ t: "out", id, bytes: bytes.slice() }),
    (line) => post({ t: "err", id, line }),
    m.dumpCore === undefined ? undefined : (memory, reason) => dumpCore(m.dumpCore!, memory, reason),
  );
  // Opening a TAP-less guest's devices never waits, so this boots it here and now;
  // a refusal ends this guest alone, and the thread and its other guests carry on.
  void bootGuest(
    { ...m, kernel: kernels.get(m.kernel)! },
    platform,
    openDevice,
    (kernel, config, shared: SharedPlatform, onEnd) => {
      const stop = scheduler.add(kernel, config, shared, onEnd);
      if (!ended) stops.set(id, stop);
    },
    (result) => {
      ended = true;
      stops.delete(id);
      post({ t: "end", id, result });
    },
  );
}

function handle(m: ToPoolThread): void {
  if (m.t === "kernel") kernels.set(m.kernel, m.body);
  else if (m.t === "start") start(m);
  else stops.get(m.id)?.();
}

for (;;) {
  const seen = Atomics.load(control, WAKE); // before taking messages: one posted after this ends the wait
  for (let m = receiveMessageOnPort(port); m; m = receiveMessageOnPort(port)) handle(m.message as ToPoolThread);
  const next = scheduler.runReady();
  if (next === UINT64_MAX) {
    Atomics.wait(control, WAKE, seen);
  } else {
    const ms = Number(next - monotonicNs()) / 1e6;
    if (ms > 0) Atomics.wait(control, WAKE, seen, ms);
  }
}
