// The guest's thread: the core's thread bootstrap with Node's pieces. Output goes
// straight to the process's stdout and stderr when those are its sinks, else to the
// main thread as messages, in order on the one port with the result.
import { parentPort, receiveMessageOnPort } from "node:worker_threads";
import { bootGuest, runToEnd, type GuestEvent } from "../core/thread.js";
import { openDevice, pollFds } from "./backends/registry.js";
import { dumpCore } from "./dumpcore.js";
import { writeFully } from "./fd-write.js";
import type { WorkerInput } from "./messages.js";
import { PollWaiter } from "./net-wait.js";
import { fileRecordSink } from "./record-file.js";
import { atomicsWaiter, nodePlatform } from "./platform.js";

// A trap prints the whole wasm stack, down to solo5_app_main even after deep recursion.
Error.stackTraceLimit = Infinity;

// The thread may start before its guest is known (worker-seat.ts: prewarm); the guest
// comes as the first message, and a module's top level may wait for it.
const input = await new Promise<WorkerInput>((resolve) => {
  const ready = receiveMessageOnPort(parentPort!);
  if (ready) resolve(ready.message as WorkerInput);
  else parentPort!.once("message", resolve);
});
const post = (m: GuestEvent) => parentPort!.postMessage(m);

// With TAP devices the guest sleeps in ppoll on them (and on the eventfd the main
// thread writes); otherwise on its control words.
const waiter = input.eventFd === undefined ? atomicsWaiter(new Int32Array(input.control)) : new PollWaiter(pollFds(input.devices), input.eventFd);
const encoder = new TextEncoder();
const stdout =
  input.stdoutFd === undefined
    ? (bytes: Uint8Array) => post({ t: "out", bytes: bytes.slice() })
    : (bytes: Uint8Array) => writeFully(input.stdoutFd!, bytes);
const stderr =
  input.stderrFd === undefined
    ? (line: string) => post({ t: "err", line })
    : (line: string) => writeFully(input.stderrFd!, encoder.encode(`${line}\n`));
const platform = nodePlatform(
  waiter,
  stdout,
  stderr,
  input.dumpCore === undefined ? undefined : (memory, reason) => dumpCore(input.dumpCore!, memory, reason),
);
if (input.recordFd !== undefined) platform.recordSink = await fileRecordSink(input.recordFd, stderr);

await bootGuest(input, platform, openDevice, runToEnd, (result) => post({ t: "end", result }));
