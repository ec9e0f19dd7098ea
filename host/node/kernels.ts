// Loading kernels for Node: from bytes or from a file, compiled for a shared
// env.memory so that boot time does not grow with --mem (core/shared-memory.ts);
// each guest's worker takes its memory along when it ends.
import fs from "node:fs";
import { TenderError } from "../core/errors.js";
import { loadKernel as loadCoreKernel, loadKernelFrom, type Kernel, type LoadOptions } from "../core/kernel.js";

export const NODE_KERNELS: LoadOptions = { sharedMemory: true };

/** Compiles and checks a kernel, for Node (NODE_KERNELS unless told otherwise). */
export function loadKernel(bytes: Uint8Array, options: LoadOptions = NODE_KERNELS): Promise<Kernel> {
  return loadCoreKernel(bytes, options);
}

/** Reads and checks a kernel file; refusals are TenderErrors. */
export async function loadKernelFile(path: string): Promise<Kernel> {
  let bytes: Uint8Array;
  try {
    // A file is read at once: the kernel is needed before anything else can happen, and
    // fs.promises would cost a CLI run its loading (docs/performance.md).
    bytes = isFifo(path) ? await readPipe(path) : fs.readFileSync(path);
  } catch (e) {
    throw new TenderError(`cannot read ${path}: ${(e as Error).message}`);
  }
  return loadKernelFrom(path, bytes, NODE_KERNELS);
}

function isFifo(path: string): boolean {
  try {
    return fs.statSync(path).isFIFO();
  } catch {
    return false; // the read says why
  }
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
