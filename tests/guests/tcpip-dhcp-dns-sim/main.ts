// The DHCP client and the DNS resolver against small servers written here, over the
// simulated link (assembly/tcpip/sim/link.ts): the client stack (a) starts unconfigured
// or at 10.0.0.2, the server stack (b) is 10.0.0.1 and runs the servers on its UDP
// sockets. Time moves from event to event, so a run is the same every time. The
// command line names a scenario: prints "ok ..." or "FAIL ..." lines and exits 0 or 1.
//
//   dhcp [loss=P%] [seed=N]   DISCOVER, OFFER, REQUEST, ACK: the interface configured
//   dhcp-nak                  the first REQUEST is refused: the client starts over
//   dhcp-renew                a 120 s lease renewed at T1 by unicast; then the server is
//                             silent: rebinding by broadcast at T2, deconfigured at expiry,
//                             and bound again once the server is back
//   dns [loss=P%] [seed=N]    A through a CNAME, the cache, NXDOMAIN, a CNAME loop, a
//                             timeout, spoofed answers ignored, numeric and invalid names
//   dhcp-dns                  DHCP's DNS server used by the resolver
import { cmdline, puts } from "../../../assembly";
import {
  DhcpClient, DnsError, dnsErrorName, DnsQuery, formatIpv4, LinkConditions, NetStack, Resolver, SimLink, UdpSocket,
} from "../../../assembly/tcpip";
import { Drop } from "../../../assembly/tcpip/drop";
import {
  BOOTREPLY, checkDhcp, DHCP_CLIENT_PORT, DhcpOptions, DhcpType, dhcpChaddr, dhcpCiaddr, dhcpXid, emitDhcp, emitOptionEnd,
  emitOptionU32, emitOptionU8, OPTION_DNS, OPTION_LEASE_TIME, OPTION_MESSAGE_TYPE, OPTION_REBINDING_TIME,
  OPTION_RENEWAL_TIME, OPTION_ROUTER, OPTION_SERVER_ID, OPTION_SUBNET_MASK,
} from "../../../assembly/tcpip/wire/dhcp";
import {
  checkDns, DNS_CLASS_IN, DNS_FLAG_RESPONSE, DNS_HEADER_LEN, DNS_RCODE_NAME_ERROR, DNS_TYPE_A, DNS_TYPE_CNAME, DnsName,
  dnsId, emitDnsHeader, emitDnsName, emitDnsPointer, emitDnsQuestion, emitDnsRecord, encodeDnsName, readDnsName,
} from "../../../assembly/tcpip/wire/dns";
import { getBe16, setBe32 } from "../../../assembly/tcpip/wire/bytes";
import { seededRandom, seedRandom } from "../shared/seeded-random";

const SERVER: u32 = 0x0a000001;
const STATIC_CLIENT: u32 = 0x0a000002;
const OFFERED: u32 = 0x0a000064;
const SEC: u64 = 1_000_000_000;

let failures = 0;
function check(ok: bool, what: string): void {
  if (!ok) {
    failures++;
    puts("FAIL " + what + "\n");
  }
}

let link!: SimLink;
let client!: NetStack;
let server!: NetStack;

function setUp(loss: f64, seed: u64): void {
  const conditions = new LinkConditions();
  conditions.loss = loss;
  link = new SimLink(1500, conditions, seed);
  seedRandom(seed);
  const keys = new StaticArray<u64>(4);
  for (let i = 0; i < 4; i++) keys[i] = seed + <u64>i;
  client = new NetStack(link.a, keys);
  server = new NetStack(link.b, keys);
  server.configure(SERVER, 24, 0);
}

/** The IPv4 destination of every DHCP message the client sent, as a log "b" (broadcast) or "u" (unicast). */
let dhcpSends = "";
function traceDhcp(p: usize, n: u32, fromA: bool): void {
  if (!fromA || n < 42 || load<u8>(p + 23) != 17 || getBe16(p + 36) != 67) return;
  dhcpSends += bswap<u32>(load<u32>(p + 30)) == 0xffffffff ? "b" : "u";
}

/** Something the test runs on the server stack (or the client's application) at every step. */
abstract class Actor {
  abstract step(now: u64): void;
}

/** Polls both stacks and the actors until `done()` or `limit`, moving time to the next event. */
function runUntil(actors: Actor[], limit: u64, done: () => bool): bool {
  while (link.now <= limit) {
    const now = link.now;
    client.poll(now);
    server.poll(now);
    for (let i = 0; i < actors.length; i++) actors[i].step(now);
    if (done()) return true;
    client.flush(now);
    server.flush(now);
    const next = min(min(client.pollAt(now), server.pollAt(now)), link.nextEvent());
    if (next == u64.MAX_VALUE || next > limit) {
      link.now = limit + 1;
      break;
    }
    link.now = max(next, now + 1);
  }
  return done();
}

/** A DHCP server for one client: offers OFFERED for `leaseSecs`, broadcasts to
 * clients without an address, unicasts to ciaddr. */
class DhcpServer extends Actor {
  readonly socket: UdpSocket = server.udp.bind(67)!;
  readonly buf: Uint8Array = new Uint8Array(1500);
  readonly options: DhcpOptions = new DhcpOptions();
  leaseSecs: u32 = 3600;
  naksToSend: i32 = 0;
  silent: bool = false;
  discovers: i32 = 0;
  requests: i32 = 0;
  acks: i32 = 0;

  step(now: u64): void {
    for (;;) {
      const n = this.socket.recv(this.buf);
      if (n < 0) return;
      const p = this.buf.dataStart;
      if (checkDhcp(p, <u32>n, this.options) != Drop.None) continue;
      const type = this.options.messageType;
      if (type == DhcpType.Discover) this.discovers++;
      if (type == DhcpType.Request) this.requests++;
      if (this.silent) continue;
      if (type == DhcpType.Discover) this.reply(p, DhcpType.Offer);
      else if (type == DhcpType.Request && this.naksToSend > 0) {
        this.naksToSend--;
        this.reply(p, DhcpType.Nak);
      } else if (type == DhcpType.Request) {
        this.acks++;
        this.reply(p, DhcpType.Ack);
      }
    }
  }

  private reply(request: usize, type: DhcpType): void {
    const out = new Uint8Array(600);
    const p = out.dataStart;
    const ciaddr = dhcpCiaddr(request);
    const yiaddr = type == DhcpType.Nak ? 0 : OFFERED;
    let q = emitDhcp(p, BOOTREPLY, dhcpXid(request), 0, 0, 0, yiaddr, 0, dhcpChaddr(request));
    q = emitOptionU8(q, OPTION_MESSAGE_TYPE, type);
    q = emitOptionU32(q, OPTION_SERVER_ID, SERVER);
    if (type != DhcpType.Nak) {
      q = emitOptionU32(q, OPTION_LEASE_TIME, this.leaseSecs);
      q = emitOptionU32(q, OPTION_RENEWAL_TIME, this.leaseSecs / 2);
      q = emitOptionU32(q, OPTION_REBINDING_TIME, this.leaseSecs * 7 / 8);
      q = emitOptionU32(q, OPTION_SUBNET_MASK, 0xffffff00);
      q = emitOptionU32(q, OPTION_ROUTER, SERVER);
      q = emitOptionU32(q, OPTION_DNS, SERVER);
    }
    const length = emitOptionEnd(p, q);
    this.socket.sendTo(out, ciaddr != 0 ? ciaddr : 0xffffffff, DHCP_CLIENT_PORT, <i32>length);
  }
}

/** A DNS server: www -> CNAME host -> A 10.0.0.80; spoof -> a wrong id and a wrong port
 * first, A 10.0.0.81 to the retransmission; loop -> CNAME to itself; nx -> NXDOMAIN;
 * silent -> nothing. */
class DnsServer extends Actor {
  readonly socket: UdpSocket = server.udp.bind(53)!;
  readonly wrongPort: UdpSocket = server.udp.bind(5353)!;
  readonly buf: Uint8Array = new Uint8Array(512);
  readonly out: Uint8Array = new Uint8Array(512);
  readonly question: DnsName = new DnsName();
  queries: i32 = 0;
  spoofed: i32 = 0;
  /** The query ids and client ports seen, in order. */
  ids: u32[] = [];
  ports: u32[] = [];

  step(now: u64): void {
    for (;;) {
      const n = this.socket.recv(this.buf);
      if (n < 0) return;
      const p = this.buf.dataStart;
      if (checkDns(p, <u32>n) != Drop.None || readDnsName(p, <u32>n, DNS_HEADER_LEN, this.question) < 0) continue;
      this.queries++;
      this.ids.push(dnsId(p));
      this.ports.push(this.socket.peerPort);
      const q = this.question;
      const to = this.socket.peerAddress;
      const port = this.socket.peerPort;
      if (q.equals(dnsName("www.example.test"))) this.answer(to, port, dnsId(p), "host.example.test", 0x0a000050, this.socket);
      else if (q.equals(dnsName("host.example.test"))) this.answer(to, port, dnsId(p), "", 0x0a000050, this.socket);
      else if (q.equals(dnsName("loop.example.test"))) this.answer(to, port, dnsId(p), "loop.example.test", 0, this.socket);
      else if (q.equals(dnsName("spoof.example.test")) && this.spoofed++ == 0) {
        this.answer(to, port, (dnsId(p) + 1) & 0xffff, "", 0x0a0000ee, this.socket);
        this.answer(to, port, dnsId(p), "", 0x0a0000ef, this.wrongPort);
      } else if (q.equals(dnsName("spoof.example.test"))) this.answer(to, port, dnsId(p), "", 0x0a000051, this.socket); else if (q.equals(dnsName("nx.example.test"))) this.answer(to, port, dnsId(p), "", 0, this.socket);
    }
  }

  /** Answers the question with a CNAME to `alias` (if any), then an A for `address` (if any; neither: NXDOMAIN). */
  private answer(to: u32, port: u32, id: u32, alias: string, address: u32, from: UdpSocket): void {
    const p = this.out.dataStart;
    const answers: u32 = (alias.length ? 1 : 0) + (address ? 1 : 0);
    emitDnsHeader(p, id, DNS_FLAG_RESPONSE | 0x0180 | (answers == 0 ? DNS_RCODE_NAME_ERROR : 0), 1, answers, 0, 0);
    let q = emitDnsQuestion(emitDnsName(p + DNS_HEADER_LEN, this.question), DNS_TYPE_A, DNS_CLASS_IN);
    let owner: u32 = DNS_HEADER_LEN;
    if (alias.length) {
      const target = dnsName(alias);
      q = emitDnsRecord(emitDnsPointer(q, owner), DNS_TYPE_CNAME, DNS_CLASS_IN, 600, target.length);
      owner = <u32>(q - p);
      q = emitDnsName(q, target);
    }
    if (address) {
      q = emitDnsRecord(emitDnsPointer(q, owner), DNS_TYPE_A, DNS_CLASS_IN, 300, 4);
      setBe32(q, address);
      q += 4;
    }
    from.sendTo(this.out, to, port, <i32>(q - p));
  }
}

function dnsName(text: string): DnsName {
  const name = new DnsName();
  encodeDnsName(text, name);
  return name;
}

let dhcp: DhcpClient | null = null;
function bound(): bool {
  return dhcp!.bound;
}
function unbound(): bool {
  return !dhcp!.bound;
}

function startDhcp(): DhcpServer {
  link.tap = traceDhcp;
  dhcp = DhcpClient.start(client, seededRandom);
  check(dhcp !== null, "DhcpClient.start");
  return new DhcpServer();
}

function checkLease(what: string): void {
  const c = dhcp!;
  check(c.bound && c.address == OFFERED && c.prefix == 24 && c.gateway == SERVER && c.dns == SERVER, what + ": the lease");
  check(client.iface.address == OFFERED && client.iface.prefix == 24 && client.iface.gateway == SERVER && client.dns == SERVER, what + ": the interface");
}

function scenarioDhcp(loss: f64, seed: u64): void {
  setUp(loss, seed);
  const s = startDhcp();
  check(runUntil([s], link.now + 600 * SEC, bound), "dhcp: bound within 600 s");
  checkLease("dhcp");
  puts("ok dhcp " + formatIpv4(dhcp!.address) + "/" + dhcp!.prefix.toString() + " gateway " + formatIpv4(dhcp!.gateway) +
    " dns " + formatIpv4(dhcp!.dns) + " lease " + dhcp!.leaseTime.toString() + "s after " + ((link.now - SEC) / 1_000_000).toString() +
    " ms (" + s.discovers.toString() + " discovers, " + s.requests.toString() + " requests, lost " + link.lost.toString() + ")\n");
}

function scenarioNak(): void {
  setUp(0, 1);
  const s = startDhcp();
  s.naksToSend = 1;
  check(runUntil([s], link.now + 60 * SEC, bound), "dhcp-nak: bound");
  checkLease("dhcp-nak");
  check(dhcp!.naks == 1 && s.discovers == 2 && s.requests == 2, "dhcp-nak: a NAK, then a new DISCOVER and REQUEST (" +
    s.discovers.toString() + " discovers, " + s.requests.toString() + " requests)");
  puts("ok dhcp-nak: " + s.discovers.toString() + " discovers, " + s.requests.toString() + " requests, " + dhcp!.naks.toString() + " NAK\n");
}

function scenarioRenew(): void {
  setUp(0, 1);
  const s = startDhcp();
  s.leaseSecs = 120;
  check(runUntil([s], link.now + 10 * SEC, bound), "dhcp-renew: bound");
  const boundAt = link.now;
  dhcpSends = "";
  // T1 at 60 s: one unicast REQUEST, answered.
  check(!runUntil([s], boundAt + 59 * SEC, () => dhcp!.acks > 1), "dhcp-renew: no renewal before T1");
  check(runUntil([s], boundAt + 61 * SEC, () => dhcp!.acks > 1), "dhcp-renew: renewed at T1");
  check(dhcpSends == "u", "dhcp-renew: the renewal went by unicast (sent: '" + dhcpSends + "')");
  checkLease("dhcp-renew");
  // The server goes silent: renewing by unicast until T2 (105 s after the renewal), then rebinding by broadcast.
  s.silent = true;
  const renewedAt = link.now;
  dhcpSends = "";
  check(runUntil([s], renewedAt + 104 * SEC, unbound) == false, "dhcp-renew: still bound before the lease ends");
  check(dhcpSends.startsWith("u") && !dhcpSends.includes("b"), "dhcp-renew: unicast while renewing (sent: '" + dhcpSends + "')");
  const renewing = dhcpSends.length;
  check(runUntil([s], renewedAt + 121 * SEC, unbound), "dhcp-renew: deconfigured at expiry");
  check(dhcpSends.length > renewing && dhcpSends.charAt(renewing) == "b", "dhcp-renew: broadcast while rebinding (sent: '" + dhcpSends + "')");
  check(client.iface.address == 0 && client.dns == 0, "dhcp-renew: the interface has no address after expiry");
  const expiredAt = link.now;
  const untilExpiry = dhcpSends;
  // Back: a new lease from DISCOVER.
  s.silent = false;
  check(runUntil([s], expiredAt + 120 * SEC, bound), "dhcp-renew: bound again");
  checkLease("dhcp-renew again");
  puts("ok dhcp-renew: renewed at T1 by unicast, then '" + untilExpiry + "' until expiry at " + ((expiredAt - boundAt) / SEC).toString() +
    " s, bound again after " + ((link.now - expiredAt) / SEC).toString() + " s\n");
}

/** Resolves `name` on the client; checks the outcome against `address` or `error`. */
function expectResolved(resolver: Resolver, dns: DnsServer, name: string, address: u32, error: DnsError, limit: u64): DnsQuery {
  const q = resolver.query(link.now, name);
  pending = q;
  runUntil([dns], link.now + limit, queryDone);
  check(q.done, name + ": done");
  check(q.error == error, name + ": error " + dnsErrorName(q.error) + ", want " + dnsErrorName(error));
  check(q.address == address, name + ": address " + formatIpv4(q.address) + ", want " + formatIpv4(address));
  return q;
}
let pending: DnsQuery | null = null;
function queryDone(): bool {
  return pending!.done;
}

function scenarioDns(loss: f64, seed: u64): void {
  setUp(loss, seed);
  client.configure(STATIC_CLIENT, 24, 0, SERVER);
  const dns = new DnsServer();
  const resolver = Resolver.start(client, seededRandom);
  const start = link.now;
  const www = expectResolved(resolver, dns, "www.example.test", 0x0a000050, DnsError.None, 30 * SEC);
  check(www.ttl == 300, "www: the chain's shortest TTL");
  const asked = dns.queries;
  const cached = resolver.query(link.now, "WWW.example.test.");
  check(cached.done && cached.address == 0x0a000050 && dns.queries == asked, "www again: from the cache");
  const numeric = resolver.query(link.now, "10.0.0.9");
  check(numeric.done && numeric.address == 0x0a000009 && numeric.error == DnsError.None, "a numeric name, at once");
  const invalid = resolver.query(link.now, "bad..name");
  check(invalid.done && invalid.error == DnsError.InvalidName, "an invalid name, at once");
  expectResolved(resolver, dns, "nx.example.test", 0, DnsError.NameError, 30 * SEC);
  expectResolved(resolver, dns, "loop.example.test", 0, DnsError.NoAddress, 30 * SEC);
  if (loss == 0) {
    const before = client.iface.drops.get(Drop.BadMessage);
    expectResolved(resolver, dns, "spoof.example.test", 0x0a000051, DnsError.None, 30 * SEC);
    check(client.iface.drops.get(Drop.BadMessage) - before == 2, "spoof: the wrong id and the wrong port dropped as bad messages");
    const asking = dns.queries;
    const silentAt = link.now;
    expectResolved(resolver, dns, "silent.example.test", 0, DnsError.Timeout, 60 * SEC);
    check(dns.queries - asking == 4, "silent: 4 transmissions (" + (dns.queries - asking).toString() + ")");
    check(link.now - silentAt >= 15 * SEC && link.now - silentAt < 16 * SEC, "silent: given up after 1+2+4+8 s");
    let sameId = 0;
    for (let i = 1; i < dns.ids.length; i++) if (dns.ids[i] == dns.ids[i - 1] && dns.ports[i] != dns.ports[i - 1]) sameId++;
    check(dns.ports[0] != dns.ports[1] && dns.ids[0] != dns.ids[1], "queries differ in id and source port");
    check(sameId == 0, "a retransmission keeps its id and port");
  }
  check(client.udp.sockets.length == 0, "every query's socket closed");
  puts("ok dns: " + dns.queries.toString() + " queries in " + ((link.now - start) / 1_000_000).toString() + " ms, lost " + link.lost.toString() + "\n");
}

function scenarioDhcpDns(): void {
  setUp(0, 3);
  const s = startDhcp();
  const dns = new DnsServer();
  check(runUntil([s], link.now + 30 * SEC, bound), "dhcp-dns: bound");
  const resolver = Resolver.start(client, seededRandom);
  expectResolved(resolver, dns, "host.example.test", 0x0a000050, DnsError.None, 30 * SEC);
  puts("ok dhcp-dns: host.example.test " + formatIpv4(0x0a000050) + " from the DHCP-given server\n");
}

function option(words: string[], name: string, fallback: f64): f64 {
  for (let i = 0; i < words.length; i++) {
    if (words[i].startsWith(name + "=")) return parseFloat(words[i].slice(name.length + 1).replace("%", ""));
  }
  return fallback;
}

export function solo5_app_main(_si: usize): i32 {
  const words = cmdline().split(" ");
  const what = words[0];
  const loss = option(words, "loss", 0) / 100;
  const seed = <u64>option(words, "seed", 1);
  if (what == "dhcp") scenarioDhcp(loss, seed);
  else if (what == "dhcp-nak") scenarioNak();
  else if (what == "dhcp-renew") scenarioRenew();
  else if (what == "dns") scenarioDns(loss, seed);
  else if (what == "dhcp-dns") scenarioDhcpDns();
  else check(false, "unknown scenario '" + what + "'");
  puts("drops client: " + client.iface.drops.toString() + "; server: " + server.iface.drops.toString() + "\n");
  return failures == 0 ? 0 : 1;
}
