// A guest on the thread that starts it: the CLI's run, when none of the guest's
// devices is served from that thread (as a hub's or a udp: socket's frame rings
// are). A process then starts one thread, not two: a worker's start-up is about
// half of a CLI run's (docs/performance.md). The guest holds the thread until it
// ends, so nothing else may need the event loop meanwhile: one guest per process,
// and signals are handled natively (signals.ts) rather than by Node's listeners.
// A recorded run never comes here (commands/run.ts): a signal ends this process
// before its log could say the run was stopped.
import { newControl } from "../core/atomics-waiter.js";
import type { DeviceSpec } from "../core/backend.js";
import { STOPPED, type GuestSeat } from "../core/start.js";
import { bootGuest, runToEnd } from "../core/thread.js";
import { openDevice } from "./backends/registry.js";
import { eventSink, failedThread, threadInput, threadPlatform } from "./guest-io.js";
import type { RunOptions } from "./run-options.js";

export function mainThreadSeat(options: RunOptions): GuestSeat<DeviceSpec> {
  const control = newControl();
  let wake = () => {};
  return {
    wake: () => wake(),
    launch(input, end) {
      const { message, waker } = threadInput(input, options, control, undefined);
      wake = () => waker.wake();
      const post = eventSink(options, end);
      // A trap prints the whole wasm stack, down to solo5_app_main even after deep
      // recursion (as worker.ts does on a worker).
      Error.stackTraceLimit = Infinity;
      // After launch has returned: the start path holds the guest's ending from then on.
      const run = setImmediate(() => {
        threadPlatform(message, post)
          .then((platform) => bootGuest(message, platform, openDevice, runToEnd, (result) => post({ t: "end", result })))
          .catch((e) => end(failedThread(options, `guest failed on the main thread: ${(e as Error)?.message ?? e}`)));
      });
      return {
        // Only before it runs: once it does, this thread next runs JavaScript after its end.
        stop() {
          clearImmediate(run);
          end(STOPPED);
        },
        close: () => waker.close(),
      };
    },
  };
}
