// The browser entry of the tender: run unikernels in a page, the same .wasm and the
// same contract as in Node. Each guest runs in its own Web Worker, so several run at
// once, one blocked in yield stalls nobody, and one that loops forever can still be
// stopped. Guests block with Atomics.wait, which needs a cross-origin isolated page.
import {
  FIELD_WORDS,
  STOPPED,
  TenderError,
  loadKernel,
  loadKernelFrom,
  newControl,
  startGuest,
  threadFailed,
  wake,
  type DeviceSpec,
  type ExitResult,
  type Guest,
  type GuestEvent,
  type GuestSeat,
  type Kernel,
  type StartOptions,
} from "../core/index.js";
import { attachDevice, type DeviceOption } from "./backends/registry.js";
import { browserConsole } from "./console.js";
import { checkIsolation } from "./isolation.js";
import type { RecordEvent, WorkerInput } from "./messages.js";
import { PageRecording } from "./recording.js";

export * from "../core/index.js";
export type { DeviceOption } from "./backends/registry.js";
export { ISOLATION_HEADERS, checkIsolation } from "./isolation.js";

/**
 * The core's options with the devices a page can attach (no dumpCore: a page has no
 * folder to write to). Console output defaults to the browser console, a line at a
 * time; stderr lines to console.error. Refusals name options as these fields.
 */
export interface RunOptions extends StartOptions<DeviceOption> {
  /** Record the run for replay (docs/record.md): the guest's `recording()` gives the log as a Blob. */
  record?: boolean;
}

/** A page's guest: the core's, and its record log when started with `record`. */
export interface PageGuest extends Guest {
  /** The record log so far (all of it once `exited` has settled); undefined without `record`. */
  recording(): Blob | undefined;
}

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

const WORKER_URL = () => new URL("./solo5-wasm-worker.js", import.meta.url);

/** A Web Worker of its own for one guest. */
function workerSeat(options: RunOptions, recording?: PageRecording): GuestSeat<DeviceSpec> {
  const control = newControl();
  return {
    wake: () => wake(control),
    launch(input, end) {
      const console_ = options.stdout ? undefined : browserConsole();
      const stdout = options.stdout ?? console_!.write;
      const stderr = options.stderr ?? ((line: string) => console.error(line));
      const worker = new Worker(WORKER_URL(), { type: "module", name: "solo5-wasm guest" });
      let reported = false;
      worker.onmessage = ({ data: m }: MessageEvent<GuestEvent | RecordEvent>) => {
        if (m.t === "out") stdout(m.bytes);
        else if (m.t === "err") stderr(m.line);
        else if (m.t === "rec") recording?.add(m.bytes);
        else {
          reported = true;
          end(m.result);
        }
      };
      worker.onerror = (e) => {
        e.preventDefault();
        // A worker script that did not load gives an error event without a message.
        end(threadFailed(stderr, `guest worker failed: ${e.message || `could not load ${WORKER_URL()}`}`));
      };
      const config = recording ? { ...input.config, record: recording.meta } : input.config;
      const message: WorkerInput = { ...input, config, control: control.buffer as SharedArrayBuffer };
      worker.postMessage(message);
      return {
        stop() {
          // Stopped from outside: the log ends where the worker last wrote, and says so.
          if (!reported) recording?.stopped(STOPPED);
          end(STOPPED);
        },
        close() {
          worker.terminate();
          console_?.flush();
        },
      };
    },
  };
}

/** The options of RunOptions beyond the core's StartOptions (the start path refuses any other). */
const PAGE_OPTIONS: readonly (keyof RunOptions)[] = ["record"];

/**
 * Starts a guest. Refusals found before it runs (an isolation-less page, options,
 * devices, a bad module) reject with a TenderError; everything after is in `exited`.
 */
export async function start(kernel: Kernel | Uint8Array | ArrayBuffer, options: RunOptions = {}): Promise<PageGuest> {
  checkIsolation();
  const k = kernel instanceof Uint8Array ? await loadKernel(kernel) : kernel instanceof ArrayBuffer ? await loadKernel(new Uint8Array(kernel)) : kernel;
  const recording = options.record ? await PageRecording.of(k) : undefined;
  const guest = await startGuest(k, options, { words: FIELD_WORDS, ownOptions: PAGE_OPTIONS, attach: attachDevice, seat: () => workerSeat(options, recording) });
  return { ...guest, recording: () => recording?.blob() };
}

/** Runs a guest to its end. */
export async function run(kernel: Kernel | Uint8Array | ArrayBuffer, options: RunOptions = {}): Promise<ExitResult> {
  return (await start(kernel, options)).exited;
}
