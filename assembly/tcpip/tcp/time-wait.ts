// TIME-WAIT records (RFC 9293 3.6.1): after an active close, 2 * MSL of remembering the
// connection's last sequence numbers, to re-ACK a retransmitted FIN and to judge a new
// SYN for the same 4-tuple (RFC 6191). No buffers; a ring in order of creation, so expiry
// looks at the front only; when full, the oldest gives way.

export class TimeWaitTable {
  readonly keys: StaticArray<u64>;
  readonly rcvNxt: StaticArray<u32>;
  readonly sndNxt: StaticArray<u32>;
  readonly expiresAt: StaticArray<u64>;
  /** Slots are in creation order from head; a record taken over early is marked dead. */
  readonly live: StaticArray<bool>;
  head: i32 = 0;
  count: i32 = 0;

  constructor(readonly size: i32) {
    this.keys = new StaticArray<u64>(size);
    this.rcvNxt = new StaticArray<u32>(size);
    this.sndNxt = new StaticArray<u32>(size);
    this.expiresAt = new StaticArray<u64>(size);
    this.live = new StaticArray<bool>(size);
  }

  get isFull(): bool {
    return this.count == this.size;
  }

  /** The slot a new record goes in (the ring must not be full). */
  push(key: u64, rcvNxt: u32, sndNxt: u32, expiresAt: u64): i32 {
    const i = (this.head + this.count) % this.size;
    unchecked((this.keys[i] = key));
    unchecked((this.rcvNxt[i] = rcvNxt));
    unchecked((this.sndNxt[i] = sndNxt));
    unchecked((this.expiresAt[i] = expiresAt));
    unchecked((this.live[i] = true));
    this.count++;
    return i;
  }

  /** The oldest slot, or -1 when empty. */
  get front(): i32 {
    return this.count == 0 ? -1 : this.head;
  }

  pop(): void {
    unchecked((this.live[this.head] = false));
    this.head = (this.head + 1) % this.size;
    this.count--;
  }
}
