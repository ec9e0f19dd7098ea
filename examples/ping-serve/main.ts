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
import {
  cmdline,
  ETHERTYPE_ARP,
  ETHERTYPE_IPV4,
  formatIPv4,
  getBe16,
  getBe32,
  inetChecksum,
  monotonic,
  Net,
  NSEC_PER_SEC,
  parseIPv4,
  puts,
  setBe16,
  setBe32,
  SOLO5_R_OK,
  toHex,
  waitFor,
} from "../../assembly";

const LIMIT = 100000;
const DEFAULT_ADDRESSES = ["10.0.0.2/24", "10.1.0.2/24"];
const BROADCAST_ALL: u32 = 0xffffffff;

class Interface {
  readonly frame: Uint8Array;
  constructor(readonly net: Net, readonly ip: u32, readonly broadcast: u32) {
    this.frame = net.frameBuffer();
  }
  say(s: string): void {
    puts("[" + this.net.name + "] " + s);
  }
}

let verbose = false;
let limit = false;
let replies = 0;

/** The reply to an ARP request for our address, made in place; false if it is not one. */
function answerArp(x: Interface, p: usize, n: i32): bool {
  if (n < 42 || getBe16(p + 14) != 1 || getBe16(p + 16) != ETHERTYPE_IPV4) return false;
  if (load<u8>(p + 18) != 6 || load<u8>(p + 19) != 4 || getBe16(p + 20) != 1 || getBe32(p + 38) != x.ip) return false;
  const mac = x.net.mac.dataStart;
  memory.copy(p, p + 6, 6); // back to the asker
  memory.copy(p + 6, mac, 6);
  setBe16(p + 20, 2); // reply
  memory.copy(p + 32, p + 22, 10); // target: the asker's MAC and address
  memory.copy(p + 22, mac, 6); // sender: us
  setBe32(p + 28, x.ip);
  return true;
}

/** The reply to an ICMP echo request to us (or a broadcast), made in place; false if it is not one. */
function answerPing(x: Interface, p: usize, n: i32): bool {
  if (n < 14 + 20 + 8) return false;
  const ip = p + 14;
  if (load<u8>(ip) != 0x45 || load<u8>(ip, 1) != 0 || load<u8>(ip, 9) != 1) return false; // IPv4 without options, ICMP
  const to = getBe32(ip + 16);
  if (to != x.ip && to != x.broadcast && to != BROADCAST_ALL) return false;
  const total = <i32>getBe16(ip + 2);
  if (total < 28 || total > n - 14 || (getBe16(ip + 6) & 0x3fff) != 0) return false; // truncated, or a fragment
  const icmp = ip + 20;
  if (load<u8>(icmp) != 8 || load<u8>(icmp, 1) != 0) return false;

  memory.copy(p, p + 6, 6);
  memory.copy(p + 6, x.net.mac.dataStart, 6);
  setBe32(ip + 4, 0); // identification, flags and fragment offset
  memory.copy(ip + 16, ip + 12, 4);
  setBe32(ip + 12, x.ip);
  setBe16(ip + 10, 0);
  setBe16(ip + 10, inetChecksum(ip, 20));
  store<u8>(icmp, 0); // echo reply
  setBe16(icmp + 2, 0);
  setBe16(icmp + 2, inetChecksum(icmp, total - 20));
  replies++;
  return true;
}

/** Reads the frame yield announced and answers it; false on a platform failure. */
function serveFrame(x: Interface): bool {
  const n = x.net.read(x.frame);
  if (n < 0) {
    x.say("Read error\n");
    return false;
  }
  const p = x.frame.dataStart;
  if (n >= 14 && memory.compare(p, x.net.mac.dataStart, 6) != 0 && !(load<u32>(p) == 0xffffffff && load<u16>(p, 4) == 0xffff)) {
    return true; // not addressed to us
  }
  const type = n >= 14 ? getBe16(p + 12) : 0;
  let handled = false;
  if (type == ETHERTYPE_ARP) handled = answerArp(x, p, n);
  else if (type == ETHERTYPE_IPV4) handled = answerPing(x, p, n);
  if (!handled) {
    x.say("Unknown or unsupported packet, dropped\n");
    return true;
  }
  if (verbose) x.say(type == ETHERTYPE_ARP ? "Received arp request, sending reply\n" : "Received ping, sending reply\n");
  if (x.net.write(x.frame, n) != SOLO5_R_OK) {
    x.say("Write error\n");
    return false;
  }
  return true;
}

/** Announces our address and MAC to the segment. */
function sendGratuitousArp(x: Interface): void {
  const f = new Uint8Array(42);
  const p = f.dataStart;
  const mac = x.net.mac.dataStart;
  memory.fill(p, 0xff, 6);
  memory.copy(p + 6, mac, 6);
  setBe16(p + 12, ETHERTYPE_ARP);
  setBe16(p + 14, 1); // Ethernet
  setBe16(p + 16, ETHERTYPE_IPV4);
  store<u8>(p + 18, 6);
  store<u8>(p + 19, 4);
  setBe16(p + 20, 1); // request
  memory.copy(p + 22, mac, 6);
  setBe32(p + 28, x.ip);
  setBe32(p + 38, x.ip); // target MAC stays zero
  if (x.net.write(f) != SOLO5_R_OK) x.say("Could not send GARP packet\n");
}

/** "10.0.0.2/24" as [address, broadcast]; an empty array if malformed. */
function parseAddress(text: string): u32[] {
  const slash = text.indexOf("/");
  const ip = parseIPv4(slash < 0 ? text : text.slice(0, slash));
  const prefixText = slash < 0 ? "24" : text.slice(slash + 1);
  const prefix = I32.parseInt(prefixText, 10);
  if (ip < 0 || prefixText.length < 1 || prefixText.length > 2 || prefix < 0 || prefix > 32) return [];
  const mask: u32 = prefix == 0 ? 0 : <u32>0xffffffff << <u32>(32 - prefix);
  return [<u32>ip, <u32>ip | ~mask];
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
    x.say("Serving ping on " + formatIPv4(x.ip) + ", with MAC: " + toHex(net.mac) + "\n");
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
