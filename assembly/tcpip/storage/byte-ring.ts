// A ring of bytes: a TCP socket's send buffer (unacknowledged and unsent data) and its
// receive buffer (data in order, then room where out-of-order data is placed ahead of
// time, see Assembler). Offsets are from the oldest byte. Nothing is allocated after
// construction.

export class ByteRing {
  private readonly data: Uint8Array;
  readonly capacity: u32;
  /** Index of the oldest byte. */
  private start: u32 = 0;
  /** Bytes held, from start. */
  length: u32 = 0;

  constructor(capacity: u32) {
    this.capacity = capacity;
    this.data = new Uint8Array(capacity);
  }

  get free(): u32 {
    return this.capacity - this.length;
  }

  /** Appends up to n bytes from p: how many fit. */
  write(p: usize, n: u32): u32 {
    n = min(n, this.free);
    this.copyIn(this.length, p, n);
    this.length += n;
    return n;
  }

  /** Writes n bytes from p at `offset` past the oldest byte, beyond what is held (offset + n <= capacity); commit() makes them held. */
  writeAhead(offset: u32, p: usize, n: u32): void {
    this.copyIn(offset, p, n);
  }

  /** Takes n bytes written ahead at the end into the held data. */
  commit(n: u32): void {
    this.length += n;
  }

  /** Copies n bytes starting `offset` past the oldest (offset + n <= length) to p. */
  peek(offset: u32, p: usize, n: u32): void {
    let at = this.start + offset;
    if (at >= this.capacity) at -= this.capacity;
    const first = min(n, this.capacity - at);
    memory.copy(p, this.data.dataStart + <usize>at, first);
    if (first < n) memory.copy(p + first, this.data.dataStart, n - first);
  }

  /** Copies up to n of the oldest bytes to p and drops them: how many. */
  read(p: usize, n: u32): u32 {
    n = min(n, this.length);
    this.peek(0, p, n);
    this.consume(n);
    return n;
  }

  /** Drops the n oldest bytes (n <= length). */
  consume(n: u32): void {
    this.length -= n;
    this.start += n;
    if (this.start >= this.capacity) this.start -= this.capacity;
    // (start does not go back to 0 when the ring empties: bytes written ahead are placed
    // relative to it.)
  }

  /** The oldest bytes that are contiguous in memory: their address (see contiguousLength). */
  get contiguousPtr(): usize {
    return this.data.dataStart + <usize>this.start;
  }

  get contiguousLength(): u32 {
    return min(this.length, this.capacity - this.start);
  }

  private copyIn(offset: u32, p: usize, n: u32): void {
    let at = this.start + offset;
    if (at >= this.capacity) at -= this.capacity;
    const first = min(n, this.capacity - at);
    memory.copy(this.data.dataStart + <usize>at, p, first);
    if (first < n) memory.copy(this.data.dataStart, p + first, n - first);
  }
}
