// A network stack on one device: the interface (ARP, IPv4, ICMP), UDP and TCP, driven
// by poll(now), which does all pending work, and pollAt(now), which says when poll must
// run next (smoltcp's contract). wait() is the event loop's one blocking call: it sends
// what the application queued, then sleeps in solo5_yield until pollAt or a frame.
//
//   const stack = NetStack.open("service0")!;
//   stack.configure(parseIpv4("10.0.0.2"), 24, 0);
//   const http = stack.tcp.listen(80)!;
//   for (;;) {
//     stack.poll(monotonic());
//     let c = http.accept();
//     ...read and write sockets...
//     stack.wait();
//   }
import { Net } from "../net";
import { SOLO5_TIME_INFINITE, solo5_clock_monotonic, solo5_yield } from "../solo5";
import { randomU64 } from "../entropy";
import { Device, Solo5Device } from "./iface/device";
import { Interface } from "./iface/interface";
import { TcpConfig } from "./tcp/config";
import { TcpLayer } from "./tcp/layer";
import { UdpLayer } from "./udp/layer";

/** Something that runs on the stack's clock beside TCP and UDP: the DHCP client, a DNS
 * resolver. poll() runs after the layers' input, before their output. */
export interface StackService {
  /** Does what is due at `now`: called by the stack at each of its polls. */
  poll(now: u64): void;
  /** When poll() must run next (u64.MAX_VALUE: only when input comes). */
  pollAt(now: u64): u64;
}

/** A whole stack on one device: the interface (ARP, IPv4, ICMP), UDP and TCP, and the services added to it, all run by poll(now); pollAt() and wait() give the event loop its next deadline. */
export class NetStack {
  /** The interface: addresses, ARP, IPv4 and ICMP, drop counters. */
  readonly iface: Interface;
  private readonly services: StackService[] = [];
  /** UDP: bind sockets here. */
  readonly udp: UdpLayer;
  /** TCP: listen and connect here. */
  readonly tcp: TcpLayer;
  /** The DNS server DHCP gave, or configure() set (0: none). */
  dns: u32 = 0;

  /** A stack on `device`. `keys`: four random words, for TCP's sequence numbers and table. */
  constructor(
    /** The device the interface sends and receives through. */
    readonly device: Device, keys: StaticArray<u64>, config: TcpConfig = new TcpConfig()) {
    const iface = new Interface(device);
    this.iface = iface;
    this.udp = new UdpLayer(iface, <u32>keys[3]);
    this.tcp = new TcpLayer(iface, config, keys);
  }

  /** A stack on the NET_BASIC device `name` of the manifest, keyed from the host's entropy;
   * null when there is no such device (or it was acquired already). */
  static open(name: string, config: TcpConfig = new TcpConfig()): NetStack | null {
    const net = Net.acquire(name);
    if (net === null) return null;
    const keys = new StaticArray<u64>(4);
    for (let i = 0; i < 4; i++) keys[i] = randomU64();
    return new NetStack(new Solo5Device(net), keys, config);
  }

  /** A static address: `prefix` bits of network, a gateway (0: none), a DNS server (0: none). */
  configure(address: u32, prefix: u32, gateway: u32, dns: u32 = 0): void {
    this.iface.configure(address, prefix, gateway);
    this.dns = dns;
  }

  /** Runs `service` from now on, at every poll. */
  addService(service: StackService): void {
    this.services.push(service);
  }

  /** Does everything pending at time `now`: takes in waiting frames, then sends what is due. */
  poll(now: u64): void {
    this.iface.receive(now);
    this.flush(now);
  }

  /** Sends what is due (what the application queued since poll, timers that fired). */
  flush(now: u64): void {
    this.iface.expireHeld(now);
    for (let i = 0; i < this.services.length; i++) unchecked(this.services[i]).poll(now);
    this.tcp.dispatch(now);
    this.udp.dispatch(now);
  }

  /** When poll() must run next, at the latest (u64.MAX_VALUE: only when a frame comes). */
  pollAt(now: u64): u64 {
    let at = min(this.tcp.pollAt(now), this.udp.pollAt(now));
    for (let i = 0; i < this.services.length; i++) at = min(at, unchecked(this.services[i]).pollAt(now));
    return at;
  }

  /** Flushes, then sleeps until pollAt(), `until` (the caller's own deadline) or a frame
   * for this stack's Solo5 device. */
  wait(until: u64 = u64.MAX_VALUE): void {
    const now = solo5_clock_monotonic();
    this.flush(now);
    const deadline = min(until, this.pollAt(now));
    const set = memory.data(8);
    solo5_yield(deadline == u64.MAX_VALUE ? SOLO5_TIME_INFINITE : deadline, set);
    if (this.device instanceof Solo5Device) {
      const device = changetype<Solo5Device>(this.device);
      device.ready = (load<u64>(set) & device.net.bit) != 0;
    }
  }
}
