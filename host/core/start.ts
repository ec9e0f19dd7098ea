// What every host's start() does alike (Node's worker per guest, its guest pools, a
// page), so that a refusal reads the same and a guest ends once wherever it runs.
import { MEM_MIB_DEFAULT, type DeviceType } from "./abi.js";
import { memBytes } from "./checks.js";
import { parseCommandLine } from "./cmdline.js";
import { checkAttachments } from "./devices.js";
import { TenderError, type ExitResult } from "./errors.js";
import type { GuestConfig } from "./guest.js";
import type { Kernel } from "./kernel.js";

/** The options every host's start() takes; `D` is the host's own way to attach a device. */
export interface StartOptions<D extends { type: DeviceType }> {
  mem?: number;
  args?: readonly string[];
  trace?: boolean;
  devices?: Readonly<Record<string, D>>;
}

/**
 * The guest's config (its backends are opened later, on its thread) and the devices
 * to attach, checked before anything is attached or started: --mem, then --solo5:
 * options, then the devices against the kernel's manifest. Refusals are TenderErrors.
 */
export function prepareStart<D extends { type: DeviceType }>(
  kernel: Kernel,
  options: StartOptions<D>,
): { config: Omit<GuestConfig, "backends">; wanted: [string, D][] } {
  // The library's callers pass whatever JavaScript they have: a wrong shape is a
  // refusal like any other, not a TypeError from deep inside.
  if (typeof kernel !== "object" || kernel === null || !(kernel.module instanceof WebAssembly.Module)) {
    throw new TenderError("the kernel must be a Kernel (from loadKernel or loadKernelFile) or the module's bytes; for a file, use loadKernelFile(PATH)");
  }
  const bytes = memBytes(options.mem ?? MEM_MIB_DEFAULT);
  const args = options.args ?? [];
  if (!Array.isArray(args) || !args.every((a) => typeof a === "string")) {
    throw new TenderError(`args must be an array of strings, the guest's command line (e.g. ["Hello_Solo5"])`);
  }
  const { cmdline, logLevel } = parseCommandLine(args);
  const wanted = Object.entries(options.devices ?? {});
  for (const [name, o] of wanted) {
    if (typeof o !== "object" || o === null || (o.type !== "NET_BASIC" && o.type !== "BLOCK_BASIC")) {
      throw new TenderError(`devices.${name} must be an object whose type is "NET_BASIC" or "BLOCK_BASIC"`);
    }
  }
  checkAttachments(kernel.manifest, new Map(wanted.map(([name, o]) => [name, o.type])));
  return { config: { memBytes: bytes, cmdline, logLevel, trace: options.trace ?? false }, wanted };
}

/**
 * A started guest's `exited` and the one call that settles it: the first end()
 * cleans up and settles, later ones (a stop racing the guest's own end, a worker's
 * exit after its result) do nothing.
 */
export function guestEnding(cleanup: () => void): { exited: Promise<ExitResult>; end: (result: ExitResult) => void; ended: () => boolean } {
  let settle!: (r: ExitResult) => void;
  const exited = new Promise<ExitResult>((resolve) => (settle = resolve));
  let ended = false;
  return {
    exited,
    end(result) {
      if (ended) return;
      ended = true;
      cleanup();
      settle(result);
    },
    ended: () => ended,
  };
}
