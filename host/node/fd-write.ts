// Console output written by the guest's own thread straight to a file descriptor, as
// Solo5's tenders write(2) it: once console_write returns, the bytes are with the OS,
// so a tender killed right after loses none of them.
import fs from "node:fs";

const pause = new Int32Array(new SharedArrayBuffer(4));

/** Writes all of `bytes` to `fd`; waits out a full non-blocking pipe; best effort otherwise. */
export function writeFully(fd: number, bytes: Uint8Array): void {
  for (let done = 0; done < bytes.length; ) {
    try {
      done += fs.writeSync(fd, bytes, done, bytes.length - done);
    } catch (e) {
      // Node makes pipes non-blocking: a full one says EAGAIN, so wait for the reader.
      if ((e as NodeJS.ErrnoException).code !== "EAGAIN") return; // EPIPE and the like: the console is best effort
      Atomics.wait(pause, 0, 0, 1);
    }
  }
}
