// The sender's SACK scoreboard (RFC 6675): the ranges above snd_una that the peer
// reported holding, merged and sorted, at most `capacity` of them (a peer reporting more
// loses its smallest ranges, which then are just retransmitted). From it: whether a hole
// counts as lost, the pipe (bytes thought in the network), and the next hole to resend.
import { seqGe, seqGt, seqLe, seqLt, seqMax, seqMin } from "./seq";

/** DupThresh (RFC 6675 section 2). */
export const DUP_THRESH: i32 = 3;

export class Scoreboard {
  private readonly lefts: StaticArray<u32>;
  private readonly rights: StaticArray<u32>;
  count: i32 = 0;

  constructor(readonly capacity: i32 = 16) {
    this.lefts = new StaticArray<u32>(capacity);
    this.rights = new StaticArray<u32>(capacity);
  }

  clear(): void {
    this.count = 0;
  }

  get isEmpty(): bool {
    return this.count == 0;
  }

  /** The highest sequence number SACKed plus one (undefined when empty). */
  get highSacked(): u32 {
    return unchecked(this.rights[this.count - 1]);
  }

  left(i: i32): u32 {
    return unchecked(this.lefts[i]);
  }

  right(i: i32): u32 {
    return unchecked(this.rights[i]);
  }

  /** Records the block [left, right) when it lies in (una, max]; whether it added anything. */
  add(left: u32, right: u32, una: u32, sndMax: u32): bool {
    if (!seqLt(left, right) || seqLe(left, una) || seqGt(right, sndMax)) return false;
    let i = 0;
    while (i < this.count && seqLt(unchecked(this.rights[i]), left)) i++;
    let j = i;
    while (j < this.count && seqLe(unchecked(this.lefts[j]), right)) j++;
    if (i == j) {
      if (this.count == this.capacity) {
        // Full: forget the range nearest snd_una (its data will be resent anyway).
        if (i == 0) return false;
        this.removeAt(0);
        i--;
        j--;
      }
      for (let k = this.count; k > i; k--) {
        unchecked((this.lefts[k] = this.lefts[k - 1]));
        unchecked((this.rights[k] = this.rights[k - 1]));
      }
      this.count++;
      unchecked((this.lefts[i] = left));
      unchecked((this.rights[i] = right));
      return true;
    }
    const lo = seqMin(left, unchecked(this.lefts[i]));
    const hi = seqMax(right, unchecked(this.rights[j - 1]));
    const grew = lo != unchecked(this.lefts[i]) || hi != unchecked(this.rights[j - 1]) || j - i > 1;
    const gone = j - i - 1;
    for (let k = i + 1; k + gone < this.count; k++) {
      unchecked((this.lefts[k] = this.lefts[k + gone]));
      unchecked((this.rights[k] = this.rights[k + gone]));
    }
    this.count -= gone;
    unchecked((this.lefts[i] = lo));
    unchecked((this.rights[i] = hi));
    return grew;
  }

  /** snd_una moved to `una`: forgets what lies below it. */
  advance(una: u32): void {
    let drop = 0;
    while (drop < this.count && seqLe(unchecked(this.rights[drop]), una)) drop++;
    for (let k = 0; k < drop; k++) this.removeAt(0);
    if (this.count > 0 && seqLt(unchecked(this.lefts[0]), una)) unchecked((this.lefts[0] = una));
  }

  private removeAt(i: i32): void {
    for (let k = i; k + 1 < this.count; k++) {
      unchecked((this.lefts[k] = this.lefts[k + 1]));
      unchecked((this.rights[k] = this.rights[k + 1]));
    }
    this.count--;
  }

  /** Whether a sequence number is SACKed. */
  isSacked(seq: u32): bool {
    for (let i = 0; i < this.count; i++) {
      if (seqGe(seq, unchecked(this.lefts[i])) && seqLt(seq, unchecked(this.rights[i]))) return true;
    }
    return false;
  }

  /** If seq lies in a SACKed range, its end; else seq. */
  skipSacked(seq: u32): u32 {
    for (let i = 0; i < this.count; i++) {
      if (seqGe(seq, unchecked(this.lefts[i])) && seqLt(seq, unchecked(this.rights[i]))) return unchecked(this.rights[i]);
    }
    return seq;
  }

  /** IsLost (RFC 6675 section 4): DupThresh ranges, or more than (DupThresh - 1) * mss
   * bytes, SACKed above seq. */
  isLost(seq: u32, mss: u32): bool {
    let ranges = 0;
    let bytes: u32 = 0;
    for (let i = this.count - 1; i >= 0; i--) {
      const l = unchecked(this.lefts[i]);
      const r = unchecked(this.rights[i]);
      if (seqLe(r, seq)) break;
      ranges++;
      bytes += r - seqMax(l, seq);
      if (ranges >= DUP_THRESH || bytes > <u32>(DUP_THRESH - 1) * mss) return true;
    }
    return false;
  }

  /** SetPipe (RFC 6675 section 4): bytes in [una, sndMax) neither SACKed nor lost, plus
   * those resent below highRxt. */
  pipe(una: u32, sndMax: u32, highRxt: u32, mss: u32): u32 {
    let total: u32 = 0;
    let at = una;
    for (let i = 0; i <= this.count; i++) {
      const holeEnd = i < this.count ? unchecked(this.lefts[i]) : sndMax;
      if (seqLt(at, holeEnd)) {
        if (!this.isLost(at, mss)) total += holeEnd - at;
        if (seqGt(highRxt, at)) total += seqMin(highRxt, holeEnd) - at;
      }
      if (i < this.count) at = unchecked(this.rights[i]);
    }
    return total;
  }

  /** NextSeg rule 1 (RFC 6675): the first lost, unSACKed sequence number at or above
   * `from`, below the highest SACKed one; with its hole's end in holeEnd. -1 if none. */
  nextLost(from: u32, una: u32, mss: u32): i64 {
    let at = seqMax(from, una);
    for (let i = 0; i < this.count; i++) {
      const l = unchecked(this.lefts[i]);
      if (seqLt(at, l)) {
        if (!this.isLost(at, mss)) return -1; // holes above have even less SACKed above them
        this.holeEnd = l;
        return <i64>at;
      }
      at = seqMax(at, unchecked(this.rights[i]));
    }
    return -1;
  }

  /** The end of the hole nextLost() found. */
  holeEnd: u32 = 0;
}
