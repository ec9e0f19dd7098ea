// What the log already holds of each block device: the last successful read of each
// range, not written to since. A read that returns the same bytes again (the
// recorder compares digests) is recorded without them (TAG_REPEAT), and replay
// answers it with the bytes of that earlier record: a guest that reads its disk
// again costs a digest, not a second copy in the log, and replay still needs no
// disk. The recorder keeps digests here, the replayer the recorded bytes; both make
// the same calls in the same order, so both hold the same ranges, even when the
// bound below empties them.
import { SECTOR_SIZE_MIN } from "../abi.js";

/** At most this many ranges are held (about 1 GiB of 4 KiB reads); past it, all are forgotten at once. */
export const MAX_RANGES = 1 << 18;

interface Range<V> {
  size: number;
  value: V;
}

export class BlockReads<V> {
  private readonly devices = new Map<number, Map<number, Range<V>>>();
  /** The largest range held on any device: how far before a write a range overlapping it may start. */
  private maxSize = 0;
  private count = 0;

  /** What the last read of exactly `size` bytes at `offset` on `handle` gave, if held. */
  get(handle: number, offset: number, size: number): V | undefined {
    const range = this.devices.get(handle)?.get(offset);
    return range?.size === size ? range.value : undefined;
  }

  /** A successful read of `size` bytes at `offset` on `handle`. */
  read(handle: number, offset: number, size: number, value: V): void {
    let ranges = this.devices.get(handle);
    if (!ranges) this.devices.set(handle, (ranges = new Map()));
    if (!ranges.has(offset)) {
      if (this.count === MAX_RANGES) {
        this.devices.clear();
        this.count = 0;
        this.maxSize = 0;
        this.devices.set(handle, (ranges = new Map()));
      }
      this.count++;
    }
    ranges.set(offset, { size, value });
    if (size > this.maxSize) this.maxSize = size;
  }

  /**
   * A write of `size` bytes at `offset` that the device took (any result but EINVAL,
   * which refused it untouched, so its offset is a multiple of the sector size):
   * ranges overlapping it are forgotten.
   */
  write(handle: number, offset: number, size: number): void {
    const ranges = this.devices.get(handle);
    if (!ranges || ranges.size === 0) return;
    const overlaps = (at: number, range: Range<V>) => at < offset + size && at + range.size > offset;
    const first = Math.max(0, offset - this.maxSize + SECTOR_SIZE_MIN);
    if ((offset + size - first) / SECTOR_SIZE_MIN > ranges.size) {
      for (const [at, range] of ranges) if (overlaps(at, range)) this.forget(ranges, at);
      return;
    }
    // Every offset is a multiple of the sector size, so a range overlapping the write starts at one of these.
    for (let at = first; at < offset + size; at += SECTOR_SIZE_MIN) {
      const range = ranges.get(at);
      if (range && overlaps(at, range)) this.forget(ranges, at);
    }
  }

  private forget(ranges: Map<number, Range<V>>, at: number): void {
    ranges.delete(at);
    this.count--;
  }
}
