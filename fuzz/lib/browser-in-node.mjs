// The browser host's own start path (dist/browser/index.js) and its Web Worker
// bundle (solo5-wasm-worker.js), run under Node: a Worker global that puts the
// bundle on a worker_threads thread with the message API a Web Worker has. Faster
// than a Chromium page for millions of calls; the page's own JS engine is what
// tests/browser/ covers.
import path from "node:path";
import { fileURLToPath } from "node:url";
import { Worker as NodeWorker } from "node:worker_threads";

const SHIM = path.join(path.dirname(fileURLToPath(import.meta.url)), "web-worker-shim.mjs");

class WebWorker {
  constructor(url) {
    this.onmessage = null;
    this.onerror = null;
    this.thread = new NodeWorker(SHIM, { workerData: String(url) });
    this.thread.on("message", (data) => this.onmessage?.({ data }));
    this.thread.on("error", (e) => this.onerror?.({ message: e.message, preventDefault() {} }));
  }
  postMessage(m) {
    this.thread.postMessage(m);
  }
  terminate() {
    void this.thread.terminate();
  }
}

/** The browser entry (start, run, loadKernel), with a page's globals in place. */
export async function browserHost() {
  globalThis.Worker ??= WebWorker;
  globalThis.isSecureContext ??= true;
  globalThis.crossOriginIsolated ??= true;
  return import("../../dist/browser/index.js");
}
