// ping: the other end of ping-serve. Finds TARGET's MAC with ARP, then sends ICMP
// echo requests and prints each reply with its round-trip time, as ping(8) does.
//
//   ping [SELF] [TARGET] [COUNT] [INTERVAL_MS]     (default 10.0.0.1 10.0.0.2 5 1000)
//
// COUNT 0 pings until stopped; an ARP request left unanswered counts as a lost ping. It answers ARP for SELF, so a host on a TAP can ping
// back. Ends with ping's statistics line, then SUCCESS (status 0) when every request
// got its reply, FAILURE (status 1) otherwise.
import { cmdline, monotonic, Net, NSEC_PER_MSEC, NSEC_PER_SEC, puts, SOLO5_R_OK, waitFor } from "../../assembly";
import { ETHERTYPE_ARP, ETHERTYPE_IPV4, formatIPv4, getBe16, getBe32, inetChecksum, parseIPv4, setBe16, setBe32, toHex } from "../../assembly/inet";

const ICMP_ID: u32 = 0x5335; // "S5": replies with another id are someone else's
const PAYLOAD: i32 = 56; // ping(8)'s default: 64 bytes of ICMP
const ECHO_FRAME: i32 = 14 + 20 + 8 + PAYLOAD;
/** How long the last request may wait for its reply. */
const LAST_REPLY_WAIT: u64 = NSEC_PER_SEC;

let self: u32 = 0;
let target: u32 = 0;
let net!: Net;
let frame!: Uint8Array;
const targetMac = new Uint8Array(6);
let resolved = false;
let received: u32 = 0;

/** An ARP packet in `f` (42 bytes): `op` 1 asks who has `to`, 2 tells `toMac` we are `self`. */
function arp(f: Uint8Array, op: u32, toMac: Uint8Array | null, to: u32): void {
  const p = f.dataStart;
  if (toMac === null) memory.fill(p, 0xff, 6);
  else memory.copy(p, toMac.dataStart, 6);
  memory.copy(p + 6, net.mac.dataStart, 6);
  setBe16(p + 12, ETHERTYPE_ARP);
  setBe16(p + 14, 1); // Ethernet
  setBe16(p + 16, ETHERTYPE_IPV4);
  store<u8>(p + 18, 6);
  store<u8>(p + 19, 4);
  setBe16(p + 20, op);
  memory.copy(p + 22, net.mac.dataStart, 6);
  setBe32(p + 28, self);
  if (toMac === null) memory.fill(p + 32, 0, 6);
  else memory.copy(p + 32, toMac.dataStart, 6);
  setBe32(p + 38, to);
}

/** An echo request to `target`, carrying its send time in its payload. */
function echo(seq: u32): Uint8Array {
  const f = new Uint8Array(ECHO_FRAME);
  const p = f.dataStart;
  memory.copy(p, targetMac.dataStart, 6);
  memory.copy(p + 6, net.mac.dataStart, 6);
  setBe16(p + 12, ETHERTYPE_IPV4);
  const ip = p + 14;
  store<u8>(ip, 0x45); // IPv4, 20-byte header
  setBe16(ip + 2, 20 + 8 + PAYLOAD);
  store<u8>(ip, 64, 8); // TTL
  store<u8>(ip, 1, 9); // ICMP
  setBe32(ip + 12, self);
  setBe32(ip + 16, target);
  setBe16(ip + 10, inetChecksum(ip, 20));
  const icmp = ip + 20;
  store<u8>(icmp, 8); // echo request
  setBe16(icmp + 4, ICMP_ID);
  setBe16(icmp + 6, seq);
  store<u64>(icmp + 8, monotonic());
  setBe16(icmp + 2, inetChecksum(icmp, 8 + PAYLOAD));
  return f;
}

/** "0.312": nanoseconds as milliseconds with three decimals. */
function millis(ns: u64): string {
  const us = ns / 1000;
  const frac = (us % 1000).toString();
  return (us / 1000).toString() + "." + "000".slice(frac.length) + frac;
}

/** Handles one frame: ARP for us or from the target, or an echo reply to us. */
function handle(n: i32): void {
  const p = frame.dataStart;
  if (n < 42) return;
  const type = getBe16(p + 12);
  if (type == ETHERTYPE_ARP && getBe32(p + 38) == self) {
    const op = getBe16(p + 20);
    const sender = getBe32(p + 28);
    if (op == 2 && sender == target && !resolved) {
      memory.copy(targetMac.dataStart, p + 22, 6);
      resolved = true;
      puts("ARP: " + formatIPv4(target) + " is at " + toHex(targetMac, ":") + "\n");
    } else if (op == 1) {
      const asker = new Uint8Array(6);
      memory.copy(asker.dataStart, p + 22, 6);
      const reply = new Uint8Array(42);
      arp(reply, 2, asker, sender);
      net.write(reply);
    }
    return;
  }
  const ip = p + 14;
  if (type != ETHERTYPE_IPV4 || n < ECHO_FRAME || load<u8>(ip, 9) != 1 || getBe32(ip + 16) != self) return;
  const icmp = ip + 20;
  if (load<u8>(icmp) != 0 || getBe16(icmp + 4) != ICMP_ID) return;
  received++;
  const rtt = monotonic() - load<u64>(icmp + 8);
  puts((8 + PAYLOAD).toString() + " bytes from " + formatIPv4(getBe32(ip + 12)) + ": icmp_seq=" + getBe16(icmp + 6).toString() +
    " ttl=" + load<u8>(ip, 8).toString() + " time=" + millis(rtt) + " ms\n");
}

/** Reads every frame that comes until `deadline` (or until ARP resolved the target, if asked). */
function serveUntil(deadline: u64, untilResolved: bool = false): void {
  while (monotonic() < deadline && !(untilResolved && resolved)) {
    if (!net.readyIn(waitFor([net], deadline))) continue;
    for (let n = net.read(frame); n >= 0; n = net.read(frame)) handle(n);
  }
}

function usage(): i32 {
  puts("Usage: ping [SELF] [TARGET] [COUNT] [INTERVAL_MS]\n");
  return 1;
}

export function solo5_app_main(_si: usize): i32 {
  const words = cmdline().split(" ").filter((w: string) => w != "");
  const a = parseIPv4(words.length > 0 ? words[0] : "10.0.0.1");
  const b = parseIPv4(words.length > 1 ? words[1] : "10.0.0.2");
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
  frame = net.frameBuffer();
  const every = <u64>interval * NSEC_PER_MSEC;

  puts("PING " + formatIPv4(target) + " from " + formatIPv4(self) + ": " + PAYLOAD.toString() + " data bytes\n");
  const ask = new Uint8Array(42);
  arp(ask, 1, null, target);
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
  puts("--- " + formatIPv4(target) + " ping statistics ---\n");
  puts(sent.toString() + " packets transmitted, " + received.toString() + " received, " + loss.toString() + "% packet loss\n");
  puts(received == sent ? "SUCCESS\n" : "FAILURE\n");
  return received == sent ? 0 : 1;
}
