// What the interface sends and receives frames through: a Solo5 NET_BASIC device, or
// the simulator's link (tests/guests/tcpip-sim). Frames are lent: receive() fills the
// caller's buffer, transmit() copies out of it before it returns.
import { SOLO5_R_AGAIN, SOLO5_R_OK, solo5_net_read, solo5_net_write } from "../../solo5";
import { Net } from "../../net";
import { loadMac } from "../wire/ethernet";

/** What an interface sends and receives frames through: a Solo5 NET_BASIC device, or the simulator's link. Frames are lent: receive() fills the caller's buffer, transmit() copies out of it before it returns. */
export abstract class Device {
  /** Largest IPv4 packet: the frame less its 14-byte Ethernet header. */
  abstract get mtu(): u32;
  /** The device's MAC, as the wire layer holds one (loadMac). */
  abstract get mac(): u64;
  /** Takes one frame into the `size` bytes at buf: its length, or 0 when none waits. */
  abstract receive(buf: usize, size: u32): u32;
  /** Sends the frame of `length` bytes at buf; a frame the device cannot take is dropped. */
  abstract transmit(buf: usize, length: u32): void;
}

/** A Solo5 net device. receive() keeps yield's word for it: a device yield did not
 * report ready is not read (Solo5's readiness is level-triggered, so the next yield
 * reports it again while frames wait). */
export class Solo5Device extends Device {
  /** Whether a frame may wait: set by the event loop from yield's ready set. */
  ready: bool = true;
  private readonly macAddress: u64;
  private readonly readSize: usize = memory.data(4);

  /** Wraps an acquired Net. */
  constructor(
    /** The Solo5 device it sends and receives through. */
    readonly net: Net,
  ) {
    super();
    this.macAddress = loadMac(net.mac.dataStart);
  }

  get mtu(): u32 {
    return this.net.mtu;
  }

  get mac(): u64 {
    return this.macAddress;
  }

  receive(buf: usize, size: u32): u32 {
    if (!this.ready) return 0;
    const r = solo5_net_read(this.net.handle, buf, size, this.readSize);
    if (r == SOLO5_R_OK) return load<u32>(this.readSize);
    if (r == SOLO5_R_AGAIN) this.ready = false;
    return 0;
  }

  transmit(buf: usize, length: u32): void {
    solo5_net_write(this.net.handle, buf, length);
  }
}
