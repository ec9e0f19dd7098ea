// Refusals about an option the user gave (the memory size, a device, a device's MAC
// or sector size). The core says what was wrong and which option it was; each host
// words the option in its own terms: the CLI as `--mem=2` and `--net:service0=hub:lan`
// (and the Node library, whose device options are the CLI's specs), a page as the
// fields it passed, `mem = 2` and `devices.service0 (hub:lan)`.
import type { DeviceType } from "./abi.js";
import { TenderError } from "./errors.js";

/** Which option a refusal is about. */
export type OptionKey =
  | { option: "mem" }
  | { option: "dumpCore" }
  /** A device by its manifest name; `field` names one of its settings (mac, sectorSize), absent for the device itself. */
  | { option: "device"; name: string; type: DeviceType; field?: string };

export const MEM_OPTION: OptionKey = { option: "mem" };
export const DUMPCORE_OPTION: OptionKey = { option: "dumpCore" };
export const deviceOption = (name: string, type: DeviceType, field?: string): OptionKey => ({ option: "device", name, type, field });

/** How a host names its options in refusals. */
export interface OptionWords {
  /** The option alone: `--mem`, `--net:service0`; `mem`, `devices.service0`. */
  name(key: OptionKey): string;
  /** The option with a value: `--mem=2`, `--net:service0=hub:lan`; `mem = 2`, `devices.service0 (hub:lan)`. */
  set(key: OptionKey, value: string | number): string;
  /** How to attach a device: `--net:service0=...`; `devices.service0 = { type: "NET_BASIC", ... }`. */
  attach(name: string, type: DeviceType): string;
  /** How devices of a type are attached, whatever their name: `--net:`; `"NET_BASIC"`. */
  kind(type: DeviceType): string;
}

/** The core's own terms: the fields of the options every host's start() takes. */
export const FIELD_WORDS: OptionWords = {
  name: (key) => (key.option === "device" ? `devices.${key.name}${key.field === undefined ? "" : `.${key.field}`}` : key.option),
  set(key, value) {
    if (key.option === "device" && key.field === undefined) return `devices.${key.name} (${value})`;
    return `${this.name(key)} = ${typeof value === "string" ? JSON.stringify(value) : value}`;
  },
  attach: (name, type) => `devices.${name} = { type: "${type}", ... }`,
  kind: (type) => `"${type}"`,
};

/**
 * A refusal about `key`. `say` makes its one line in a host's terms; until a host
 * words it (wordedIn), its message is in the core's own (FIELD_WORDS).
 */
export class OptionRefusal extends TenderError {
  constructor(
    readonly key: OptionKey,
    private readonly say: (words: OptionWords) => string,
  ) {
    super(say(FIELD_WORDS));
  }

  /** The same refusal, its message now in `words`' terms. */
  wordedIn(words: OptionWords): this {
    this.message = this.say(words);
    return this;
  }
}

/** The usual refusal of an option: `<the option as it was given>: <why>`. */
export const refuseOption = (key: OptionKey, value: string | number, why: string): OptionRefusal => new OptionRefusal(key, (w) => `${w.set(key, value)}: ${why}`);

/** `e` in `words`' terms when it is an OptionRefusal; anything else as it was. */
export function wordedIn<E>(words: OptionWords, e: E): E {
  return e instanceof OptionRefusal ? e.wordedIn(words) : e;
}
