// The other end of ping-serve: finds PEER's MAC with ARP, then sends COUNT ICMP echo
// requests, keeping WINDOW of them in flight, and checks every reply to the byte
// (addresses, both checksums, payload, no duplicates). A second without replies
// resends what is unanswered (a loaded host may drop a datagram), ten end it.
// SUCCESS when all came back; the last line gives the rate and the mean round trip,
// for benchmarks.
//
//   net-pinger ADDRESS/PREFIX PEER COUNT [WINDOW]
import {
  cmdline,
  ETHERTYPE_ARP,
  ETHERTYPE_IPV4,
  getBe16,
  getBe32,
  inetChecksum,
  monotonic,
  Net,
  NSEC_PER_MSEC,
  NSEC_PER_SEC,
  parseIPv4,
  puts,
  setBe16,
  setBe32,
  SOLO5_R_OK,
  waitFor,
} from "../../../assembly";

const ID: u32 = 0x5157;
const PAYLOAD: i32 = 56;
const ECHO_LENGTH: i32 = 14 + 20 + 8 + PAYLOAD;
const ARP_TRIES = 100;
const STALLS = 10;

let net!: Net;
let frame!: Uint8Array;
let self: u32 = 0;
let peer: u32 = 0;
const peerMac = new Uint8Array(6);

function fail(why: string): i32 {
  puts("net-pinger: " + why + "\nFAILURE\n");
  return 1;
}

function sendArpRequest(): void {
  const f = new Uint8Array(42);
  const p = f.dataStart;
  memory.fill(p, 0xff, 6);
  memory.copy(p + 6, net.mac.dataStart, 6);
  setBe16(p + 12, ETHERTYPE_ARP);
  setBe16(p + 14, 1);
  setBe16(p + 16, ETHERTYPE_IPV4);
  store<u8>(p + 18, 6);
  store<u8>(p + 19, 4);
  setBe16(p + 20, 1);
  memory.copy(p + 22, net.mac.dataStart, 6);
  setBe32(p + 28, self);
  setBe32(p + 38, peer);
  net.write(f);
}

/** Asks for PEER's MAC every 100 ms until it answers (it may start after us). */
function resolvePeer(): bool {
  const p = frame.dataStart;
  for (let i = 0; i < ARP_TRIES; i++) {
    sendArpRequest();
    const until = monotonic() + 100 * NSEC_PER_MSEC;
    while (waitFor([net], until) != 0) {
      const n = net.read(frame);
      if (n >= 42 && getBe16(p + 12) == ETHERTYPE_ARP && getBe16(p + 20) == 2 && getBe32(p + 28) == peer && getBe32(p + 38) == self) {
        memory.copy(peerMac.dataStart, p + 22, 6);
        return true;
      }
    }
  }
  return false;
}

function sendEcho(seq: u32, buf: Uint8Array): void {
  const p = buf.dataStart;
  memory.copy(p, peerMac.dataStart, 6);
  memory.copy(p + 6, net.mac.dataStart, 6);
  setBe16(p + 12, ETHERTYPE_IPV4);
  const ip = p + 14;
  store<u8>(ip, 0x45);
  store<u8>(ip, 0, 1);
  setBe16(ip + 2, 20 + 8 + PAYLOAD);
  setBe32(ip + 4, 0);
  store<u8>(ip, 64, 8); // TTL
  store<u8>(ip, 1, 9); // ICMP
  setBe16(ip + 10, 0);
  setBe32(ip + 12, self);
  setBe32(ip + 16, peer);
  setBe16(ip + 10, inetChecksum(ip, 20));
  const icmp = ip + 20;
  store<u8>(icmp, 8);
  store<u8>(icmp, 0, 1);
  setBe16(icmp + 2, 0);
  setBe16(icmp + 4, ID);
  setBe16(icmp + 6, seq & 0xffff);
  for (let i = 0; i < PAYLOAD; i++) store<u8>(icmp + 8 + i, <u8>(seq + i));
  setBe16(icmp + 2, inetChecksum(icmp, 8 + PAYLOAD));
  if (net.write(buf, ECHO_LENGTH) != SOLO5_R_OK) puts("net-pinger: write failed\n");
}

/** The sequence number of a correct echo reply from PEER in `frame`, or -1 (and why) if it is not one. */
function checkReply(n: i32): i32 {
  const p = frame.dataStart;
  if (n < ECHO_LENGTH || getBe16(p + 12) != ETHERTYPE_IPV4) return -1;
  const ip = p + 14;
  const icmp = ip + 20;
  if (getBe32(ip + 12) != peer || getBe32(ip + 16) != self || load<u8>(ip, 9) != 1 || load<u8>(icmp) != 0) return -1;
  if (memory.compare(p, net.mac.dataStart, 6) != 0 || memory.compare(p + 6, peerMac.dataStart, 6) != 0) return -2;
  if (inetChecksum(ip, 20) != 0 || inetChecksum(icmp, 8 + PAYLOAD) != 0) return -3;
  const seq = getBe16(icmp + 6);
  if (getBe16(icmp + 4) != ID) return -4;
  for (let i = 0; i < PAYLOAD; i++) if (load<u8>(icmp + 8 + i) != <u8>(seq + i)) return -5;
  return <i32>seq;
}

export function solo5_app_main(_si: usize): i32 {
  const words = cmdline().split(" ");
  if (words.length < 3 || words.length > 4) return fail("usage: net-pinger ADDRESS/PREFIX PEER COUNT [WINDOW]");
  const slash = words[0].indexOf("/");
  const ownAddress = parseIPv4(slash < 0 ? words[0] : words[0].slice(0, slash));
  const peerAddress = parseIPv4(words[1]);
  const count = I32.parseInt(words[2], 10);
  const window = words.length > 3 ? I32.parseInt(words[3], 10) : 1;
  if (ownAddress < 0 || peerAddress < 0 || count < 1 || count > 65536 || window < 1) return fail("bad command line");
  self = <u32>ownAddress;
  peer = <u32>peerAddress;
  const acquired = Net.acquire("service0");
  if (acquired === null) return fail("could not acquire service0");
  net = acquired;
  frame = net.frameBuffer();
  if (!resolvePeer()) return fail("no ARP reply from " + words[1]);

  const out = net.frameBuffer();
  const sentAt = new StaticArray<u64>(count);
  const got = new StaticArray<bool>(count);
  let sent = 0;
  let received = 0;
  let rttSum: u64 = 0;
  let stalls = 0;
  let resent = 0;
  const start = monotonic();
  while (sent < window && sent < count) {
    sentAt[sent] = monotonic();
    sendEcho(sent++, out);
  }
  while (received < count) {
    if (waitFor([net], monotonic() + NSEC_PER_SEC) == 0) {
      if (++stalls == STALLS) return fail("timeout: " + (sent - received).toString() + " replies missing");
      for (let s = 0; s < sent; s++) {
        if (got[s]) continue;
        sendEcho(s, out);
        resent++;
      }
      continue;
    }
    const n = net.read(frame);
    if (n < 0) return fail("yield said ready, net_read said " + (-n).toString());
    const seq = checkReply(n);
    if (seq == -1) continue; // not an echo reply for us: ARP chatter and such
    if (seq < -1) return fail("bad echo reply (check " + (-seq).toString() + ")");
    if (seq >= sent) return fail("reply to a request never sent: " + seq.toString());
    if (got[seq]) {
      if (resent == 0) return fail("duplicate reply " + seq.toString());
      continue; // the late answer to a request sent again
    }
    got[seq] = true;
    stalls = 0;
    received++;
    rttSum += monotonic() - sentAt[seq];
    if (sent < count) {
      sentAt[sent] = monotonic();
      sendEcho(sent++, out);
    }
  }
  const elapsed = monotonic() - start;
  const rate = <u64>count * NSEC_PER_SEC / elapsed;
  puts("net-pinger: " + count.toString() + " replies in " + (elapsed / 1000).toString() + " us, " + rate.toString() +
    " replies/s, rtt avg " + (rttSum / <u64>count).toString() + " ns, resent " + resent.toString() + "\n");
  puts("SUCCESS\n");
  return 0;
}
