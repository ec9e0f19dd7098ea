// What every host's start() does alike (Node's worker per guest, its guest pools, a
// page), so that a refusal reads the same and a guest ends once wherever it runs.
import { MEM_MIB_DEFAULT, type DeviceType } from "./abi.js";
import { memBytes } from "./checks.js";
import { parseCommandLine } from "./cmdline.js";
import { checkAttachments } from "./devices.js";
import type { ExitResult } from "./errors.js";
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
  const bytes = memBytes(options.mem ?? MEM_MIB_DEFAULT);
  const { cmdline, logLevel } = parseCommandLine(options.args ?? []);
  const wanted = Object.entries(options.devices ?? {});
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
