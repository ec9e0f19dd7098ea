// The connection table: (remote address, remote port, local port) -> an entry number,
// open addressing with linear probing and backward-shift deletion (no tombstones, so a
// table that sees millions of connections come and go never degrades). Keys are hashed
// with a secret key so that a peer cannot pick ports that all land in one run.
import { SipKey, siphash128 } from "./siphash";

/** No entry. */
export const NOT_FOUND: i32 = -1;

/** The table's key for a connection. */
// @ts-ignore: decorator
@inline
export function connectionKey(remoteIp: u32, remotePort: u32, localPort: u32): u64 {
  return (<u64>remoteIp << 32) | (<u64>remotePort << 16) | <u64>localPort;
}

export class ConnectionTable {
  private readonly keys: StaticArray<u64>;
  /** Entry numbers plus one (0: an empty slot). */
  private readonly values: StaticArray<i32>;
  private readonly mask: u32;
  count: i32 = 0;

  /** Room for `entries` connections at most half full. */
  constructor(entries: i32, private readonly key: SipKey) {
    let size: u32 = 16;
    while (size < <u32>entries * 2) size <<= 1;
    this.keys = new StaticArray<u64>(size);
    this.values = new StaticArray<i32>(size);
    this.mask = size - 1;
  }

  private slotOf(k: u64): u32 {
    return <u32>siphash128(this.key, k, 0) & this.mask;
  }

  get(k: u64): i32 {
    let i = this.slotOf(k);
    let v: i32;
    while ((v = unchecked(this.values[i])) != 0) {
      if (unchecked(this.keys[i]) == k) return v - 1;
      i = (i + 1) & this.mask;
    }
    return NOT_FOUND;
  }

  /** Adds or replaces k's entry. */
  set(k: u64, value: i32): void {
    let i = this.slotOf(k);
    for (;;) {
      const v = unchecked(this.values[i]);
      if (v == 0) {
        this.count++;
        break;
      }
      if (unchecked(this.keys[i]) == k) break;
      i = (i + 1) & this.mask;
    }
    unchecked((this.keys[i] = k));
    unchecked((this.values[i] = value + 1));
  }

  delete(k: u64): void {
    let i = this.slotOf(k);
    for (;;) {
      const v = unchecked(this.values[i]);
      if (v == 0) return;
      if (unchecked(this.keys[i]) == k) break;
      i = (i + 1) & this.mask;
    }
    this.count--;
    // Backward shift: move later entries of the run into the hole when their home slot
    // does not lie (cyclically) between the hole and where they are.
    let hole = i;
    let j = i;
    for (;;) {
      j = (j + 1) & this.mask;
      if (unchecked(this.values[j]) == 0) break;
      const home = this.slotOf(unchecked(this.keys[j]));
      if (((j - home) & this.mask) >= ((j - hole) & this.mask)) {
        unchecked((this.keys[hole] = this.keys[j]));
        unchecked((this.values[hole] = this.values[j]));
        hole = j;
      }
    }
    unchecked((this.values[hole] = 0));
  }
}
