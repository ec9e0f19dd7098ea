// The help text: the commands' usage lines and what each does, and run's options
// from the device registry (commands/run-args.ts), laid out as solo5-hvt's.
import { ABI_VERSION } from "../../core/abi.js";
import { VERSION } from "../../core/version.js";
import { COMMANDS } from "./index.js";
import { RUN_OPTIONS } from "./run-args.js";

/** Where an option's help starts. */
const HELP_COLUMN = 32;

export function helpText(): string {
  const options = RUN_OPTIONS.flatMap(({ form, help }) => [
    `  ${form.padEnd(HELP_COLUMN - 2)}${help[0]}`,
    ...help.slice(1).map((line) => `${" ".repeat(HELP_COLUMN)}${line}`),
  ]);
  const [run, ...others] = COMMANDS;
  return [
    `solo5-wasm ${VERSION}: run WebAssembly unikernels on the Solo5 interface (ABI v${ABI_VERSION})`,
    "",
    "Usage:",
    ...COMMANDS.map((c) => `  solo5-wasm ${c.usage}`),
    "",
    "run options (as solo5-hvt):",
    ...options,
    "",
    ...run!.about,
    "",
    ...others.flatMap((c) => c.about),
    "",
  ].join("\n");
}
