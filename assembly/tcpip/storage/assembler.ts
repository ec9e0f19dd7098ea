// Out-of-order reassembly bookkeeping: which byte ranges beyond the in-order data have
// arrived, as at most `capacity` disjoint ranges of offsets from the end of the in-order
// data (the bytes themselves are already in the receive ring, written ahead). A segment
// that would need one range too many is refused: the bound keeps a peer that sends
// every other byte from growing the table (the reassembly queues that lwIP and others
// let grow without limit).

export class Assembler {
  private readonly starts: StaticArray<u32>;
  private readonly ends: StaticArray<u32>;
  /** Ranges in use, sorted by start, none touching another. */
  count: i32 = 0;
  /** Index of the range the last add() touched (the first SACK block, RFC 2018 4). */
  latest: i32 = -1;

  constructor(readonly capacity: i32) {
    this.starts = new StaticArray<u32>(capacity);
    this.ends = new StaticArray<u32>(capacity);
  }

  get isEmpty(): bool {
    return this.count == 0;
  }

  start(i: i32): u32 {
    return unchecked(this.starts[i]);
  }

  end(i: i32): u32 {
    return unchecked(this.ends[i]);
  }

  /** Records [offset, offset + n) as arrived (n > 0); false when that needs a range too many. */
  add(offset: u32, n: u32): bool {
    let lo = offset;
    let hi = offset + n;
    // The first range that ends at or after lo, and the first that starts after hi.
    let i = 0;
    while (i < this.count && unchecked(this.ends[i]) < lo) i++;
    let j = i;
    while (j < this.count && unchecked(this.starts[j]) <= hi) j++;
    if (i == j) {
      // Touches nothing: a new range at i.
      if (this.count == this.capacity) return false;
      for (let k = this.count; k > i; k--) {
        unchecked((this.starts[k] = this.starts[k - 1]));
        unchecked((this.ends[k] = this.ends[k - 1]));
      }
      this.count++;
    } else {
      // Merges ranges i..j-1 into one at i.
      lo = min(lo, unchecked(this.starts[i]));
      hi = max(hi, unchecked(this.ends[j - 1]));
      const gone = j - i - 1;
      for (let k = i + 1; k + gone < this.count; k++) {
        unchecked((this.starts[k] = this.starts[k + gone]));
        unchecked((this.ends[k] = this.ends[k + gone]));
      }
      this.count -= gone;
    }
    unchecked((this.starts[i] = lo));
    unchecked((this.ends[i] = hi));
    this.latest = i;
    return true;
  }

  /** After n more bytes arrived in order: how many bytes (n or more) are now in order,
   * with every range moved down by that much. */
  advance(n: u32): u32 {
    let done = n;
    while (this.count > 0 && unchecked(this.starts[0]) <= done) {
      done = max(done, unchecked(this.ends[0]));
      this.remove(0);
    }
    for (let k = 0; k < this.count; k++) {
      unchecked((this.starts[k] -= done));
      unchecked((this.ends[k] -= done));
    }
    return done;
  }

  private remove(i: i32): void {
    for (let k = i; k + 1 < this.count; k++) {
      unchecked((this.starts[k] = this.starts[k + 1]));
      unchecked((this.ends[k] = this.ends[k + 1]));
    }
    this.count--;
    if (this.latest == i) this.latest = -1;
    else if (this.latest > i) this.latest--;
  }

  clear(): void {
    this.count = 0;
    this.latest = -1;
  }
}
