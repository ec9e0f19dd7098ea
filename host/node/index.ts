// The library API: run unikernels from Node. Each guest runs on its own worker
// thread, so several run at once, a guest blocked in yield stalls nobody, and a
// guest that loops forever can still be stopped; or many share a pool's threads.
export * from "../core/index.js";
export type { DeviceOption } from "./backends/registry.js";
export { NODE_KERNELS, loadKernel, loadKernelFile } from "./kernels.js";
export { createGuestPool, loadPooledKernel, type GuestPool, type PoolOptions, type PooledKernel } from "./pool.js";
export type { RunOptions } from "./run-options.js";
export { replay, type ReplayOptions, type ReplayOutcome } from "./replay.js";
export { run, start } from "./start.js";
export { prewarm } from "./worker-seat.js";
