// Half-open connections: a SYN came, our SYN-ACK went, the ACK has not. A small record
// each (no buffers), in a table of fixed size where a new SYN takes the oldest record's
// place when it is full: a SYN flood then costs a bounded amount of memory, and a real
// client's handshake, done in one round trip, is not crowded out.

export class HalfOpenTable {
  readonly keys: StaticArray<u64>;
  readonly listeners: StaticArray<i32>;
  readonly iss: StaticArray<u32>;
  readonly irs: StaticArray<u32>;
  readonly peerMss: StaticArray<u32>;
  /** -1: no window scale option on the SYN. */
  readonly peerShift: StaticArray<i32>;
  readonly sackOk: StaticArray<bool>;
  readonly createdAt: StaticArray<u64>;
  /** When the SYN-ACK is resent next, and how often it has been. */
  readonly resendAt: StaticArray<u64>;
  readonly resends: StaticArray<u32>;
  readonly used: StaticArray<bool>;
  count: i32 = 0;

  constructor(readonly size: i32) {
    this.keys = new StaticArray<u64>(size);
    this.listeners = new StaticArray<i32>(size);
    this.iss = new StaticArray<u32>(size);
    this.irs = new StaticArray<u32>(size);
    this.peerMss = new StaticArray<u32>(size);
    this.peerShift = new StaticArray<i32>(size);
    this.sackOk = new StaticArray<bool>(size);
    this.createdAt = new StaticArray<u64>(size);
    this.resendAt = new StaticArray<u64>(size);
    this.resends = new StaticArray<u32>(size);
    this.used = new StaticArray<bool>(size);
  }

  /** A free record, or the oldest one (its index is returned and `evicted` says so). */
  take(): i32 {
    let oldest = 0;
    for (let i = 0; i < this.size; i++) {
      if (!unchecked(this.used[i])) {
        this.evicted = false;
        return i;
      }
      if (unchecked(this.createdAt[i]) < unchecked(this.createdAt[oldest])) oldest = i;
    }
    this.evicted = true;
    return oldest;
  }

  /** Whether take() returned a record in use (whose key must leave the connection table). */
  evicted: bool = false;

  fill(i: i32, now: u64, key: u64, listener: i32, iss: u32, irs: u32, peerMss: u32, peerShift: i32, sackOk: bool, rto: u64): void {
    if (!unchecked(this.used[i])) this.count++;
    unchecked((this.used[i] = true));
    unchecked((this.keys[i] = key));
    unchecked((this.listeners[i] = listener));
    unchecked((this.iss[i] = iss));
    unchecked((this.irs[i] = irs));
    unchecked((this.peerMss[i] = peerMss));
    unchecked((this.peerShift[i] = peerShift));
    unchecked((this.sackOk[i] = sackOk));
    unchecked((this.createdAt[i] = now));
    unchecked((this.resendAt[i] = now + rto));
    unchecked((this.resends[i] = 0));
  }

  release(i: i32): void {
    if (unchecked(this.used[i])) this.count--;
    unchecked((this.used[i] = false));
  }

  /** The earliest resend among the records (u64.MAX_VALUE: none). */
  nextResend(): u64 {
    let at = u64.MAX_VALUE;
    if (this.count == 0) return at;
    for (let i = 0; i < this.size; i++) if (unchecked(this.used[i])) at = min(at, unchecked(this.resendAt[i]));
    return at;
  }
}
