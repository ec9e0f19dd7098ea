// A bounded queue of datagrams, each with its peer's address and port: the payloads in
// one byte buffer (a datagram is never split: one that does not fit before the end
// starts over at the front), their metadata in a ring of slots. Nothing is allocated
// after construction.

export class DatagramRing {
  private readonly data: Uint8Array;
  private readonly offsets: StaticArray<u32>;
  private readonly lengths: StaticArray<u32>;
  private readonly addresses: StaticArray<u32>;
  private readonly ports: StaticArray<u32>;
  /** Index of the oldest slot, and how many are in use. */
  private head: i32 = 0;
  private count: i32 = 0;
  /** Where the next payload is written, and where the oldest begins. */
  private writeAt: u32 = 0;

  constructor(bytes: u32, readonly slots: i32) {
    this.data = new Uint8Array(bytes);
    this.offsets = new StaticArray<u32>(slots);
    this.lengths = new StaticArray<u32>(slots);
    this.addresses = new StaticArray<u32>(slots);
    this.ports = new StaticArray<u32>(slots);
  }

  get isEmpty(): bool {
    return this.count == 0;
  }

  get length(): i32 {
    return this.count;
  }

  /** Queues `n` bytes at p from (address, port); false when it does not fit. */
  push(p: usize, n: u32, address: u32, port: u32): bool {
    const at = this.placeFor(n);
    if (at < 0) return false;
    memory.copy(this.data.dataStart + <usize>at, p, n);
    const slot = (this.head + this.count) % this.slots;
    unchecked((this.offsets[slot] = <u32>at));
    unchecked((this.lengths[slot] = n));
    unchecked((this.addresses[slot] = address));
    unchecked((this.ports[slot] = port));
    this.count++;
    this.writeAt = <u32>at + n;
    return true;
  }

  /** Where n bytes can go, or -1: after the newest payload, or at the front when they do
   * not fit before the end and the oldest payload leaves room there. */
  private placeFor(n: u32): i64 {
    const size = <u32>this.data.byteLength;
    if (this.count == this.slots || n > size) return -1;
    if (this.count == 0) {
      this.writeAt = 0;
      return 0;
    }
    const oldest = unchecked(this.offsets[this.head]);
    if (this.writeAt > oldest) {
      if (size - this.writeAt >= n) return this.writeAt;
      return n <= oldest ? 0 : -1;
    }
    return oldest - this.writeAt >= n ? this.writeAt : -1;
  }

  /** The oldest datagram's payload, length, peer address and port. */
  get frontPtr(): usize {
    return this.data.dataStart + <usize>unchecked(this.offsets[this.head]);
  }

  get frontLength(): u32 {
    return unchecked(this.lengths[this.head]);
  }

  get frontAddress(): u32 {
    return unchecked(this.addresses[this.head]);
  }

  get frontPort(): u32 {
    return unchecked(this.ports[this.head]);
  }

  /** Drops the oldest datagram. */
  pop(): void {
    if (this.count == 0) return;
    this.head = (this.head + 1) % this.slots;
    this.count--;
  }
}
