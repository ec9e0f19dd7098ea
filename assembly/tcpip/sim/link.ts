// A simulated Ethernet link between two stacks in one guest, as smoltcp's netsim: each
// direction a queue of frames in flight, with seeded loss, duplication, reordering,
// delay and jitter, and optionally a bottleneck rate whose queue drops at its tail.
// Time is the simulation's: the test moves `now` to the next event (see nextEvent()),
// so a run is the same on every machine, and minutes of retransmission take no time.
import { Device } from "../iface/device";
import { ETHERNET_HEADER_LEN } from "../wire/ethernet";

/** A simulated link's impairments: seeded loss, duplication, reordering, delay and jitter, and an optional bottleneck rate with a tail-drop queue. */
export class LinkConditions {
  /** Probabilities per frame, from 0 to 1. */
  loss: f64 = 0;
  /** The probability a frame arrives twice. */
  duplicate: f64 = 0;
  /** A reordered frame is held back by reorderDelay more than the rest. */
  reorder: f64 = 0;
  /** One-way delay of every frame, and up to this much more, uniformly. */
  delay: u64 = 1_000_000;
  /** Up to this much more delay, uniformly, per frame (ns). */
  jitter: u64 = 0;
  /** How much longer a reordered frame is held back (ns). */
  reorderDelay: u64 = 3_000_000;
  /** 0: no bottleneck; else frames leave at this many bytes a second, one after another. */
  bytesPerSec: u64 = 0;
  /** Frames queued in flight per direction: more are dropped (a router's tail drop). */
  queueFrames: i32 = 1024;
}

/** One direction: frames in flight, sorted by when they arrive. */
class Lane {
  readonly frames: Uint8Array;
  readonly lengths: StaticArray<u32>;
  readonly arrivals: StaticArray<u64>;
  /** Slots in arrival order: order[0] arrives first. */
  readonly order: StaticArray<i32>;
  readonly freeSlots: StaticArray<i32>;
  count: i32 = 0;
  freeCount: i32;
  /** When the bottleneck is free again. */
  busyUntil: u64 = 0;

  constructor(readonly slots: i32, readonly slotSize: u32) {
    this.frames = new Uint8Array(slots * slotSize);
    this.lengths = new StaticArray<u32>(slots);
    this.arrivals = new StaticArray<u64>(slots);
    this.order = new StaticArray<i32>(slots);
    this.freeSlots = new StaticArray<i32>(slots);
    for (let i = 0; i < slots; i++) this.freeSlots[i] = i;
    this.freeCount = slots;
  }

  slotPtr(slot: i32): usize {
    return this.frames.dataStart + <usize>slot * this.slotSize;
  }

  /** Queues a copy of the frame to arrive at `at`; false when the lane is full. */
  push(p: usize, n: u32, at: u64): bool {
    if (this.freeCount == 0) return false;
    const slot = unchecked(this.freeSlots[--this.freeCount]);
    memory.copy(this.slotPtr(slot), p, n);
    unchecked((this.lengths[slot] = n));
    unchecked((this.arrivals[slot] = at));
    // Stable: after every frame arriving at the same time or earlier.
    let k = this.count;
    while (k > 0 && unchecked(this.arrivals[unchecked(this.order[k - 1])]) > at) {
      unchecked((this.order[k] = this.order[k - 1]));
      k--;
    }
    unchecked((this.order[k] = slot));
    this.count++;
    return true;
  }

  get nextArrival(): u64 {
    return this.count == 0 ? u64.MAX_VALUE : unchecked(this.arrivals[unchecked(this.order[0])]);
  }

  /** Takes the first frame into buf if it has arrived by `now`: its length, or 0. */
  pop(now: u64, buf: usize, size: u32): u32 {
    if (this.count == 0) return 0;
    const slot = unchecked(this.order[0]);
    if (unchecked(this.arrivals[slot]) > now) return 0;
    const n = min(unchecked(this.lengths[slot]), size);
    memory.copy(buf, this.slotPtr(slot), n);
    for (let k = 1; k < this.count; k++) unchecked((this.order[k - 1] = this.order[k]));
    this.count--;
    unchecked((this.freeSlots[this.freeCount++] = slot));
    return n;
  }
}

/** One end of the link: what a stack is given as its device. */
export class LinkEnd extends Device {
  /** Frames this end sent (before the link's impairments) and received. */
  sent: u64 = 0;
  /** Frames this end received. */
  received: u64 = 0;

  constructor(
    /** The link this is an end of. */
    readonly link: SimLink,
    /** @internal What mac returns. */
    readonly macAddress: u64,
    /** @internal The lane this end sends into. */
    readonly outbound: Lane,
    /** @internal The lane this end receives from. */
    readonly inbound: Lane,
  ) {
    super();
  }

  get mtu(): u32 {
    return this.link.mtu;
  }

  get mac(): u64 {
    return this.macAddress;
  }

  receive(buf: usize, size: u32): u32 {
    const n = this.inbound.pop(this.link.now, buf, size);
    if (n > 0) this.received++;
    return n;
  }

  transmit(buf: usize, length: u32): void {
    this.sent++;
    const tap = this.link.tap;
    if (tap !== null) tap(buf, length, this == this.link.a);
    this.link.carry(this.outbound, buf, length);
  }

  /** Frames in flight towards this end (arrived or not). */
  get inFlight(): i32 {
    return this.inbound.count;
  }

  /** Puts a frame on this end's inbound lane as if it came over the wire now (a crafted
   * frame, for tests that attack a stack). */
  inject(frame: Uint8Array, length: i32 = -1): bool {
    const n = length < 0 ? frame.byteLength : length;
    return this.inbound.push(frame.dataStart, <u32>n, this.link.now);
  }
}

/** A simulated Ethernet link between two stacks in one guest, as smoltcp's netsim: each direction a queue of frames in flight with the conditions' impairments. Time is the simulation's (`now`): a run is the same on every machine. */
export class SimLink {
  /** The simulation's clock, in ns: set it, then poll the stacks. */
  now: u64 = 1_000_000_000;
  /** One end (MAC 02:00:00:00:00:0a): a stack's device. */
  readonly a!: LinkEnd;
  /** The other end (MAC 02:00:00:00:00:0b). */
  readonly b!: LinkEnd;
  /** Frames the impairments dropped, duplicated and held back, and the queue's tail drops. */
  lost: u64 = 0;
  /** Frames the link duplicated. */
  duplicated: u64 = 0;
  /** Frames the link held back (reordered). */
  reordered: u64 = 0;
  /** Frames dropped because a direction's queue was full. */
  overflowed: u64 = 0;
  private rng: u64;
  /** Called with every frame sent, before the impairments (a test's packet trace). */
  tap: ((frame: usize, length: u32, fromA: bool) => void) | null = null;

  constructor(
    /** The MTU of both ends. */
    readonly mtu: u32,
    /** The impairments, read at every frame (a test may change them as it runs). */
    readonly conditions: LinkConditions,
    seed: u64,
  ) {
    const slotSize = mtu + ETHERNET_HEADER_LEN;
    const ab = new Lane(conditions.queueFrames, slotSize);
    const ba = new Lane(conditions.queueFrames, slotSize);
    // Locally administered unicast MACs, 02:00:00:00:00:0a and :0b.
    this.a = new LinkEnd(this, 0x0a00_0000_0002, ab, ba);
    this.b = new LinkEnd(this, 0x0b00_0000_0002, ba, ab);
    // splitmix64's finaliser: every seed its own run (xorshift needs a state that is not 0).
    let z = seed + 0x9e3779b97f4a7c15;
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9;
    z = (z ^ (z >> 27)) * 0x94d049bb133111eb;
    this.rng = (z ^ (z >> 31)) | 1;
  }

  /** xorshift64*: uniform in [0, 1). */
  private random(): f64 {
    let x = this.rng;
    x ^= x >> 12;
    x ^= x << 25;
    x ^= x >> 27;
    this.rng = x;
    return <f64>((x * 0x2545f4914f6cdd1d) >> 11) / <f64>(<u64>1 << 53);
  }

  /** The next time a frame arrives at either end (u64.MAX_VALUE: none in flight). */
  nextEvent(): u64 {
    return min(this.a.inbound.nextArrival, this.b.inbound.nextArrival);
  }

  /** A frame sent into `lane`: lost, or queued (perhaps twice) with its delays. */
  carry(lane: Lane, p: usize, n: u32): void {
    const c = this.conditions;
    if (c.loss > 0 && this.random() < c.loss) {
      this.lost++;
      return;
    }
    let at = this.now;
    if (c.bytesPerSec > 0) {
      const start = max(at, lane.busyUntil);
      lane.busyUntil = start + <u64>n * 1_000_000_000 / c.bytesPerSec;
      at = lane.busyUntil;
    }
    at += c.delay;
    if (c.jitter > 0) at += <u64>(this.random() * <f64>c.jitter);
    if (c.reorder > 0 && this.random() < c.reorder) {
      at += c.reorderDelay;
      this.reordered++;
    }
    if (!lane.push(p, n, at)) {
      this.overflowed++;
      return;
    }
    if (c.duplicate > 0 && this.random() < c.duplicate) {
      this.duplicated++;
      lane.push(p, n, at + 1);
    }
  }
}
