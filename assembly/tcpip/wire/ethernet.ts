// Ethernet II frames: destination, source, EtherType, then the payload (no 802.1Q tag,
// no FCS: Solo5 devices carry frames without them). MAC addresses are u64s holding the
// six bytes in memory order (byte 0 lowest), so comparing and copying one is one step.

// @ts-ignore: decorator
@inline const DST: usize = 0;
// @ts-ignore: decorator
@inline const SRC: usize = 6;
// @ts-ignore: decorator
@inline const ETHERTYPE: usize = 12;
/** Bytes of an Ethernet II header: destination, source, EtherType. */
export const ETHERNET_HEADER_LEN: u32 = 14;

/** The EtherType of IPv4. */
export const ETHERTYPE_IPV4: u32 = 0x0800;
/** The EtherType of ARP. */
export const ETHERTYPE_ARP: u32 = 0x0806;
/** ff:ff:ff:ff:ff:ff as the u64 the wire layer holds a MAC in. */
export const MAC_BROADCAST: u64 = 0xffff_ffff_ffff;

/** The six bytes at p as a MAC: a u64 holding them in memory order (byte 0 lowest), so comparing or copying one is one step. */
// @ts-ignore: decorator
@inline
export function loadMac(p: usize): u64 {
  return <u64>load<u32>(p) | (<u64>load<u16>(p, 4) << 32);
}

/** Writes a MAC (as loadMac holds it) as six bytes at p. */
// @ts-ignore: decorator
@inline
export function storeMac(p: usize, mac: u64): void {
  store<u32>(p, <u32>mac);
  store<u16>(p, <u16>(mac >> 32), 4);
}

/** Whether bit 0 of the first byte is set: broadcast and multicast. */
// @ts-ignore: decorator
@inline
export function isGroupMac(mac: u64): bool {
  return (mac & 1) != 0;
}

/** The destination MAC of the frame at p. */
// @ts-ignore: decorator
@inline
export function ethDst(p: usize): u64 {
  return loadMac(p + DST);
}

/** The source MAC of the frame at p. */
// @ts-ignore: decorator
@inline
export function ethSrc(p: usize): u64 {
  return loadMac(p + SRC);
}

/** The EtherType of the frame at p. */
// @ts-ignore: decorator
@inline
export function ethType(p: usize): u32 {
  return <u32>bswap<u16>(load<u16>(p + ETHERTYPE));
}

/** Writes the 14-byte header at p. */
export function emitEthernet(p: usize, dst: u64, src: u64, ethertype: u32): void {
  storeMac(p + DST, dst);
  storeMac(p + SRC, src);
  store<u16>(p + ETHERTYPE, bswap<u16>(<u16>ethertype));
}

/** "52:54:00:12:34:56" ("525400123456" with separator "", as Solo5's tests print it). */
export function formatMac(mac: u64, separator: string = ":"): string {
  let s = "";
  for (let i = 0; i < 6; i++) {
    const b = <u32>(mac >> (i * 8)) & 0xff;
    if (i) s += separator;
    s += (b >> 4).toString(16) + (b & 0xf).toString(16);
  }
  return s;
}
