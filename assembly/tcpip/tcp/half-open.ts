// Half-open connections: a SYN came, our SYN-ACK went, the ACK has not. A small record
// each (no buffers), in a table of fixed size; when it is full the layer answers with
// SYN cookies instead (syn-cookie.ts), so a SYN flood costs a bounded amount of memory
// and real clients still get through.

export class HalfOpenTable {
  readonly keys: StaticArray<u64>;
  readonly listeners: StaticArray<i32>;
  readonly iss: StaticArray<u32>;
  readonly irs: StaticArray<u32>;
  readonly peerMss: StaticArray<u32>;
  /** -1: no window scale option on the SYN. */
  readonly peerShift: StaticArray<i32>;
  readonly sackOk: StaticArray<bool>;
  /** When the SYN-ACK is resent next, and how often it has been. */
  readonly resendAt: StaticArray<u64>;
  readonly resends: StaticArray<u32>;
  readonly used: StaticArray<bool>;
  private readonly freeSlots: StaticArray<i32>;
  private freeCount: i32;
  count: i32 = 0;
  /** No record resends before this (it may be earlier than the true earliest: then a
   * look finds nothing due and moves it on). */
  nextResend: u64 = u64.MAX_VALUE;

  constructor(readonly size: i32) {
    this.keys = new StaticArray<u64>(size);
    this.listeners = new StaticArray<i32>(size);
    this.iss = new StaticArray<u32>(size);
    this.irs = new StaticArray<u32>(size);
    this.peerMss = new StaticArray<u32>(size);
    this.peerShift = new StaticArray<i32>(size);
    this.sackOk = new StaticArray<bool>(size);
    this.resendAt = new StaticArray<u64>(size);
    this.resends = new StaticArray<u32>(size);
    this.used = new StaticArray<bool>(size);
    this.freeSlots = new StaticArray<i32>(size);
    for (let i = 0; i < size; i++) this.freeSlots[i] = size - 1 - i;
    this.freeCount = size;
  }

  get isFull(): bool {
    return this.freeCount == 0;
  }

  /** A new record (the table must not be full). */
  add(now: u64, key: u64, listener: i32, iss: u32, irs: u32, peerMss: u32, peerShift: i32, sackOk: bool, rto: u64): i32 {
    const i = unchecked(this.freeSlots[--this.freeCount]);
    this.count++;
    unchecked((this.used[i] = true));
    unchecked((this.keys[i] = key));
    unchecked((this.listeners[i] = listener));
    unchecked((this.iss[i] = iss));
    unchecked((this.irs[i] = irs));
    unchecked((this.peerMss[i] = peerMss));
    unchecked((this.peerShift[i] = peerShift));
    unchecked((this.sackOk[i] = sackOk));
    unchecked((this.resendAt[i] = now + rto));
    unchecked((this.resends[i] = 0));
    this.nextResend = min(this.nextResend, now + rto);
    return i;
  }

  release(i: i32): void {
    if (!unchecked(this.used[i])) return;
    unchecked((this.used[i] = false));
    unchecked((this.freeSlots[this.freeCount++] = i));
    this.count--;
  }
}
