// The block benchmark's guest: "MODE SIZE COUNT PASSES" does COUNT calls of SIZE
// bytes, PASSES times, and prints "pass NS" with each pass's duration on the
// monotonic clock. MODE is seq-read, seq-write, rand-read or rand-write; random
// offsets are SIZE-aligned, from xorshift32 seeded with 1 (bench.mjs replays the same
// sequence for its baseline).
import { Block, cmdline, monotonic, puts, SOLO5_R_OK } from "../../../assembly";

export function solo5_app_main(_si: usize): i32 {
  const args = cmdline().split(" ");
  const mode = args[0];
  const size = I32.parseInt(args[1]);
  const count = I32.parseInt(args[2]);
  const passes = I32.parseInt(args[3]);
  const dev = Block.acquire("storage")!;
  const slots = <u32>(dev.capacity / <u64>size);
  const buf = new Uint8Array(size);
  buf.fill(0xa5);
  const ptr = buf.dataStart;
  const write = mode.endsWith("write");
  const random = mode.startsWith("rand");
  for (let p = 0; p < passes; p++) {
    let x: u32 = 1;
    let slot: u32 = 0;
    const t0 = monotonic();
    for (let i = 0; i < count; i++) {
      if (random) {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        slot = x % slots;
      } else {
        slot = <u32>i % slots;
      }
      const offset = <u64>slot * <u64>size;
      const r = write ? dev.writeRaw(offset, ptr, size) : dev.readRaw(offset, ptr, size);
      if (r != SOLO5_R_OK) {
        puts("FAILURE: " + mode + " at " + offset.toString() + "\n");
        return 1;
      }
    }
    puts("pass " + (monotonic() - t0).toString() + "\n");
  }
  return 0;
}
