// Solo5's test_net (and test_net_2if), ported: answers ARP requests and ICMP echo
// requests for its IPv4 address on each network device, and nothing else.
//
//   ping-serve [verbose] [limit] [ADDRESS[/PREFIX] [ADDRESS[/PREFIX]]]
//
// service0 gets the first address (default 10.0.0.2/24). Built with a manifest that
// also declares service1, it serves that too, on the second (default 10.1.0.2/24,
// Solo5's convention). `limit` ends with SUCCESS after 100000 replies in all.
// Like Solo5's test it reads a device only when yield says it has a frame, so a read
// that finds none (AGAIN) is a failure of the platform.
import { cmdline, monotonic, Net, NSEC_PER_SEC, puts, SOLO5_R_OK, waitFor } from "../../assembly";
import {
  ARP_LEN, ARP_REPLY, ARP_REQUEST, arpOperation, arpSenderIp, arpSenderMac, arpTargetIp, checkArp, checkIcmp, checkIpv4,
  emitArp, emitEthernet, emitIcmp, emitIpv4, ethDst, ethSrc, ethType, ETHERNET_HEADER_LEN, ETHERTYPE_ARP, ETHERTYPE_IPV4,
  formatIpv4, formatMac, ICMP_ECHO_REPLY, ICMP_ECHO_REQUEST, icmpCode, icmpType, IPV4_BROADCAST, IPV4_HEADER_LEN, ipv4Dst,
  ipv4HeaderLen, ipv4Protocol, ipv4Src, ipv4TotalLen, loadMac, MAC_BROADCAST, parseIpv4, prefixMask, PROTOCOL_ICMP,
} from "../../assembly/tcpip/wire";

const LIMIT = 100000;
const DEFAULT_ADDRESSES = ["10.0.0.2/24", "10.1.0.2/24"];

class Interface {
  readonly frame: Uint8Array;
  readonly mac: u64;
  constructor(readonly net: Net, readonly ip: u32, readonly broadcast: u32) {
    this.frame = net.frameBuffer();
    this.mac = loadMac(net.mac.dataStart);
  }
  say(s: string): void {
    puts("[" + this.net.name + "] " + s);
  }
}

let verbose = false;
let limit = false;
let replies = 0;

/** The reply to an ARP request for our address, made in place; false if it is not one. */
function answerArp(x: Interface, p: usize, n: u32): bool {
  const arp = p + ETHERNET_HEADER_LEN;
  if (checkArp(arp, n - ETHERNET_HEADER_LEN) || arpOperation(arp) != ARP_REQUEST || arpTargetIp(arp) != x.ip) return false;
  const asker = arpSenderMac(arp);
  emitEthernet(p, asker, x.mac, ETHERTYPE_ARP);
  emitArp(arp, ARP_REPLY, x.mac, x.ip, asker, arpSenderIp(arp));
  return true;
}

/** The reply to an ICMP echo request to us (or a broadcast), made in place: its length, or 0 if it is not one. */
function answerPing(x: Interface, p: usize, n: u32): u32 {
  const ip = p + ETHERNET_HEADER_LEN;
  if (checkIpv4(ip, n - ETHERNET_HEADER_LEN) || ipv4Protocol(ip) != PROTOCOL_ICMP) return 0;
  if (ipv4HeaderLen(ip) != IPV4_HEADER_LEN) return 0; // with options: the reply would not fit in place
  const to = ipv4Dst(ip);
  if (to != x.ip && to != x.broadcast && to != IPV4_BROADCAST) return 0;
  const length = ipv4TotalLen(ip) - IPV4_HEADER_LEN;
  const icmp = ip + IPV4_HEADER_LEN;
  if (checkIcmp(icmp, length) || icmpType(icmp) != ICMP_ECHO_REQUEST || icmpCode(icmp) != 0) return 0;
  emitEthernet(p, ethSrc(p), x.mac, ETHERTYPE_IPV4);
  emitIpv4(ip, x.ip, ipv4Src(ip), PROTOCOL_ICMP, length, 0);
  emitIcmp(icmp, length, ICMP_ECHO_REPLY, 0);
  replies++;
  return ETHERNET_HEADER_LEN + IPV4_HEADER_LEN + length;
}

/** Reads the frame yield announced and answers it; false on a platform failure. */
function serveFrame(x: Interface): bool {
  const n = x.net.read(x.frame);
  if (n < 0) {
    x.say("Read error\n");
    return false;
  }
  const p = x.frame.dataStart;
  if (<u32>n < ETHERNET_HEADER_LEN) return true;
  const to = ethDst(p);
  if (to != x.mac && to != MAC_BROADCAST) return true; // not addressed to us
  const type = ethType(p);
  let reply: u32 = 0;
  if (type == ETHERTYPE_ARP) reply = answerArp(x, p, <u32>n) ? ETHERNET_HEADER_LEN + ARP_LEN : 0;
  else if (type == ETHERTYPE_IPV4) reply = answerPing(x, p, <u32>n);
  if (reply == 0) {
    x.say("Unknown or unsupported packet, dropped\n");
    return true;
  }
  if (verbose) x.say(type == ETHERTYPE_ARP ? "Received arp request, sending reply\n" : "Received ping, sending reply\n");
  if (x.net.write(x.frame, reply) != SOLO5_R_OK) {
    x.say("Write error\n");
    return false;
  }
  return true;
}

/** Announces our address and MAC to the segment. */
function sendGratuitousArp(x: Interface): void {
  const f = new Uint8Array(ETHERNET_HEADER_LEN + ARP_LEN);
  emitEthernet(f.dataStart, MAC_BROADCAST, x.mac, ETHERTYPE_ARP);
  emitArp(f.dataStart + ETHERNET_HEADER_LEN, ARP_REQUEST, x.mac, x.ip, 0, x.ip);
  if (x.net.write(f) != SOLO5_R_OK) x.say("Could not send GARP packet\n");
}

/** "10.0.0.2/24" as [address, broadcast]; an empty array if malformed. */
function parseAddress(text: string): u32[] {
  const slash = text.indexOf("/");
  const ip = parseIpv4(slash < 0 ? text : text.slice(0, slash));
  const prefixText = slash < 0 ? "24" : text.slice(slash + 1);
  const prefix = I32.parseInt(prefixText, 10);
  if (ip < 0 || prefixText.length < 1 || prefixText.length > 2 || prefix < 0 || prefix > 32) return [];
  return [<u32>ip, <u32>ip | ~prefixMask(<u32>prefix)];
}

function usage(): i32 {
  puts("Error in command line.\n");
  puts("Usage: ping-serve [verbose] [limit] [ADDRESS[/PREFIX] [ADDRESS[/PREFIX]]]\n");
  return 1;
}

export function solo5_app_main(_si: usize): i32 {
  puts("\n**** Solo5 standalone test_net ****\n\n");
  const addresses: string[] = [];
  const words = cmdline().split(" ");
  for (let i = 0; i < words.length; i++) {
    const w = words[i];
    if (w == "verbose") verbose = true;
    else if (w == "limit") limit = true;
    else if (w.length > 0) addresses.push(w);
  }
  if (addresses.length > 2) return usage();
  for (let i = addresses.length; i < 2; i++) addresses.push(DEFAULT_ADDRESSES[i]);
  const parsed: u32[][] = [];
  for (let i = 0; i < 2; i++) {
    const address = parseAddress(addresses[i]);
    if (address.length == 0) return usage();
    parsed.push(address);
  }

  const ifs: Interface[] = [];
  const nets: Net[] = [];
  for (let i = 0; i < 2; i++) {
    const name = "service" + i.toString();
    const net = Net.acquire(name);
    if (net === null) {
      if (i > 0) break; // built for one device
      puts("Could not acquire '" + name + "' network\n");
      puts("FAILURE\n");
      return 1;
    }
    const x = new Interface(net, parsed[i][0], parsed[i][1]);
    ifs.push(x);
    nets.push(net);
    x.say("Serving ping on " + formatIpv4(x.ip) + ", with MAC: " + formatMac(x.mac, "") + "\n");
    sendGratuitousArp(x);
  }

  for (;;) {
    const ready = waitFor(nets, monotonic() + NSEC_PER_SEC);
    for (let i = 0; i < ifs.length; i++) {
      if (ifs[i].net.readyIn(ready) && !serveFrame(ifs[i])) {
        puts("FAILURE\n");
        return 1;
      }
    }
    if (limit && replies >= LIMIT) {
      puts("Limit reached, exiting\n");
      break;
    }
  }
  puts("SUCCESS\n");
  return 0;
}
