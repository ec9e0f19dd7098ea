// The DHCP client (RFC 2131 4.4, figure 5) as a StackService: INIT sends DISCOVER,
// SELECTING takes the first OFFER and sends REQUEST, REQUESTING waits for ACK (the
// interface is configured) or NAK (start over). A bound lease is renewed at T1 by
// unicast to its server (RENEWING), then at T2 by broadcast (REBINDING); at its expiry
// the interface is deconfigured and the client starts over. Retransmissions back off
// from 4 s to 64 s, each randomized by up to a second either way (4.1); while renewing
// or rebinding they come at half the time left, at least a minute apart (4.4.5).
// Nothing probes the offered address (no DECLINE), and INIT-REBOOT is not used.
import { Drop } from "../drop";
import { NetStack, StackService } from "../stack";
import { UdpSocket, UdpSocketOptions } from "../udp/socket";
import {
  BOOTREPLY, BOOTREQUEST, checkDhcp, DHCP_CLIENT_PORT, DHCP_SERVER_PORT, DhcpOptions, DhcpType, dhcpChaddr, dhcpOp,
  dhcpXid, dhcpYiaddr, emitDhcp, emitOptionBytes, emitOptionClientId, emitOptionEnd, emitOptionU16, emitOptionU32,
  emitOptionU8, OPTION_DNS, OPTION_LEASE_TIME, OPTION_MAX_MESSAGE_SIZE, OPTION_MESSAGE_TYPE, OPTION_PARAMETER_LIST,
  OPTION_REBINDING_TIME, OPTION_RENEWAL_TIME, OPTION_REQUESTED_IP, OPTION_ROUTER, OPTION_SERVER_ID, OPTION_SUBNET_MASK,
} from "../wire/dhcp";
import { IPV4_BROADCAST } from "../wire/ipv4";
import { randomU32 } from "../../entropy";
import { solo5_clock_monotonic } from "../../solo5";
import { NSEC_PER_SEC } from "../../time";

/** The states of RFC 2131's client (figure 5) that the client uses: INIT-REBOOT is not. */
export enum DhcpState {
  Init,
  Selecting,
  Requesting,
  Bound,
  Renewing,
  Rebinding,
}

const FIRST_TIMEOUT: u64 = 4 * NSEC_PER_SEC;
const MAX_TIMEOUT: u64 = 64 * NSEC_PER_SEC;
/** REQUESTs sent in REQUESTING before going back to INIT (4 s + 8 s + 16 s + 32 s). */
const REQUEST_TRIES: u32 = 4;
/** The shortest wait between retransmissions while renewing or rebinding (4.4.5). */
const MIN_RENEW_WAIT: u64 = 60 * NSEC_PER_SEC;
/** Option 51's infinite lease. */
const INFINITE: i64 = 0xffffffff;
/** What the client asks for (option 55). */
const PARAMETERS: StaticArray<u8> = [
  <u8>OPTION_SUBNET_MASK, <u8>OPTION_ROUTER, <u8>OPTION_DNS, <u8>OPTION_LEASE_TIME, <u8>OPTION_RENEWAL_TIME,
  <u8>OPTION_REBINDING_TIME,
];
/** The largest message the client takes (option 57): a 1500-byte packet. */
const MAX_MESSAGE: u32 = 1500 - 28;

/** The DHCP client (RFC 2131) as a stack service: it gets a lease, configures the interface (address, prefix, gateway, DNS), renews at T1 and rebinds at T2, and starts over when the lease ends. */
export class DhcpClient implements StackService {
  /** Where the client is in RFC 2131's state machine. */
  state: DhcpState = DhcpState.Init;
  /** The lease, while bound (also renewing and rebinding): 0 where the server gave none. */
  address: u32 = 0;
  /** The lease's prefix length, from the subnet mask. */
  prefix: u32 = 0;
  /** The lease's default gateway (option 3). */
  gateway: u32 = 0;
  /** The lease's DNS server (option 6). */
  dns: u32 = 0;
  /** The DHCP server that gave the lease. */
  server: u32 = 0;
  /** Seconds, as the server gave it (0xffffffff: infinite). */
  leaseTime: u32 = 0;
  /** Leases taken (renewals included), and NAKs received. */
  acks: u32 = 0;
  /** NAKs received. */
  naks: u32 = 0;
  private xid: u32 = 0;
  /** When this exchange's first message went (for the secs field), and its first REQUEST
   * (the lease counts from there, 4.4.1; u64.MAX_VALUE: none yet). */
  private startedAt: u64 = 0;
  private requestedAt: u64 = u64.MAX_VALUE;
  /** When to send next (or, bound, when T1 comes). */
  private timerAt: u64 = 0;
  private timeout: u64 = FIRST_TIMEOUT;
  private tries: u32 = 0;
  /** The offer being requested. */
  private offered: u32 = 0;
  private renewAt: u64 = 0;
  private rebindAt: u64 = 0;
  private expiresAt: u64 = 0;
  private readonly options: DhcpOptions = new DhcpOptions();
  private readonly buf: Uint8Array;

  private constructor(
    /** The stack it configures. */
    readonly stack: NetStack,
    /** @internal Its socket on port 68. */
    readonly socket: UdpSocket,
    /** @internal Where transaction ids and jitter come from. */
    readonly random: () => u32,
  ) {
    this.buf = new Uint8Array(stack.iface.mtu);
  }

  /**
   * Starts DHCP on `stack` (its interface should be unconfigured): the client runs at
   * every poll from now on, and configures the stack (address, prefix, gateway, DNS)
   * when bound. `random` gives transaction ids and jitter (the host's entropy unless a
   * test gives its own). null when UDP port 68 is taken.
   */
  static start(stack: NetStack, random: () => u32 = randomU32): DhcpClient | null {
    const options = new UdpSocketOptions();
    options.bufferBytes = 4 * stack.iface.mtu;
    options.bufferSlots = 4;
    const socket = stack.udp.bind(DHCP_CLIENT_PORT, options);
    if (socket === null) return null;
    const client = new DhcpClient(stack, socket, random);
    stack.addService(client);
    return client;
  }

  /** Whether the interface has the lease's address (bound, renewing or rebinding). */
  get bound(): bool {
    return this.state >= DhcpState.Bound;
  }

  /** Runs the stack (poll, then wait) until bound or `timeout` ns have passed; whether bound. */
  waitBound(timeout: u64): bool {
    const limit = solo5_clock_monotonic() + timeout;
    let now = solo5_clock_monotonic();
    this.stack.poll(now);
    while (!this.bound && now < limit) {
      this.stack.wait(limit);
      now = solo5_clock_monotonic();
      this.stack.poll(now);
    }
    return this.bound;
  }

  /** The time of the next thing to do: a retransmission, T1, T2 or the lease's end. */
  pollAt(now: u64): u64 {
    return this.timerAt;
  }

  /** Reads what the server sent and sends what is due; the stack calls it at each poll. */
  poll(now: u64): void {
    const buf = this.buf;
    for (;;) {
      const n = this.socket.recv(buf);
      if (n < 0) break;
      this.input(now, <u32>min(n, buf.byteLength));
    }
    if (this.bound && now >= this.expiresAt) this.expire(now);
    if (now >= this.timerAt) this.onTimer(now);
  }

  private onTimer(now: u64): void {
    const state = this.state;
    if (state == DhcpState.Init || (state == DhcpState.Requesting && this.tries >= REQUEST_TRIES)) {
      this.discover(now);
    } else if (state == DhcpState.Selecting) {
      this.send(now, DhcpType.Discover, IPV4_BROADCAST);
      this.backOff(now);
    } else if (state == DhcpState.Requesting) {
      this.send(now, DhcpType.Request, IPV4_BROADCAST);
      this.backOff(now);
    } else if (state == DhcpState.Bound) {
      this.begin(now, DhcpState.Renewing);
      this.renewOrRebind(now);
    } else {
      if (state == DhcpState.Renewing && now >= this.rebindAt) this.begin(now, DhcpState.Rebinding);
      this.renewOrRebind(now);
    }
  }

  /** A new exchange in `state`: a fresh transaction id, timers from the start. */
  private begin(now: u64, state: DhcpState): void {
    this.state = state;
    this.xid = this.random();
    this.startedAt = now;
    this.requestedAt = u64.MAX_VALUE;
    this.timeout = FIRST_TIMEOUT;
    this.tries = 0;
  }

  private discover(now: u64): void {
    this.begin(now, DhcpState.Selecting);
    this.send(now, DhcpType.Discover, IPV4_BROADCAST);
    this.backOff(now);
  }

  /** The next retransmission: the timeout, doubled each time up to 64 s, plus or minus up to a second. */
  private backOff(now: u64): void {
    this.tries++;
    const jitter = ((<u64>this.random() * 2 * NSEC_PER_SEC) >> 32);
    this.timerAt = now + this.timeout - NSEC_PER_SEC + jitter;
    this.timeout = min(this.timeout * 2, MAX_TIMEOUT);
  }

  /** RENEWING sends to the server, REBINDING to everyone; the next try at half the time
   * left until T2 (renewing) or the lease's end (rebinding), at least a minute on. */
  private renewOrRebind(now: u64): void {
    const renewing = this.state == DhcpState.Renewing;
    this.send(now, DhcpType.Request, renewing ? this.server : IPV4_BROADCAST);
    const until = renewing ? this.rebindAt : this.expiresAt;
    this.timerAt = min(until, now + max(MIN_RENEW_WAIT, (until - now) / 2));
  }

  private expire(now: u64): void {
    this.stack.configure(0, 0, 0, 0);
    this.address = 0;
    this.discover(now);
  }

  /** Builds and queues a DISCOVER or REQUEST to `dst`. */
  private send(now: u64, type: DhcpType, dst: u32): void {
    const p = this.buf.dataStart;
    const mac = this.stack.iface.mac;
    const secs = <u32>min((now - this.startedAt) / NSEC_PER_SEC, 0xffff);
    // ciaddr only while renewing or rebinding, when the client can take unicast replies there (4.1).
    const ciaddr = this.state >= DhcpState.Bound ? this.address : 0;
    let q = emitDhcp(p, BOOTREQUEST, this.xid, secs, 0, ciaddr, 0, 0, mac);
    q = emitOptionU8(q, OPTION_MESSAGE_TYPE, type);
    q = emitOptionClientId(q, mac);
    if (this.state == DhcpState.Requesting) {
      q = emitOptionU32(q, OPTION_REQUESTED_IP, this.offered);
      q = emitOptionU32(q, OPTION_SERVER_ID, this.server);
    }
    q = emitOptionU16(q, OPTION_MAX_MESSAGE_SIZE, MAX_MESSAGE);
    q = emitOptionBytes(q, OPTION_PARAMETER_LIST, changetype<usize>(PARAMETERS), <u32>PARAMETERS.length);
    const length = emitOptionEnd(p, q);
    if (type == DhcpType.Request && this.requestedAt == u64.MAX_VALUE) this.requestedAt = now;
    this.socket.sendTo(this.buf, dst, DHCP_SERVER_PORT, <i32>length);
  }

  /** A datagram of n bytes in buf from the socket's peer. */
  private input(now: u64, n: u32): void {
    const p = this.buf.dataStart;
    const o = this.options;
    const drops = this.stack.iface.drops;
    if (this.socket.peerPort != DHCP_SERVER_PORT) return drops.count(Drop.BadMessage);
    const bad = checkDhcp(p, n, o);
    if (bad) return drops.count(bad);
    // Another client's answer, or one to an exchange this client has finished.
    if (dhcpOp(p) != BOOTREPLY || dhcpXid(p) != this.xid || dhcpChaddr(p) != this.stack.iface.mac) return drops.count(Drop.BadMessage);
    const state = this.state;
    const type = o.messageType;
    const answering = state == DhcpState.Requesting || state == DhcpState.Renewing || state == DhcpState.Rebinding;
    // While requesting an offer, only its server may answer (ACK and NAK name it).
    if (state == DhcpState.Requesting && o.serverId != 0 && o.serverId != this.server) return drops.count(Drop.BadMessage);
    if (state == DhcpState.Selecting && type == DhcpType.Offer) {
      const yiaddr = dhcpYiaddr(p);
      if (yiaddr == 0 || o.serverId == 0) return drops.count(Drop.BadMessage);
      this.offered = yiaddr;
      this.server = o.serverId;
      this.state = DhcpState.Requesting;
      this.timeout = FIRST_TIMEOUT;
      this.tries = 0;
      this.send(now, DhcpType.Request, IPV4_BROADCAST);
      this.backOff(now);
    } else if (answering && type == DhcpType.Ack) {
      if (!this.bind(p)) return drops.count(Drop.BadMessage);
    } else if (answering && type == DhcpType.Nak) {
      this.naks++;
      if (this.address != 0) this.stack.configure(0, 0, 0, 0);
      this.address = 0;
      this.discover(now);
    } else {
      drops.count(Drop.BadMessage);
    }
  }

  /** Takes the lease an ACK gives and configures the stack; false when it gives no address. */
  private bind(p: usize): bool {
    const o = this.options;
    const address = dhcpYiaddr(p);
    if (address == 0) return false;
    const lease = o.leaseTime < 0 ? INFINITE : o.leaseTime;
    this.address = address;
    this.prefix = prefixOf(o.hasSubnetMask ? o.subnetMask : classfulMask(address));
    this.gateway = o.router;
    this.dns = o.dns;
    if (o.serverId != 0) this.server = o.serverId;
    this.leaseTime = <u32>lease;
    this.state = DhcpState.Bound;
    this.acks++;
    this.stack.configure(address, this.prefix, this.gateway, this.dns);
    if (lease == INFINITE) {
      this.renewAt = this.rebindAt = this.expiresAt = this.timerAt = u64.MAX_VALUE;
      return true;
    }
    const start = this.requestedAt;
    let t1 = o.renewalTime < 0 ? lease / 2 : o.renewalTime;
    let t2 = o.rebindingTime < 0 ? lease * 7 / 8 : o.rebindingTime;
    if (t2 > lease || t1 > t2) {
      t1 = lease / 2;
      t2 = lease * 7 / 8;
    }
    this.renewAt = start + <u64>t1 * NSEC_PER_SEC;
    this.rebindAt = start + <u64>t2 * NSEC_PER_SEC;
    this.expiresAt = start + <u64>lease * NSEC_PER_SEC;
    this.timerAt = this.renewAt;
    return true;
  }
}

/** The prefix length of a network mask: its leading ones. */
function prefixOf(mask: u32): u32 {
  return <u32>clz(~mask);
}

/** The mask of the address's class, for a server that sends none (RFC 1122 3.3.1.1). */
function classfulMask(address: u32): u32 {
  if (address >> 31 == 0) return 0xff000000;
  if (address >> 30 == 2) return 0xffff0000;
  return 0xffffff00;
}
