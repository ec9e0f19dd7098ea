#!/usr/bin/env node
// solo5-wasm: the command line. Each command is in commands/; this chooses one,
// prints the help, and turns a refusal into one `solo5-wasm:` line and status 1.
import { STATUS_TENDER_ERROR } from "../core/abi.js";
import { TenderError } from "../core/errors.js";
import { didYouMean } from "../core/nearest.js";
import { VERSION } from "../core/version.js";
import { helpText } from "./commands/help.js";
import { COMMANDS } from "./commands/index.js";

const isHelp = (arg: string | undefined) => arg === "--help" || arg === "-h";

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  const command = COMMANDS.find((c) => c.name === name);
  // One help text for all: `solo5-wasm COMMAND --help` and `solo5-wasm help` print it too.
  if (name === "help" || (command && isHelp(rest[0]))) {
    process.stdout.write(helpText());
    return 0;
  }
  if (command) return command.run(rest);
  switch (name) {
    case "--version":
      process.stdout.write(`${VERSION}\n`);
      return 0;
    case undefined:
    case "--help":
    case "-h":
      process.stdout.write(helpText());
      return name === undefined ? STATUS_TENDER_ERROR : 0;
    default:
      throw new TenderError(`unknown command ${name}${didYouMean(name, COMMANDS.map((c) => c.name)) || ":"} use ${COMMANDS.map((c) => c.name).join(", ")} (see solo5-wasm --help)`);
  }
}

main(process.argv.slice(2)).then(
  (status) => (process.exitCode = status),
  (e: unknown) => {
    const known = e instanceof TenderError;
    process.stderr.write(`solo5-wasm: ${known ? e.message : `internal error: ${(e as Error)?.stack ?? e}`}\n`);
    process.exitCode = STATUS_TENDER_ERROR;
  },
);
