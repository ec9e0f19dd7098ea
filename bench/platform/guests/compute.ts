// CPU work of the kind asyncify instruments: sorting with a comparator (an indirect
// call per comparison, which asyncify must assume may reach yield) and a yield(0)
// poll between rounds, as an event loop would. Prints the nanoseconds it took.
import { monotonic, puts, solo5_yield } from "../../../assembly";

const N = 100000;
const ROUNDS = 5;

export function solo5_app_main(_si: usize): i32 {
  const a = new Array<i32>(N);
  let x: u32 = 12345;
  const t0 = monotonic();
  for (let r = 0; r < ROUNDS; r++) {
    for (let i = 0; i < N; i++) {
      x = x * 1103515245 + 12345;
      a[i] = <i32>(x >> 8);
    }
    a.sort((p: i32, q: i32): i32 => (p < q ? -1 : p > q ? 1 : 0));
    solo5_yield(0, 0);
  }
  puts("compute ns " + (monotonic() - t0).toString() + "\n");
  return a[0] <= a[N - 1] ? 0 : 1;
}
