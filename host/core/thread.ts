// The one thread bootstrap: what a guest's thread does with what the starting thread
// sent it (a Node worker, a page's Web Worker, one guest of a pool's thread): open
// its devices with the host's registry, run it, close them, report its ending.
import type { DeviceSpec, OpenContext, OpenedDevice } from "./backend.js";
import type { ExitResult } from "./errors.js";
import { endingOf, runGuest, type GuestConfig } from "./guest.js";
import type { Kernel } from "./kernel.js";
import { Log } from "./log.js";
import type { Platform, SharedPlatform } from "./platform.js";

/** What the starting thread sends a guest's thread; structured-cloneable (the module is not compiled again). */
export interface GuestInput<S extends DeviceSpec = DeviceSpec> {
  kernel: Kernel;
  config: Omit<GuestConfig, "backends">;
  devices: S[];
}

/** What a guest's thread tells the thread that started it, in order. */
export type GuestEvent = { t: "out"; bytes: Uint8Array } | { t: "err"; line: string } | { t: "end"; result: ExitResult };

/** Opens one device on the guest's thread (a registry's opener). */
export type Opener = (spec: DeviceSpec, ctx: OpenContext) => OpenedDevice | Promise<OpenedDevice>;

/** Runs a guest with its backends open; its ending goes to `onEnd`, once. */
export type GuestRunner<P extends SharedPlatform> = (kernel: Kernel, config: GuestConfig, platform: P, onEnd: (result: ExitResult) => void) => void;

/** A guest that has a thread of its own: runs to its end right here. */
export const runToEnd: GuestRunner<Platform> = (kernel, config, platform, onEnd) => onEnd(runGuest(kernel, config, platform));

/**
 * Opens the guest's devices (a refusal is its ending), runs it with `run`, closes
 * its devices before `onEnd` hears of the ending (so the starting side may reopen
 * them at once). Synchronous while every open() is: a pool's thread never returns
 * to an event loop, so it cannot wait for a promise.
 */
export function bootGuest<P extends SharedPlatform>(
  input: GuestInput,
  platform: P,
  open: Opener,
  run: GuestRunner<P>,
  onEnd: (result: ExitResult) => void,
): void | Promise<void> {
  const trace = input.config.trace ? (line: string) => platform.stderr(`solo5-wasm: trace: ${line}`) : undefined;
  const warn = (line: string) => platform.stderr(`solo5-wasm: ${line}`);
  const opened: OpenedDevice[] = [];
  const closeAll = () => opened.splice(0).forEach((d) => d.close?.());
  const fail = (e: unknown) => {
    closeAll();
    onEnd(endingOf(e, platform, new Log(input.config.logLevel, (b) => platform.stdout(b)), undefined));
  };
  const start = () => {
    const backends = new Map(input.devices.map((spec, i) => [spec.name, opened[i]!.backend] as const));
    run(input.kernel, { ...input.config, backends }, platform, (result) => {
      closeAll();
      onEnd(result);
    });
  };
  const openFrom = (i: number): void | Promise<void> => {
    for (; i < input.devices.length; i++) {
      let device: OpenedDevice | Promise<OpenedDevice>;
      try {
        device = open(input.devices[i]!, { trace, warn });
      } catch (e) {
        return fail(e);
      }
      if (device instanceof Promise) {
        const next = i + 1;
        return device.then((d) => {
          opened.push(d);
          return openFrom(next);
        }, fail);
      }
      opened.push(device);
    }
    start();
  };
  return openFrom(0);
}
