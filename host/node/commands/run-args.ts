// Parsing `solo5-wasm run`'s options, solo5-hvt style:
//   [--mem=MiB] [DEVICE OPTIONS] [--dumpcore=DIR] [--record=FILE] [--trace] [--] KERNEL.wasm [ARGS...]
// The device options (--net:NAME=SPEC, --block:NAME=PATH, ...) are the device
// registry's, and so are the help's lines for them. Options stop at KERNEL: what
// follows belongs to the guest.
import { MEM_MIB_DEFAULT, MEM_MIB_MAX, MEM_MIB_MIN } from "../../core/abi.js";
import { TenderError } from "../../core/errors.js";
import { didYouMean } from "../../core/nearest.js";
import type { DeviceFlag, NodeDeviceType } from "../backends/device-type.js";
import { DEVICE_TYPES, type DeviceOption } from "../backends/registry.js";
import { RECORD_FLAG } from "../record-file.js";
import type { RunOptions } from "../run-options.js";
import { DUMPCORE_FLAG, MEM_FLAG } from "../words.js";

export interface RunCommand {
  kernelPath: string;
  options: RunOptions;
}

const TRACE_FLAG = "--trace";

/** An option of run as the help shows it: its form and its help lines. */
export interface OptionHelp {
  form: string;
  help: readonly string[];
}

/** run's options in the help's order: --mem, every device type's, --dumpcore, --record, --trace. */
export const RUN_OPTIONS: readonly OptionHelp[] = [
  { form: `${MEM_FLAG}=MiB`, help: [`guest memory, ${MEM_MIB_MIN} to ${MEM_MIB_MAX} (default ${MEM_MIB_DEFAULT})`] },
  ...DEVICE_TYPES.flatMap((t) => t.flags.map((f) => ({ form: `${f.flag}:NAME=${f.value}`, help: f.help }))),
  { form: `${DUMPCORE_FLAG}=DIR`, help: ["write guest memory to DIR after an abort or a trap"] },
  { form: `${RECORD_FLAG}=FILE`, help: ["record the run to FILE, for solo5-wasm replay (docs/record.md)"] },
  { form: TRACE_FLAG, help: ["print every hypercall, its result and duration on stderr"] },
];

const usage = (what: string): never => {
  throw new TenderError(`${what} (see solo5-wasm run --help)`);
};

function wholeNumber(option: string, value: string): number {
  if (!/^\d+$/.test(value)) usage(`${option}=${value}: expected a whole number`);
  return Number(value);
}

/** The options that name no device, in the form they are given. */
const UNNAMED_FORMS: Readonly<Record<string, string>> = {
  [MEM_FLAG]: `${MEM_FLAG}=MiB`,
  [DUMPCORE_FLAG]: `${DUMPCORE_FLAG}=DIR`,
  [RECORD_FLAG]: `${RECORD_FLAG}=FILE`,
  [TRACE_FLAG]: TRACE_FLAG,
};

/** Every device option by its flag, with the type it belongs to. */
const DEVICE_FLAGS = new Map<string, { type: NodeDeviceType<DeviceOption>; flag: DeviceFlag }>(
  DEVICE_TYPES.flatMap((type) => type.flags.map((flag) => [flag.flag, { type, flag }] as const)),
);

/** Every option's flag, for suggesting the one a mistyped flag meant. */
const KNOWN_FLAGS = [...Object.keys(UNNAMED_FORMS), ...DEVICE_FLAGS.keys()];

export function parseRunArgs(argv: readonly string[]): RunCommand {
  let mem: number | undefined;
  let trace = false;
  let dumpCore: string | undefined;
  let record: string | undefined;
  // Devices in the order given (they are attached in that order), whatever their
  // type: a name is attached once. Each setting's values by device name.
  const devices = new Map<string, DeviceOption>();
  const settings = new Map(DEVICE_TYPES.flatMap((t) => t.flags.slice(1).map((f) => [f, new Map<string, string | number>()] as const)));
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
    const device = DEVICE_FLAGS.get(option);
    if (device && (name === undefined || name === "" || value === undefined || value === "")) {
      usage(`${arg}: expected ${option}:NAME=VALUE`);
    }
    // The options without a device name take no :NAME either (--mem:x=16 is not --mem=16).
    const unnamed = UNNAMED_FORMS[option];
    if (unnamed !== undefined && name !== undefined) usage(`unknown option ${arg}: ${option} takes no :NAME, as in ${unnamed}`);
    if (device) {
      const parsed = device.flag.number ? wholeNumber(`${option}:${name}`, value!) : value!;
      if (device.flag === device.type.flags[0]) setOnce(devices, option, name!, { type: device.type.type, [device.flag.field]: parsed } as DeviceOption);
      else setOnce(settings.get(device.flag)!, option, name!, parsed);
    } else if (option === MEM_FLAG) {
      if (value === undefined) usage(`${MEM_FLAG}: expected ${MEM_FLAG}=MiB`);
      mem = wholeNumber(MEM_FLAG, value!);
    } else if (option === DUMPCORE_FLAG) {
      if (!value) usage(`${DUMPCORE_FLAG}: expected ${DUMPCORE_FLAG}=DIR`);
      dumpCore = value;
    } else if (option === RECORD_FLAG) {
      if (!value) usage(`${RECORD_FLAG}: expected ${RECORD_FLAG}=FILE`);
      record = value;
    } else if (option === TRACE_FLAG) {
      if (value !== undefined) usage(`${TRACE_FLAG} takes no value`);
      trace = true;
    } else usage(`unknown option ${arg}${didYouMean(option, KNOWN_FLAGS)}`);
  }
  const kernelPath = argv[i];
  if (kernelPath === undefined) usage("no KERNEL.wasm given");

  // A setting needs its device: --net-mac:NAME needs --net:NAME.
  for (const type of DEVICE_TYPES) {
    const [main, ...rest] = type.flags;
    for (const setting of rest) {
      for (const [name, value] of settings.get(setting)!) {
        const d = devices.get(name);
        if (d?.type !== type.type) usage(`${setting.flag}:${name} given without ${main.flag}:${name}`);
        (d as unknown as Record<string, unknown>)[setting.field] = value;
      }
    }
  }

  return {
    kernelPath: kernelPath!,
    options: { mem, trace, dumpCore, record, devices: Object.fromEntries(devices), args: argv.slice(i + 1) },
  };
}
