// The other end of ping-serve: finds PEER's MAC with ARP, then sends COUNT ICMP echo
// requests, keeping WINDOW of them in flight, and checks every reply to the byte
// (addresses, both checksums, payload, no duplicates). A second without replies
// resends what is unanswered (a loaded host may drop a datagram), ten end it.
// SUCCESS when all came back; the last line gives the rate and the mean round trip,
// for benchmarks.
//
//   net-pinger ADDRESS/PREFIX PEER COUNT [WINDOW]
import { cmdline, monotonic, Net, NSEC_PER_MSEC, NSEC_PER_SEC, puts, SOLO5_R_OK, waitFor } from "../../../assembly";
import {
  ARP_LEN, ARP_REPLY, ARP_REQUEST, arpOperation, arpSenderIp, arpSenderMac, arpTargetIp, checkArp, checkIcmp, checkIpv4,
  emitArp, emitEthernet, emitIcmp, emitIpv4, ethDst, ethSrc, ethType, ETHERNET_HEADER_LEN, ETHERTYPE_ARP, ETHERTYPE_IPV4,
  ICMP_ECHO_REPLY, ICMP_ECHO_REQUEST, ICMP_HEADER_LEN, icmpEchoIdent, icmpEchoSeq, icmpType, IPV4_HEADER_LEN, ipv4Dst,
  ipv4Protocol, ipv4Src, loadMac, MAC_BROADCAST, parseIpv4, PROTOCOL_ICMP, setIcmpEcho,
} from "../../../assembly/tcpip/wire";

const ID: u32 = 0x5157;
const PAYLOAD: u32 = 56;
const ECHO_LENGTH: u32 = ETHERNET_HEADER_LEN + IPV4_HEADER_LEN + ICMP_HEADER_LEN + PAYLOAD;
const ARP_TRIES = 100;
const STALLS = 10;

let net!: Net;
let frame!: Uint8Array;
let self: u32 = 0;
let peer: u32 = 0;
let ownMac: u64 = 0;
let peerMac: u64 = 0;

function fail(why: string): i32 {
  puts("net-pinger: " + why + "\nFAILURE\n");
  return 1;
}

function sendArpRequest(): void {
  const f = new Uint8Array(ETHERNET_HEADER_LEN + ARP_LEN);
  emitEthernet(f.dataStart, MAC_BROADCAST, ownMac, ETHERTYPE_ARP);
  emitArp(f.dataStart + ETHERNET_HEADER_LEN, ARP_REQUEST, ownMac, self, 0, peer);
  net.write(f);
}

/** Asks for PEER's MAC every 100 ms until it answers (it may start after us). */
function resolvePeer(): bool {
  const a = frame.dataStart + ETHERNET_HEADER_LEN;
  for (let i = 0; i < ARP_TRIES; i++) {
    sendArpRequest();
    const until = monotonic() + 100 * NSEC_PER_MSEC;
    while (waitFor([net], until) != 0) {
      const n = net.read(frame);
      if (n >= <i32>(ETHERNET_HEADER_LEN + ARP_LEN) && ethType(frame.dataStart) == ETHERTYPE_ARP && checkArp(a, <u32>n - ETHERNET_HEADER_LEN) == 0 &&
        arpOperation(a) == ARP_REPLY && arpSenderIp(a) == peer && arpTargetIp(a) == self) {
        peerMac = arpSenderMac(a);
        return true;
      }
    }
  }
  return false;
}

function sendEcho(seq: u32, buf: Uint8Array): void {
  const p = buf.dataStart;
  emitEthernet(p, peerMac, ownMac, ETHERTYPE_IPV4);
  const ip = p + ETHERNET_HEADER_LEN;
  emitIpv4(ip, self, peer, PROTOCOL_ICMP, ICMP_HEADER_LEN + PAYLOAD, 0);
  const icmp = ip + IPV4_HEADER_LEN;
  setIcmpEcho(icmp, ID, seq & 0xffff);
  for (let i: u32 = 0; i < PAYLOAD; i++) store<u8>(icmp + ICMP_HEADER_LEN + i, <u8>(seq + i));
  emitIcmp(icmp, ICMP_HEADER_LEN + PAYLOAD, ICMP_ECHO_REQUEST, 0);
  if (net.write(buf, ECHO_LENGTH) != SOLO5_R_OK) puts("net-pinger: write failed\n");
}

/** The sequence number of a correct echo reply from PEER in `frame`, or -1 (and why) if it is not one. */
function checkReply(n: i32): i32 {
  const p = frame.dataStart;
  if (n < <i32>ECHO_LENGTH || ethType(p) != ETHERTYPE_IPV4) return -1;
  const ip = p + ETHERNET_HEADER_LEN;
  const icmp = ip + IPV4_HEADER_LEN;
  if (ipv4Src(ip) != peer || ipv4Dst(ip) != self || ipv4Protocol(ip) != PROTOCOL_ICMP || icmpType(icmp) != ICMP_ECHO_REPLY) return -1;
  if (ethDst(p) != ownMac || ethSrc(p) != peerMac) return -2;
  if (checkIpv4(ip, <u32>n - ETHERNET_HEADER_LEN) || checkIcmp(icmp, ICMP_HEADER_LEN + PAYLOAD)) return -3;
  const seq = icmpEchoSeq(icmp);
  if (icmpEchoIdent(icmp) != ID) return -4;
  for (let i: u32 = 0; i < PAYLOAD; i++) if (load<u8>(icmp + ICMP_HEADER_LEN + i) != <u8>(seq + i)) return -5;
  return <i32>seq;
}

export function solo5_app_main(_si: usize): i32 {
  const words = cmdline().split(" ");
  if (words.length < 3 || words.length > 4) return fail("usage: net-pinger ADDRESS/PREFIX PEER COUNT [WINDOW]");
  const slash = words[0].indexOf("/");
  const ownAddress = parseIpv4(slash < 0 ? words[0] : words[0].slice(0, slash));
  const peerAddress = parseIpv4(words[1]);
  const count = I32.parseInt(words[2], 10);
  const window = words.length > 3 ? I32.parseInt(words[3], 10) : 1;
  if (ownAddress < 0 || peerAddress < 0 || count < 1 || count > 65536 || window < 1) return fail("bad command line");
  self = <u32>ownAddress;
  peer = <u32>peerAddress;
  const acquired = Net.acquire("service0");
  if (acquired === null) return fail("could not acquire service0");
  net = acquired;
  ownMac = loadMac(net.mac.dataStart);
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
