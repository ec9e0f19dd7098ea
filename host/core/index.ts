// The platform-free core of the tender: what both the Node and browser hosts build on.
export * from "./abi.js";
export { parseCommandLine, LOG_LEVELS, type CommandLine, type LogLevel } from "./cmdline.js";
export { AtomicsWaiter, WAKE, newControl, wake } from "./atomics-waiter.js";
export { checkCapacity, checkSectorSize, memBytes } from "./checks.js";
export { checkAttachments, type Attachments, type Backend } from "./devices.js";
export { GuestEnded, InvalidGuestAccess, TenderError, type ExitReason, type ExitResult } from "./errors.js";
export { runGuest, type GuestConfig } from "./guest.js";
export type { BlockBackend } from "./hypercalls/block.js";
export type { NetBackend } from "./hypercalls/net.js";
export { checkKernelFits, checkKernelRuns, loadKernel, loadKernelFrom, type Kernel, type LoadOptions } from "./kernel.js";
export { computeLayout, type Layout } from "./layout.js";
export { formatManifest, parseManifest, type Manifest, type ManifestDevice } from "./manifest.js";
export type { Platform, Waiter } from "./platform.js";
export { replaceCustomSection } from "./sections.js";
export { guestEnding, prepareStart, type StartOptions } from "./start.js";
export { VERSION } from "./version.js";
