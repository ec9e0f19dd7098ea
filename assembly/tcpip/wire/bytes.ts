// Big-endian fields in linear memory: every header accessor of the wire layer reads and
// writes through these. Pointers are into a frame the caller has length-checked.

/** The big-endian 16-bit field at p. */
// @ts-ignore: decorator
@inline
export function getBe16(p: usize): u32 {
  return <u32>bswap<u16>(load<u16>(p));
}

/** Writes v as a big-endian 16-bit field at p. */
// @ts-ignore: decorator
@inline
export function setBe16(p: usize, v: u32): void {
  store<u16>(p, bswap<u16>(<u16>v));
}

/** The big-endian 32-bit field at p. */
// @ts-ignore: decorator
@inline
export function getBe32(p: usize): u32 {
  return bswap<u32>(load<u32>(p));
}

/** Writes v as a big-endian 32-bit field at p. */
// @ts-ignore: decorator
@inline
export function setBe32(p: usize, v: u32): void {
  store<u32>(p, bswap<u32>(v));
}
