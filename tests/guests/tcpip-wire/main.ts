// Unit tests of the network stack's parts that need no link: each header of the wire
// layer against known bytes both ways (frames built by scapy, whose checksums are its
// own), malformed headers, the checksum against a plain reference, SipHash against its
// published vector, and the storage and table structures against simple models. Prints
// SUCCESS, or each failure and FAILURE.
import { puts } from "../../../assembly";
import { Drop } from "../../../assembly/tcpip/drop";
import { NeighborCache, Lookup } from "../../../assembly/tcpip/iface/neighbor";
import { Assembler } from "../../../assembly/tcpip/storage/assembler";
import { ByteRing } from "../../../assembly/tcpip/storage/byte-ring";
import { DatagramRing } from "../../../assembly/tcpip/storage/datagram-ring";
import { ConnectionTable, NOT_FOUND } from "../../../assembly/tcpip/tcp/table";
import { SipKey, siphash128 } from "../../../assembly/tcpip/tcp/siphash";
import { arpOperation, arpSenderIp, arpSenderMac, arpTargetIp, ARP_REQUEST, checkArp, emitArp } from "../../../assembly/tcpip/wire/arp";
import { checksumAdd, checksumFinish, internetChecksum } from "../../../assembly/tcpip/wire/checksum";
import { emitEthernet, ethDst, ethSrc, ethType, ETHERTYPE_ARP, ETHERTYPE_IPV4, formatMac, MAC_BROADCAST } from "../../../assembly/tcpip/wire/ethernet";
import { checkIcmp, emitIcmp, icmpEchoIdent, icmpEchoSeq, icmpType, ICMP_ECHO_REQUEST, setIcmpEcho } from "../../../assembly/tcpip/wire/icmpv4";
import {
  checkIpv4, emitIpv4, formatIpv4, ipv4Dst, ipv4HeaderLen, ipv4Protocol, ipv4Src, ipv4TotalLen, parseIpv4, PROTOCOL_TCP, PROTOCOL_UDP,
} from "../../../assembly/tcpip/wire/ipv4";
import {
  checkTcp, emitTcp, finishTcp, parseTcpOptions, TcpOptions, TCP_ACK, TCP_SYN, tcpAck, tcpDstPort, tcpFlags, tcpHeaderLen, tcpSeq,
  tcpSrcPort, tcpWindow, writeMssOption, writeSackPermittedOption, writeWindowScaleOption,
} from "../../../assembly/tcpip/wire/tcp";
import { checkUdp, emitUdp, udpDstPort, udpLength, udpSrcPort } from "../../../assembly/tcpip/wire/udp";
import { eq, fail, finish, hex, sameBytes } from "../shared/checks";

const LINUX_SYN = "02000000000b02000000000a08004500003c12344000400614860a0000010a0000029c4000501122334400000000a002faf075d40000020405b40402080a0001e2400000000001030307";
const OUR_SYNACK = "02000000000b02000000000a08004500003400004000400626c20a0000020a00000100509c40aabbccdd112233458012ffff02740000020405b40103030101010402";
const UDP = "02000000000b02000000000a08004500002800074000401126bc0a0000010a00000214e900070014968768656c6c6f2c20776f726c64";
const ICMP_ECHO = "02000000000b02000000000a08004500002400094000400126ce0a0000010a00000208006627004200016162636465666768";
const ARP_REQ = "ffffffffffff02000000000a0806000108000604000102000000000a0a0000010000000000000a000002";
const SACK_ACK = "02000000000b02000000000a08004500003c00014000400626b90a0000010a0000029c4000500000000500000006a01001f4800b000001010512000003e8000007d000000bb800000fa0";

const MAC_A: u64 = 0x0a00_0000_0002;
const MAC_B: u64 = 0x0b00_0000_0002;


function testEthernetArp(): void {
  const f = hex(ARP_REQ);
  const p = f.dataStart;
  eq("arp: dst", ethDst(p), MAC_BROADCAST);
  eq("arp: src", ethSrc(p), MAC_A);
  eq("arp: type", ethType(p), ETHERTYPE_ARP);
  eq("arp: check", checkArp(p + 14, 28), Drop.None);
  eq("arp: op", arpOperation(p + 14), ARP_REQUEST);
  eq("arp: sender mac", arpSenderMac(p + 14), MAC_A);
  eq("arp: sender ip", arpSenderIp(p + 14), 0x0a000001);
  eq("arp: target ip", arpTargetIp(p + 14), 0x0a000002);
  eq("arp: truncated", checkArp(p + 14, 27), Drop.Truncated);
  if (formatMac(MAC_A) != "02:00:00:00:00:0a") fail("formatMac: " + formatMac(MAC_A));
  const out = new Uint8Array(42);
  emitEthernet(out.dataStart, MAC_BROADCAST, MAC_A, ETHERTYPE_ARP);
  emitArp(out.dataStart + 14, ARP_REQUEST, MAC_A, 0x0a000001, 0, 0x0a000002);
  sameBytes("arp: emitted", out.dataStart, 42, ARP_REQ);
  const bad = hex(ARP_REQ);
  store<u8>(bad.dataStart + 14 + 4, 8); // hardware address length 8
  eq("arp: other hardware", checkArp(bad.dataStart + 14, 28), Drop.Unsupported);
}

function testIpv4(): void {
  const f = hex(UDP);
  const ip = f.dataStart + 14;
  const n = <u32>f.length - 14;
  eq("ipv4: check", checkIpv4(ip, n), Drop.None);
  eq("ipv4: header length", ipv4HeaderLen(ip), 20);
  eq("ipv4: total length", ipv4TotalLen(ip), 40);
  eq("ipv4: protocol", ipv4Protocol(ip), PROTOCOL_UDP);
  eq("ipv4: src", ipv4Src(ip), 0x0a000001);
  eq("ipv4: dst", ipv4Dst(ip), 0x0a000002);
  eq("ipv4: truncated frame", checkIpv4(ip, 19), Drop.Truncated);
  eq("ipv4: total length past the frame", checkIpv4(ip, 39), Drop.Truncated);
  const out = new Uint8Array(20);
  emitIpv4(out.dataStart, 0x0a000001, 0x0a000002, PROTOCOL_UDP, 20, 7);
  sameBytes("ipv4: emitted", out.dataStart, 20, UDP.substr(28, 40));
  // Malformed: each on a fresh copy.
  let b = hex(UDP);
  store<u8>(b.dataStart + 14, 0x44); // header length 16
  eq("ipv4: ihl < 5", checkIpv4(b.dataStart + 14, n), Drop.BadLength);
  b = hex(UDP);
  store<u8>(b.dataStart + 14, 0x65);
  eq("ipv4: version 6", checkIpv4(b.dataStart + 14, n), Drop.Unsupported);
  b = hex(UDP);
  store<u8>(b.dataStart + 14 + 3, 10); // total length 10 < header
  eq("ipv4: total < header", checkIpv4(b.dataStart + 14, n), Drop.BadLength);
  b = hex(UDP);
  store<u8>(b.dataStart + 14 + 8, 63); // TTL changed, checksum not
  eq("ipv4: bad checksum", checkIpv4(b.dataStart + 14, n), Drop.BadChecksum);
  b = hex(UDP);
  store<u8>(b.dataStart + 14, 0x4f); // 60-byte header in a 40-byte packet
  eq("ipv4: header past packet", checkIpv4(b.dataStart + 14, n), Drop.Truncated);
  eq("parseIpv4", parseIpv4("10.0.0.2"), 0x0a000002);
  eq("parseIpv4 255", parseIpv4("255.255.255.255"), 0xffffffff);
  for (let i = 0; i < BAD_ADDRESSES.length; i++) eq("parseIpv4 '" + BAD_ADDRESSES[i] + "'", parseIpv4(BAD_ADDRESSES[i]), <u64>-1);
  if (formatIpv4(0xc0a80001) != "192.168.0.1") fail("formatIpv4");
}

const BAD_ADDRESSES = ["", "10.0.0", "10.0.0.2.3", "256.0.0.1", "1..2.3", "a.b.c.d", "1.2.3.4 ", "1234.1.1.1", "10.0.0."];

function testUdp(): void {
  const f = hex(UDP);
  const ip = f.dataStart + 14;
  const udp = ip + 20;
  eq("udp: check", checkUdp(ip, udp, 20), Drop.None);
  eq("udp: ports", udpSrcPort(udp) << 16 | udpDstPort(udp), 5353 << 16 | 7);
  eq("udp: length", udpLength(udp), 20);
  eq("udp: short", checkUdp(ip, udp, 7), Drop.Truncated);
  eq("udp: length past packet", checkUdp(ip, udp, 19), Drop.BadLength);
  const b = hex(UDP);
  store<u8>(b.dataStart + 14 + 28, 0x48); // 'H'
  eq("udp: bad checksum", checkUdp(b.dataStart + 14, b.dataStart + 34, 20), Drop.BadChecksum);
  store<u16>(b.dataStart + 14 + 26, 0); // no checksum: accepted as it is
  eq("udp: no checksum", checkUdp(b.dataStart + 14, b.dataStart + 34, 20), Drop.None);
  const out = hex(UDP);
  memory.fill(out.dataStart + 34, 0, 8);
  emitUdp(out.dataStart + 14, out.dataStart + 34, 5353, 7, 12);
  sameBytes("udp: emitted", out.dataStart, <u32>out.length, UDP);
}

function testIcmp(): void {
  const f = hex(ICMP_ECHO);
  const icmp = f.dataStart + 34;
  eq("icmp: check", checkIcmp(icmp, 16), Drop.None);
  eq("icmp: type", icmpType(icmp), ICMP_ECHO_REQUEST);
  eq("icmp: ident", icmpEchoIdent(icmp), 0x42);
  eq("icmp: seq", icmpEchoSeq(icmp), 1);
  eq("icmp: short", checkIcmp(icmp, 7), Drop.Truncated);
  eq("icmp: bad checksum", checkIcmp(icmp, 15), Drop.BadChecksum);
  const out = hex(ICMP_ECHO);
  memory.fill(out.dataStart + 34, 0, 8);
  setIcmpEcho(out.dataStart + 34, 0x42, 1);
  emitIcmp(out.dataStart + 34, 16, ICMP_ECHO_REQUEST, 0);
  sameBytes("icmp: emitted", out.dataStart, <u32>out.length, ICMP_ECHO);
}

function testTcp(): void {
  const f = hex(LINUX_SYN);
  const ip = f.dataStart + 14;
  const tcp = ip + 20;
  eq("tcp: check", checkTcp(ip, tcp, 40), Drop.None);
  eq("tcp: ports", tcpSrcPort(tcp) << 16 | tcpDstPort(tcp), 40000 << 16 | 80);
  eq("tcp: seq", tcpSeq(tcp), 0x11223344);
  eq("tcp: ack", tcpAck(tcp), 0);
  eq("tcp: flags", tcpFlags(tcp), TCP_SYN);
  eq("tcp: window", tcpWindow(tcp), 64240);
  eq("tcp: header length", tcpHeaderLen(tcp), 40);
  const opts = new TcpOptions();
  eq("tcp: options parse", parseTcpOptions(tcp, opts), Drop.None);
  eq("tcp: mss", opts.mss, 1460);
  eq("tcp: wscale", <u64>opts.windowScale, 7);
  eq("tcp: sack ok", opts.sackPermitted ? 1 : 0, 1);
  eq("tcp: timestamp", opts.hasTimestamp ? opts.tsVal : 0, 123456);

  const s = hex(SACK_ACK);
  const stcp = s.dataStart + 34;
  eq("tcp sack: check", checkTcp(s.dataStart + 14, stcp, 40), Drop.None);
  eq("tcp sack: parse", parseTcpOptions(stcp, opts), Drop.None);
  eq("tcp sack: blocks", opts.sackCount, 2);
  eq("tcp sack: block 0", <u64>opts.sackLeft[0] << 32 | opts.sackRight[0], <u64>1000 << 32 | 2000);
  eq("tcp sack: block 1", <u64>opts.sackLeft[1] << 32 | opts.sackRight[1], <u64>3000 << 32 | 4000);

  // Emitting our SYN-ACK as the listener builds it.
  const out = new Uint8Array(66);
  const q = out.dataStart;
  emitEthernet(q, MAC_B, MAC_A, ETHERTYPE_IPV4);
  emitIpv4(q + 14, 0x0a000002, 0x0a000001, PROTOCOL_TCP, 32, 0);
  emitTcp(q + 34, 80, 40000, 0xaabbccdd, 0x11223345, TCP_SYN | TCP_ACK, 65535, 12);
  let o = writeMssOption(q + 54, 1460);
  o = writeWindowScaleOption(o, 1);
  writeSackPermittedOption(o);
  finishTcp(q + 14, q + 34, 32);
  sameBytes("tcp: emitted SYN-ACK", q, 66, OUR_SYNACK);

  // Malformed options and headers: each on a fresh copy, and a valid checksum after
  // the change (so that the option parser, not the checksum, is what refuses it).
  const cases: string[] = ["zero length", "length one", "past the header", "mss of 3 bytes", "kind at the last byte"];
  for (let c = 0; c < cases.length; c++) {
    const b = hex(LINUX_SYN);
    const t = b.dataStart + 34;
    if (c == 0) store<u8>(t + 21, 0);
    if (c == 1) store<u8>(t + 21, 1);
    if (c == 2) store<u8>(t + 38, 9); // the window scale option claims 9 bytes
    if (c == 3) store<u8>(t + 21, 3);
    if (c == 4) {
      store<u8>(t + 36, 1);
      store<u8>(t + 37, 1);
      store<u8>(t + 38, 1);
      store<u8>(t + 39, 2); // MSS kind, no length byte
    }
    finishTcp(b.dataStart + 14, t, 40);
    eq("tcp options: " + cases[c] + ": checksum", checkTcp(b.dataStart + 14, t, 40), Drop.None);
    eq("tcp options: " + cases[c], parseTcpOptions(t, opts), Drop.BadOption);
  }
  let b = hex(LINUX_SYN);
  store<u8>(b.dataStart + 34 + 12, 0x40); // data offset 4
  eq("tcp: data offset < 5", checkTcp(b.dataStart + 14, b.dataStart + 34, 40), Drop.BadLength);
  b = hex(LINUX_SYN);
  store<u8>(b.dataStart + 34 + 12, 0xf0); // 60-byte header in 40 bytes
  eq("tcp: header past segment", checkTcp(b.dataStart + 14, b.dataStart + 34, 40), Drop.Truncated);
  b = hex(LINUX_SYN);
  store<u8>(b.dataStart + 34 + 14, 0);
  eq("tcp: bad checksum", checkTcp(b.dataStart + 14, b.dataStart + 34, 40), Drop.BadChecksum);
  eq("tcp: short", checkTcp(b.dataStart + 14, b.dataStart + 34, 19), Drop.Truncated);
}

/** RFC 1071 the slow way, as a big-endian value. */
function referenceChecksum(p: usize, n: u32): u32 {
  let sum: u32 = 0;
  for (let i: u32 = 0; i + 1 < n; i += 2) sum += (<u32>load<u8>(p + i) << 8) | load<u8>(p + i + 1);
  if (n & 1) sum += <u32>load<u8>(p + n - 1) << 8;
  while (sum >> 16) sum = (sum & 0xffff) + (sum >> 16);
  return ~sum & 0xffff;
}

function testChecksum(): void {
  const buf = new Uint8Array(2100);
  let x: u32 = 12345;
  for (let i = 0; i < buf.length; i++) {
    x = x * 1103515245 + 12345;
    buf[i] = <u8>(x >> 16);
  }
  for (let start = 0; start < 9; start++) {
    for (let n: u32 = 0; n < 2000; n += n < 80 ? 1 : 97) {
      const p = buf.dataStart + <usize>start;
      if (internetChecksum(p, n) != referenceChecksum(p, n)) {
        fail("checksum of " + n.toString() + " bytes at offset " + start.toString());
        return;
      }
    }
  }
  // Regions summed one after another, as pseudo-header, header and payload are.
  const p = buf.dataStart;
  const whole = checksumFinish(checksumAdd(0, p, 1001));
  const parts = checksumFinish(checksumAdd(checksumAdd(checksumAdd(0, p, 12), p + 12, 20), p + 32, 969));
  eq("checksum in parts", parts, whole);
  // All ones sums to zero, not 0xffff.
  memory.fill(p, 0xff, 64);
  eq("checksum of ones", internetChecksum(p, 64), 0);
}

function testSiphash(): void {
  // The reference vector: key 00..0f, message 00..0f (SipHash paper, appendix A).
  const key = new SipKey(0x0706050403020100, 0x0f0e0d0c0b0a0908);
  eq("siphash vector", siphash128(key, 0x0706050403020100, 0x0f0e0d0c0b0a0908), 0x3f2acc7f57c29bdb);
}

function testByteRing(): void {
  // Bytes numbered in order of writing come out in that order, across every wrap.
  const ring = new ByteRing(100);
  const src = new Uint8Array(256 + 60);
  for (let i = 0; i < src.length; i++) src[i] = <u8>i;
  const dst = new Uint8Array(60);
  let written = 0;
  let read = 0;
  for (let round = 0; round < 500; round++) {
    written += <i32>ring.write(src.dataStart + <usize>(written & 0xff), <u32>(round * 7 % 60));
    const r = ring.read(dst.dataStart, <u32>(round * 11 % 50));
    for (let i: u32 = 0; i < r; i++) {
      if (dst[i] != <u8>(read + <i32>i)) {
        fail("byte ring: byte " + (read + <i32>i).toString() + " out of order");
        return;
      }
    }
    read += <i32>r;
    if (ring.length != <u32>(written - read)) fail("byte ring: length after " + round.toString() + " rounds");
  }
  if (read < 5000) fail("byte ring: too little went through");
  // Writing ahead and committing: out-of-order data then the gap.
  const r2 = new ByteRing(16);
  r2.write(src.dataStart, 10);
  r2.consume(10); // start is now 10: later writes wrap
  r2.writeAhead(4, src.dataStart + 104, 4); // bytes 4..7 first
  r2.writeAhead(0, src.dataStart + 100, 4);
  r2.commit(8);
  r2.read(dst.dataStart, 8);
  for (let i = 0; i < 8; i++) eq("byte ring: ahead " + i.toString(), dst[i], 100 + i);
  eq("byte ring: contiguous after wrap", r2.contiguousLength, 0);
}

function testAssembler(): void {
  const a = new Assembler(3);
  if (!a.add(10, 5) || !a.add(20, 5) || !a.add(30, 5)) fail("assembler: three ranges");
  if (a.add(40, 5)) fail("assembler: a fourth range is refused");
  if (!a.add(15, 5)) fail("assembler: a range that joins two");
  eq("assembler: joined", a.count, 2);
  eq("assembler: joined range", <u64>a.start(0) << 32 | a.end(0), <u64>10 << 32 | 25);
  eq("assembler: latest", a.latest, 0);
  eq("assembler: advance short of the first", a.advance(5), 5);
  eq("assembler: moved down", a.start(0), 5);
  eq("assembler: advance into both", a.advance(26), 30);
  eq("assembler: empty", a.count, 0);
}

function testDatagramRing(): void {
  const q = new DatagramRing(100, 4);
  const d = new Uint8Array(60);
  if (!q.push(d.dataStart, 60, 1, 2)) fail("datagram ring: first");
  if (q.push(d.dataStart, 50, 1, 2)) fail("datagram ring: no room for the second");
  if (!q.push(d.dataStart, 40, 3, 4)) fail("datagram ring: a smaller one fits");
  eq("datagram ring: front", q.frontLength, 60);
  q.pop();
  if (!q.push(d.dataStart, 50, 5, 6)) fail("datagram ring: wraps to the front");
  eq("datagram ring: next", q.frontLength, 40);
  q.pop();
  eq("datagram ring: wrapped", q.frontLength, 50);
  eq("datagram ring: address", q.frontAddress, 5);
  q.pop();
  if (!q.isEmpty) fail("datagram ring: empty");
}

function testTable(): void {
  const t = new ConnectionTable(64, new SipKey(1, 2));
  // Insert, delete every third, check all: backward-shift deletion keeps runs findable.
  for (let i = 0; i < 100; i++) t.set(<u64>i * 7919, i);
  for (let i = 0; i < 100; i += 3) t.delete(<u64>i * 7919);
  for (let i = 0; i < 100; i++) eq("table: key " + i.toString(), t.get(<u64>i * 7919), i % 3 == 0 ? NOT_FOUND : i);
  eq("table: count", t.count, 66);
  for (let round = 0; round < 10000; round++) {
    const k = <u64>round * 104729;
    t.set(k, round);
    t.delete(k);
  }
  eq("table: churn leaves it as it was", t.count, 66);
}

function testNeighbors(): void {
  const n = new NeighborCache(2, 1000);
  eq("neighbor: unknown asks", n.lookup(10, 1), Lookup.Request);
  eq("neighbor: then waits", n.lookup(20, 1), Lookup.Wait);
  n.fill(30, 1, MAC_A);
  eq("neighbor: found", n.lookup(40, 1), Lookup.Found);
  eq("neighbor: its mac", n.mac, MAC_A);
  eq("neighbor: expires", n.lookup(1100, 1), Lookup.Request);
  n.fill(2000, 1, MAC_A);
  n.fill(2001, 2, MAC_B);
  n.fill(2002, 3, MAC_B); // replaces the oldest (1)
  eq("neighbor: replaced", n.has(2003, 1) ? 1 : 0, 0);
  eq("neighbor: kept", n.has(2003, 2) ? 1 : 0, 1);
}

export function solo5_app_main(_si: usize): i32 {
  testEthernetArp();
  testIpv4();
  testUdp();
  testIcmp();
  testTcp();
  testChecksum();
  testSiphash();
  testByteRing();
  testAssembler();
  testDatagramRing();
  testTable();
  testNeighbors();
  return finish();
}
