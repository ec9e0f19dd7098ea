// DHCP messages (RFC 2131; options RFC 2132): the BOOTP header, the magic cookie and
// the options. checkDhcp() validates the header and walks every option once, in the
// options field and, when option 52 overloads them, in `file` and `sname` (RFC 2131
// 4.1's order); it records the options a client reads in a DhcpOptions, so nothing
// walks them twice. An option that runs past its field, or whose length does not fit
// its kind, makes the whole message Drop.BadMessage. Emitting: emitDhcp() writes the
// header, the emitOption* functions append options, each returning where the next goes.
import { Drop } from "../drop";
import { getBe16, getBe32, setBe16, setBe32 } from "./bytes";
import { loadMac, storeMac } from "./ethernet";

// @ts-ignore: decorator
@inline const OP: usize = 0;
// @ts-ignore: decorator
@inline const HTYPE: usize = 1;
// @ts-ignore: decorator
@inline const HLEN: usize = 2;
// @ts-ignore: decorator
@inline const XID: usize = 4;
// @ts-ignore: decorator
@inline const SECS: usize = 8;
// @ts-ignore: decorator
@inline const FLAGS: usize = 10;
// @ts-ignore: decorator
@inline const CIADDR: usize = 12;
// @ts-ignore: decorator
@inline const YIADDR: usize = 16;
// @ts-ignore: decorator
@inline const SIADDR: usize = 20;
// @ts-ignore: decorator
@inline const CHADDR: usize = 28;
// @ts-ignore: decorator
@inline const SNAME: u32 = 44;
// @ts-ignore: decorator
@inline const SNAME_LEN: u32 = 64;
// @ts-ignore: decorator
@inline const FILE: u32 = 108;
// @ts-ignore: decorator
@inline const FILE_LEN: u32 = 128;
// @ts-ignore: decorator
@inline const COOKIE: usize = 236;
/** The fixed part: the BOOTP header and the magic cookie; options follow. */
export const DHCP_HEADER_LEN: u32 = 240;
/** BOOTP's minimum message (RFC 1542 2.1): what the client pads to. */
export const DHCP_MIN_LEN: u32 = 300;
const MAGIC_COOKIE: u32 = 0x63825363;

export const BOOTREQUEST: u32 = 1;
export const BOOTREPLY: u32 = 2;
// @ts-ignore: decorator
@inline const HTYPE_ETHERNET: u32 = 1;
/** The flags field's broadcast bit (RFC 2131 2). */
export const DHCP_FLAG_BROADCAST: u32 = 0x8000;

export const DHCP_SERVER_PORT: u32 = 67;
export const DHCP_CLIENT_PORT: u32 = 68;

/** Option 53's values. */
export enum DhcpType {
  None = 0,
  Discover = 1,
  Offer = 2,
  Request = 3,
  Decline = 4,
  Ack = 5,
  Nak = 6,
  Release = 7,
  Inform = 8,
}

export const OPTION_PAD: u32 = 0;
export const OPTION_SUBNET_MASK: u32 = 1;
export const OPTION_ROUTER: u32 = 3;
export const OPTION_DNS: u32 = 6;
export const OPTION_BROADCAST: u32 = 28;
export const OPTION_REQUESTED_IP: u32 = 50;
export const OPTION_LEASE_TIME: u32 = 51;
export const OPTION_OVERLOAD: u32 = 52;
export const OPTION_MESSAGE_TYPE: u32 = 53;
export const OPTION_SERVER_ID: u32 = 54;
export const OPTION_PARAMETER_LIST: u32 = 55;
export const OPTION_MAX_MESSAGE_SIZE: u32 = 57;
export const OPTION_RENEWAL_TIME: u32 = 58;
export const OPTION_REBINDING_TIME: u32 = 59;
export const OPTION_CLIENT_ID: u32 = 61;
export const OPTION_END: u32 = 255;

/** What checkDhcp() found among the options: 0 for an option that was not there (the
 * first address of a list; a later instance of an option is ignored). */
export class DhcpOptions {
  messageType: DhcpType = DhcpType.None;
  serverId: u32 = 0;
  subnetMask: u32 = 0;
  hasSubnetMask: bool = false;
  router: u32 = 0;
  dns: u32 = 0;
  /** Seconds; -1: not given. 0xffffffff is an infinite lease. */
  leaseTime: i64 = -1;
  renewalTime: i64 = -1;
  rebindingTime: i64 = -1;

  reset(): void {
    this.messageType = DhcpType.None;
    this.serverId = 0;
    this.subnetMask = 0;
    this.hasSubnetMask = false;
    this.router = 0;
    this.dns = 0;
    this.leaseTime = -1;
    this.renewalTime = -1;
    this.rebindingTime = -1;
  }
}

/**
 * Drop.None if the n bytes at p are a DHCP message over Ethernet: the header, the
 * cookie, and options that all lie inside their fields; `out` then holds the options.
 * Every header accessor is safe after it.
 */
export function checkDhcp(p: usize, n: u32, out: DhcpOptions): Drop {
  out.reset();
  if (n < DHCP_HEADER_LEN) return Drop.Truncated;
  if (load<u8>(p + HTYPE) != HTYPE_ETHERNET || load<u8>(p + HLEN) != 6) return Drop.Unsupported;
  if (getBe32(p + COOKIE) != MAGIC_COOKIE) return Drop.BadMessage;
  const overload = readOptions(p, DHCP_HEADER_LEN, n, out, true);
  if (overload < 0) return Drop.BadMessage;
  if (overload & 1 && readOptions(p, FILE, FILE + FILE_LEN, out, false) < 0) return Drop.BadMessage;
  if (overload & 2 && readOptions(p, SNAME, SNAME + SNAME_LEN, out, false) < 0) return Drop.BadMessage;
  return out.messageType == DhcpType.None ? Drop.BadMessage : Drop.None;
}

/**
 * Walks the options in [from, to) of the message at p into `out`, up to END or the
 * field's end: -1 when one is malformed, else the overload option's value (0 without
 * one; only the options field may carry it, so `file` and `sname` cannot chain).
 */
function readOptions(p: usize, from: u32, to: u32, out: DhcpOptions, mayOverload: bool): i32 {
  let overload = 0;
  let at = from;
  while (at < to) {
    const code = <u32>load<u8>(p + at);
    if (code == OPTION_END) return overload;
    if (code == OPTION_PAD) {
      at++;
      continue;
    }
    if (at + 2 > to) return -1;
    const len = <u32>load<u8>(p + at + 1);
    const value = at + 2;
    if (value + len > to) return -1;
    at = value + len;
    if (code == OPTION_OVERLOAD) {
      if (!mayOverload || len != 1 || overload != 0) return -1;
      overload = <i32>load<u8>(p + value);
      if (overload < 1 || overload > 3) return -1;
    } else if (code == OPTION_MESSAGE_TYPE) {
      if (len != 1) return -1;
      if (out.messageType == DhcpType.None) out.messageType = <DhcpType>load<u8>(p + value);
    } else if (code == OPTION_SUBNET_MASK) {
      if (len != 4) return -1;
      if (!out.hasSubnetMask) {
        out.subnetMask = getBe32(p + value);
        out.hasSubnetMask = true;
      }
    } else if (code == OPTION_SERVER_ID || code == OPTION_ROUTER || code == OPTION_DNS) {
      // The server identifier is one address, routers and DNS servers a list of them.
      if (len == 0 || len & 3 || (code == OPTION_SERVER_ID && len != 4)) return -1;
      const first = getBe32(p + value);
      if (code == OPTION_SERVER_ID && out.serverId == 0) out.serverId = first;
      else if (code == OPTION_ROUTER && out.router == 0) out.router = first;
      else if (code == OPTION_DNS && out.dns == 0) out.dns = first;
    } else if (code == OPTION_LEASE_TIME || code == OPTION_RENEWAL_TIME || code == OPTION_REBINDING_TIME) {
      if (len != 4) return -1;
      const seconds = <i64>getBe32(p + value);
      if (code == OPTION_LEASE_TIME && out.leaseTime < 0) out.leaseTime = seconds;
      else if (code == OPTION_RENEWAL_TIME && out.renewalTime < 0) out.renewalTime = seconds;
      else if (code == OPTION_REBINDING_TIME && out.rebindingTime < 0) out.rebindingTime = seconds;
    }
  }
  return overload;
}

// @ts-ignore: decorator
@inline
export function dhcpOp(p: usize): u32 {
  return <u32>load<u8>(p + OP);
}

// @ts-ignore: decorator
@inline
export function dhcpXid(p: usize): u32 {
  return getBe32(p + XID);
}

// @ts-ignore: decorator
@inline
export function dhcpFlags(p: usize): u32 {
  return getBe16(p + FLAGS);
}

// @ts-ignore: decorator
@inline
export function dhcpCiaddr(p: usize): u32 {
  return getBe32(p + CIADDR);
}

// @ts-ignore: decorator
@inline
export function dhcpYiaddr(p: usize): u32 {
  return getBe32(p + YIADDR);
}

// @ts-ignore: decorator
@inline
export function dhcpSiaddr(p: usize): u32 {
  return getBe32(p + SIADDR);
}

/** The client's hardware address (Ethernet: the first 6 bytes of chaddr). */
// @ts-ignore: decorator
@inline
export function dhcpChaddr(p: usize): u64 {
  return loadMac(p + CHADDR);
}

/**
 * Writes the 240-byte fixed part at p: zeroes (sname, file, giaddr, hops), then `op`,
 * Ethernet, xid, secs, flags, ciaddr, yiaddr, siaddr, chaddr, the cookie. Returns
 * where the first option goes.
 */
export function emitDhcp(p: usize, op: u32, xid: u32, secs: u32, flags: u32, ciaddr: u32, yiaddr: u32, siaddr: u32, chaddr: u64): usize {
  memory.fill(p, 0, DHCP_HEADER_LEN);
  store<u8>(p + OP, <u8>op);
  store<u8>(p + HTYPE, <u8>HTYPE_ETHERNET);
  store<u8>(p + HLEN, 6);
  setBe32(p + XID, xid);
  setBe16(p + SECS, secs);
  setBe16(p + FLAGS, flags);
  setBe32(p + CIADDR, ciaddr);
  setBe32(p + YIADDR, yiaddr);
  setBe32(p + SIADDR, siaddr);
  storeMac(p + CHADDR, chaddr);
  setBe32(p + COOKIE, MAGIC_COOKIE);
  return p + DHCP_HEADER_LEN;
}

/** A one-byte option at q; returns where the next goes. */
export function emitOptionU8(q: usize, code: u32, value: u32): usize {
  store<u8>(q, <u8>code);
  store<u8>(q + 1, 1);
  store<u8>(q + 2, <u8>value);
  return q + 3;
}

/** A 16-bit option at q. */
export function emitOptionU16(q: usize, code: u32, value: u32): usize {
  store<u8>(q, <u8>code);
  store<u8>(q + 1, 2);
  setBe16(q + 2, value);
  return q + 4;
}

/** A 32-bit option (an address or a time) at q. */
export function emitOptionU32(q: usize, code: u32, value: u32): usize {
  store<u8>(q, <u8>code);
  store<u8>(q + 1, 4);
  setBe32(q + 2, value);
  return q + 6;
}

/** An option of `length` (at most 255) bytes copied from src. */
export function emitOptionBytes(q: usize, code: u32, src: usize, length: u32): usize {
  store<u8>(q, <u8>code);
  store<u8>(q + 1, <u8>length);
  memory.copy(q + 2, src, length);
  return q + 2 + length;
}

/** The client identifier as RFC 2132 9.14 suggests for Ethernet: type 1, then the MAC. */
export function emitOptionClientId(q: usize, mac: u64): usize {
  store<u8>(q, <u8>OPTION_CLIENT_ID);
  store<u8>(q + 1, 7);
  store<u8>(q + 2, <u8>HTYPE_ETHERNET);
  storeMac(q + 3, mac);
  return q + 9;
}

/** END, then zeroes up to BOOTP's 300 bytes from the message's start p; the message's length. */
export function emitOptionEnd(p: usize, q: usize): u32 {
  store<u8>(q, <u8>OPTION_END);
  const end = <u32>(q + 1 - p);
  if (end >= DHCP_MIN_LEN) return end;
  memory.fill(q + 1, 0, DHCP_MIN_LEN - end);
  return DHCP_MIN_LEN;
}
