// A guest pool's thread: many guests on the core's scheduler (core/scheduler.ts).
// It sleeps in Atomics.wait on its control words until the next deadline of its
// guests; the main thread bumps them after each message it posts, and devices when
// they queue input. Messages are taken synchronously (receiveMessageOnPort): this
// thread never returns to its event loop, so sleeping and serving are one loop.
import { parentPort, receiveMessageOnPort, workerData } from "node:worker_threads";
import { STATUS_TENDER_ERROR, UINT64_MAX, type Backend, type Kernel } from "../core/index.js";
import { Scheduler } from "../core/pool/scheduler.js";
import { openBackend } from "./devices.js";
import { dumpCore } from "./dumpcore.js";
import { WAKE } from "../core/index.js";
import { monotonicNs, wallNs } from "./platform.js";
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
  const stderr = (line: string) => post({ t: "err", id, line });
  const trace = m.config.trace ? (line: string) => stderr(`solo5-wasm: trace: ${line}`) : undefined;
  let ended = false;
  const onEnd = (result: FromPoolThread & { t: "end" }) => {
    ended = true;
    stops.delete(id);
    post(result);
  };
  const backends = new Map<string, Backend>();
  try {
    for (const spec of m.devices) backends.set(spec.name, openBackend(spec, { trace }));
  } catch (e) {
    // Only this guest fails: the thread and its other guests carry on.
    const message = (e as Error).message;
    stderr(`solo5-wasm: ${message}`);
    return onEnd({ t: "end", id, result: { status: STATUS_TENDER_ERROR, reason: "error", message } });
  }
  const platform = {
    stdout: (bytes: Uint8Array) => post({ t: "out", id, bytes: bytes.slice() }),
    stderr,
    monotonicNs,
    wallNs,
    dumpCore: m.dumpCore === undefined ? undefined : (memory: Uint8Array, reason: string) => dumpCore(m.dumpCore!, memory, reason),
  };
  const stop = scheduler.add(kernels.get(m.kernel)!, { ...m.config, backends }, platform, (result) => onEnd({ t: "end", id, result }));
  if (!ended) stops.set(id, stop);
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
