// What the page sends a guest's Web Worker: the core's GuestInput and the worker's
// control words. The worker answers with the core's GuestEvents, and a recording
// guest with its log's chunks.
import type { GuestInput } from "../core/thread.js";

/** The worker's first and only input message; its kernel's WebAssembly.Module is cloned, not compiled again. */
export interface WorkerInput extends GuestInput {
  control: SharedArrayBuffer;
}

/** A chunk of the record log, from a guest started with `record` (recording.ts). */
export type RecordEvent = { t: "rec"; bytes: Uint8Array<ArrayBuffer> };
