// The platform-free core of the tender: what both the Node and browser hosts build on.
export * from "./abi.js";
export { parseCommandLine, LOG_LEVELS, type CommandLine, type LogLevel } from "./cmdline.js";
export { AtomicsWaiter, WAKE, newControl, wake } from "./atomics-waiter.js";
export { checkCapacity, checkSectorSize, memBytes } from "./checks.js";
export {
  opener,
  type AttachContext,
  type AttachedDevice,
  type Backend,
  type BackendModule,
  type BlockBackend,
  type DeviceSpec,
  type NetBackend,
  type OpenContext,
  type OpenedDevice,
} from "./backend.js";
export { checkAttachments, type Attachments } from "./devices.js";
export { GuestEnded, HostIoError, InvalidGuestAccess, TenderError, type ExitReason, type ExitResult } from "./errors.js";
export { runGuest, type GuestConfig } from "./guest.js";
export type { CallHook, Hypercall } from "./hypercalls/index.js";
export { checkKernelFits, checkKernelRuns, loadKernel, loadKernelFrom, type Kernel, type LoadOptions } from "./kernel.js";
export { computeLayout, type Layout } from "./layout.js";
export { formatManifest, parseManifest, type Manifest, type ManifestDevice } from "./manifest.js";
export { DUMPCORE_OPTION, FIELD_WORDS, MEM_OPTION, OptionRefusal, deviceOption, refuseOption, wordedIn, type OptionKey, type OptionWords } from "./options.js";
export type { Platform, SharedPlatform, Waiter } from "./platform.js";
export { replaceCustomSection } from "./sections.js";
export {
  STOPPED,
  guestEnding,
  prepareStart,
  startGuest,
  threadFailed,
  type Guest,
  type GuestSeat,
  type RunningGuest,
  type StartHost,
  type StartOptions,
} from "./start.js";
export { bootGuest, runToEnd, type GuestEvent, type GuestInput, type GuestRunner, type Opener } from "./thread.js";
export { VERSION } from "./version.js";
