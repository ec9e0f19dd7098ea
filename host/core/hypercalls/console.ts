// console_write: bytes to the console, best effort (as Solo5's solo5_console_write).
import type { GuestContext } from "../context.js";

export function consoleCalls({ mem, platform }: GuestContext) {
  return {
    console_write(buf: number, size: number): void {
      const bytes = mem.slice("console_write", buf, size);
      if (bytes.length > 0) platform.stdout(bytes);
    },
  };
}
