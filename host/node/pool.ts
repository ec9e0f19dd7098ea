// Guest pools: many guests on a few threads, for density (docs/density.md). A guest
// on its own Worker (start()) costs about 7 MiB and 45 ms; in a pool it costs its
// memory's touched pages and a few kilobytes, and boots in well under a millisecond.
// The price: guests of one thread take turns (one computing without yielding holds
// its thread), and TAP devices, which need their guest's thread to sleep in ppoll,
// are not available.
//
//   const pool = createGuestPool({ threads: 2 });
//   const kernel = await loadPooledKernel(bytes);      // checked and asyncified once
//   const guest = await pool.start(kernel, { mem: 1, args: ["hello"] });
//   await guest.exited; ... await pool.close();
import { Worker } from "node:worker_threads";
import { newControl, wake } from "../core/atomics-waiter.js";
import type { DeviceSpec } from "../core/backend.js";
import { TenderError, type ExitResult } from "../core/errors.js";
import type { Kernel } from "../core/kernel.js";
import { STOPPED, startGuest, threadFailed, type Guest, type GuestSeat } from "../core/start.js";
import { asyncifyYield } from "../core/pool/asyncify.js";
import { shareMemoryImport } from "../core/shared-memory.js";
import { attachDevice, pollFds } from "./backends/registry.js";
import { checkDumpCoreDir } from "./dumpcore.js";
import { NODE_KERNELS, loadKernel } from "./kernels.js";
import type { FromPoolThread, PoolThreadInput, ToPoolThread } from "./pool-messages.js";
import { NODE_OPTIONS, type RunOptions } from "./run-options.js";
import { CLI_WORDS } from "./words.js";

/** A kernel checked as start() checks it, its yield made resumable: load once, start many. */
export interface PooledKernel {
  readonly kernel: Kernel;
}

export interface PoolOptions {
  /** Threads the pool's guests share; each guest stays on one (default 1). */
  threads?: number;
}

export interface GuestPool {
  /** As start(): refusals before the guest runs reject with a TenderError. */
  start(kernel: PooledKernel | Uint8Array, options?: RunOptions): Promise<Guest>;
  /** As run(). */
  run(kernel: PooledKernel | Uint8Array, options?: RunOptions): Promise<ExitResult>;
  /** Guests started and not yet ended. */
  readonly size: number;
  /** Stops every guest (reason "stopped") and ends the pool's threads. */
  close(): Promise<void>;
}

export async function loadPooledKernel(bytes: Uint8Array): Promise<PooledKernel> {
  const checked = await loadKernel(bytes, NODE_KERNELS);
  const module = await WebAssembly.compile(shareMemoryImport(await asyncifyYield(bytes)) as Uint8Array<ArrayBuffer>);
  return { kernel: { ...checked, module } };
}

/** What the main thread keeps of one pooled guest. */
interface Resident {
  stdout: (bytes: Uint8Array) => void;
  stderr: (line: string) => void;
  end: (result: ExitResult) => void;
}

class PoolThread {
  readonly residents = new Map<number, Resident>();
  /** False once the thread has ended (closed, or failed). */
  alive = true;
  private readonly kernels = new WeakMap<Kernel, number>();
  private readonly worker: Worker;
  readonly control = newControl();

  constructor() {
    const input: PoolThreadInput = { control: this.control.buffer as SharedArrayBuffer };
    this.worker = new Worker(new URL("./pool-thread.js", import.meta.url), { workerData: input });
    this.worker.on("message", (m: FromPoolThread) => {
      const r = this.residents.get(m.id);
      if (m.t === "out") r?.stdout(m.bytes);
      else if (m.t === "err") r?.stderr(m.line);
      else r?.end(m.result);
    });
    this.worker.on("error", (e) => {
      for (const r of [...this.residents.values()]) r.end(threadFailed(r.stderr, `guest pool thread failed: ${e.message}`));
    });
    this.worker.on("exit", () => {
      this.alive = false;
      for (const r of [...this.residents.values()]) r.end(STOPPED);
    });
  }

  post(m: ToPoolThread): void {
    this.worker.postMessage(m);
    wake(this.control);
  }

  /** The kernel's number on this thread, sending it there the first time. */
  kernelId(k: Kernel, next: () => number): number {
    let id = this.kernels.get(k);
    if (id === undefined) {
      id = next();
      this.kernels.set(k, id);
      this.post({ t: "kernel", kernel: id, body: k });
    }
    return id;
  }

  terminate(): Promise<number> {
    return this.worker.terminate();
  }
}

export function createGuestPool(options: PoolOptions = {}): GuestPool {
  const count = options.threads ?? 1;
  if (!Number.isInteger(count) || count < 1) throw new TenderError(`a guest pool needs a whole number of threads, at least 1 (got ${count})`);
  const threads = Array.from({ length: count }, () => new PoolThread());
  const kernels = new WeakMap<Uint8Array, Promise<PooledKernel>>();
  let ids = 0;
  let kernelIds = 0;
  let size = 0;
  let closed = false;

  /** The least busy thread; one that failed is replaced first. */
  const pick = () => {
    threads.forEach((t, i) => t.alive || (threads[i] = new PoolThread()));
    return threads.reduce((a, b) => (b.residents.size < a.residents.size ? b : a));
  };

  const refuseClosed = () => {
    if (closed) throw new TenderError("this guest pool is closed: create another one");
  };

  /** A place on the least busy thread; its control words wake it for this guest's devices too. */
  const seat = (options: RunOptions): GuestSeat<DeviceSpec> => {
    refuseClosed();
    const thread = pick();
    return {
      wake: () => wake(thread.control),
      launch({ kernel, config, devices }, end) {
        if (pollFds(devices).length > 0) {
          throw new TenderError("TAP devices need their guest's own thread (it sleeps in ppoll on them): start this guest with start(), not in a pool");
        }
        // The pool may have closed, or the thread failed, while the devices were attached.
        refuseClosed();
        if (!thread.alive) throw new TenderError("the guest pool's thread failed while this guest's devices were attached: start it again");
        const id = ids++;
        thread.residents.set(id, {
          stdout: options.stdout ?? ((b: Uint8Array) => process.stdout.write(b)),
          stderr: options.stderr ?? ((line: string) => process.stderr.write(`${line}\n`)),
          end,
        });
        size++;
        thread.post({ t: "start", id, kernel: thread.kernelId(kernel, () => kernelIds++), config, devices, dumpCore: options.dumpCore });
        return {
          stop: () => thread.post({ t: "stop", id }),
          close() {
            thread.residents.delete(id);
            size--;
          },
        };
      },
    };
  };

  async function start(kernel: PooledKernel | Uint8Array, options: RunOptions = {}): Promise<Guest> {
    refuseClosed();
    if (options.record !== undefined) throw new TenderError("record is not available for a pool's guests: record with start() or solo5-wasm run --record=FILE");
    if (kernel instanceof Uint8Array) {
      if (!kernels.has(kernel)) kernels.set(kernel, loadPooledKernel(kernel));
      kernel = await kernels.get(kernel)!;
    }
    return startGuest(kernel.kernel, options, {
      words: CLI_WORDS,
      ownOptions: NODE_OPTIONS,
      checkOptions: () => options.dumpCore !== undefined && checkDumpCoreDir(options.dumpCore),
      attach: attachDevice,
      seat: () => seat(options),
    });
  }

  return {
    start,
    run: async (kernel, options) => (await start(kernel, options)).exited,
    get size() {
      return size;
    },
    async close() {
      closed = true;
      await Promise.all(threads.map((t) => t.terminate()));
    },
  };
}
