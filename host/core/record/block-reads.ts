// What the log already holds of each block device: the last successful read of each
// range (offset and size). A read that returns the same bytes again is recorded
// without them (TAG_REPEAT), and replay answers it with the bytes of that earlier
// record: a guest that reads its disk again costs a few bytes a read, not a second
// copy in the log, and replay still needs no disk. The recorder keeps the digest of
// each range's bytes and compares it with the digest of what a read gave, so a range
// written since (by the guest, or by another process behind its back) is logged
// whole again; the replayer keeps the recorded bytes. Both make the same calls in the
// same order, so both hold the same ranges, even when the bound below empties them.

/** At most this many ranges are held (about 1 GiB of 4 KiB reads); past it, all are forgotten at once. */
export const MAX_RANGES = 1 << 18;

interface Range<V> {
  size: number;
  value: V;
}

export class BlockReads<V> {
  private readonly devices = new Map<number, Map<number, Range<V>>>();
  private count = 0;

  /** What the last read of exactly `size` bytes at `offset` on `handle` gave, if held. */
  get(handle: number, offset: number, size: number): V | undefined {
    const range = this.devices.get(handle)?.get(offset);
    return range?.size === size ? range.value : undefined;
  }

  /** A successful read of `size` bytes at `offset` on `handle`, logged with its bytes. */
  read(handle: number, offset: number, size: number, value: V): void {
    let ranges = this.devices.get(handle);
    if (!ranges) this.devices.set(handle, (ranges = new Map()));
    const range = ranges.get(offset);
    if (range) {
      range.size = size;
      range.value = value;
      return;
    }
    if (this.count === MAX_RANGES) {
      this.devices.clear();
      this.count = 0;
      this.devices.set(handle, (ranges = new Map()));
    }
    this.count++;
    ranges.set(offset, { size, value });
  }
}
