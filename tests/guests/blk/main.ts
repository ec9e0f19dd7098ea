// Solo5's test_blk on the Block API, with what ABI v1 adds: multi-block I/O, EINVAL
// (not just "not OK") for every refused request, refusals that change nothing, and
// bad handles. What it writes is checked in the host file by tests/block/blk.test.mjs:
//   every tenth block: bytes '0' + i % 10 (as Solo5)
//   the last block:    'Z'
//   blocks 1..3:       (i * 7 + 3) & 0xff over the three blocks, in one write
// Refused writes carry 0xEE bytes, so one that leaked into the file would show.
import { Block, puts, SOLO5_R_EINVAL, SOLO5_R_OK, solo5_block_read, solo5_block_write } from "../../../assembly";

const JUNK: u8 = 0xee;

function digits(n: i32): Uint8Array {
  const b = new Uint8Array(n);
  for (let i = 0; i < n; i++) b[i] = <u8>(0x30 + i % 10);
  return b;
}

function multi(n: i32): Uint8Array {
  const b = new Uint8Array(n);
  for (let i = 0; i < n; i++) b[i] = <u8>((i * 7 + 3) & 0xff);
  return b;
}

function same(a: Uint8Array, b: Uint8Array): bool {
  if (a.length != b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] != b[i]) return false;
  return true;
}

/** Writes `data` at `offset`, reads it back into fresh memory, compares. */
function roundTrip(dev: Block, offset: u64, data: Uint8Array): bool {
  if (dev.write(offset, data) != SOLO5_R_OK) return false;
  const back = new Uint8Array(data.length);
  return dev.read(offset, back) == SOLO5_R_OK && same(back, data);
}

/** Both calls refuse (offset, size) with EINVAL, and the read leaves its buffer alone. */
function refused(dev: Block, offset: u64, size: u64): bool {
  const buf = new Uint8Array(<i32>size + 1);
  buf.fill(JUNK);
  if (dev.writeRaw(offset, buf.dataStart, <usize>size) != SOLO5_R_EINVAL) return false;
  if (dev.readRaw(offset, buf.dataStart, <usize>size) != SOLO5_R_EINVAL) return false;
  for (let i = 0; i < buf.length; i++) if (buf[i] != JUNK) return false;
  return true;
}

function badHandle(handle: i32, bs: u64): bool {
  const buf = new Uint8Array(<i32>bs);
  return solo5_block_write(handle, 0, buf.dataStart, buf.length) == SOLO5_R_EINVAL &&
    solo5_block_read(handle, 0, buf.dataStart, buf.length) == SOLO5_R_EINVAL;
}

function check(): string | null {
  const dev = Block.acquire("storage");
  if (dev === null) return "storage could not be acquired";
  puts("capacity " + dev.capacity.toString() + " block size " + dev.blockSize.toString() + "\n");
  if (Block.acquire("storage") !== null) return "a second acquire of storage succeeded";
  if (Block.acquire("nosuch") !== null) return "acquired a device the manifest does not declare";

  const bs = dev.blockSize;
  const n = <i32>bs;
  for (let off: u64 = 0; off < dev.capacity; off += 10 * bs) {
    if (!roundTrip(dev, off, digits(n))) return "block at " + off.toString();
  }
  const last = new Uint8Array(n);
  last.fill(0x5a);
  if (!roundTrip(dev, dev.capacity - bs, last)) return "the last block";

  // Several blocks in one call: three written, then five read (blocks 0..4).
  if (!roundTrip(dev, bs, multi(3 * n))) return "a three-block write";
  const five = new Uint8Array(5 * n);
  if (dev.read(0, five) != SOLO5_R_OK) return "a five-block read";
  if (!same(five.subarray(0, n), digits(n)) || !same(five.subarray(n, 4 * n), multi(3 * n))) return "the five-block read's data";
  for (let i = 4 * n; i < 5 * n; i++) if (five[i] != 0) return "block 4 is not zero";

  if (!refused(dev, dev.capacity, bs)) return "I/O at capacity";
  if (!refused(dev, dev.capacity - bs, 2 * bs)) return "I/O across the end";
  if (!refused(dev, 0, bs - 1)) return "size block_size - 1";
  if (!refused(dev, 0, bs + 1)) return "size block_size + 1";
  if (!refused(dev, 0, 0)) return "size 0";
  if (!refused(dev, bs - 1, bs)) return "offset block_size - 1";
  if (!refused(dev, bs / 2, bs)) return "offset block_size / 2";
  if (!refused(dev, 0 - bs, bs)) return "an offset that wraps past 2^64";
  if (!refused(dev, 1 << 63, bs)) return "offset 2^63";

  if (!badHandle(0, bs)) return "handle 0";
  if (!badHandle(dev.handle + 1, bs)) return "a handle past the manifest";
  if (!badHandle(63, bs)) return "handle 63";
  if (!badHandle(64, bs)) return "handle 64";
  if (!badHandle(-1, bs)) return "handle -1";

  // Nothing refused reached the device.
  const again = new Uint8Array(5 * n);
  if (dev.read(0, again) != SOLO5_R_OK || !same(again, five)) return "blocks 0..4 changed after the refusals";
  return null;
}

export function solo5_app_main(_si: usize): i32 {
  puts("\n**** Solo5 standalone test_blk ****\n\n");
  const failed = check();
  if (failed !== null) {
    puts("FAILURE: " + failed + "\n");
    return 1;
  }
  puts("SUCCESS\n");
  return 0;
}
