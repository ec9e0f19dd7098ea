// ping: the other end of ping-serve. Finds TARGET's MAC with ARP, then sends ICMP
// echo requests and prints each reply with its round-trip time, as ping(8) does.
//
//   ping [SELF] [TARGET] [COUNT] [INTERVAL_MS]     (default 10.0.0.1 10.0.0.2 5 1000)
//
// COUNT 0 pings until stopped; an ARP request left unanswered counts as a lost ping. It answers ARP for SELF, so a host on a TAP can ping
// back. Ends with ping's statistics line, then SUCCESS (status 0) when every request
// got its reply, FAILURE (status 1) otherwise.
import { cmdline, monotonic, Net, NSEC_PER_MSEC, NSEC_PER_SEC, puts, SOLO5_R_OK, waitFor } from "../../assembly";
import {
  ARP_LEN, ARP_REPLY, ARP_REQUEST, arpOperation, arpSenderIp, arpSenderMac, arpTargetIp, checkArp, checkIcmp, checkIpv4,
  emitArp, emitEthernet, emitIcmp, emitIpv4, ETHERNET_HEADER_LEN, ETHERTYPE_ARP, ETHERTYPE_IPV4, ethType, formatIpv4,
  formatMac, ICMP_ECHO_REPLY, ICMP_ECHO_REQUEST, ICMP_HEADER_LEN, icmpEchoIdent, icmpEchoSeq, icmpType, IPV4_HEADER_LEN,
  ipv4Dst, ipv4HeaderLen, ipv4Protocol, ipv4Src, ipv4TotalLen, ipv4Ttl, loadMac, MAC_BROADCAST, parseIpv4, PROTOCOL_ICMP, setIcmpEcho,
} from "../../assembly/tcpip/wire";

const ICMP_ID: u32 = 0x5335; // "S5": replies with another id are someone else's
const PAYLOAD: u32 = 56; // ping(8)'s default: 64 bytes of ICMP
const ECHO_FRAME: u32 = ETHERNET_HEADER_LEN + IPV4_HEADER_LEN + ICMP_HEADER_LEN + PAYLOAD;
const ARP_FRAME: u32 = ETHERNET_HEADER_LEN + ARP_LEN;
/** How long the last request may wait for its reply. */
const LAST_REPLY_WAIT: u64 = NSEC_PER_SEC;

let self: u32 = 0;
let target: u32 = 0;
let net!: Net;
let ownMac: u64 = 0;
let frame!: Uint8Array;
let targetMac: u64 = 0;
let resolved = false;
let received: u32 = 0;

/** An ARP packet in `f`: `op` ARP_REQUEST asks who has `to`, ARP_REPLY tells `toMac` we are `self`. */
function arp(f: Uint8Array, op: u32, toMac: u64, to: u32): void {
  const p = f.dataStart;
  emitEthernet(p, op == ARP_REQUEST ? MAC_BROADCAST : toMac, ownMac, ETHERTYPE_ARP);
  emitArp(p + ETHERNET_HEADER_LEN, op, ownMac, self, op == ARP_REQUEST ? 0 : toMac, to);
}

/** An echo request to `target`, carrying its send time in its payload. */
function echo(seq: u32): Uint8Array {
  const f = new Uint8Array(ECHO_FRAME);
  const p = f.dataStart;
  emitEthernet(p, targetMac, ownMac, ETHERTYPE_IPV4);
  const ip = p + ETHERNET_HEADER_LEN;
  emitIpv4(ip, self, target, PROTOCOL_ICMP, ICMP_HEADER_LEN + PAYLOAD, seq);
  const icmp = ip + IPV4_HEADER_LEN;
  setIcmpEcho(icmp, ICMP_ID, seq);
  store<u64>(icmp + ICMP_HEADER_LEN, monotonic());
  emitIcmp(icmp, ICMP_HEADER_LEN + PAYLOAD, ICMP_ECHO_REQUEST, 0);
  return f;
}

/** "0.312": nanoseconds as milliseconds with three decimals. */
function millis(ns: u64): string {
  const us = ns / 1000;
  const frac = (us % 1000).toString();
  return (us / 1000).toString() + "." + "000".slice(frac.length) + frac;
}

/** Handles one frame: ARP for us or from the target, or an echo reply to us. */
function handle(n: u32): void {
  const p = frame.dataStart;
  if (n < ETHERNET_HEADER_LEN) return;
  const type = ethType(p);
  if (type == ETHERTYPE_ARP) {
    const a = p + ETHERNET_HEADER_LEN;
    if (checkArp(a, n - ETHERNET_HEADER_LEN) || arpTargetIp(a) != self) return;
    const sender = arpSenderIp(a);
    if (arpOperation(a) == ARP_REPLY && sender == target && !resolved) {
      targetMac = arpSenderMac(a);
      resolved = true;
      puts("ARP: " + formatIpv4(target) + " is at " + formatMac(targetMac) + "\n");
    } else if (arpOperation(a) == ARP_REQUEST) {
      const reply = new Uint8Array(ARP_FRAME);
      arp(reply, ARP_REPLY, arpSenderMac(a), sender);
      net.write(reply);
    }
    return;
  }
  const ip = p + ETHERNET_HEADER_LEN;
  if (type != ETHERTYPE_IPV4 || checkIpv4(ip, n - ETHERNET_HEADER_LEN) || ipv4Protocol(ip) != PROTOCOL_ICMP || ipv4Dst(ip) != self) return;
  const icmp = ip + ipv4HeaderLen(ip);
  const length = ipv4TotalLen(ip) - ipv4HeaderLen(ip);
  if (length < ICMP_HEADER_LEN + 8 || checkIcmp(icmp, length)) return; // (8: the send time)
  if (icmpType(icmp) != ICMP_ECHO_REPLY || icmpEchoIdent(icmp) != ICMP_ID) return;
  received++;
  const rtt = monotonic() - load<u64>(icmp + ICMP_HEADER_LEN);
  puts((ICMP_HEADER_LEN + PAYLOAD).toString() + " bytes from " + formatIpv4(ipv4Src(ip)) + ": icmp_seq=" + icmpEchoSeq(icmp).toString() +
    " ttl=" + ipv4Ttl(ip).toString() + " time=" + millis(rtt) + " ms\n");
}

/** Reads every frame that comes until `deadline` (or until ARP resolved the target, if asked). */
function serveUntil(deadline: u64, untilResolved: bool = false): void {
  while (monotonic() < deadline && !(untilResolved && resolved)) {
    if (!net.readyIn(waitFor([net], deadline))) continue;
    for (let n = net.read(frame); n >= 0; n = net.read(frame)) handle(<u32>n);
  }
}

function usage(): i32 {
  puts("Usage: ping [SELF] [TARGET] [COUNT] [INTERVAL_MS]\n");
  return 1;
}

export function solo5_app_main(_si: usize): i32 {
  const words = cmdline().split(" ").filter((w: string) => w != "");
  const a = parseIpv4(words.length > 0 ? words[0] : "10.0.0.1");
  const b = parseIpv4(words.length > 1 ? words[1] : "10.0.0.2");
  const count = words.length > 2 ? I32.parseInt(words[2], 10) : 5;
  const interval = words.length > 3 ? I32.parseInt(words[3], 10) : 1000;
  if (a < 0 || b < 0 || count < 0 || interval <= 0 || words.length > 4) return usage();
  self = <u32>a;
  target = <u32>b;
  const acquired = Net.acquire("service0");
  if (acquired === null) {
    puts("Could not acquire 'service0' network\nFAILURE\n");
    return 1;
  }
  net = acquired;
  ownMac = loadMac(net.mac.dataStart);
  frame = net.frameBuffer();
  const every = <u64>interval * NSEC_PER_MSEC;

  puts("PING " + formatIpv4(target) + " from " + formatIpv4(self) + ": " + PAYLOAD.toString() + " data bytes\n");
  const ask = new Uint8Array(ARP_FRAME);
  arp(ask, ARP_REQUEST, 0, target);
  // Each unanswered ARP request counts as a lost ping, so a silent target ends the run.
  let sent: u32 = 0;
  while (!resolved && (count == 0 || sent < <u32>count)) {
    net.write(ask);
    serveUntil(monotonic() + every, true);
    if (!resolved) sent++;
  }
  for (; count == 0 || sent < <u32>count; sent++) {
    if (net.write(echo(sent + 1)) != SOLO5_R_OK) puts("Write error\n");
    serveUntil(monotonic() + (sent + 1 == <u32>count ? LAST_REPLY_WAIT : every));
  }
  const loss = sent == 0 ? 0 : ((sent - received) * 100) / sent;
  puts("--- " + formatIpv4(target) + " ping statistics ---\n");
  puts(sent.toString() + " packets transmitted, " + received.toString() + " received, " + loss.toString() + "% packet loss\n");
  puts(received == sent ? "SUCCESS\n" : "FAILURE\n");
  return received == sent ? 0 : 1;
}
