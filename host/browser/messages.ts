// What the page tells a guest's Web Worker: the Node host's worker input, less what
// only Node has (dumpCore) and with the browser's device specs. The worker answers
// with the Node host's messages (console bytes, stderr lines, the result).
import type { WorkerInput as NodeWorkerInput } from "../node/messages.js";
import type { DeviceSpec } from "./devices.js";

export type { ToMain } from "../node/messages.js";

/** The worker's first and only input message; its kernel's WebAssembly.Module is cloned, not compiled again. */
export type WorkerInput = Omit<NodeWorkerInput, "devices" | "dumpCore"> & { devices: DeviceSpec[] };
