// A guest's Web Worker: the core's thread bootstrap with the browser's pieces. It
// opens the device backends (OPFS handles open asynchronously), then runs the core
// synchronously to the guest's end, blocking in Atomics.wait when it yields. Output
// and the result go to the page as messages, in order. Imports name core files one
// by one so that this bundle leaves out what only the page needs (the module parser).
import { bootGuest, runToEnd, type GuestEvent } from "../core/thread.js";
import { openDevice } from "./backends/registry.js";
import { loadDigests } from "../core/record/digest.js";
import type { RecordEvent, WorkerInput } from "./messages.js";
import { browserPlatform } from "./platform.js";

// A trap prints the whole wasm stack, down to solo5_app_main even after deep recursion.
Error.stackTraceLimit = Infinity;

/** The dedicated worker's global scope, as far as it is used here (the project compiles against the DOM library). */
const scope = globalThis as unknown as {
  postMessage(m: GuestEvent | RecordEvent): void;
  onmessage: ((e: MessageEvent<WorkerInput>) => void) | null;
};
const post = (m: GuestEvent | RecordEvent) => scope.postMessage(m);

scope.onmessage = async ({ data: input }) => {
  scope.onmessage = null;
  const platform = browserPlatform(
    new Int32Array(input.control),
    (bytes) => post({ t: "out", bytes: bytes.slice() }),
    (line) => post({ t: "err", line }),
  );
  if (input.config.record) platform.recordSink = { digests: await loadDigests(), write: (chunk) => post({ t: "rec", bytes: chunk.slice() }) };
  void bootGuest(input, platform, openDevice, runToEnd, (result) => post({ t: "end", result }));
};
