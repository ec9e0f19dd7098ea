// Byte-level helpers for HTTP's ASCII syntax (RFC 9110 5.6), over bytes in memory: no
// strings are made to look at a message.

export const CR: u32 = 13;
export const LF: u32 = 10;
export const SP: u32 = 32;
export const HT: u32 = 9;

/** tchar (RFC 9110 5.6.2): the bytes of a token (method, field name, coding). */
export function isTokenByte(c: u32): bool {
  if (c >= 0x61 && c <= 0x7a) return true; // a-z, the common case first
  if (c >= 0x41 && c <= 0x5a) return true;
  if (c >= 0x30 && c <= 0x39) return true;
  switch (c) {
    case 0x21: case 0x23: case 0x24: case 0x25: case 0x26: case 0x27: case 0x2a: case 0x2b:
    case 0x2d: case 0x2e: case 0x5e: case 0x5f: case 0x60: case 0x7c: case 0x7e:
      return true;
  }
  return false;
}

/** A byte a field value may hold: VCHAR, obs-text, SP, HT (RFC 9110 5.5). */
export function isFieldValueByte(c: u32): bool {
  return c >= 0x20 ? c != 0x7f : c == HT;
}

/** A byte of a request-target: visible ASCII (RFC 3986's characters and more; not SP or CTLs). */
export function isTargetByte(c: u32): bool {
  return c > 0x20 && c < 0x7f;
}

/** The i-th UTF-16 unit of s, unchecked (callers stay below s.length). */
// @ts-ignore: decorator
@inline function unit(s: string, i: u32): u32 {
  return <u32>load<u16>(changetype<usize>(s) + (<usize>i << 1));
}

function lower(c: u32): u32 {
  return c >= 0x41 && c <= 0x5a ? c | 0x20 : c;
}

/** Whether the n bytes at p are `s` (ASCII), ignoring ASCII case. */
export function equalsIgnoreCase(p: usize, n: u32, s: string): bool {
  if (<u32>s.length != n) return false;
  for (let i: u32 = 0; i < n; i++) {
    if (lower(<u32>load<u8>(p + i)) != lower(unit(s, i))) return false;
  }
  return true;
}

/** Whether the n bytes at p are exactly `s` (ASCII). */
export function equalsExactly(p: usize, n: u32, s: string): bool {
  if (<u32>s.length != n) return false;
  for (let i: u32 = 0; i < n; i++) {
    if (<u32>load<u8>(p + i) != unit(s, i)) return false;
  }
  return true;
}

/** Whether the n bytes at p begin with `s` (ASCII), exactly. */
export function startsWithExactly(p: usize, n: u32, s: string): bool {
  return <u32>s.length <= n && equalsExactly(p, <u32>s.length, s);
}

/** n bytes of decimal digits as a number; -1 when empty, not all digits, or past i64. */
export function parseDecimal(p: usize, n: u32): i64 {
  if (n == 0) return -1;
  let v: u64 = 0;
  for (let i: u32 = 0; i < n; i++) {
    const d = <u32>load<u8>(p + i) - 0x30;
    if (d > 9 || v > (<u64>i64.MAX_VALUE - d) / 10) return -1;
    v = v * 10 + d;
  }
  return <i64>v;
}

/** A hex digit's value, or -1. */
export function hexValue(c: u32): i32 {
  if (c - 0x30 <= 9) return <i32>(c - 0x30);
  const l = lower(c);
  if (l - 0x61 <= 5) return <i32>(l - 0x61 + 10);
  return -1;
}

/** Writes the ASCII string s at p (each UTF-16 unit's low byte): its length. */
export function storeAscii(p: usize, s: string): u32 {
  const n = <u32>s.length;
  for (let i: u32 = 0; i < n; i++) store<u8>(p + i, <u8>unit(s, i));
  return n;
}

/** Writes v in decimal at p: how many digits. */
export function storeDecimal(p: usize, v: u64): u32 {
  let digits: u32 = 1;
  for (let t = v; t >= 10; t /= 10) digits++;
  for (let i = digits; i > 0; i--) {
    store<u8>(p + i - 1, <u8>(0x30 + v % 10));
    v /= 10;
  }
  return digits;
}

/** Writes v in lowercase hex at p: how many digits. */
export function storeHex(p: usize, v: u64): u32 {
  let digits: u32 = 1;
  for (let t = v; t >= 16; t >>= 4) digits++;
  for (let i = digits; i > 0; i--) {
    const d = <u32>(v & 15);
    store<u8>(p + i - 1, <u8>(d < 10 ? 0x30 + d : 0x57 + d));
    v >>= 4;
  }
  return digits;
}
