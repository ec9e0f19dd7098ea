// What a device type of the Node host declares, as Solo5's hvt_module_net and
// hvt_module_blk do: the options that attach and set up such a device (the CLI's
// --net:NAME=SPEC, --net-mac:NAME=MAC, ...; the library's fields of the same names),
// their help, and the backends a device of the type can be attached to. The
// registry (registry.ts) lists the types; the CLI's help and option parser, the
// library's checks and the refusals' wording are all made from it.
import type { DeviceType } from "../../core/abi.js";
import type { AttachContext, AttachedDevice, BackendModule, DeviceSpec, OpenContext, OpenedDevice } from "../../core/backend.js";

/** One option of a device type: `FLAG:NAME=VALUE` on the command line, `field` in the library's device option. */
export interface DeviceFlag {
  readonly flag: string;
  /** What VALUE stands for in the help: SPEC, MAC, PATH, N. */
  readonly value: string;
  readonly field: string;
  /** Its help, a line at a time (the first beside the option, the others under it). */
  readonly help: readonly string[];
  /** A whole number rather than text. */
  readonly number?: boolean;
}

export interface NodeDeviceType<O extends { type: DeviceType }> {
  readonly type: O["type"];
  /** The option that attaches a device of the type, then those that set it up. */
  readonly flags: readonly [DeviceFlag, ...DeviceFlag[]];
  readonly backends: readonly NodeBackend<object, DeviceSpec>[];
  /** The backend `option` chooses, before it is attached; undefined when it names none (attach refuses it). */
  backendOf(option: O): NodeBackend<object, DeviceSpec> | undefined;
  /** Attaches device `name` as its option says (fields of the right types; refusals name the option). */
  attach(name: string, option: O, ctx: AttachContext): Promise<AttachedDevice>;
}

/** A backend of the Node host: a BackendModule with the form of the option's VALUE that attaches it. */
export interface NodeBackend<P, S extends DeviceSpec> extends BackendModule<P, S> {
  /** VALUE's form, for the help and refusals: "tap:IFNAME", "PATH". */
  readonly syntax: string;
  /** Node's backends open without waiting (a pool's thread cannot wait). */
  open(spec: S, ctx: OpenContext): OpenedDevice;
  /** A descriptor the guest's thread must sleep on in yield (a TAP's), if any. */
  pollFd?(spec: S): number | undefined;
}

/** What every net backend gets besides its own part of SPEC. */
export interface NetSettings {
  mac: Uint8Array;
}

/** A net backend: chosen by the prefix of --net:NAME=SPEC, its part of SPEC parsed into `P`. */
export interface NetChoice<P extends object, S extends DeviceSpec> extends NodeBackend<P & NetSettings, S> {
  /** SPEC starts with it and a colon. */
  readonly prefix: string;
  /** What it is, for the help: "a TAP interface". */
  readonly usage: string;
  /** The form of a SPEC without a prefix, for the backend that takes those (tap: a bare IFNAME, as Solo5). */
  readonly bare?: string;
  /** Checks SPEC after the prefix (refusals name the device's option). */
  parse(name: string, text: string): P;
}

/** What every block backend gets besides its own part of the option. */
export interface BlockSettings {
  sectorSize: number;
}

/** Help text as lines of at most `width` characters, broken between words. */
export function wrapText(text: string, width = 60): string[] {
  const lines: string[] = [];
  let line = "";
  for (const word of text.split(" ")) {
    if (line !== "" && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line === "" ? word : `${line} ${word}`;
  }
  return [...lines, line];
}
