// The guest's command line, and the --solo5:LEVEL options the bindings consume from
// its front (as Solo5's bindings/cmdline.c does: any number of them, leading spaces
// and the spaces after each; the first other word ends the scan).
export const LOG_LEVELS = ["error", "warn", "info", "debug"] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export interface CommandLine {
  /** What the guest receives. */
  cmdline: string;
  logLevel: LogLevel;
}

const OPTION = /^\s*--solo5:(quiet|error|warn|info|debug)(?=\s|$)\s*/;

export function parseCommandLine(args: readonly string[], logLevel: LogLevel = "info"): CommandLine {
  let rest = args.join(" ");
  for (let m = OPTION.exec(rest); m; m = OPTION.exec(rest)) {
    logLevel = m[1] === "quiet" ? "error" : (m[1] as LogLevel);
    rest = rest.slice(m[0].length);
  }
  return { cmdline: rest, logLevel };
}
