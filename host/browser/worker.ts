// A guest's Web Worker: takes its input from the first message, opens the device
// backends (OPFS handles open asynchronously), then runs the core synchronously to
// the guest's end, blocking in Atomics.wait when it yields. Output and the result go
// to the page as messages, in order. Imports name core files one by one so that
// this bundle leaves out what only the page needs (the module parser).
import { STATUS_TENDER_ERROR } from "../core/abi.js";
import { TenderError, type ExitResult } from "../core/errors.js";
import { runGuest } from "../core/guest.js";
import type { Backend } from "../core/devices.js";
import { openDevice, type OpenedDevice } from "./devices.js";
import type { ToMain, WorkerInput } from "./messages.js";
import { browserPlatform } from "./platform.js";

// A trap prints the whole wasm stack, down to solo5_app_main even after deep recursion.
Error.stackTraceLimit = Infinity;

/** The dedicated worker's global scope, as far as it is used here (the project compiles against the DOM library). */
const scope = globalThis as unknown as {
  postMessage(m: ToMain): void;
  onmessage: ((e: MessageEvent<WorkerInput>) => void) | null;
};
const post = (m: ToMain) => scope.postMessage(m);

scope.onmessage = (e) => {
  scope.onmessage = null;
  void main(e.data).then((result) => post({ t: "end", result }));
};

async function main(input: WorkerInput): Promise<ExitResult> {
  const control = new Int32Array(input.control);
  const platform = browserPlatform(
    control,
    (bytes) => post({ t: "out", bytes: bytes.slice() }),
    (line) => post({ t: "err", line }),
  );
  const opened: OpenedDevice[] = [];
  // Released before the result is posted, so the page may reopen a disk at once.
  const closeAll = () => opened.splice(0).forEach((d) => d.close());
  try {
    const trace = input.config.trace ? (line: string) => platform.stderr(`solo5-wasm: trace: ${line}`) : undefined;
    for (const spec of input.devices) opened.push(await openDevice(spec, trace));
  } catch (e) {
    closeAll();
    const message = e instanceof TenderError ? e.message : `internal error: ${(e as Error)?.stack ?? String(e)}`;
    platform.stderr(`solo5-wasm: ${message}`);
    return { status: STATUS_TENDER_ERROR, reason: "error", message };
  }
  const backends = new Map<string, Backend>(input.devices.map((spec, i) => [spec.name, opened[i]!.backend]));
  const result = runGuest(input.kernel, { ...input.config, backends }, platform);
  closeAll();
  return result;
}
