// ABI v1.1's entropy call through the AssemblyScript API: randomBytes over more than
// one call's worth (fillRandom splits it), randomU32 and randomU64, and Math.random
// reseeded from the host. Prints what it checked, then SUCCESS.
import { fillRandom, puts, randomBytes, randomU32, randomU64, SOLO5_ENTROPY_MAX, SOLO5_R_OK } from "../../../assembly";

/** How many of `buf`'s bytes are zero: about 1 in 256 of random ones. */
function zeros(buf: Uint8Array): i32 {
  let n = 0;
  for (let i = 0; i < buf.length; i++) if (buf[i] == 0) n++;
  return n;
}

function fail(why: string): i32 {
  puts("FAILURE: " + why + "\n");
  return 1;
}

export function solo5_app_main(_si: usize): i32 {
  const big = new Uint8Array(<i32>SOLO5_ENTROPY_MAX * 2 + 1000);
  if (randomBytes(big) != SOLO5_R_OK) return fail("randomBytes of " + big.length.toString() + " bytes");
  // 132072 random bytes have about 516 zeros; all-zero pieces would have them all.
  if (zeros(big) > 2000) return fail(zeros(big).toString() + " zero bytes in " + big.length.toString());
  const tail = big.subarray(big.length - 1000);
  if (zeros(tail) > 100) return fail("the last piece was not filled");
  const other = new Uint8Array(64);
  randomBytes(other);
  let same = true;
  for (let i = 0; i < 64; i++) if (other[i] != big[i]) same = false;
  if (same) return fail("two fills gave the same bytes");
  if (fillRandom(big.dataStart, 0) != SOLO5_R_OK) return fail("an empty fill");
  const a = randomU64();
  const b = randomU64();
  if (a == b) return fail("randomU64 twice the same");
  randomU32();
  const r = Math.random();
  if (r < 0 || r >= 1) return fail("Math.random out of [0, 1)");
  puts("entropy: " + big.length.toString() + " bytes, u64s differ, Math.random " + (r < 1 ? "ok" : "") + "\n");
  puts("SUCCESS\n");
  return 0;
}
