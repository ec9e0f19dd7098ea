// UDP over the interface: demultiplexing to sockets by local port, ICMP port unreachable
// for ports nobody listens on, and the sockets' send queues drained in poll().
import { Drop } from "../drop";
import { Interface, Transport } from "../iface/interface";
import { PROTOCOL_UDP, ipv4Src, ipv4Dst, IPV4_BROADCAST } from "../wire/ipv4";
import { checkUdp, emitUdp, UDP_HEADER_LEN, udpDstPort, udpLength, udpSrcPort } from "../wire/udp";
import { UdpSocket, UdpSocketOptions } from "./socket";

/** Ephemeral ports (RFC 6335's dynamic range). */
const EPHEMERAL_FIRST: u32 = 49152;
const EPHEMERAL_COUNT: u32 = 16384;

/** UDP over an interface: datagrams handed to sockets by local port, ICMP port unreachable for ports nobody listens on, the sockets' send queues drained at each poll. */
export class UdpLayer implements Transport {
  /** The sockets bound, in the order they were. */
  readonly sockets: UdpSocket[] = [];
  private nextEphemeral: u32;

  constructor(
    /** The interface it sends and receives through. */
    readonly iface: Interface,
    ephemeralSeed: u32,
  ) {
    this.nextEphemeral = ephemeralSeed % EPHEMERAL_COUNT;
    iface.udp = this;
  }

  /** A socket on `port` (0: an ephemeral one); null when the port is taken. */
  bind(port: u32, options: UdpSocketOptions = new UdpSocketOptions()): UdpSocket | null {
    if (port == 0) port = this.ephemeralPort();
    if (port == 0 || port > 0xffff || this.find(port) !== null) return null;
    const socket = new UdpSocket(port, options);
    this.sockets.push(socket);
    return socket;
  }

  /** Closes `socket`: its port is free again, its queues are dropped. */
  close(socket: UdpSocket): void {
    const i = this.sockets.indexOf(socket);
    if (i >= 0) this.sockets.splice(i, 1);
    socket.closed = true;
  }

  private ephemeralPort(): u32 {
    for (let tries: u32 = 0; tries < EPHEMERAL_COUNT; tries++) {
      const port = EPHEMERAL_FIRST + this.nextEphemeral;
      this.nextEphemeral = (this.nextEphemeral + 1) % EPHEMERAL_COUNT;
      if (this.find(port) === null) return port;
    }
    return 0;
  }

  private find(port: u32): UdpSocket | null {
    for (let i = 0; i < this.sockets.length; i++) {
      const s = unchecked(this.sockets[i]);
      if (s.localPort == port) return s;
    }
    return null;
  }

  /** @internal A datagram from the interface, its IPv4 header at ip. */
  input(now: u64, ip: usize, p: usize, length: u32): void {
    const bad = checkUdp(ip, p, length);
    if (bad) return this.iface.drops.count(bad);
    const socket = this.find(udpDstPort(p));
    if (socket === null) {
      this.iface.drops.count(Drop.NoSocket);
      const dst = ipv4Dst(ip);
      if (dst != IPV4_BROADCAST && dst != this.iface.broadcast) this.iface.portUnreachable(now, ip);
      return;
    }
    if (!socket.rx.push(p + UDP_HEADER_LEN, udpLength(p) - UDP_HEADER_LEN, ipv4Src(ip), udpSrcPort(p))) {
      socket.dropped++;
      this.iface.drops.count(Drop.QueueFull);
    }
  }

  /** Sends what the sockets queued. */
  dispatch(now: u64): void {
    const iface = this.iface;
    for (let i = 0; i < this.sockets.length; i++) {
      const s = unchecked(this.sockets[i]);
      for (; !s.tx.isEmpty; s.tx.pop()) {
        const n = s.tx.frontLength;
        if (n > iface.maxPayload() - UDP_HEADER_LEN) {
          iface.drops.count(Drop.BadLength); // larger than the MTU: the stack does not fragment
          continue;
        }
        const q = iface.beginIpv4(now, s.tx.frontAddress, PROTOCOL_UDP);
        if (q == 0) continue; // no route (counted)
        memory.copy(q + UDP_HEADER_LEN, s.tx.frontPtr, n);
        emitUdp(iface.txIp, q, s.localPort, s.tx.frontPort, n);
        iface.endIpv4(UDP_HEADER_LEN + n);
      }
    }
  }

  /** When dispatch() must run next: now if a datagram is queued. */
  pollAt(now: u64): u64 {
    for (let i = 0; i < this.sockets.length; i++) if (!unchecked(this.sockets[i]).tx.isEmpty) return now;
    return u64.MAX_VALUE;
  }
}
