// Reads frames from service0 and, at the 50th, traps with an address made of what
// the frames held: a crash that only those frames cause, for replay to reproduce
// (tests/record/net.test.mjs).
import { Net, puts, SOLO5_R_AGAIN, waitFor } from "../../../assembly";

const CRASH_AT = 50;

/** A mix of every byte of the frames so far. */
function mix(sum: u32, frame: Uint8Array, n: i32): u32 {
  for (let i = 0; i < n; i++) sum = sum * 31 + <u32>frame[i];
  return sum;
}

/** Loads from far past the end of memory, at an address the frames chose. */
function crash(sum: u32): i32 {
  return load<i32>(0xfff00000 | (sum & 0xfff0));
}

export function solo5_app_main(_si: usize): i32 {
  const net = Net.acquire("service0")!;
  const frame = net.frameBuffer();
  let count = 0;
  let sum: u32 = 0;
  puts("reading frames\n");
  while (count < CRASH_AT) {
    waitFor([net]);
    let n = net.read(frame);
    for (; n != -SOLO5_R_AGAIN && count < CRASH_AT; n = net.read(frame)) {
      sum = mix(sum, frame, n);
      count++;
    }
  }
  puts("frame " + count.toString() + ", sum " + sum.toString() + "\n");
  return crash(sum);
}
