// The Internet checksum (RFC 1071), 8 bytes per step. The one's-complement sum does not
// depend on byte order (RFC 1071, 2.(B)), so words are summed as wasm loads them
// (little-endian) and the folded result is stored the same way: store<u16> puts the
// bytes in network order. Sums of several regions compose with checksumAdd as long as
// every region but the last has an even length.
/** `sum` plus the n bytes at p, unfolded (a u64 cannot overflow below 2^32 words). */
export function checksumAdd(sum: u64, p: usize, n: usize): u64 {
  while (n >= 32) {
    let a = load<u64>(p);
    let b = load<u64>(p, 8);
    let c = load<u64>(p, 16);
    let d = load<u64>(p, 24);
    sum += (a & 0xffffffff) + (a >> 32) + (b & 0xffffffff) + (b >> 32);
    sum += (c & 0xffffffff) + (c >> 32) + (d & 0xffffffff) + (d >> 32);
    p += 32;
    n -= 32;
  }
  while (n >= 8) {
    let a = load<u64>(p);
    sum += (a & 0xffffffff) + (a >> 32);
    p += 8;
    n -= 8;
  }
  if (n >= 4) {
    sum += <u64>load<u32>(p);
    p += 4;
    n -= 4;
  }
  if (n >= 2) {
    sum += <u64>load<u16>(p);
    p += 2;
    n -= 2;
  }
  if (n) sum += <u64>load<u8>(p);
  return sum;
}

/** A 16-bit value as checksumAdd would have read it from memory (network order). */
// @ts-ignore: decorator
@inline
export function checksumWord(v: u32): u64 {
  return <u64>bswap<u16>(<u16>v);
}

/** The sum folded to 16 bits and complemented: store it with store<u16>, or 0 if a
 * sum that covered a checksum field is valid. */
export function checksumFinish(sum: u64): u32 {
  sum = (sum & 0xffffffff) + (sum >> 32);
  sum = (sum & 0xffffffff) + (sum >> 32);
  let s = <u32>sum;
  s = (s & 0xffff) + (s >> 16);
  s = (s & 0xffff) + (s >> 16);
  return ~s & 0xffff;
}

/** The checksum of n bytes at p, as a big-endian value (what getBe16 of the field reads). */
export function internetChecksum(p: usize, n: usize): u32 {
  return <u32>bswap<u16>(<u16>checksumFinish(checksumAdd(0, p, n)));
}

/** The IPv4 pseudo-header's sum (RFC 793, 3.1) for `protocol` and `length` bytes of
 * payload, with the addresses read from the IPv4 header at `ip`. */
export function pseudoHeaderSum(ip: usize, protocol: u32, length: u32): u64 {
  return checksumAdd(0, ip + 12, 8) + checksumWord(protocol) + checksumWord(length);
}
