// What the in-guest unit tests check with: a failure is printed and counted, and
// finish() prints SUCCESS or FAILURE (Solo5's test convention) and gives the status.
import { puts } from "../../../assembly";

let failures = 0;

export function fail(what: string): void {
  failures++;
  puts("FAIL " + what + "\n");
}

export function eq(what: string, got: u64, want: u64): void {
  if (got != want) fail(what + ": got " + got.toString() + ", want " + want.toString());
}

/** "0a0b" as the bytes 0x0a 0x0b. */
export function hex(s: string): Uint8Array {
  const b = new Uint8Array(s.length >> 1);
  for (let i = 0; i < b.length; i++) b[i] = <u8>I32.parseInt(s.substr(i * 2, 2), 16);
  return b;
}

export function toHex(p: usize, n: u32): string {
  let s = "";
  for (let i: u32 = 0; i < n; i++) {
    const v = <u32>load<u8>(p + i);
    s += (v >> 4).toString(16) + (v & 0xf).toString(16);
  }
  return s;
}

/** That the n bytes at p are the bytes `want` spells in hex. */
export function sameBytes(what: string, p: usize, n: u32, want: string): void {
  const got = toHex(p, n);
  if (got != want) fail(what + ":\n  got  " + got + "\n  want " + want);
}

/** SUCCESS and 0 when nothing failed, else FAILURE and 1. */
export function finish(): i32 {
  puts(failures == 0 ? "SUCCESS\n" : "FAILURE\n");
  return failures == 0 ? 0 : 1;
}
