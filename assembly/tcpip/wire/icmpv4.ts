// ICMPv4 (RFC 792): echo request and reply, destination unreachable. check() verifies
// the checksum over the whole message.
import { Drop } from "../drop";
import { getBe16 } from "./bytes";
import { checksumAdd, checksumFinish } from "./checksum";

// @ts-ignore: decorator
@inline const TYPE: usize = 0;
// @ts-ignore: decorator
@inline const CODE: usize = 1;
// @ts-ignore: decorator
@inline const CHECKSUM: usize = 2;
// @ts-ignore: decorator
@inline const REST: usize = 4;
/** Bytes of an ICMP header: type, code, checksum and the 4-byte rest. */
export const ICMP_HEADER_LEN: u32 = 8;

/** The type of an echo reply. */
export const ICMP_ECHO_REPLY: u32 = 0;
/** The type of a destination unreachable message. */
export const ICMP_DEST_UNREACHABLE: u32 = 3;
/** The type of an echo request (what ping sends). */
export const ICMP_ECHO_REQUEST: u32 = 8;
/** The code of a destination unreachable message for a closed UDP port. */
export const ICMP_CODE_PORT_UNREACHABLE: u32 = 3;

/** Drop.None if the n bytes at p are an ICMP message with a valid checksum. */
export function checkIcmp(p: usize, n: u32): Drop {
  if (n < ICMP_HEADER_LEN) return Drop.Truncated;
  if (checksumFinish(checksumAdd(0, p, n)) != 0) return Drop.BadChecksum;
  return Drop.None;
}

/** The type of the ICMP message at p. */
// @ts-ignore: decorator
@inline
export function icmpType(p: usize): u32 {
  return <u32>load<u8>(p + TYPE);
}

/** The code of the ICMP message at p. */
// @ts-ignore: decorator
@inline
export function icmpCode(p: usize): u32 {
  return <u32>load<u8>(p + CODE);
}

/** Echo: the identifier (the first half of the rest of the header). */
// @ts-ignore: decorator
@inline
export function icmpEchoIdent(p: usize): u32 {
  return getBe16(p + REST);
}

/** Echo: the sequence number (the second half of the rest of the header). */
// @ts-ignore: decorator
@inline
export function icmpEchoSeq(p: usize): u32 {
  return getBe16(p + REST + 2);
}

/** Writes type and code over the n-byte message at p (its rest already in place), and its checksum. */
export function emitIcmp(p: usize, n: u32, type: u32, code: u32): void {
  store<u8>(p + TYPE, <u8>type);
  store<u8>(p + CODE, <u8>code);
  store<u16>(p + CHECKSUM, 0);
  store<u16>(p + CHECKSUM, <u16>checksumFinish(checksumAdd(0, p, n)));
}

/** Writes the identifier and sequence number of an echo message. */
export function setIcmpEcho(p: usize, ident: u32, seq: u32): void {
  store<u16>(p + REST, bswap<u16>(<u16>ident));
  store<u16>(p + REST + 2, bswap<u16>(<u16>seq));
}

/** Zeroes the unused word of a destination unreachable message. */
export function clearIcmpRest(p: usize): void {
  store<u32>(p + REST, 0);
}
