// Network devices (NET_BASIC): a Net object per acquired device, and waitFor, the one
// blocking call of a unikernel's event loop:
//
//   const net = Net.acquire("service0")!;
//   const frame = net.frameBuffer();
//   for (;;) {
//     if (net.readyIn(waitFor([net], monotonic() + NSEC_PER_SEC))) {
//       const n = net.read(frame);   // a frame: yield said so
//       ...
//     }
//   }
import {
  SOLO5_R_OK,
  SOLO5_TIME_INFINITE,
  solo5_handle_t,
  solo5_net_acquire,
  solo5_net_info,
  solo5_net_read,
  solo5_net_write,
  solo5_result_t,
  solo5_yield,
  solo5_clock_monotonic,
} from "./solo5";

/** SOLO5_NET_HLEN: the Ethernet header, which the MTU does not include. */
export const NET_HLEN: u32 = 14;

/** An acquired NET_BASIC device: raw Ethernet frames in and out, never blocking. */
export class Net {
  /** The device's MAC address (6 bytes). */
  readonly mac: Uint8Array = new Uint8Array(6);

  private constructor(
    /** The manifest name it was acquired by. */
    readonly name: string,
    /** The handle the raw solo5_net_* calls take. */
    readonly handle: solo5_handle_t,
    /** Largest payload, without the Ethernet header. */
    readonly mtu: u32,
  ) {}

  /** The device named `name` in the manifest; null if there is none, or it is already acquired. */
  static acquire(name: string): Net | null {
    const cname = String.UTF8.encode(name, true);
    const handle = memory.data(8);
    const info = changetype<solo5_net_info>(memory.data(offsetof<solo5_net_info>()));
    if (solo5_net_acquire(changetype<usize>(cname), handle, changetype<usize>(info)) != SOLO5_R_OK) return null;
    const net = new Net(name, <solo5_handle_t>load<u64>(handle), info.mtu);
    memory.copy(net.mac.dataStart, changetype<usize>(info), 6);
    return net;
  }

  /** Bytes a frame can have: mtu + 14. */
  get frameSize(): u32 {
    return this.mtu + NET_HLEN;
  }

  /** A buffer any frame of this device fits in (what read() needs). */
  frameBuffer(): Uint8Array {
    return new Uint8Array(this.frameSize);
  }

  /**
   * Takes the next frame into `buf` without blocking. Returns its length, or a negated
   * result: -SOLO5_R_AGAIN when none is waiting, -SOLO5_R_EINVAL when `buf` is
   * shorter than frameSize.
   */
  read(buf: Uint8Array): i32 {
    const size = memory.data(4);
    const r = solo5_net_read(this.handle, buf.dataStart, buf.byteLength, size);
    return r == SOLO5_R_OK ? <i32>load<u32>(size) : -r;
  }

  /**
   * Sends the first `length` bytes of `buf` (all of it by default) as one frame,
   * without blocking. SOLO5_R_EINVAL unless 14 <= length <= frameSize; a frame the
   * platform cannot take now is dropped (and counted there), still SOLO5_R_OK.
   */
  write(buf: Uint8Array, length: i32 = -1): solo5_result_t {
    const n = length < 0 ? buf.byteLength : min(length, buf.byteLength);
    return solo5_net_write(this.handle, buf.dataStart, n);
  }

  /** This device's bit in a handle set. */
  get bit(): u64 {
    return (<u64>1) << this.handle;
  }

  /** Whether a ready set from waitFor (or solo5_yield) has this device in it. */
  readyIn(set: u64): bool {
    return (set & this.bit) != 0;
  }
}

/**
 * Sleeps until one of `nets` has a frame (returns their ready set) or the monotonic
 * clock reaches `deadline` (returns 0). SOLO5_TIME_INFINITE waits for input alone.
 * Readiness is level-triggered: a device stays ready until read() says AGAIN.
 * yield also wakes for acquired devices not in `nets`; to sleep through those, it
 * would spin, so pass every device you acquired.
 */
export function waitFor(nets: Net[], deadline: u64 = SOLO5_TIME_INFINITE): u64 {
  let mask: u64 = 0;
  for (let i = 0; i < nets.length; i++) mask |= nets[i].bit;
  const set = memory.data(8);
  let ready: u64 = 0;
  do {
    solo5_yield(deadline, set);
    ready = load<u64>(set) & mask;
  } while (ready == 0 && solo5_clock_monotonic() < deadline);
  return ready;
}
