// Sequence numbers compare modulo 2^32 (RFC 9293, 3.4): a < b when b - a, as a signed
// 32-bit number, is positive.

// @ts-ignore: decorator
@inline
export function seqLt(a: u32, b: u32): bool {
  return <i32>(a - b) < 0;
}

// @ts-ignore: decorator
@inline
export function seqLe(a: u32, b: u32): bool {
  return <i32>(a - b) <= 0;
}

// @ts-ignore: decorator
@inline
export function seqGt(a: u32, b: u32): bool {
  return <i32>(a - b) > 0;
}

// @ts-ignore: decorator
@inline
export function seqGe(a: u32, b: u32): bool {
  return <i32>(a - b) >= 0;
}

// @ts-ignore: decorator
@inline
export function seqMax(a: u32, b: u32): u32 {
  return seqGt(a, b) ? a : b;
}

// @ts-ignore: decorator
@inline
export function seqMin(a: u32, b: u32): u32 {
  return seqLt(a, b) ? a : b;
}
