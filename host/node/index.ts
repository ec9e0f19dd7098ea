// The library API: run unikernels from Node. Each guest runs on its own worker
// thread, so several run at once, a guest blocked in yield stalls nobody, and a
// guest that loops forever can still be stopped.
import fs from "node:fs";
import { Worker } from "node:worker_threads";
import {
  STATUS_TENDER_ERROR,
  TenderError,
  guestEnding,
  loadKernel as loadCoreKernel,
  loadKernelFrom,
  newControl,
  prepareStart,
  type ExitResult,
  type Kernel,
  type LoadOptions,
} from "../core/index.js";
import { attachDevice, pollFds, type AttachedDevice, type DeviceOption } from "./devices.js";
import type { ToMain, WorkerInput } from "./messages.js";
import { GuestWaker } from "./net-wait.js";

export * from "../core/index.js";

/**
 * Kernels for Node get a shared env.memory: boot time then does not grow with --mem
 * (core/shared-memory.ts), and each guest's worker takes its memory along when it ends.
 */
export const NODE_KERNELS: LoadOptions = { sharedMemory: true };

/** Compiles and checks a kernel, for Node (NODE_KERNELS unless told otherwise). */
export function loadKernel(bytes: Uint8Array, options: LoadOptions = NODE_KERNELS): Promise<Kernel> {
  return loadCoreKernel(bytes, options);
}
export type { DeviceOption } from "./devices.js";
export { createGuestPool, loadPooledKernel, type GuestPool, type PoolOptions, type PooledKernel } from "./pool.js";

export interface RunOptions {
  /** Memory in MiB, a whole number from 1 to 4095 (default 512), as --mem. */
  mem?: number;
  /** The guest's arguments, joined by spaces into its command line; leading --solo5:LEVEL ones are consumed. */
  args?: readonly string[];
  /** Devices by manifest name, as --net:NAME=SPEC and --block:NAME=PATH say them. */
  devices?: Readonly<Record<string, DeviceOption>>;
  /**
   * Console output and Solo5: lines. Default: the process's stdout, written by the
   * guest's thread itself before console_write returns (as Solo5's tenders do).
   */
  stdout?: (bytes: Uint8Array) => void;
  /** solo5-wasm: lines, without newline (default: the process's stderr, likewise). */
  stderr?: (line: string) => void;
  /** One stderr line per hypercall. */
  trace?: boolean;
  /** Directory for a memory image after an abort or a trap. */
  dumpCore?: string;
}

export interface Guest {
  /** Settles with how the guest ended; never rejects. */
  readonly exited: Promise<ExitResult>;
  /** Stops the guest wherever it is (reason "stopped", status 1). */
  stop(): Promise<void>;
}

/** Reads and checks a kernel file; refusals are TenderErrors. */
export async function loadKernelFile(path: string): Promise<Kernel> {
  let bytes: Uint8Array;
  try {
    const stat = await fs.promises.stat(path).catch(() => undefined);
    bytes = stat?.isFIFO() ? await readPipe(path) : await fs.promises.readFile(path);
  } catch (e) {
    throw new TenderError(`cannot read ${path}: ${(e as Error).message}`);
  }
  return loadKernelFrom(path, bytes, NODE_KERNELS);
}

/**
 * A FIFO (a named pipe, /dev/stdin from a pipe, <(...)) read on the event loop: a
 * read blocked in libuv's thread pool would keep the process from exiting (on a
 * signal, or when a library user is done) until a writer came.
 */
async function readPipe(file: string): Promise<Buffer> {
  const { Socket } = await import("node:net");
  // O_NONBLOCK: the open does not wait for a writer; the socket then waits for data
  // (and the end of the last writer) without a thread.
  const fd = fs.openSync(file, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const socket = new Socket({ fd, readable: true, writable: false });
    socket.on("data", (chunk: Buffer) => chunks.push(chunk));
    socket.once("error", (e) => (socket.destroy(), reject(e)));
    socket.once("end", () => (socket.destroy(), resolve(Buffer.concat(chunks))));
  });
}

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

/**
 * Starts a guest. Refusals found before it runs (options, devices, a bad module)
 * reject with a TenderError; everything after is in `exited`.
 */
export async function start(kernel: Kernel | Uint8Array, options: RunOptions = {}): Promise<Guest> {
  const k = kernel instanceof Uint8Array ? await loadKernel(kernel) : kernel;
  const { config, wanted } = prepareStart(k, options);
  if (options.dumpCore !== undefined) checkDirectory(options.dumpCore);

  const control = newControl();
  const attached: AttachedDevice[] = [];
  // Made once the devices are known; a hub may pass frames on before that, and the
  // guest finds them when it first looks.
  let waker: GuestWaker | undefined;
  const closeAll = () => {
    waker?.close();
    attached.splice(0).forEach((d) => d.close());
  };
  try {
    for (const [name, option] of wanted) attached.push(await attachDevice(name, option, { wake: () => waker?.wake() }));
    waker = new GuestWaker(control, pollFds(attached.map((d) => d.spec)));
  } catch (e) {
    closeAll();
    throw e;
  }

  const stderr = options.stderr ?? ((line: string) => process.stderr.write(`${line}\n`));
  const input: WorkerInput = {
    kernel: k,
    config,
    devices: attached.map((d) => d.spec),
    control: control.buffer as SharedArrayBuffer,
    eventFd: waker.eventFd,
    dumpCore: options.dumpCore,
    // The process's own streams are written by the guest's thread directly (fd-write.ts).
    stdoutFd: options.stdout ? undefined : 1,
    stderrFd: options.stderr ? undefined : 2,
  };
  const worker = takeWorker();
  worker.postMessage(input);

  const { exited, end, ended } = guestEnding(closeAll);
  worker.on("message", (m: ToMain) => {
    if (m.t === "out") options.stdout?.(m.bytes);
    else if (m.t === "err") stderr(m.line);
    else end(m.result);
  });
  worker.on("error", (e) => {
    const message = `guest worker failed: ${e.message}`;
    stderr(`solo5-wasm: ${message}`);
    end({ status: STATUS_TENDER_ERROR, reason: "error", message });
  });
  worker.on("exit", () => end({ status: STATUS_TENDER_ERROR, reason: "stopped", message: "stopped from outside" }));

  return {
    exited,
    async stop() {
      if (ended()) return;
      await waker!.terminate(worker);
    },
  };
}

/** Runs a guest to its end. */
export async function run(kernel: Kernel | Uint8Array, options: RunOptions = {}): Promise<ExitResult> {
  return (await start(kernel, options)).exited;
}

export function checkDirectory(dir: string): void {
  try {
    if (fs.statSync(dir).isDirectory()) return fs.accessSync(dir, fs.constants.W_OK);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === "ENOENT") throw new TenderError(`--dumpcore=${dir}: no such directory: create it first (mkdir -p ${dir})`);
    if (code === "EACCES") throw new TenderError(`--dumpcore=${dir}: not writable by this user: choose another directory`);
    throw new TenderError(`--dumpcore=${dir}: ${(e as Error).message}`);
  }
  throw new TenderError(`--dumpcore=${dir}: not a directory`);
}
