// The guest's thread: the core's thread bootstrap with Node's pieces (guest-io.ts).
// Output goes straight to the process's stdout and stderr when those are its sinks,
// else to the main thread as messages, in order on the one port with the result.
import { parentPort, receiveMessageOnPort } from "node:worker_threads";
import { bootGuest, runToEnd, type GuestEvent } from "../core/thread.js";
import { openDevice } from "./backends/registry.js";
import { threadPlatform } from "./guest-io.js";
import type { WorkerInput } from "./messages.js";

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

await bootGuest(input, await threadPlatform(input, post), openDevice, runToEnd, (result) => post({ t: "end", result }));
