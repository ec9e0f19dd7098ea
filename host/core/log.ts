// Solo5: lines on stdout, filtered by the --solo5:LEVEL the command line chose.
import type { LogLevel } from "./cmdline.js";

const RANK: Record<LogLevel, number> = { error: 0, warn: 1, info: 2, debug: 3 };
const encoder = new TextEncoder();

export class Log {
  constructor(
    private readonly level: LogLevel,
    private readonly stdout: (bytes: Uint8Array) => void,
  ) {}

  enabled(level: LogLevel): boolean {
    return RANK[level] <= RANK[this.level];
  }

  /** Prints `Solo5: <text>` when `level` is enabled. */
  solo5(level: LogLevel, text: string): void {
    if (this.enabled(level)) this.stdout(encoder.encode(`Solo5: ${text}\n`));
  }
}
