// Running one guest, start to end, synchronously in the calling thread (ABI sections
// 2 and 5). Where that thread is (a Node worker, a browser worker) is the platform's
// business; the core only needs the Platform it is given.
import { MIB, STATUS_ABORT, STATUS_TENDER_ERROR, WASM_PAGE, guestAbi, type AbiVersion } from "./abi.js";
import type { LogLevel } from "./cmdline.js";
import { endGuest, type GuestContext } from "./context.js";
import type { Backend } from "./backend.js";
import { DeviceTable } from "./devices.js";
import { GuestEnded, TenderError, type ExitResult } from "./errors.js";
import { hypercalls, type CallHook, type TableOptions } from "./hypercalls/index.js";
import { checkKernelFits, type Kernel } from "./kernel.js";
import { computeLayout, writeStartInfo, type Layout } from "./layout.js";
import { Log } from "./log.js";
import { MEM_OPTION, OptionRefusal, wordedIn } from "./options.js";
import { GuestMemory } from "./memory.js";
import type { Platform, SharedPlatform } from "./platform.js";
import { Recorder } from "./record/recorder.js";
import { recordHeader } from "./record/header.js";
import type { RecordMeta } from "./record/format.js";
import { traceHook } from "./trace.js";
import { VERSION } from "./version.js";

export interface GuestConfig {
  /** Memory size in bytes: whole MiB (--mem). */
  memBytes: number;
  /** The command line as the guest receives it (--solo5: options already consumed). */
  cmdline: string;
  logLevel: LogLevel;
  trace: boolean;
  /** Record the run to the platform's recordSink, with this in the log's header (record/). */
  record?: RecordMeta;
  /** A backend for every device in the kernel's manifest, by name. */
  backends: ReadonlyMap<string, Backend>;
}

export type GuestExports = {
  solo5_app_main: (si: number) => number;
  _initialize?: () => void;
};

/** A guest instantiated with its start info written; none of its code has run yet. */
export interface LiveGuest {
  instance: WebAssembly.Instance;
  exports: GuestExports;
  layout: Layout;
  /** What its hypercalls share; `ctx.ended` is set once something ended it. */
  ctx: GuestContext;
}

/** Distinct frames printed after a trap. */
const TRAP_FRAMES = 40;

/**
 * Runs the guest to its end. Never throws: every ending is an ExitResult, already
 * reported. `hooks` wrap its hypercalls (an in-process host's recorder, a test's probe).
 */
export function runGuest(kernel: Kernel, config: GuestConfig, platform: Platform, hooks: readonly CallHook[] = []): ExitResult {
  const log = new Log(config.logLevel, (b) => platform.stdout(b));
  const recorder = config.record && platform.recordSink ? new Recorder(platform.recordSink, recordHeader(config, config.record)) : undefined;
  const result = runInstance(kernel, config, platform, log, recorder ? [...hooks, recorder.hook] : hooks);
  recorder?.end(result);
  return result;
}

function runInstance(kernel: Kernel, config: GuestConfig, platform: Platform, log: Log, hooks: readonly CallHook[]): ExitResult {
  let guest: LiveGuest | undefined;
  try {
    guest = instantiateGuest(kernel, config, platform, log, { hooks });
    if (kernel.hasInitialize) guest.exports._initialize!();
    const code = guest.exports.solo5_app_main(guest.layout.startInfo);
    if (guest.ctx.ended) throw guest.ctx.ended;
    return mainReturned(log, code);
  } catch (caught) {
    // An ending stands even if a guest with exception handling caught its unwinding.
    return endingOf(guest?.ctx.ended ?? caught, platform, log, guest?.ctx.mem);
  } finally {
    if (guest) reportDevices(log, guest.ctx.devices);
  }
}

/**
 * ABI section 2, steps 1 to 3: memory, devices, imports, instance, start info. Throws
 * TenderError on a refusal. `table` replaces hypercalls for a host that runs guests
 * its own way (the shared-thread scheduler's yield) and hooks them; --trace adds its
 * hook last, so it shows what the guest sees.
 */
export function instantiateGuest(kernel: Kernel, config: GuestConfig, platform: Platform, log: Log, table: TableOptions = {}): LiveGuest {
  checkKernelFits(kernel, config.memBytes);
  const layout = computeLayout(kernel.heapBase, config.cmdline, config.memBytes);
  const pages = config.memBytes / WASM_PAGE;
  const memory = createMemory(pages, kernel.sharedMemory);
  const devices = new DeviceTable(kernel.manifest, config.backends);
  const ctx: GuestContext = { mem: new GuestMemory(memory, (e) => endGuest(ctx, e)), devices, platform, log };
  const { mem } = ctx;
  const hooks = config.trace ? [...(table.hooks ?? []), traceHook((l) => platform.stderr(`solo5-wasm: ${l}`), ctx)] : table.hooks;
  const solo5 = hypercalls(ctx, kernel.hypercalls, { replace: table.replace, hooks });
  const instance = instantiate(kernel.module, memory, solo5);
  writeStartInfo(mem.bytes, layout);
  banner(log, layout, ctx.devices, guestAbi(kernel.hypercalls));
  return { instance, exports: instance.exports as GuestExports, layout, ctx };
}

/** solo5_app_main returned `code`: that is solo5_exit(code). */
export function mainReturned(log: Log, code: number): ExitResult {
  log.solo5("info", `solo5_exit(${code | 0}) called`);
  return { status: code & 0xff, reason: "exit", code: code | 0 };
}

/**
 * The ending an exception out of a guest (or its start-up, or the opening of its
 * devices) means, reported as ABI section 5 says, refusals in the host's words.
 */
export function endingOf(e: unknown, platform: SharedPlatform, log: Log, mem: GuestMemory | undefined): ExitResult {
  const dump = (reason: string) => {
    if (!mem || !platform.dumpCore) return;
    // A core that cannot be written does not change the guest's ending (status 255).
    try {
      platform.stderr(`solo5-wasm: core dumped to ${platform.dumpCore(mem.bytes, reason)}`);
    } catch (e) {
      platform.stderr(`solo5-wasm: cannot dump core: ${(e as Error).message}: check the --dumpcore directory`);
    }
  };
  const fail = (message: string): ExitResult => {
    platform.stderr(`solo5-wasm: ${message}`);
    return { status: STATUS_TENDER_ERROR, reason: "error", message };
  };
  if (e instanceof GuestEnded) {
    if (e.result.reason === "abort") dump("solo5_abort() called");
    return e.result;
  }
  if (e instanceof TenderError) return fail(platform.words ? wordedIn(platform.words, e).message : e.message);
  const reason = trapReason(e);
  if (reason === undefined) return fail(`internal error: ${(e as Error)?.stack ?? String(e)}`);
  log.solo5("error", `trap: ${reason}`);
  for (const frame of wasmFrames(e as Error)) log.solo5("error", frame.startsWith("...") ? `  ${frame}` : `  at ${frame}`);
  dump(`trap: ${reason}`);
  return { status: STATUS_ABORT, reason: "trap", message: reason };
}

/** Debug lines with each device's counters, once the guest has ended. */
export function reportDevices(log: Log, devices: DeviceTable): void {
  if (!log.enabled("debug")) return;
  for (const { name, backend } of devices.backends()) {
    const b = backend.type === "NET_BASIC" ? backend.net : backend.block;
    log.solo5("debug", `device ${name}: ${b.stats()}`);
  }
}

/** The guest's memory; the engine's refusal (address space or RAM exhausted) is a TenderError. */
function createMemory(pages: number, shared: boolean): WebAssembly.Memory {
  try {
    return new WebAssembly.Memory({ initial: pages, maximum: pages, shared });
  } catch (e) {
    if (!(e instanceof RangeError)) throw e;
    const why = e.message;
    throw new OptionRefusal(
      MEM_OPTION,
      (w) => `cannot allocate ${(pages * WASM_PAGE) / MIB} MiB of guest memory (${why}): lower ${w.name(MEM_OPTION)}, or run fewer guests in this process`,
    );
  }
}

function instantiate(module: WebAssembly.Module, memory: WebAssembly.Memory, solo5: object): WebAssembly.Instance {
  try {
    return new WebAssembly.Instance(module, { env: { memory }, solo5: solo5 as WebAssembly.ModuleImports });
  } catch (e) {
    if (e instanceof WebAssembly.LinkError) throw new TenderError(`guest does not link: ${e.message}`);
    throw e;
  }
}

function banner(log: Log, l: Layout, devices: DeviceTable, abi: AbiVersion): void {
  if (!log.enabled("info")) return; // not even the strings: a pool boots thousands of quiet guests
  const hex = (n: number) => `0x${n.toString(16)}`;
  log.solo5("info", `Bindings version v${VERSION} (solo5-wasm, ABI v${abi})`);
  log.solo5("info", `Memory map: ${l.memBytes / MIB} MB addressable:`);
  log.solo5("info", `    static @ (0x0 - ${hex(Math.max(l.heapBase - 1, 0))})`);
  log.solo5("info", `start info @ (${hex(l.startInfo)} - ${hex(l.heapStart - 1)})`);
  log.solo5("info", `      heap @ (${hex(l.heapStart)} - ${hex(l.memBytes - 1)})`);
  for (const { name, backend } of devices.backends()) {
    const b = backend.type === "NET_BASIC" ? backend.net : backend.block;
    log.solo5("debug", `device ${name} (${backend.type}): ${b.describe()}`);
  }
}

/** The trap's reason, or undefined when the error is not a trap (a tender bug). */
function trapReason(e: unknown): string | undefined {
  if (e instanceof WebAssembly.RuntimeError) return e.message;
  if (e instanceof RangeError && /call stack/i.test(e.message)) return "stack overflow";
  return undefined;
}

/**
 * The wasm frames of an error's stack, innermost first: "name (wasm-function[N]:0xOFF)".
 * Runs of the same frame (deep recursion) collapse into one line with a count.
 */
function wasmFrames(e: Error): string[] {
  const frames: string[] = [];
  let last = "";
  let repeats = 0;
  const flush = () => {
    if (repeats > 0) frames.push(`... the same ${repeats} more time${repeats > 1 ? "s" : ""}`);
    repeats = 0;
  };
  for (const line of (e.stack ?? "").split("\n")) {
    const m = /^\s*at (?:(.*?) )?\(?wasm:\/\/[^)]*?:(wasm-function\[\d+\]:0x[0-9a-f]+)\)?$/.exec(line);
    if (!m) continue;
    const frame = m[1] ? `${m[1]} (${m[2]})` : m[2]!;
    if (frame === last) {
      repeats++;
      continue;
    }
    flush();
    frames.push(frame);
    last = frame;
  }
  flush();
  return frames.length > TRAP_FRAMES ? [...frames.slice(0, TRAP_FRAMES), `... ${frames.length - TRAP_FRAMES} more frames`] : frames;
}
