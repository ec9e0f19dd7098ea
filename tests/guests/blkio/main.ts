// Block I/O for the durability and host-error tests (tests/block/durability.test.mjs).
//   write [hold]  writes block 0, 1, 2, ... to the end, each with pattern(i), and
//                 prints "written i" once the write returned OK; "hold" then waits
//                 forever, so the test's kill always finds it running. A refused
//                 write prints "write i: result R" and ends the guest with status R.
//   poll-last     prints "ready", then reads the last block every millisecond until
//                 a read fails ("read: result R", status R: the test shrinks the
//                 file) or 30 s pass.
//   acquire-twice acquire "storage" again: Block.acquire gives null, and this guest aborts naming it.
// pattern(i): bytes 0..3 are i (u32, little-endian), byte j >= 4 is (i * 7 + j) & 0xff.
import { Block, cmdline, monotonic, NSEC_PER_MSEC, NSEC_PER_SEC, puts, sleep, SOLO5_R_OK, SOLO5_TIME_INFINITE } from "../../../assembly";

function pattern(i: u32, size: i32): Uint8Array {
  const b = new Uint8Array(size);
  for (let j = 4; j < size; j++) b[j] = <u8>((i * 7 + j) & 0xff);
  store<u32>(b.dataStart, i);
  return b;
}

function writeAll(dev: Block, hold: bool): i32 {
  const bs = <i32>dev.blockSize;
  for (let i: u32 = 0; <u64>i < dev.blocks; i++) {
    const r = dev.write(<u64>i * dev.blockSize, pattern(i, bs));
    if (r != SOLO5_R_OK) {
      puts("write " + i.toString() + ": result " + r.toString() + "\n");
      return r;
    }
    puts("written " + i.toString() + "\n");
  }
  puts("all written\n");
  if (hold) sleep(SOLO5_TIME_INFINITE);
  return 0;
}

function pollLast(dev: Block): i32 {
  const buf = new Uint8Array(<i32>dev.blockSize);
  puts("ready\n");
  const end = monotonic() + 30 * NSEC_PER_SEC;
  while (monotonic() < end) {
    const r = dev.read(dev.capacity - dev.blockSize, buf);
    if (r != SOLO5_R_OK) {
      puts("read: result " + r.toString() + "\n");
      return r;
    }
    sleep(NSEC_PER_MSEC);
  }
  puts("FAILURE: the last block stayed readable for 30 s\n");
  return 3;
}

/** The device, or an abort naming it (a second acquire fails as a missing device does). */
function acquire(name: string): Block {
  const dev = Block.acquire(name);
  if (dev === null) throw new Error("Block.acquire: no BLOCK_BASIC device '" + name + "' in the manifest, or it was acquired already");
  return dev;
}

export function solo5_app_main(_si: usize): i32 {
  const args = cmdline().split(" ");
  const dev = acquire("storage");
  if (args[0] == "write") return writeAll(dev, args.length > 1 && args[1] == "hold");
  if (args[0] == "poll-last") return pollLast(dev);
  if (args[0] == "acquire-twice") acquire("storage");
  puts("usage: write [hold] | poll-last | acquire-twice\n");
  return 2;
}
