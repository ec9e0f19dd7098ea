// A guest on a worker thread of its own (the library's start()): the seat the core's
// start path launches it in, and the spare worker the CLI starts ahead of need.
import { Worker } from "node:worker_threads";
import { newControl } from "../core/atomics-waiter.js";
import type { DeviceSpec } from "../core/backend.js";
import { STOPPED, threadFailed, type GuestSeat } from "../core/start.js";
import type { GuestEvent } from "../core/thread.js";
import { pollFds } from "./backends/registry.js";
import type { WorkerInput } from "./messages.js";
import { GuestWaker } from "./net-wait.js";
import type { Recording } from "./record-file.js";
import type { RunOptions } from "./run-options.js";

const spawnWorker = () => new Worker(new URL("./worker.js", import.meta.url));
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
      waker = new GuestWaker(control, pollFds(input.devices));
      const stderr = options.stderr ?? ((line: string) => process.stderr.write(`${line}\n`));
      const message: WorkerInput = {
        ...input,
        config: recording ? { ...input.config, record: recording.meta } : input.config,
        recordFd: recording?.fd,
        control: control.buffer as SharedArrayBuffer,
        eventFd: waker.eventFd,
        dumpCore: options.dumpCore,
        // The process's own streams are written by the guest's thread directly (fd-write.ts).
        stdoutFd: options.stdout ? undefined : 1,
        stderrFd: options.stderr ? undefined : 2,
      };
      const worker = takeWorker();
      worker.postMessage(message);
      let reported = false;
      worker.on("message", (m: GuestEvent) => {
        if (m.t === "out") options.stdout?.(m.bytes);
        else if (m.t === "err") stderr(m.line);
        else {
          reported = true;
          end(m.result);
        }
      });
      worker.on("error", (e) => end(threadFailed(stderr, `guest worker failed: ${e.message}`)));
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
