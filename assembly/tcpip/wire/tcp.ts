// TCP headers (RFC 9293, 3.1) and the options the stack speaks: MSS, window scale and
// timestamps (RFC 7323), SACK-permitted and SACK (RFC 2018). check() validates the data
// offset and the checksum; parseTcpOptions() walks the options without ever reading past
// the header and refuses lengths of 0 or 1, which loop forever in naive parsers.
import { Drop } from "../drop";
import { getBe16, getBe32, setBe16, setBe32 } from "./bytes";
import { checksumAdd, checksumFinish, pseudoHeaderSum } from "./checksum";
import { PROTOCOL_TCP } from "./ipv4";

// @ts-ignore: decorator
@inline const SRC_PORT: usize = 0;
// @ts-ignore: decorator
@inline const DST_PORT: usize = 2;
// @ts-ignore: decorator
@inline const SEQ: usize = 4;
// @ts-ignore: decorator
@inline const ACK: usize = 8;
// @ts-ignore: decorator
@inline const DATA_OFFSET: usize = 12;
// @ts-ignore: decorator
@inline const FLAGS: usize = 13;
// @ts-ignore: decorator
@inline const WINDOW: usize = 14;
// @ts-ignore: decorator
@inline const CHECKSUM: usize = 16;
// @ts-ignore: decorator
@inline const URGENT: usize = 18;
/** Bytes of a TCP header without options. */
export const TCP_HEADER_LEN: u32 = 20;
/** The most option bytes a header holds (data offset 15). */
export const TCP_OPTIONS_MAX: u32 = 40;

/** The FIN flag: no more data from the sender. */
export const TCP_FIN: u32 = 0x01;
/** The SYN flag: synchronise sequence numbers. */
export const TCP_SYN: u32 = 0x02;
/** The RST flag: reset the connection. */
export const TCP_RST: u32 = 0x04;
/** The PSH flag: push the data to the application. */
export const TCP_PSH: u32 = 0x08;
/** The ACK flag: the acknowledgment field is significant. */
export const TCP_ACK: u32 = 0x10;
/** The URG flag: the urgent pointer is significant (never set by the stack). */
export const TCP_URG: u32 = 0x20;

// @ts-ignore: decorator
@inline const OPT_END: u32 = 0;
// @ts-ignore: decorator
@inline const OPT_NOP: u32 = 1;
// @ts-ignore: decorator
@inline const OPT_MSS: u32 = 2;
// @ts-ignore: decorator
@inline const OPT_WINDOW_SCALE: u32 = 3;
// @ts-ignore: decorator
@inline const OPT_SACK_PERMITTED: u32 = 4;
// @ts-ignore: decorator
@inline const OPT_SACK: u32 = 5;
// @ts-ignore: decorator
@inline const OPT_TIMESTAMP: u32 = 8;

/** Most SACK blocks one header carries (4 without timestamps, RFC 2018). */
export const SACK_BLOCKS_MAX: i32 = 4;
/** The largest shift RFC 7323 allows; larger ones are taken as 14. */
export const WINDOW_SCALE_MAX: u32 = 14;

/** Drop.None if the n bytes at p (the payload of the IPv4 header at ip) are a TCP segment. */
export function checkTcp(ip: usize, p: usize, n: u32): Drop {
  if (n < TCP_HEADER_LEN) return Drop.Truncated;
  const headerLen = tcpHeaderLen(p);
  if (headerLen < TCP_HEADER_LEN) return Drop.BadLength;
  if (headerLen > n) return Drop.Truncated;
  if (checksumFinish(checksumAdd(pseudoHeaderSum(ip, PROTOCOL_TCP, n), p, n)) != 0) return Drop.BadChecksum;
  return Drop.None;
}

/** The source port of the segment at p. */
// @ts-ignore: decorator
@inline
export function tcpSrcPort(p: usize): u32 {
  return getBe16(p + SRC_PORT);
}

/** The destination port of the segment at p. */
// @ts-ignore: decorator
@inline
export function tcpDstPort(p: usize): u32 {
  return getBe16(p + DST_PORT);
}

/** The sequence number of the segment at p. */
// @ts-ignore: decorator
@inline
export function tcpSeq(p: usize): u32 {
  return getBe32(p + SEQ);
}

/** The acknowledgment number of the segment at p. */
// @ts-ignore: decorator
@inline
export function tcpAck(p: usize): u32 {
  return getBe32(p + ACK);
}

/** Bytes of the header at p, options included (data offset * 4). */
// @ts-ignore: decorator
@inline
export function tcpHeaderLen(p: usize): u32 {
  return (<u32>load<u8>(p + DATA_OFFSET) >> 4) << 2;
}

/** FIN, SYN, RST, PSH, ACK, URG (ECE and CWR are not used). */
// @ts-ignore: decorator
@inline
export function tcpFlags(p: usize): u32 {
  return <u32>load<u8>(p + FLAGS) & 0x3f;
}

/** The window field as sent (unscaled). */
// @ts-ignore: decorator
@inline
export function tcpWindow(p: usize): u32 {
  return getBe16(p + WINDOW);
}

/** What one segment's options said; parseTcpOptions fills it anew for each segment. */
export class TcpOptions {
  /** 0: not given. */
  mss: u32 = 0;
  /** -1: not given (so no scaling, RFC 7323 2.2). */
  windowScale: i32 = -1;
  /** Whether the SYN carried SACK-permitted (RFC 2018). */
  sackPermitted: bool = false;
  /** SACK blocks in this segment (at most SACK_BLOCKS_MAX). */
  sackCount: i32 = 0;
  /** Left edges of the SACK blocks, sackCount of them. */
  readonly sackLeft: StaticArray<u32> = new StaticArray<u32>(SACK_BLOCKS_MAX);
  /** Right edges (one past the last byte) of the SACK blocks. */
  readonly sackRight: StaticArray<u32> = new StaticArray<u32>(SACK_BLOCKS_MAX);
  /** Whether the segment carried a timestamps option (RFC 7323). */
  hasTimestamp: bool = false;
  /** The sender's timestamp value. */
  tsVal: u32 = 0;
  /** The timestamp echoed back. */
  tsEcr: u32 = 0;

  /** Back to "nothing given", before a segment's options are parsed. */
  reset(): void {
    this.mss = 0;
    this.windowScale = -1;
    this.sackPermitted = false;
    this.sackCount = 0;
    this.hasTimestamp = false;
  }
}

/** Reads the options of the segment at p into `out`: Drop.BadOption for a length below 2
 * or past the header, or an option of the wrong length. Unknown options are skipped. */
export function parseTcpOptions(p: usize, out: TcpOptions): Drop {
  out.reset();
  let at = p + TCP_HEADER_LEN;
  const end = p + tcpHeaderLen(p);
  while (at < end) {
    const kind = <u32>load<u8>(at);
    if (kind == OPT_END) break;
    if (kind == OPT_NOP) {
      at++;
      continue;
    }
    if (at + 1 >= end) return Drop.BadOption;
    const len = <u32>load<u8>(at, 1);
    if (len < 2 || at + len > end) return Drop.BadOption;
    if (kind == OPT_MSS) {
      if (len != 4) return Drop.BadOption;
      out.mss = getBe16(at + 2);
    } else if (kind == OPT_WINDOW_SCALE) {
      if (len != 3) return Drop.BadOption;
      out.windowScale = <i32>min(<u32>load<u8>(at, 2), WINDOW_SCALE_MAX);
    } else if (kind == OPT_SACK_PERMITTED) {
      if (len != 2) return Drop.BadOption;
      out.sackPermitted = true;
    } else if (kind == OPT_SACK) {
      if ((len - 2) % 8 != 0) return Drop.BadOption;
      const blocks = min(<i32>(len - 2) >> 3, SACK_BLOCKS_MAX);
      for (let i = 0; i < blocks; i++) {
        unchecked((out.sackLeft[i] = getBe32(at + 2 + (<usize>i << 3))));
        unchecked((out.sackRight[i] = getBe32(at + 6 + (<usize>i << 3))));
      }
      out.sackCount = blocks;
    } else if (kind == OPT_TIMESTAMP) {
      if (len != 10) return Drop.BadOption;
      out.hasTimestamp = true;
      out.tsVal = getBe32(at + 2);
      out.tsEcr = getBe32(at + 6);
    }
    at += len;
  }
  return Drop.None;
}

/** Writes the fixed header at p with room for optionsLen bytes of options (a multiple of
 * 4, written by the caller with the writers below). */
export function emitTcp(p: usize, srcPort: u32, dstPort: u32, seq: u32, ack: u32, flags: u32, window: u32, optionsLen: u32): void {
  setBe16(p + SRC_PORT, srcPort);
  setBe16(p + DST_PORT, dstPort);
  setBe32(p + SEQ, seq);
  setBe32(p + ACK, ack);
  store<u8>(p + DATA_OFFSET, <u8>(((TCP_HEADER_LEN + optionsLen) >> 2) << 4));
  store<u8>(p + FLAGS, <u8>flags);
  setBe16(p + WINDOW, window);
  store<u16>(p + CHECKSUM, 0);
  store<u16>(p + URGENT, 0);
}

/** The checksum of the n-byte segment at p (header, options, payload all in place). */
export function finishTcp(ip: usize, p: usize, n: u32): void {
  store<u16>(p + CHECKSUM, 0);
  store<u16>(p + CHECKSUM, <u16>checksumFinish(checksumAdd(pseudoHeaderSum(ip, PROTOCOL_TCP, n), p, n)));
}

/** MSS: 4 bytes at q. */
export function writeMssOption(q: usize, mss: u32): usize {
  store<u8>(q, <u8>OPT_MSS);
  store<u8>(q, 4, 1);
  setBe16(q + 2, mss);
  return q + 4;
}

/** NOP and window scale: 4 bytes. */
export function writeWindowScaleOption(q: usize, shift: u32): usize {
  store<u8>(q, <u8>OPT_NOP);
  store<u8>(q, <u8>OPT_WINDOW_SCALE, 1);
  store<u8>(q, 3, 2);
  store<u8>(q, <u8>shift, 3);
  return q + 4;
}

/** Two NOPs and SACK-permitted: 4 bytes. */
export function writeSackPermittedOption(q: usize): usize {
  store<u8>(q, <u8>OPT_NOP);
  store<u8>(q, <u8>OPT_NOP, 1);
  store<u8>(q, <u8>OPT_SACK_PERMITTED, 2);
  store<u8>(q, 2, 3);
  return q + 4;
}

/** Two NOPs and `count` SACK blocks: 4 + 8 * count bytes. */
export function writeSackOption(q: usize, left: StaticArray<u32>, right: StaticArray<u32>, count: i32): usize {
  store<u8>(q, <u8>OPT_NOP);
  store<u8>(q, <u8>OPT_NOP, 1);
  store<u8>(q, <u8>OPT_SACK, 2);
  store<u8>(q, <u8>(2 + 8 * count), 3);
  q += 4;
  for (let i = 0; i < count; i++) {
    setBe32(q, unchecked(left[i]));
    setBe32(q + 4, unchecked(right[i]));
    q += 8;
  }
  return q;
}
