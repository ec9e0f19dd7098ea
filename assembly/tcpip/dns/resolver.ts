// A DNS stub resolver for A records over UDP (RFC 1035 7), as a StackService. Each
// query goes from a random source port with a random id (RFC 5452), to the resolver's
// server or else the stack's (DHCP's); an answer counts only when it comes from that
// server's port 53 to that port, with that id and that question. CNAME chains are
// followed within the answer; the result is cached for its TTL. A query that gets no
// answer is sent again after 1, 2, 4 s, then given up 8 s later.
//
//   const resolver = Resolver.start(stack);
//   const q = resolver.query(now, "example.test");
//   ...poll the stack until q.done...; q.error == DnsError.None ? q.address : ...
import { Drop } from "../drop";
import { NetStack, StackService } from "../stack";
import { UdpSocket, UdpSocketOptions } from "../udp/socket";
import { parseIpv4 } from "../wire/ipv4";
import {
  checkDns, DNS_CLASS_IN, DNS_FLAG_RECURSION_DESIRED, DNS_FLAG_RESPONSE, DNS_FLAG_TRUNCATED, DNS_HEADER_LEN,
  DNS_OPCODE_MASK, DNS_PORT, DNS_RCODE_MASK, DNS_RCODE_NAME_ERROR, DNS_RECORD_FIXED_LEN, DNS_TYPE_A, DNS_TYPE_CNAME,
  DnsName, dnsAnswerCount, dnsClass, dnsDataLen, dnsFlags, dnsId, dnsQuestionCount, dnsTtl, dnsType, emitDnsHeader,
  emitDnsName, emitDnsQuestion, encodeDnsName, readDnsName, DNS_QUESTION_FIXED_LEN,
} from "../wire/dns";
import { getBe32 } from "../wire/bytes";
import { randomU32 } from "../../entropy";
import { solo5_clock_monotonic } from "../../solo5";
import { NSEC_PER_SEC } from "../../time";
import { DnsCache } from "./cache";
import { DnsError, DnsQuery } from "./query";

const FIRST_TIMEOUT: u64 = NSEC_PER_SEC;
const TRIES: u32 = 4;
/** CNAMEs followed from the question's name before giving up on a chain. */
const MAX_CHAIN: i32 = 8;
/** Answers remembered. */
const CACHE_ENTRIES: i32 = 16;
/** A UDP DNS message without EDNS is at most 512 bytes (RFC 1035 2.3.4). */
const MESSAGE_MAX: u32 = 512;
/** Source ports are drawn from RFC 6335's dynamic range; this many random tries before any free one. */
const EPHEMERAL_FIRST: u32 = 49152;
const EPHEMERAL_COUNT: u32 = 16384;
const PORT_TRIES: i32 = 8;

/** A DNS stub resolver for A records over UDP (RFC 1035) as a stack service: random source ports and ids (RFC 5452), answers checked against server, port, id and question, CNAME chains followed, results cached for their TTL, retransmissions after 1, 2 and 4 s. */
export class Resolver implements StackService {
  /** Queries sent and not yet answered. */
  private readonly pending: DnsQuery[] = [];
  private readonly cache: DnsCache = new DnsCache(CACHE_ENTRIES);
  private readonly buf: Uint8Array = new Uint8Array(MESSAGE_MAX);
  /** The chain's current name and the CNAME target, while an answer is read. */
  private readonly owner: DnsName = new DnsName();
  private readonly current: DnsName = new DnsName();
  private readonly target: DnsName = new DnsName();

  private constructor(
    /** The stack it sends queries through. */
    readonly stack: NetStack,
    /** @internal Where query ids and source ports come from. */
    readonly random: () => u32,
    /** The server it asks; 0: the stack's DNS server at each query. */
    readonly server: u32,
  ) {}

  /**
   * A resolver on `stack`, run at every poll from now on. `server`: 0 asks the stack's
   * DNS server at each query. `random` gives query ids and source ports (the host's
   * entropy unless a test gives its own).
   */
  static start(stack: NetStack, random: () => u32 = randomU32, server: u32 = 0): Resolver {
    const resolver = new Resolver(stack, random, server);
    stack.addService(resolver);
    return resolver;
  }

  /**
   * Starts resolving `name`. A dotted quad ("10.0.0.2"), an invalid name, a cached
   * answer, or no server: done at once. Otherwise the query goes out at the next flush.
   */
  query(now: u64, name: string): DnsQuery {
    const key = (name.endsWith(".") ? name.slice(0, name.length - 1) : name).toLowerCase();
    const q = new DnsQuery(key);
    const numeric = parseIpv4(key);
    if (numeric >= 0) {
      q.finish(<u32>numeric, 0, DnsError.None);
      return q;
    }
    if (!encodeDnsName(name, q.question)) {
      q.finish(0, 0, DnsError.InvalidName);
      return q;
    }
    const cached = this.cache.lookup(now, key);
    if (cached >= 0) {
      q.finish(<u32>cached, 0, DnsError.None);
      return q;
    }
    q.server = this.server != 0 ? this.server : this.stack.dns;
    if (q.server == 0) {
      q.finish(0, 0, DnsError.NoServer);
      return q;
    }
    const socket = this.bindRandomPort();
    if (socket === null) {
      q.finish(0, 0, DnsError.NoSocket);
      return q;
    }
    q.socket = socket;
    q.id = this.random() & 0xffff;
    q.timeout = FIRST_TIMEOUT;
    this.transmit(now, q);
    this.pending.push(q);
    return q;
  }

  /** Queries `name` and runs the stack (poll, then wait) until it is done. */
  resolve(name: string): DnsQuery {
    const q = this.query(solo5_clock_monotonic(), name);
    while (!q.done) {
      this.stack.wait();
      this.stack.poll(solo5_clock_monotonic());
    }
    return q;
  }

  /** The next retransmission or give-up among the queries under way. */
  pollAt(now: u64): u64 {
    let at = u64.MAX_VALUE;
    for (let i = 0; i < this.pending.length; i++) at = min(at, unchecked(this.pending[i]).timerAt);
    return at;
  }

  /** Reads answers, sends queries and retransmissions due; the stack calls it at each poll. */
  poll(now: u64): void {
    for (let i = 0; i < this.pending.length; ) {
      const q = unchecked(this.pending[i]);
      this.receive(now, q);
      if (!q.done && now >= q.timerAt) {
        if (q.tries >= TRIES) q.finish(0, 0, DnsError.Timeout);
        else this.transmit(now, q);
      }
      if (q.done) {
        this.stack.udp.close(q.socket!);
        q.socket = null;
        this.pending.splice(i, 1);
      } else {
        i++;
      }
    }
  }

  private bindRandomPort(): UdpSocket | null {
    const options = new UdpSocketOptions();
    options.bufferBytes = 2 * MESSAGE_MAX;
    options.bufferSlots = 4;
    for (let i = 0; i < PORT_TRIES; i++) {
      const socket = this.stack.udp.bind(EPHEMERAL_FIRST + this.random() % EPHEMERAL_COUNT, options);
      if (socket !== null) return socket;
    }
    return this.stack.udp.bind(0, options);
  }

  /** Sends (again) q's question; the next try after the current wait, which doubles. */
  private transmit(now: u64, q: DnsQuery): void {
    const p = this.buf.dataStart;
    emitDnsHeader(p, q.id, DNS_FLAG_RECURSION_DESIRED, 1, 0, 0, 0);
    const end = emitDnsQuestion(emitDnsName(p + DNS_HEADER_LEN, q.question), DNS_TYPE_A, DNS_CLASS_IN);
    q.socket!.sendTo(this.buf, q.server, DNS_PORT, <i32>(end - p));
    q.tries++;
    q.timerAt = now + q.timeout;
    q.timeout *= 2;
  }

  /** Reads what came to q's socket: the first datagram that answers it finishes it. */
  private receive(now: u64, q: DnsQuery): void {
    const socket = q.socket!;
    const drops = this.stack.iface.drops;
    while (!q.done) {
      const n = socket.recv(this.buf);
      if (n < 0) return;
      if (<u32>n > MESSAGE_MAX || socket.peerAddress != q.server || socket.peerPort != DNS_PORT) {
        drops.count(Drop.BadMessage);
        continue;
      }
      const bad = checkDns(this.buf.dataStart, <u32>n);
      if (bad) drops.count(bad);
      else if (!this.answer(now, q, <u32>n)) drops.count(Drop.BadMessage);
    }
  }

  /** Whether the checked n-byte message in buf answers q; if so, q is finished with it. */
  private answer(now: u64, q: DnsQuery, n: u32): bool {
    const p = this.buf.dataStart;
    const flags = dnsFlags(p);
    if (!(flags & DNS_FLAG_RESPONSE) || flags & DNS_OPCODE_MASK || dnsId(p) != q.id || dnsQuestionCount(p) != 1) return false;
    const fixed = readDnsName(p, n, DNS_HEADER_LEN, this.owner);
    const rr = p + <usize>fixed;
    if (!this.owner.equals(q.question) || dnsType(rr) != DNS_TYPE_A || dnsClass(rr) != DNS_CLASS_IN) return false;
    const rcode = flags & DNS_RCODE_MASK;
    if (flags & DNS_FLAG_TRUNCATED) q.finish(0, 0, DnsError.Truncated);
    else if (rcode == DNS_RCODE_NAME_ERROR) q.finish(0, 0, DnsError.NameError);
    else if (rcode != 0) q.finish(0, 0, DnsError.ServerFailure);
    else this.follow(now, q, n, <u32>fixed + DNS_QUESTION_FIXED_LEN);
    return true;
  }

  /**
   * Finds the A record of q's name in the answers starting at `first`, through at most
   * MAX_CHAIN CNAMEs; finishes q with it (cached) or with NoAddress.
   */
  private follow(now: u64, q: DnsQuery, n: u32, first: u32): void {
    const p = this.buf.dataStart;
    const answers = dnsAnswerCount(p);
    const current = this.current;
    current.copyFrom(q.question);
    let ttl: u32 = u32.MAX_VALUE;
    for (let hop = 0; hop <= MAX_CHAIN; hop++) {
      let renamed = false;
      let at = first;
      for (let i: u32 = 0; i < answers; i++) {
        const fixed = <u32>readDnsName(p, n, at, this.owner);
        const rr = p + <usize>fixed;
        const data = fixed + DNS_RECORD_FIXED_LEN;
        at = data + dnsDataLen(rr);
        if (dnsClass(rr) != DNS_CLASS_IN || !this.owner.equals(current)) continue;
        const type = dnsType(rr);
        if (type == DNS_TYPE_A) {
          ttl = min(ttl, sanitizeTtl(dnsTtl(rr)));
          const address = getBe32(p + <usize>data);
          if (ttl > 0) this.cache.store(q.name, address, now + <u64>ttl * NSEC_PER_SEC);
          q.finish(address, ttl, DnsError.None);
          return;
        }
        if (type == DNS_TYPE_CNAME && !renamed) {
          ttl = min(ttl, sanitizeTtl(dnsTtl(rr)));
          readDnsName(p, n, data, this.target);
          renamed = true;
        }
      }
      if (!renamed) break;
      current.copyFrom(this.target);
    }
    q.finish(0, 0, DnsError.NoAddress);
  }
}

/** A TTL with its top bit set counts as 0 (RFC 2181 8). */
function sanitizeTtl(ttl: u32): u32 {
  return ttl >= 0x80000000 ? 0 : ttl;
}
