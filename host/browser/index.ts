// The browser entry of the tender: run unikernels in a page, the same .wasm and the
// same contract as in Node. Each guest runs in its own Web Worker, so several run at
// once, one blocked in yield stalls nobody, and one that loops forever can still be
// stopped. Guests block with Atomics.wait, which needs a cross-origin isolated page.
import {
  STATUS_TENDER_ERROR,
  TenderError,
  guestEnding,
  loadKernel,
  loadKernelFrom,
  newControl,
  prepareStart,
  wake,
  type ExitResult,
  type Kernel,
} from "../core/index.js";
import { browserConsole } from "./console.js";
import { attachDevice, type AttachedDevice, type DeviceOption } from "./devices.js";
import { checkIsolation } from "./isolation.js";
import type { ToMain, WorkerInput } from "./messages.js";
import type { Guest, RunOptions as NodeRunOptions } from "../node/index.js";

export * from "../core/index.js";
export type { DeviceOption } from "./devices.js";
export { ISOLATION_HEADERS, checkIsolation } from "./isolation.js";

/**
 * The Node host's options where they make sense in a page (not dumpCore: a page has
 * no folder to write to), with devices a page can attach and its own defaults.
 */
export type RunOptions = Pick<NodeRunOptions, "mem" | "args" | "trace"> & {
  /** Devices by manifest name. */
  devices?: Readonly<Record<string, DeviceOption>>;
  /** Console output and Solo5: lines, as bytes (default: the browser console, a line at a time). */
  stdout?: (bytes: Uint8Array) => void;
  /** solo5-wasm: lines, without newline (default: console.error). */
  stderr?: (line: string) => void;
};

export type { Guest } from "../node/index.js";

/** Fetches and checks a kernel; refusals are TenderErrors that name the URL. */
export async function fetchKernel(url: string | URL): Promise<Kernel> {
  let bytes: Uint8Array;
  try {
    const response = await fetch(url);
    if (!response.ok) throw new Error(`HTTP ${response.status} ${response.statusText}`);
    bytes = new Uint8Array(await response.arrayBuffer());
  } catch (e) {
    throw new TenderError(`cannot fetch ${url}: ${(e as Error).message}`);
  }
  return loadKernelFrom(String(url), bytes);
}

/**
 * Starts a guest. Refusals found before it runs (an isolation-less page, options,
 * devices, a bad module) reject with a TenderError; everything after is in `exited`.
 */
export async function start(kernel: Kernel | Uint8Array | ArrayBuffer, options: RunOptions = {}): Promise<Guest> {
  checkIsolation();
  const k = kernel instanceof Uint8Array ? await loadKernel(kernel) : kernel instanceof ArrayBuffer ? await loadKernel(new Uint8Array(kernel)) : kernel;
  const { config, wanted } = prepareStart(k, options);

  const control = newControl();
  const attached: AttachedDevice[] = [];
  const closeAll = () => attached.splice(0).forEach((d) => d.close());
  try {
    const wakeGuest = () => wake(control);
    for (const [name, option] of wanted) attached.push(await attachDevice(name, option, wakeGuest));
  } catch (e) {
    closeAll();
    throw e;
  }

  const console_ = options.stdout ? undefined : browserConsole();
  const stdout = options.stdout ?? console_!.write;
  const stderr = options.stderr ?? ((line: string) => console.error(line));
  const input: WorkerInput = {
    kernel: k,
    config,
    devices: attached.map((d) => d.spec),
    control: control.buffer as SharedArrayBuffer,
  };
  const worker = new Worker(new URL("./solo5-wasm-worker.js", import.meta.url), { type: "module", name: "solo5-wasm guest" });

  const { exited, end } = guestEnding(() => {
    worker.terminate();
    closeAll();
    console_?.flush();
  });
  worker.onmessage = ({ data: m }: MessageEvent<ToMain>) => {
    if (m.t === "out") stdout(m.bytes);
    else if (m.t === "err") stderr(m.line);
    else end(m.result);
  };
  worker.onerror = (e) => {
    e.preventDefault();
    // A worker script that did not load gives an error event without a message.
    const message = `guest worker failed: ${e.message || `could not load ${new URL("./solo5-wasm-worker.js", import.meta.url)}`}`;
    stderr(`solo5-wasm: ${message}`);
    end({ status: STATUS_TENDER_ERROR, reason: "error", message });
  };
  worker.postMessage(input);

  return {
    exited,
    async stop() {
      end({ status: STATUS_TENDER_ERROR, reason: "stopped", message: "stopped from outside" });
    },
  };
}

/** Runs a guest to its end. */
export async function run(kernel: Kernel | Uint8Array | ArrayBuffer, options: RunOptions = {}): Promise<ExitResult> {
  return (await start(kernel, options)).exited;
}
