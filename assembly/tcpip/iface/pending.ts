// Frames waiting for ARP: a packet to a next hop whose MAC is not known yet is kept here
// (as Linux keeps it in the neighbour's queue) and sent when the ARP reply comes, instead
// of being lost, which would cost a TCP handshake a retransmission timeout. A fixed
// number of slots; the oldest frame gives way when they are all taken, and frames older
// than HOLD_TIME are dropped.
import { NSEC_PER_SEC } from "../../time";

export const HOLD_TIME: u64 = 3 * NSEC_PER_SEC;

export class PendingFrames {
  private readonly frames: Uint8Array;
  private readonly lengths: StaticArray<u32>;
  private readonly hops: StaticArray<u32>;
  private readonly heldAt: StaticArray<u64>;
  private readonly used: StaticArray<bool>;
  count: i32 = 0;

  constructor(readonly slots: i32, readonly slotSize: u32) {
    this.frames = new Uint8Array(slots * slotSize);
    this.lengths = new StaticArray<u32>(slots);
    this.hops = new StaticArray<u32>(slots);
    this.heldAt = new StaticArray<u64>(slots);
    this.used = new StaticArray<bool>(slots);
  }

  framePtr(slot: i32): usize {
    return this.frames.dataStart + <usize>slot * this.slotSize;
  }

  frameLength(slot: i32): u32 {
    return unchecked(this.lengths[slot]);
  }

  /** Keeps a copy of the n-byte frame at p for `hop`; false when it replaced an older one. */
  hold(now: u64, hop: u32, p: usize, n: u32): bool {
    let slot = -1;
    let oldest = 0;
    for (let i = 0; i < this.slots; i++) {
      if (!unchecked(this.used[i])) {
        slot = i;
        break;
      }
      if (unchecked(this.heldAt[i]) < unchecked(this.heldAt[oldest])) oldest = i;
    }
    const replaced = slot < 0;
    if (replaced) slot = oldest;
    else this.count++;
    memory.copy(this.framePtr(slot), p, n);
    unchecked((this.lengths[slot] = n));
    unchecked((this.hops[slot] = hop));
    unchecked((this.heldAt[slot] = now));
    unchecked((this.used[slot] = true));
    return !replaced;
  }

  /** A slot held for `hop` (-1: none); free() it once sent. */
  findFor(hop: u32): i32 {
    if (this.count == 0) return -1;
    for (let i = 0; i < this.slots; i++) if (unchecked(this.used[i]) && unchecked(this.hops[i]) == hop) return i;
    return -1;
  }

  free(slot: i32): void {
    unchecked((this.used[slot] = false));
    this.count--;
  }

  /** Drops frames held longer than HOLD_TIME: how many. */
  expire(now: u64): i32 {
    if (this.count == 0) return 0;
    let dropped = 0;
    for (let i = 0; i < this.slots; i++) {
      if (unchecked(this.used[i]) && now - unchecked(this.heldAt[i]) >= HOLD_TIME) {
        this.free(i);
        dropped++;
      }
    }
    return dropped;
  }
}
