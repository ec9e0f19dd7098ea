// IPv4 headers (RFC 791). Addresses are u32s in host order (10.0.0.2 is 0x0a000002).
// check() validates version, header and total lengths, the header checksum, and refuses
// fragments; after it, every accessor reads inside the packet. Options are skipped.
import { Drop } from "../drop";
import { getBe16, getBe32, setBe16, setBe32 } from "./bytes";
import { checksumAdd, checksumFinish } from "./checksum";

// @ts-ignore: decorator
@inline const VER_IHL: usize = 0;
// @ts-ignore: decorator
@inline const TOS: usize = 1;
// @ts-ignore: decorator
@inline const LENGTH: usize = 2;
// @ts-ignore: decorator
@inline const IDENT: usize = 4;
// @ts-ignore: decorator
@inline const FLAGS_FRAGMENT: usize = 6;
// @ts-ignore: decorator
@inline const TTL: usize = 8;
// @ts-ignore: decorator
@inline const PROTOCOL: usize = 9;
// @ts-ignore: decorator
@inline const CHECKSUM: usize = 10;
// @ts-ignore: decorator
@inline const SRC: usize = 12;
// @ts-ignore: decorator
@inline const DST: usize = 16;
/** The header without options, which is all the stack sends. */
export const IPV4_HEADER_LEN: u32 = 20;

/** The IPv4 protocol number of ICMP. */
export const PROTOCOL_ICMP: u32 = 1;
/** The IPv4 protocol number of TCP. */
export const PROTOCOL_TCP: u32 = 6;
/** The IPv4 protocol number of UDP. */
export const PROTOCOL_UDP: u32 = 17;

// @ts-ignore: decorator
@inline const DONT_FRAGMENT: u32 = 0x4000;
// @ts-ignore: decorator
@inline const MORE_FRAGMENTS_AND_OFFSET: u32 = 0x3fff;
/** The TTL of the packets the stack sends (Linux's default). */
export const DEFAULT_TTL: u32 = 64;

/** 255.255.255.255, the limited broadcast address. */
export const IPV4_BROADCAST: u32 = 0xffffffff;

/** Drop.None if the n bytes at p hold an unfragmented IPv4 packet with a valid header. */
export function checkIpv4(p: usize, n: u32): Drop {
  if (n < IPV4_HEADER_LEN) return Drop.Truncated;
  const verIhl = <u32>load<u8>(p + VER_IHL);
  if (verIhl >> 4 != 4) return Drop.Unsupported;
  const headerLen = (verIhl & 0xf) << 2;
  if (headerLen < IPV4_HEADER_LEN) return Drop.BadLength;
  if (headerLen > n) return Drop.Truncated;
  const total = getBe16(p + LENGTH);
  if (total < headerLen) return Drop.BadLength;
  if (total > n) return Drop.Truncated;
  if (checksumFinish(checksumAdd(0, p, headerLen)) != 0) return Drop.BadChecksum;
  if (getBe16(p + FLAGS_FRAGMENT) & MORE_FRAGMENTS_AND_OFFSET) return Drop.Fragment;
  return Drop.None;
}

/** Bytes of the header at p, options included (IHL * 4). */
// @ts-ignore: decorator
@inline
export function ipv4HeaderLen(p: usize): u32 {
  return (<u32>load<u8>(p + VER_IHL) & 0xf) << 2;
}

/** Header and payload: the packet may be shorter than the frame (Ethernet padding). */
// @ts-ignore: decorator
@inline
export function ipv4TotalLen(p: usize): u32 {
  return getBe16(p + LENGTH);
}

/** The protocol number of the packet at p (PROTOCOL_TCP, ...). */
// @ts-ignore: decorator
@inline
export function ipv4Protocol(p: usize): u32 {
  return <u32>load<u8>(p + PROTOCOL);
}

/** The time to live of the packet at p. */
// @ts-ignore: decorator
@inline
export function ipv4Ttl(p: usize): u32 {
  return <u32>load<u8>(p + TTL);
}

/** The source address of the packet at p. */
// @ts-ignore: decorator
@inline
export function ipv4Src(p: usize): u32 {
  return getBe32(p + SRC);
}

/** The destination address of the packet at p. */
// @ts-ignore: decorator
@inline
export function ipv4Dst(p: usize): u32 {
  return getBe32(p + DST);
}

/** Writes a 20-byte header (DF set, no options) at p, checksum included. */
export function emitIpv4(p: usize, src: u32, dst: u32, protocol: u32, payloadLen: u32, ident: u32, ttl: u32 = DEFAULT_TTL): void {
  store<u8>(p + VER_IHL, 0x45);
  store<u8>(p + TOS, 0);
  setBe16(p + LENGTH, IPV4_HEADER_LEN + payloadLen);
  setBe16(p + IDENT, ident);
  setBe16(p + FLAGS_FRAGMENT, DONT_FRAGMENT);
  store<u8>(p + TTL, <u8>ttl);
  store<u8>(p + PROTOCOL, <u8>protocol);
  store<u16>(p + CHECKSUM, 0);
  setBe32(p + SRC, src);
  setBe32(p + DST, dst);
  store<u16>(p + CHECKSUM, <u16>checksumFinish(checksumAdd(0, p, IPV4_HEADER_LEN)));
}

/** Writes only the addresses of a header at p (the rest comes with emitIpv4). */
export function setIpv4Addresses(p: usize, src: u32, dst: u32): void {
  setBe32(p + SRC, src);
  setBe32(p + DST, dst);
}

/** The network mask of a prefix length (0..32). */
export function prefixMask(prefix: u32): u32 {
  return prefix == 0 ? 0 : 0xffffffff << (32 - prefix);
}

/** "10.0.0.2" as a number; -1 if it is not a dotted quad of decimal bytes. */
export function parseIpv4(text: string): i64 {
  let ip: u32 = 0;
  let parts = 0;
  let value: u32 = 0;
  let digits = 0;
  for (let i = 0; i <= text.length; i++) {
    const c = i < text.length ? text.charCodeAt(i) : 0x2e;
    if (c == 0x2e) {
      if (digits == 0 || value > 255 || ++parts > 4) return -1;
      ip = (ip << 8) | value;
      value = 0;
      digits = 0;
    } else if (c >= 0x30 && c <= 0x39 && digits < 3) {
      value = value * 10 + <u32>(c - 0x30);
      digits++;
    } else {
      return -1;
    }
  }
  return parts == 4 ? <i64>ip : -1;
}

/** An address as a dotted quad ("10.0.0.2"). */
export function formatIpv4(ip: u32): string {
  return (ip >> 24).toString() + "." + ((ip >> 16) & 0xff).toString() + "." + ((ip >> 8) & 0xff).toString() + "." + (ip & 0xff).toString();
}
