// Typed access to the TAP addon (native/tap/tap.c): the syscalls with which a
// guest's worker thread drives a Linux TAP interface itself, and the eventfd
// through which the main thread wakes that worker. No device logic here.
//
// The addon is loaded on first use, so that importing this module costs
// nothing for guests without a TAP, and works where the addon is not built.
// It is context-aware: every worker_threads Worker may load it.

import { createRequire } from 'node:module';

/** An attached TAP interface: a non-blocking, close-on-exec fd and its MTU
 *  (payload bytes, without the 14-byte Ethernet header). */
export interface TapHandle {
  fd: number;
  mtu: number;
}

/** readFrame(): no frame is waiting. */
export const READ_AGAIN = -1;
/** readFrame(): a frame longer than the buffer arrived; it was consumed and
 *  dropped (the caller counts it). */
export const READ_TOO_LONG = -2;

interface TapAddon {
  openTap(ifname: string): TapHandle;
  readFrame(fd: number, buf: Uint8Array): number;
  writeFrame(fd: number, buf: Uint8Array, len: number): boolean;
  createWaker(): number;
  wake(waker: number): void;
  wait(fds: Int32Array, waker: number, timeoutNs: number): number;
  closeFd(fd: number): void;
}

// Two levels up both from host/node/ and from dist/node/.
const addonPath = '../../native/tap/build/Release/solo5_tap.node';
let addon: TapAddon | undefined;

function load(): TapAddon {
  if (addon) return addon;
  try {
    addon = createRequire(import.meta.url)(addonPath) as TapAddon;
  } catch (cause) {
    const notBuilt = (cause as NodeJS.ErrnoException).code === 'MODULE_NOT_FOUND';
    throw new Error(
      notBuilt
        ? 'the TAP addon is not built: run `npm run build` (where solo5-wasm is installed as a package: `npm rebuild solo5-wasm`)'
        : `the TAP addon failed to load (${(cause as Error).message}): rebuild it with \`npm run build\` (installed as a package: \`npm rebuild solo5-wasm\`)`,
      { cause },
    );
  }
  return addon;
}

/**
 * Attach an existing TAP interface that is up; never creates one. Throws an
 * Error whose message says what is wrong and how to fix it, and whose `code`
 * is the errno name: ENODEV (no such interface), ENETDOWN (down), EBUSY
 * (another process has it), EINVAL (not a TAP), EPERM/EACCES (needs root or
 * CAP_NET_ADMIN), ENOENT (no /dev/net/tun).
 */
export function openTap(ifname: string): TapHandle {
  return load().openTap(ifname);
}

/**
 * One non-blocking read of one frame into `buf` (make it mtu + 14 bytes).
 * Returns the frame length, READ_AGAIN, or READ_TOO_LONG. Throws on a real
 * error, e.g. EBADFD when the interface was deleted while attached.
 */
export function readFrame(fd: number, buf: Uint8Array): number {
  return load().readFrame(fd, buf);
}

/**
 * One non-blocking write of the frame `buf[0, len)`. Returns false when the
 * frame was not taken (queue full, link down, refused by the kernel): the
 * caller counts a drop. Throws on a bad fd or a deleted interface.
 */
export function writeFrame(fd: number, buf: Uint8Array, len: number): boolean {
  return load().writeFrame(fd, buf, len);
}

/** A non-blocking, close-on-exec eventfd for wake() and wait(). */
export function createWaker(): number {
  return load().createWaker();
}

/**
 * Make a current or the next wait() on `waker` return; callable from any
 * thread. A worker blocked in wait() cannot be stopped by Worker.terminate()
 * alone: wake it too.
 */
export function wake(waker: number): void {
  load().wake(waker);
}

/**
 * Block until one of `fds` (at most 32) is readable, `waker` was woken, or
 * `timeoutNs` nanoseconds have passed (negative: no timeout). Returns the
 * bitmask of readable fds, bit i for fds[i]; 0 after a timeout or a wake
 * alone. Consumes the wake. An fd in error also counts as readable, so that
 * readFrame() reports the error.
 */
export function wait(fds: Int32Array, waker: number, timeoutNs: number): number {
  return load().wait(fds, waker, timeoutNs);
}

/** Close a TAP fd or a waker. */
export function closeFd(fd: number): void {
  load().closeFd(fd);
}
