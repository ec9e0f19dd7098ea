// Math.random's seed. ABI v1 has no entropy hypercall, so the seed mixes the wall and
// monotonic clocks: fine for hash tables and jitter, NOT for cryptography (docs/abi.md).
// Wired in with `--use seed=assembly/libos/seed/clockSeed` (asconfig.json).
import { solo5_clock_monotonic, solo5_clock_wall } from "../solo5";

export function clockSeed(): f64 {
  let x = solo5_clock_wall() ^ (solo5_clock_monotonic() << 32) ^ solo5_clock_monotonic();
  // splitmix64's finaliser spreads the clocks' few changing bits over the whole word.
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9;
  x = (x ^ (x >> 27)) * 0x94d049bb133111eb;
  x ^= x >> 31;
  return reinterpret<f64>((x >> 12) | 0x3ff0000000000000); // in [1, 2): never NaN or 0
}
