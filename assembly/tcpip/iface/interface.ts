// The interface layer: one device, its IPv4 configuration, the ARP cache, and IPv4 in
// and out. Ingress checks each header once and hands TCP and UDP to their layers; it
// answers ARP and ICMP echo itself, and ICMP port unreachable for UDP nobody listens to.
// Egress builds frames in one lent transmit buffer: beginIpv4() resolves the next hop
// and writes the Ethernet and IPv4 addresses, the caller writes its segment after them,
// endIpv4() finishes the IPv4 header and sends.
import { Drop, DropCounters } from "../drop";
import {
  ARP_REPLY, ARP_REQUEST, ARP_LEN, arpOperation, arpSenderIp, arpSenderMac, arpTargetIp, checkArp, emitArp,
} from "../wire/arp";
import {
  emitEthernet, ETHERNET_HEADER_LEN, ETHERTYPE_ARP, ETHERTYPE_IPV4, ethDst, ethSrc, ethType, isGroupMac, MAC_BROADCAST, storeMac,
} from "../wire/ethernet";
import {
  checkIcmp, clearIcmpRest, emitIcmp, ICMP_CODE_PORT_UNREACHABLE, ICMP_DEST_UNREACHABLE, ICMP_ECHO_REPLY,
  ICMP_ECHO_REQUEST, ICMP_HEADER_LEN, icmpCode, icmpType,
} from "../wire/icmpv4";
import {
  checkIpv4, emitIpv4, IPV4_BROADCAST, IPV4_HEADER_LEN, ipv4Dst, ipv4HeaderLen, ipv4Protocol, ipv4Src, ipv4TotalLen,
  prefixMask, PROTOCOL_ICMP, PROTOCOL_TCP, PROTOCOL_UDP, setIpv4Addresses,
} from "../wire/ipv4";
import { Device } from "./device";
import { Lookup, NeighborCache } from "./neighbor";
import { PendingFrames } from "./pending";
import { NSEC_PER_SEC } from "../../time";

/** Where the IPv4 header starts in a frame. */
const IP: usize = ETHERNET_HEADER_LEN;
/** Frames taken per poll before egress gets its turn. */
const RX_BATCH: i32 = 64;
/** Bytes of frames kept while their next hop's MAC is asked for (Linux keeps about 200 KB
 * a neighbour): 174 frames at MTU 1500, so a hundred SYN-ACKs to one new client wait. */
const PENDING_BYTES: u32 = 256 * 1024;
/** ICMP errors: a bucket of this many, refilled at this many a second (RFC 1812 4.3.2.8). */
const ICMP_ERROR_BURST: u32 = 50;
const ICMP_ERRORS_PER_SEC: u64 = 100;

/** A protocol above IPv4: the TCP and UDP layers. */
export interface Transport {
  /** A packet for us: the IPv4 header at ip, `length` bytes of payload at p (checked by the layer). */
  input(now: u64, ip: usize, p: usize, length: u32): void;
}

/** An IPv4 interface on a device: its address, mask and gateway, the ARP cache, IPv4 input and output, ICMP echo and port unreachable, and the drop counters. */
export class Interface {
  /** The frame being received; valid during input(). */
  readonly rx: Uint8Array;
  /** The frame being built, between beginIpv4() and endIpv4(). */
  readonly tx: Uint8Array;
  /** The device's MAC. */
  readonly mac: u64;
  /** The device's MTU: the largest IPv4 packet. */
  readonly mtu: u32;
  /** 0 until configured (then only DHCP's broadcasts get through). */
  address: u32 = 0;
  /** The prefix length of the address (0 while unconfigured). */
  prefix: u32 = 0;
  /** 0: none, so only the local subnet is reachable. */
  gateway: u32 = 0;
  /** The ARP cache. */
  readonly neighbors: NeighborCache = new NeighborCache();
  /** What the stack dropped, by reason. */
  readonly drops: DropCounters = new DropCounters();
  /** @internal Where segments or datagrams of its protocol go. */
  tcp: Transport | null = null;
  /** @internal Where segments or datagrams of its protocol go. */
  udp: Transport | null = null;
  /** Frames received and sent. */
  received: u64 = 0;
  /** IPv4 packets sent. */
  sent: u64 = 0;
  private readonly pending: PendingFrames;
  private ident: u32 = 0;
  private txDst: u32 = 0;
  private txProtocol: u32 = 0;
  /** The next hop of the packet being built, its MAC (-1: not known yet), and the time. */
  private txHop: u32 = 0;
  private txMac: i64 = 0;
  private txNow: u64 = 0;
  private icmpTokens: u32 = ICMP_ERROR_BURST;
  private icmpRefilledAt: u64 = 0;

  constructor(
    /** The device it sends and receives frames through. */
    readonly device: Device) {
    this.mac = device.mac;
    this.mtu = device.mtu;
    this.rx = new Uint8Array(device.mtu + ETHERNET_HEADER_LEN);
    this.tx = new Uint8Array(device.mtu + ETHERNET_HEADER_LEN);
    const slot = device.mtu + ETHERNET_HEADER_LEN;
    this.pending = new PendingFrames(<i32>max(PENDING_BYTES / slot, 16), slot);
  }

  /** Sets the address, prefix length and gateway (0: none). */
  configure(address: u32, prefix: u32, gateway: u32): void {
    this.address = address;
    this.prefix = prefix;
    this.gateway = gateway;
  }

  /** The network mask of the prefix. */
  get netmask(): u32 {
    return prefixMask(this.prefix);
  }

  /** The subnet's broadcast address. */
  get broadcast(): u32 {
    return this.address | ~this.netmask;
  }

  /** Whether `ip` is on the local subnet. */
  onLink(ip: u32): bool {
    return this.address != 0 && ((ip ^ this.address) & this.netmask) == 0;
  }

  /** Takes up to a batch of waiting frames and handles each; whether any came. */
  receive(now: u64): bool {
    const buf = this.rx.dataStart;
    const size = <u32>this.rx.byteLength;
    let any = false;
    for (let i = 0; i < RX_BATCH; i++) {
      const n = this.device.receive(buf, size);
      if (n == 0) break;
      any = true;
      this.received++;
      this.input(now, buf, n);
    }
    return any;
  }

  /** Handles one frame of n bytes at p. */
  input(now: u64, p: usize, n: u32): void {
    if (n < ETHERNET_HEADER_LEN) return this.drops.count(Drop.Truncated);
    const dst = ethDst(p);
    if (dst != this.mac && dst != MAC_BROADCAST) return this.drops.count(Drop.NotForUs);
    const type = ethType(p);
    if (type == ETHERTYPE_IPV4) this.inputIpv4(now, p, n - ETHERNET_HEADER_LEN);
    else if (type == ETHERTYPE_ARP) this.inputArp(now, p, n - ETHERNET_HEADER_LEN);
    else this.drops.count(Drop.Unsupported);
  }

  private inputArp(now: u64, p: usize, n: u32): void {
    const arp = p + IP;
    const bad = checkArp(arp, n);
    if (bad) return this.drops.count(bad);
    if (this.address == 0) return this.drops.count(Drop.NotForUs);
    const senderIp = arpSenderIp(arp);
    const senderMac = arpSenderMac(arp);
    const forUs = arpTargetIp(arp) == this.address;
    // RFC 826's merge: update a known sender; add it only when the packet is for us.
    if (!isGroupMac(senderMac) && senderIp != 0 && (forUs || this.neighbors.has(now, senderIp))) {
      this.neighbors.fill(now, senderIp, senderMac);
      this.sendHeld(senderIp, senderMac);
    }
    if (!forUs) return;
    if (arpOperation(arp) != ARP_REQUEST) return;
    const q = this.tx.dataStart;
    emitEthernet(q, senderMac, this.mac, ETHERTYPE_ARP);
    emitArp(q + IP, ARP_REPLY, this.mac, this.address, senderMac, senderIp);
    this.transmit(q, <u32>IP + ARP_LEN);
  }

  private inputIpv4(now: u64, p: usize, n: u32): void {
    const ip = p + IP;
    const bad = checkIpv4(ip, n);
    if (bad) return this.drops.count(bad);
    const dst = ipv4Dst(ip);
    const protocol = ipv4Protocol(ip);
    const local = dst == this.address && dst != 0;
    if (!local && !(dst == IPV4_BROADCAST || (this.address != 0 && dst == this.broadcast)) && !(this.address == 0 && protocol == PROTOCOL_UDP)) {
      return this.drops.count(Drop.NotForUs);
    }
    // An active peer's ARP entry never goes stale (but a packet never adds one: its
    // source may be spoofed, as a SYN flood's are).
    if (local) this.neighbors.refresh(now, ipv4Src(ip), ethSrc(p));
    const headerLen = ipv4HeaderLen(ip);
    const payload = ip + headerLen;
    const length = ipv4TotalLen(ip) - headerLen;
    if (protocol == PROTOCOL_TCP) {
      const tcp = this.tcp;
      if (tcp !== null && local) tcp.input(now, ip, payload, length);
      else this.drops.count(Drop.NoSocket);
    } else if (protocol == PROTOCOL_UDP) {
      const udp = this.udp;
      if (udp !== null) udp.input(now, ip, payload, length);
      else this.drops.count(Drop.NoSocket);
    } else if (protocol == PROTOCOL_ICMP) {
      this.inputIcmp(now, ip, payload, length, local);
    } else {
      this.drops.count(Drop.Unsupported);
    }
  }

  private inputIcmp(now: u64, ip: usize, p: usize, n: u32, local: bool): void {
    const bad = checkIcmp(p, n);
    if (bad) return this.drops.count(bad);
    if (icmpType(p) != ICMP_ECHO_REQUEST || icmpCode(p) != 0) return; // replies and errors: nothing to do here
    if (!local) return this.drops.count(Drop.NotForUs); // no answers to broadcast pings (RFC 1122 3.2.2.6 allows either)
    if (n > this.mtu - IPV4_HEADER_LEN) return this.drops.count(Drop.BadLength);
    const q = this.beginIpv4(now, ipv4Src(ip), PROTOCOL_ICMP);
    if (q == 0) return;
    memory.copy(q, p, n);
    emitIcmp(q, n, ICMP_ECHO_REPLY, 0);
    this.endIpv4(n);
  }

  /**
   * Answers the packet being received (the IPv4 header at ip) with ICMP destination
   * unreachable, port unreachable: its header and first 8 payload bytes (RFC 792), rate
   * limited. Only for packets to our own address.
   */
  portUnreachable(now: u64, ip: usize): void {
    if (ipv4Dst(ip) != this.address || !this.takeIcmpToken(now)) return;
    const quoted = min(ipv4TotalLen(ip), ipv4HeaderLen(ip) + 8);
    const q = this.beginIpv4(now, ipv4Src(ip), PROTOCOL_ICMP);
    if (q == 0) return;
    clearIcmpRest(q);
    memory.copy(q + ICMP_HEADER_LEN, ip, quoted);
    emitIcmp(q, ICMP_HEADER_LEN + quoted, ICMP_DEST_UNREACHABLE, ICMP_CODE_PORT_UNREACHABLE);
    this.endIpv4(ICMP_HEADER_LEN + quoted);
  }

  private takeIcmpToken(now: u64): bool {
    const refill = (now - this.icmpRefilledAt) * ICMP_ERRORS_PER_SEC / NSEC_PER_SEC;
    if (refill > 0) {
      this.icmpTokens = <u32>min(<u64>ICMP_ERROR_BURST, <u64>this.icmpTokens + refill);
      this.icmpRefilledAt = now;
    }
    if (this.icmpTokens == 0) return false;
    this.icmpTokens--;
    return true;
  }

  /**
   * Starts an IPv4 packet to `dst`: the Ethernet header and the IPv4 addresses (so the
   * caller can sum its pseudo-header), then returns where the payload goes, at most
   * maxPayload() bytes. 0 (and a counted drop) when `dst` is off the subnet and there is
   * no gateway. A next hop whose MAC is not known yet gets an ARP request (at most one a
   * second), and endIpv4() keeps the packet until the reply.
   */
  beginIpv4(now: u64, dst: u32, protocol: u32): usize {
    const q = this.tx.dataStart;
    if (dst == IPV4_BROADCAST || (this.address != 0 && dst == this.broadcast)) {
      this.txMac = <i64>MAC_BROADCAST;
    } else {
      const hop = this.onLink(dst) ? dst : this.gateway;
      if (hop == 0) {
        this.drops.count(Drop.NoRoute);
        return 0;
      }
      this.txHop = hop;
      const found = this.neighbors.lookup(now, hop);
      if (found == Lookup.Found) {
        this.txMac = <i64>this.neighbors.mac;
      } else {
        this.txMac = -1;
        if (found == Lookup.Request) {
          emitEthernet(q, MAC_BROADCAST, this.mac, ETHERTYPE_ARP);
          emitArp(q + IP, ARP_REQUEST, this.mac, this.address, 0, hop);
          this.transmit(q, <u32>IP + ARP_LEN);
        }
      }
    }
    emitEthernet(q, this.txMac < 0 ? 0 : <u64>this.txMac, this.mac, ETHERTYPE_IPV4);
    const ip = q + IP;
    // The addresses now, the rest in endIpv4: what pseudoHeaderSum reads is in place.
    setIpv4Addresses(ip, this.address, dst);
    this.txDst = dst;
    this.txProtocol = protocol;
    this.txNow = now;
    return ip + IPV4_HEADER_LEN;
  }

  /** The most payload a packet may carry (the MTU less the IPv4 header). */
  maxPayload(): u32 {
    return this.mtu - IPV4_HEADER_LEN;
  }

  /** Where the IPv4 header of the packet being built is (for pseudo-header sums). */
  get txIp(): usize {
    return this.tx.dataStart + IP;
  }

  /** Finishes the packet beginIpv4() started, with `length` bytes of payload, and sends
   * it (or keeps it until its next hop's MAC is known). */
  endIpv4(length: u32): void {
    const q = this.tx.dataStart;
    emitIpv4(q + IP, this.address, this.txDst, this.txProtocol, length, this.ident++);
    const n = <u32>IP + IPV4_HEADER_LEN + length;
    if (this.txMac >= 0) return this.transmit(q, n);
    if (!this.pending.hold(this.txNow, this.txHop, q, n)) this.drops.count(Drop.NoRoute);
  }

  /** Sends what was kept for `hop`, now at `mac`. */
  private sendHeld(hop: u32, mac: u64): void {
    let slot: i32;
    while ((slot = this.pending.findFor(hop)) >= 0) {
      const p = this.pending.framePtr(slot);
      storeMac(p, mac);
      this.transmit(p, this.pending.frameLength(slot));
      this.pending.free(slot);
    }
  }

  /** Drops frames that waited for ARP too long (counted as no route). */
  expireHeld(now: u64): void {
    const n = this.pending.expire(now);
    for (let i = 0; i < n; i++) this.drops.count(Drop.NoRoute);
  }


  private transmit(q: usize, length: u32): void {
    this.sent++;
    this.device.transmit(q, length);
  }
}
