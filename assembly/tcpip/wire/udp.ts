// UDP headers (RFC 768). check() validates the length field against the packet and,
// unless it is zero (none sent), the checksum over the pseudo-header.
import { Drop } from "../drop";
import { getBe16, setBe16 } from "./bytes";
import { checksumAdd, checksumFinish, pseudoHeaderSum } from "./checksum";
import { PROTOCOL_UDP } from "./ipv4";

// @ts-ignore: decorator
@inline const SRC_PORT: usize = 0;
// @ts-ignore: decorator
@inline const DST_PORT: usize = 2;
// @ts-ignore: decorator
@inline const LENGTH: usize = 4;
// @ts-ignore: decorator
@inline const CHECKSUM: usize = 6;
/** Bytes of a UDP header. */
export const UDP_HEADER_LEN: u32 = 8;

/** Drop.None if the n bytes at p (the payload of the IPv4 header at ip) are a UDP datagram. */
export function checkUdp(ip: usize, p: usize, n: u32): Drop {
  if (n < UDP_HEADER_LEN) return Drop.Truncated;
  const length = getBe16(p + LENGTH);
  if (length < UDP_HEADER_LEN || length > n) return Drop.BadLength;
  if (load<u16>(p + CHECKSUM) != 0 && checksumFinish(checksumAdd(pseudoHeaderSum(ip, PROTOCOL_UDP, length), p, length)) != 0) {
    return Drop.BadChecksum;
  }
  return Drop.None;
}

/** The source port of the datagram at p. */
// @ts-ignore: decorator
@inline
export function udpSrcPort(p: usize): u32 {
  return getBe16(p + SRC_PORT);
}

/** The destination port of the datagram at p. */
// @ts-ignore: decorator
@inline
export function udpDstPort(p: usize): u32 {
  return getBe16(p + DST_PORT);
}

/** Header and payload. */
// @ts-ignore: decorator
@inline
export function udpLength(p: usize): u32 {
  return getBe16(p + LENGTH);
}

/** Writes the header over the payloadLen bytes that follow it, checksum included; the
 * IPv4 header at ip must be written first (the pseudo-header comes from it). */
export function emitUdp(ip: usize, p: usize, srcPort: u32, dstPort: u32, payloadLen: u32): void {
  const length = UDP_HEADER_LEN + payloadLen;
  setBe16(p + SRC_PORT, srcPort);
  setBe16(p + DST_PORT, dstPort);
  setBe16(p + LENGTH, length);
  store<u16>(p + CHECKSUM, 0);
  let sum = <u16>checksumFinish(checksumAdd(pseudoHeaderSum(ip, PROTOCOL_UDP, length), p, length));
  // A computed 0 is sent as all ones: 0 would mean "no checksum" (RFC 768).
  store<u16>(p + CHECKSUM, sum == 0 ? 0xffff : sum);
}
