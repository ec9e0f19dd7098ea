// Parsing `solo5-wasm run`'s options (docs/cli.md), solo5-hvt style:
//   [--mem=MiB] [--net:NAME=SPEC] [--net-mac:NAME=MAC] [--block:NAME=PATH]
//   [--block-sector-size:NAME=N] [--dumpcore=DIR] [--trace] [--] KERNEL.wasm [ARGS...]
// Options stop at KERNEL: what follows belongs to the guest.
import { TenderError } from "../core/index.js";
import type { DeviceOption } from "./devices.js";
import type { RunOptions } from "./index.js";

export interface RunCommand {
  kernelPath: string;
  options: RunOptions;
}

const usage = (what: string): never => {
  throw new TenderError(`${what} (see solo5-wasm run --help)`);
};

function wholeNumber(option: string, value: string): number {
  if (!/^\d+$/.test(value)) usage(`${option}=${value}: expected a whole number`);
  return Number(value);
}

/** The options that name no device, in the form they are given. */
const UNNAMED_FORMS: Readonly<Record<string, string>> = { "--mem": "--mem=MiB", "--dumpcore": "--dumpcore=DIR", "--trace": "--trace" };

export function parseRunArgs(argv: readonly string[]): RunCommand {
  let mem: number | undefined;
  let trace = false;
  let dumpCore: string | undefined;
  const devices = new Map<string, DeviceOption>();
  const macs = new Map<string, string>();
  const sectorSizes = new Map<string, number>();

  const setOnce = <T>(map: Map<string, T>, option: string, name: string, value: T) => {
    if (map.has(name)) usage(`${option}:${name} given twice`);
    map.set(name, value);
  };

  let i = 0;
  for (; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === "--") {
      i++;
      break;
    }
    if (!arg.startsWith("--")) break;
    const m = /^--([a-z-]+)(?::([^=]*))?(?:=(.*))?$/s.exec(arg);
    const [option, name, value] = m ? [`--${m[1]}`, m[2], m[3]] : [arg, undefined, undefined];
    const needsName = ["--net", "--net-mac", "--block", "--block-sector-size"].includes(option);
    if (needsName && (name === undefined || name === "" || value === undefined || value === "")) {
      usage(`${arg}: expected ${option}:NAME=VALUE`);
    }
    // The options without a device name take no :NAME either (--mem:x=16 is not --mem=16).
    const unnamed = UNNAMED_FORMS[option];
    if (unnamed !== undefined && name !== undefined) usage(`unknown option ${arg}: ${option} takes no :NAME, as in ${unnamed}`);
    switch (option) {
      case "--mem":
        if (value === undefined) usage(`--mem: expected --mem=MiB`);
        mem = wholeNumber("--mem", value!);
        break;
      case "--dumpcore":
        if (!value) usage(`--dumpcore: expected --dumpcore=DIR`);
        dumpCore = value;
        break;
      case "--trace":
        if (value !== undefined) usage(`--trace takes no value`);
        trace = true;
        break;
      case "--net":
        setOnce(devices, "--net", name!, { type: "NET_BASIC", spec: value! });
        break;
      case "--block":
        setOnce(devices, "--block", name!, { type: "BLOCK_BASIC", path: value! });
        break;
      case "--net-mac":
        setOnce(macs, "--net-mac", name!, value!);
        break;
      case "--block-sector-size":
        setOnce(sectorSizes, "--block-sector-size", name!, wholeNumber(`${option}:${name}`, value!));
        break;
      default:
        usage(`unknown option ${arg}`);
    }
  }
  const kernelPath = argv[i];
  if (kernelPath === undefined) usage("no KERNEL.wasm given");

  for (const [name, mac] of macs) {
    const d = devices.get(name);
    if (d?.type !== "NET_BASIC") usage(`--net-mac:${name} given without --net:${name}`);
    (d as { mac?: string }).mac = mac;
  }
  for (const [name, size] of sectorSizes) {
    const d = devices.get(name);
    if (d?.type !== "BLOCK_BASIC") usage(`--block-sector-size:${name} given without --block:${name}`);
    (d as { sectorSize?: number }).sectorSize = size;
  }

  return {
    kernelPath: kernelPath!,
    options: { mem, trace, dumpCore, devices: Object.fromEntries(devices), args: argv.slice(i + 1) },
  };
}
