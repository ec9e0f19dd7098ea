// The TAP addon (native/tap) run inside a network namespace for a test in another
// process (rpc.mjs): a TAP is found by name in the namespace of the process that
// opens it, and a test's own process cannot enter one. Each call is the addon's, with
// plain arrays for descriptor sets and frames that travel as Uint8Arrays.
import { createRequire } from "node:module";
import { rpcServe } from "./rpc.mjs";

const tap = createRequire(import.meta.url)("../../native/tap/build/Release/solo5_tap.node");

rpcServe({
  openTap: (name) => tap.openTap(name),
  createWaker: () => tap.createWaker(),
  wait: (fds, waker, timeoutNs) => tap.wait(Int32Array.from(fds), waker, timeoutNs),
  /** readFrame into a buffer of `size` bytes: { n, frame } with the bytes read. */
  readFrame(fd, size) {
    const buf = new Uint8Array(size);
    const n = tap.readFrame(fd, buf);
    return { n, frame: buf.slice(0, Math.max(n, 0)) };
  },
  writeFrame: (fd, frame, length) => tap.writeFrame(fd, frame, length),
});
