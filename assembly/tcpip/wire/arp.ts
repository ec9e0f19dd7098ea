// ARP for IPv4 over Ethernet (RFC 826): the only kind the stack speaks, so check()
// refuses every other hardware or protocol type.
import { Drop } from "../drop";
import { getBe16, getBe32, setBe16, setBe32 } from "./bytes";
import { ETHERTYPE_IPV4, loadMac, storeMac } from "./ethernet";

// @ts-ignore: decorator
@inline const HTYPE: usize = 0;
// @ts-ignore: decorator
@inline const PTYPE: usize = 2;
// @ts-ignore: decorator
@inline const HLEN: usize = 4;
// @ts-ignore: decorator
@inline const PLEN: usize = 5;
// @ts-ignore: decorator
@inline const OPER: usize = 6;
// @ts-ignore: decorator
@inline const SHA: usize = 8;
// @ts-ignore: decorator
@inline const SPA: usize = 14;
// @ts-ignore: decorator
@inline const THA: usize = 18;
// @ts-ignore: decorator
@inline const TPA: usize = 24;
/** Bytes of an Ethernet/IPv4 ARP packet. */
export const ARP_LEN: u32 = 28;

/** The operation of an ARP request. */
export const ARP_REQUEST: u32 = 1;
/** The operation of an ARP reply. */
export const ARP_REPLY: u32 = 2;
// @ts-ignore: decorator
@inline const HTYPE_ETHERNET: u32 = 1;

/** Drop.None if the n bytes at p are an Ethernet/IPv4 ARP packet; after that every accessor is safe. */
export function checkArp(p: usize, n: u32): Drop {
  if (n < ARP_LEN) return Drop.Truncated;
  if (getBe16(p + HTYPE) != HTYPE_ETHERNET || getBe16(p + PTYPE) != ETHERTYPE_IPV4) return Drop.Unsupported;
  if (load<u8>(p + HLEN) != 6 || load<u8>(p + PLEN) != 4) return Drop.Unsupported;
  return Drop.None;
}

/** The operation (ARP_REQUEST, ARP_REPLY) of the ARP packet at p. */
// @ts-ignore: decorator
@inline
export function arpOperation(p: usize): u32 {
  return getBe16(p + OPER);
}

/** The sender's MAC of the ARP packet at p. */
// @ts-ignore: decorator
@inline
export function arpSenderMac(p: usize): u64 {
  return loadMac(p + SHA);
}

/** The sender's IPv4 address of the ARP packet at p. */
// @ts-ignore: decorator
@inline
export function arpSenderIp(p: usize): u32 {
  return getBe32(p + SPA);
}

/** The target's MAC of the ARP packet at p (zero in a request). */
// @ts-ignore: decorator
@inline
export function arpTargetMac(p: usize): u64 {
  return loadMac(p + THA);
}

/** The target's IPv4 address of the ARP packet at p. */
// @ts-ignore: decorator
@inline
export function arpTargetIp(p: usize): u32 {
  return getBe32(p + TPA);
}

/** Writes a 28-byte ARP packet at p. */
export function emitArp(p: usize, operation: u32, senderMac: u64, senderIp: u32, targetMac: u64, targetIp: u32): void {
  setBe16(p + HTYPE, HTYPE_ETHERNET);
  setBe16(p + PTYPE, ETHERTYPE_IPV4);
  store<u8>(p + HLEN, 6);
  store<u8>(p + PLEN, 4);
  setBe16(p + OPER, operation);
  storeMac(p + SHA, senderMac);
  setBe32(p + SPA, senderIp);
  storeMac(p + THA, targetMac);
  setBe32(p + TPA, targetIp);
}
