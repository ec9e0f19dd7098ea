// A guest on a worker thread of its own (the library's start()): the seat the core's
// start path launches it in, and the spare worker the CLI starts ahead of need.
import { createRequire } from "node:module";
import type { Worker } from "node:worker_threads";
import { newControl } from "../core/atomics-waiter.js";
import type { DeviceSpec } from "../core/backend.js";
import { STOPPED, type GuestSeat } from "../core/start.js";
import type { GuestEvent } from "../core/thread.js";
import { eventSink, failedThread, threadInput } from "./guest-io.js";
import type { GuestWaker } from "./net-wait.js";
import type { Recording } from "./record-file.js";
import type { RunOptions } from "./run-options.js";

// node:worker_threads is loaded when a worker is first spawned: it brings Node's
// streams and performance modules along, which a CLI run whose guest runs on the
// main thread never needs (about 30 internal modules).
const spawnWorker = (): Worker => {
  const { Worker } = createRequire(import.meta.url)("node:worker_threads") as typeof import("node:worker_threads");
  return new Worker(new URL("./worker.js", import.meta.url));
};
let spare: Worker | undefined;

/**
 * Starts a guest thread ahead of need, for the next start(): its ~20 ms of start-up
 * then overlap reading and checking the kernel (the CLI does this). An unused spare
 * does not keep the process alive.
 */
export function prewarm(): void {
  spare ??= spawnWorker();
  spare.unref();
}

function takeWorker(): Worker {
  const worker = spare ?? spawnWorker();
  spare = undefined;
  worker.ref();
  return worker;
}

/** A worker of its own for one guest, its output as `options` say. */
export function workerSeat(options: RunOptions, recording?: Recording): GuestSeat<DeviceSpec> {
  const control = newControl();
  // Made once the devices are known; a hub may pass frames on before that, and the
  // guest finds them when it first looks.
  let waker: GuestWaker | undefined;
  return {
    wake: () => waker?.wake(),
    launch(input, end) {
      const sent = threadInput(input, options, control, recording);
      waker = sent.waker;
      const worker = takeWorker();
      worker.postMessage(sent.message);
      const sink = eventSink(options, end);
      let reported = false;
      worker.on("message", (m: GuestEvent) => {
        reported ||= m.t === "end";
        sink(m);
      });
      worker.on("error", (e) => end(failedThread(options, `guest worker failed: ${e.message}`)));
      worker.on("exit", () => {
        // Stopped from outside: its log ends where its thread last wrote, and says so.
        if (!reported) recording?.stopped(STOPPED);
        end(STOPPED);
      });
      const w = waker;
      return {
        stop: () => w.terminate(worker),
        close: () => {
          w.close();
          recording?.close();
        },
      };
    },
  };
}
