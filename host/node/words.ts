// How the Node host names options in refusals: as the CLI's options, from the device
// registry. The library says them the same way: its device options are the CLI's
// (a device's `spec` is what --net:NAME= takes, `path` what --block:NAME= takes),
// and a refusal then reads the same from the command line and from a script.
import type { DeviceType } from "../core/abi.js";
import type { OptionKey, OptionWords } from "../core/options.js";
import { DEVICE_TYPES } from "./backends/registry.js";

export const MEM_FLAG = "--mem";
export const DUMPCORE_FLAG = "--dumpcore";

/** The option of a device type that attaches it (no field) or sets `field`. */
function deviceFlag(type: DeviceType, field?: string): string {
  const flags = DEVICE_TYPES.find((t) => t.type === type)!.flags;
  return (field === undefined ? flags[0] : flags.find((f) => f.field === field)!).flag;
}

/** Words whose device options are `deviceName`'s. */
function cliWords(deviceName: (key: Extract<OptionKey, { option: "device" }>) => string): OptionWords {
  const name = (key: OptionKey) => (key.option === "mem" ? MEM_FLAG : key.option === "dumpCore" ? DUMPCORE_FLAG : deviceName(key));
  return {
    name,
    set: (key, value) => `${name(key)}=${value}`,
    attach: (device, type) => `${deviceFlag(type)}:${device}=...`,
    kind: (type) => `${deviceFlag(type)}:`,
  };
}

export const CLI_WORDS: OptionWords = cliWords((key) => `${deviceFlag(key.type, key.field)}:${key.name}`);

/** The CLI's words, but device `device` is attached by `flag` (the bridge's uplink, --to=SPEC). */
export const wordsWithDeviceFlag = (device: string, flag: string): OptionWords =>
  cliWords((key) => (key.name === device && key.field === undefined ? flag : `${deviceFlag(key.type, key.field)}:${key.name}`));
