// Random bytes from the host (ABI v1.1's entropy call): for TCP initial sequence
// numbers, ephemeral ports, DNS query ids, keys. Using anything here makes the guest
// import solo5.entropy, so it needs a v1.1 tender; the first call also reseeds
// Math.random from the host, which until then is seeded from the clocks.
import { SOLO5_ENTROPY_MAX, SOLO5_R_OK, solo5_entropy, solo5_result_t } from "./solo5";

let mathSeeded = false;

/** Fills `size` bytes at `ptr`, in calls of at most SOLO5_ENTROPY_MAX bytes. */
export function fillRandom(ptr: usize, size: usize): solo5_result_t {
  if (!mathSeeded) {
    mathSeeded = true;
    const seed = memory.data(8);
    solo5_entropy(seed, 8);
    Math.seedRandom(load<i64>(seed));
  }
  while (size > 0) {
    const n = min(size, SOLO5_ENTROPY_MAX);
    const r = solo5_entropy(ptr, n);
    if (r != SOLO5_R_OK) return r;
    ptr += n;
    size -= n;
  }
  return SOLO5_R_OK;
}

/** Fills all of `buf`. */
export function randomBytes(buf: Uint8Array): solo5_result_t {
  return fillRandom(buf.dataStart, <usize>buf.byteLength);
}

/** A random u32. */
export function randomU32(): u32 {
  const word = memory.data(4);
  fillRandom(word, 4);
  return load<u32>(word);
}

/** A random u64. */
export function randomU64(): u64 {
  const word = memory.data(8);
  fillRandom(word, 8);
  return load<u64>(word);
}
