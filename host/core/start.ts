// The one start path: what every host's start() does (Node's worker per guest, its
// guest pools, a page), with the host's own pieces: how it words refusals, attaches
// a device and runs a guest on a thread. A refusal then reads the same wherever the
// guest would have run, and a guest ends once, however its ending comes.
import { nearest } from "./nearest.js";
import { DEVICE_TYPES, MEM_MIB_DEFAULT, STATUS_TENDER_ERROR, type DeviceType } from "./abi.js";
import type { AttachContext, AttachedDevice, DeviceSpec } from "./backend.js";
import { memBytes } from "./checks.js";
import { parseCommandLine } from "./cmdline.js";
import { checkAttachments } from "./devices.js";
import { TenderError, type ExitResult } from "./errors.js";
import type { Kernel } from "./kernel.js";
import { wordedIn, type OptionWords } from "./options.js";
import type { GuestInput } from "./thread.js";

/** The options every host's start() takes; `D` is the host's own way to attach a device. */
export interface StartOptions<D extends { type: DeviceType }> {
  /** Memory in MiB, a whole number from 1 to 4095 (default 512). */
  mem?: number;
  /** The guest's arguments, joined by spaces into its command line; leading --solo5:LEVEL ones are consumed. */
  args?: readonly string[];
  /** One stderr line per hypercall. */
  trace?: boolean;
  /** Devices by manifest name. */
  devices?: Readonly<Record<string, D>>;
  /** Console output and Solo5: lines (default: the host's console). */
  stdout?: (bytes: Uint8Array) => void;
  /** solo5-wasm: lines, without newline (default: the host's error console). */
  stderr?: (line: string) => void;
}

/** A started guest. */
export interface Guest {
  /** Settles with how the guest ended; never rejects. */
  readonly exited: Promise<ExitResult>;
  /** Stops the guest wherever it is (reason "stopped", status 1); settles once it has ended. */
  stop(): Promise<void>;
}

/** What a host brings to startGuest. */
export interface StartHost<D extends { type: DeviceType }, S extends DeviceSpec> {
  /** How its users name options: refusals are worded so. */
  readonly words: OptionWords;
  /** The names of the host's own start options, beyond the core's (Node: dumpCore): any other is refused. */
  readonly ownOptions?: readonly string[];
  /** Checks the host's own options, after the core's (Node: the dumpCore folder). */
  checkOptions?(): void;
  /** Attaches one device on this thread; refusals are TenderErrors. */
  attach(name: string, option: D, ctx: AttachContext): Promise<AttachedDevice<S>>;
  /** Where the guest will run, chosen before its devices are attached (they may wake it from then on). */
  seat(): GuestSeat<S>;
}

/** A place for one guest to run: its own thread, or one shared with others. */
export interface GuestSeat<S extends DeviceSpec> {
  /** Wakes the guest if it sleeps in yield. */
  wake(): void;
  /**
   * Starts the guest on its thread; its ending comes through `end` (first call only).
   * A refusal (a TenderError) means it has not started.
   */
  launch(input: GuestInput<S>, end: (result: ExitResult) => void): RunningGuest;
}

/** The starting thread's hold on a guest that runs. */
export interface RunningGuest {
  /** Asks it to stop (its ending follows through `end`). */
  stop(): Promise<void> | void;
  /** Releases what the seat holds for it, once it has ended. */
  close(): void;
}

/** How a guest ends when it is stopped from outside. */
export const STOPPED: ExitResult = { status: STATUS_TENDER_ERROR, reason: "stopped", message: "stopped from outside" };

/** How a guest ends when its thread fails: said on `stderr`, as every tender error is. */
export function threadFailed(stderr: (line: string) => void, message: string): ExitResult {
  stderr(`solo5-wasm: ${message}`);
  return { status: STATUS_TENDER_ERROR, reason: "error", message };
}

/**
 * Starts a guest of `kernel` with `host`'s pieces. Refusals found before it runs
 * (options, devices, the seat) reject with a TenderError in the host's words; what
 * happens after is in `exited`.
 */
export async function startGuest<D extends { type: DeviceType }, S extends DeviceSpec>(
  kernel: Kernel,
  options: StartOptions<D>,
  host: StartHost<D, S>,
): Promise<Guest> {
  try {
    refuseUnknownOptions(options, [...CORE_OPTIONS, ...(host.ownOptions ?? [])]);
    const { config, wanted } = prepareStart(kernel, options);
    host.checkOptions?.();
    const seat = host.seat();
    const attached: AttachedDevice<S>[] = [];
    const closeAll = () => attached.splice(0).forEach((d) => d.close());
    try {
      for (const [name, option] of wanted) attached.push(await host.attach(name, option, { wake: () => seat.wake() }));
      let running: RunningGuest | undefined;
      const { exited, end, ended } = guestEnding(() => {
        running?.close();
        closeAll();
      });
      running = seat.launch({ kernel, config, devices: attached.map((d) => d.spec) }, end);
      return {
        exited,
        async stop() {
          if (ended()) return;
          await running!.stop();
          await exited;
        },
      };
    } catch (e) {
      closeAll();
      throw e;
    }
  } catch (e) {
    throw wordedIn(host.words, e);
  }
}

/** The fields of StartOptions. */
const CORE_OPTIONS: readonly (keyof StartOptions<never>)[] = ["mem", "args", "trace", "devices", "stdout", "stderr"];

/**
 * Refuses a field of `options` that is not in `known`: a misspelt option would
 * otherwise be dropped without a word ({ memory: 4 } ran at the default 512 MiB).
 */
function refuseUnknownOptions(options: object, known: readonly string[]): void {
  if (typeof options !== "object" || options === null) throw new TenderError(`the options must be an object of ${known.join(", ")}`);
  for (const field of Object.keys(options)) {
    if (known.includes(field)) continue;
    const near = nearest(field, known);
    throw new TenderError(`unknown option ${field}: ${near === undefined ? "" : `did you mean ${near}? `}the options are ${known.join(", ")}`);
  }
}

/**
 * The guest's config (its backends are opened later, on its thread) and the devices
 * to attach, checked before anything is attached or started: the memory size, then
 * --solo5: options, then the devices against the kernel's manifest. Refusals are
 * TenderErrors.
 */
export function prepareStart<D extends { type: DeviceType }>(kernel: Kernel, options: StartOptions<D>): { config: GuestInput["config"]; wanted: [string, D][] } {
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
    if (typeof o !== "object" || o === null || !DEVICE_TYPES.includes(o.type)) {
      throw new TenderError(`devices.${name} must be an object whose type is ${DEVICE_TYPES.map((t) => `"${t}"`).join(" or ")}`);
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
