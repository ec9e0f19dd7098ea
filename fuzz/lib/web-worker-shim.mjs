// A Web Worker's global message API on a worker_threads thread, then the worker
// script named by workerData (browser-in-node.mjs). Messages that arrive while the
// script loads wait for it, as a Web Worker's do.
import { parentPort, workerData } from "node:worker_threads";

const early = [];
globalThis.postMessage = (m) => parentPort.postMessage(m);
parentPort.on("message", (data) => (globalThis.onmessage ? globalThis.onmessage({ data }) : early.push(data)));
await import(workerData);
for (const data of early.splice(0)) globalThis.onmessage?.({ data });
