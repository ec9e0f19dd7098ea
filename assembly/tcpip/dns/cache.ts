// The resolver's cache of answers: a few names with their address and when the answer's
// TTL runs out. Bounded: when full, the entry that expires first makes room.

export class DnsCache {
  private readonly names: StaticArray<string>;
  private readonly addresses: StaticArray<u32>;
  private readonly expiries: StaticArray<u64>;

  constructor(readonly capacity: i32) {
    this.names = new StaticArray<string>(capacity);
    this.addresses = new StaticArray<u32>(capacity);
    this.expiries = new StaticArray<u64>(capacity);
    for (let i = 0; i < capacity; i++) this.names[i] = "";
  }

  /** The address cached for `key` (a name lower-cased, without its trailing dot) at `now`, or -1. */
  lookup(now: u64, key: string): i64 {
    const i = this.find(key);
    if (i < 0 || unchecked(this.expiries[i]) <= now) return -1;
    return <i64>unchecked(this.addresses[i]);
  }

  /** Remembers `address` for `key` until `expiresAt`. */
  store(key: string, address: u32, expiresAt: u64): void {
    let slot = this.find(key);
    if (slot < 0) {
      slot = 0;
      for (let i = 1; i < this.capacity; i++) {
        if (unchecked(this.expiries[i]) < unchecked(this.expiries[slot])) slot = i;
      }
    }
    unchecked((this.names[slot] = key));
    unchecked((this.addresses[slot] = address));
    unchecked((this.expiries[slot] = expiresAt));
  }

  private find(key: string): i32 {
    for (let i = 0; i < this.capacity; i++) {
      if (unchecked(this.names[i]) == key) return i;
    }
    return -1;
  }
}
