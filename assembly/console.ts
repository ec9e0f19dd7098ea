// The console: strings out as UTF-8 (solo5_console_write is best effort, no errors).
import { solo5_console_write } from "./solo5";

/** Writes `s` as it is (add "\n" yourself, as with Solo5's puts). */
export function puts(s: string): void {
  const utf8 = String.UTF8.encode(s);
  solo5_console_write(changetype<usize>(utf8), <usize>utf8.byteLength);
}

/** Writes `s` and a newline. */
export function println(s: string): void {
  puts(s + "\n");
}

/** Writes raw bytes. */
export function writeBytes(bytes: Uint8Array): void {
  solo5_console_write(bytes.dataStart, <usize>bytes.byteLength);
}
