// DNS messages (RFC 1035 4): the header, questions, resource records, and names with
// compression. checkDns() walks every question and record the counts announce, so a
// count that lies, a record past the end, or a malformed name makes the whole message
// Drop.BadMessage, and every accessor is safe after it. Names are read under three
// rules that bound the work whatever the bytes say (the AMNESIA:33 class): a label is
// at most 63 bytes (the 0x40 and 0x80 kinds are refused), a name at most 255, and a
// compression pointer must point before the place the labels being read started, so
// each jump goes strictly backwards (and not into the header), so a loop is impossible.
import { Drop } from "../drop";
import { getBe16, getBe32, setBe16, setBe32 } from "./bytes";

// @ts-ignore: decorator
@inline const ID: usize = 0;
// @ts-ignore: decorator
@inline const FLAGS: usize = 2;
// @ts-ignore: decorator
@inline const QDCOUNT: usize = 4;
// @ts-ignore: decorator
@inline const ANCOUNT: usize = 6;
// @ts-ignore: decorator
@inline const NSCOUNT: usize = 8;
// @ts-ignore: decorator
@inline const ARCOUNT: usize = 10;
export const DNS_HEADER_LEN: u32 = 12;

// A record's fixed part, after its owner name.
// @ts-ignore: decorator
@inline const RR_TYPE: usize = 0;
// @ts-ignore: decorator
@inline const RR_CLASS: usize = 2;
// @ts-ignore: decorator
@inline const RR_TTL: usize = 4;
// @ts-ignore: decorator
@inline const RR_DATA_LEN: usize = 8;
export const DNS_RECORD_FIXED_LEN: u32 = 10;
/** A question's type and class, after its name. */
export const DNS_QUESTION_FIXED_LEN: u32 = 4;

export const DNS_PORT: u32 = 53;
/** The most a name takes in wire form, length bytes and the root label included. */
export const DNS_MAX_NAME: u32 = 255;
const MAX_LABEL: u32 = 63;
const POINTER: u32 = 0xc0;

export const DNS_FLAG_RESPONSE: u32 = 0x8000;
export const DNS_FLAG_AUTHORITATIVE: u32 = 0x0400;
export const DNS_FLAG_TRUNCATED: u32 = 0x0200;
export const DNS_FLAG_RECURSION_DESIRED: u32 = 0x0100;
export const DNS_FLAG_RECURSION_AVAILABLE: u32 = 0x0080;
/** Opcode bits: 0 is a standard query. */
export const DNS_OPCODE_MASK: u32 = 0x7800;
export const DNS_RCODE_MASK: u32 = 0x000f;
export const DNS_RCODE_SERVER_FAILURE: u32 = 2;
export const DNS_RCODE_NAME_ERROR: u32 = 3;

export const DNS_TYPE_A: u32 = 1;
export const DNS_TYPE_CNAME: u32 = 5;
export const DNS_CLASS_IN: u32 = 1;

/** A name in wire form without compression, ASCII letters lower-cased (names compare
 * case-insensitively, RFC 4343): labels, each after its length byte, then the root's 0. */
export class DnsName {
  readonly bytes: Uint8Array = new Uint8Array(DNS_MAX_NAME);
  length: u32 = 0;

  equals(other: DnsName): bool {
    return this.length == other.length && memory.compare(this.bytes.dataStart, other.bytes.dataStart, this.length) == 0;
  }

  copyFrom(other: DnsName): void {
    memory.copy(this.bytes.dataStart, other.bytes.dataStart, other.length);
    this.length = other.length;
  }
}

// @ts-ignore: decorator
@inline
function lowerAscii(c: u32): u32 {
  return c - 0x41 < 26 ? c | 0x20 : c;
}

/**
 * Puts the dotted name `text` ("www.example.com", a trailing dot allowed) into `name`;
 * false when it is no name: an empty label, a label over 63 bytes, over 255 in all, or
 * a character outside ASCII.
 */
export function encodeDnsName(text: string, name: DnsName): bool {
  const out = name.bytes.dataStart;
  let end = text.length;
  if (end > 0 && text.charCodeAt(end - 1) == 0x2e) end--;
  if (end == 0) return false;
  let labelAt: u32 = 0;
  let at: u32 = 1;
  for (let i = 0; i <= end; i++) {
    const c = i < end ? <u32>text.charCodeAt(i) : 0x2e;
    if (c == 0x2e) {
      const len = at - labelAt - 1;
      if (len == 0 || len > MAX_LABEL) return false;
      store<u8>(out + labelAt, <u8>len);
      labelAt = at++;
    } else {
      if (c > 0x7f || at >= DNS_MAX_NAME) return false;
      store<u8>(out + at++, <u8>lowerAscii(c));
    }
  }
  if (at > DNS_MAX_NAME) return false;
  store<u8>(out + labelAt, 0);
  name.length = at;
  return true;
}

/**
 * Reads the name at offset `at` of the n-byte message at p into `name` (when given),
 * following compression pointers: the offset where the name ends in place (after its
 * first pointer, or its root label), or -1 when it is malformed.
 */
export function readDnsName(p: usize, n: u32, at: u32, name: DnsName | null): i32 {
  const out: usize = name === null ? 0 : name.bytes.dataStart;
  let length: u32 = 0;
  let end: i32 = -1;
  let runStart = at;
  let i = at;
  for (;;) {
    if (i >= n) return -1;
    const len = <u32>load<u8>(p + i);
    if (len >= POINTER) {
      if (i + 2 > n) return -1;
      const target = ((len & 0x3f) << 8) | <u32>load<u8>(p + i + 1);
      if (end < 0) end = <i32>(i + 2);
      if (target >= runStart || target < DNS_HEADER_LEN) return -1;
      runStart = target;
      i = target;
      continue;
    }
    if (len > MAX_LABEL) return -1;
    if (length + len + 1 > DNS_MAX_NAME) return -1;
    if (i + 1 + len > n) return -1;
    if (out != 0) {
      store<u8>(out + length, <u8>len);
      for (let k: u32 = 0; k < len; k++) store<u8>(out + length + 1 + k, <u8>lowerAscii(<u32>load<u8>(p + i + 1 + k)));
    }
    length += len + 1;
    i += len + 1;
    if (len == 0) break;
  }
  if (name !== null) name.length = length;
  return end < 0 ? <i32>i : end;
}

/** Where the question at `at` ends, or -1 when it runs past the message. */
function skipQuestion(p: usize, n: u32, at: u32): i32 {
  const fixed = readDnsName(p, n, at, null);
  if (fixed < 0 || <u32>fixed + DNS_QUESTION_FIXED_LEN > n) return -1;
  return fixed + <i32>DNS_QUESTION_FIXED_LEN;
}

/**
 * Where the record at `at` ends, or -1 when it is malformed: past the message, or an
 * A record of IN that is not 4 bytes, or a CNAME whose data is not exactly one name.
 */
function skipRecord(p: usize, n: u32, at: u32): i32 {
  const fixed = readDnsName(p, n, at, null);
  if (fixed < 0 || <u32>fixed + DNS_RECORD_FIXED_LEN > n) return -1;
  const rr = p + <usize>fixed;
  const data = <u32>fixed + DNS_RECORD_FIXED_LEN;
  const dataLen = getBe16(rr + RR_DATA_LEN);
  if (data + dataLen > n) return -1;
  const type = getBe16(rr + RR_TYPE);
  if (type == DNS_TYPE_A && getBe16(rr + RR_CLASS) == DNS_CLASS_IN && dataLen != 4) return -1;
  if (type == DNS_TYPE_CNAME && readDnsName(p, data + dataLen, data, null) != <i32>(data + dataLen)) return -1;
  return <i32>(data + dataLen);
}

/** Drop.None if the n bytes at p are a DNS message whose every question and record, as
 * many as the header counts, lies inside it. */
export function checkDns(p: usize, n: u32): Drop {
  if (n < DNS_HEADER_LEN) return Drop.Truncated;
  let at = <i32>DNS_HEADER_LEN;
  const questions = getBe16(p + QDCOUNT);
  for (let i: u32 = 0; i < questions && at >= 0; i++) at = skipQuestion(p, n, <u32>at);
  const records = getBe16(p + ANCOUNT) + getBe16(p + NSCOUNT) + getBe16(p + ARCOUNT);
  for (let i: u32 = 0; i < records && at >= 0; i++) at = skipRecord(p, n, <u32>at);
  return at < 0 ? Drop.BadMessage : Drop.None;
}

// @ts-ignore: decorator
@inline
export function dnsId(p: usize): u32 {
  return getBe16(p + ID);
}

// @ts-ignore: decorator
@inline
export function dnsFlags(p: usize): u32 {
  return getBe16(p + FLAGS);
}

// @ts-ignore: decorator
@inline
export function dnsQuestionCount(p: usize): u32 {
  return getBe16(p + QDCOUNT);
}

// @ts-ignore: decorator
@inline
export function dnsAnswerCount(p: usize): u32 {
  return getBe16(p + ANCOUNT);
}

/** A question's type, class, or a record's type, class, TTL and data length: at rr, where its name ends. */
// @ts-ignore: decorator
@inline
export function dnsType(rr: usize): u32 {
  return getBe16(rr + RR_TYPE);
}

// @ts-ignore: decorator
@inline
export function dnsClass(rr: usize): u32 {
  return getBe16(rr + RR_CLASS);
}

// @ts-ignore: decorator
@inline
export function dnsTtl(rr: usize): u32 {
  return getBe32(rr + RR_TTL);
}

// @ts-ignore: decorator
@inline
export function dnsDataLen(rr: usize): u32 {
  return getBe16(rr + RR_DATA_LEN);
}

/** Writes the 12-byte header at p. */
export function emitDnsHeader(p: usize, id: u32, flags: u32, questions: u32, answers: u32, authority: u32, additional: u32): void {
  setBe16(p + ID, id);
  setBe16(p + FLAGS, flags);
  setBe16(p + QDCOUNT, questions);
  setBe16(p + ANCOUNT, answers);
  setBe16(p + NSCOUNT, authority);
  setBe16(p + ARCOUNT, additional);
}

/** Writes `name` uncompressed at q; returns where the next field goes. */
export function emitDnsName(q: usize, name: DnsName): usize {
  memory.copy(q, name.bytes.dataStart, name.length);
  return q + name.length;
}

/** Writes a compression pointer to the name at `offset` (below 0x4000) of the message. */
export function emitDnsPointer(q: usize, offset: u32): usize {
  setBe16(q, (POINTER << 8) | offset);
  return q + 2;
}

/** A question's type and class, after its name at q. */
export function emitDnsQuestion(q: usize, type: u32, klass: u32): usize {
  setBe16(q + RR_TYPE, type);
  setBe16(q + RR_CLASS, klass);
  return q + DNS_QUESTION_FIXED_LEN;
}

/** A record's fixed part after its name at q; returns where its `dataLen` bytes of data go. */
export function emitDnsRecord(q: usize, type: u32, klass: u32, ttl: u32, dataLen: u32): usize {
  setBe16(q + RR_TYPE, type);
  setBe16(q + RR_CLASS, klass);
  setBe32(q + RR_TTL, ttl);
  setBe16(q + RR_DATA_LEN, dataLen);
  return q + DNS_RECORD_FIXED_LEN;
}
