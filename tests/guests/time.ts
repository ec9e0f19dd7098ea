// Solo5's test_time: the monotonic clock advances, yield sleeps as long as asked (not
// much less, not much more), and the wall clock is plausible.
import { monotonic, NSEC_PER_MSEC, NSEC_PER_SEC, puts, sleep, wallClock } from "../../assembly";

export function solo5_app_main(_si: usize): i32 {
  const t0 = monotonic();
  const t1 = monotonic();
  if (t1 < t0) { puts("monotonic clock went back\n"); return 1; }
  for (let i = 0; i < 10; i++) {
    const before = monotonic();
    sleep(10 * NSEC_PER_MSEC);
    const slept = monotonic() - before;
    if (slept < 10 * NSEC_PER_MSEC) { puts("slept too little: " + slept.toString() + " ns\n"); return 1; }
    if (slept > 60 * NSEC_PER_MSEC) { puts("slept too much: " + slept.toString() + " ns\n"); return 1; }
  }
  const before = monotonic();
  sleep(500 * NSEC_PER_MSEC);
  const slept = monotonic() - before;
  if (slept < 500 * NSEC_PER_MSEC || slept > 700 * NSEC_PER_MSEC) { puts("bad 0.5 s sleep: " + slept.toString() + " ns\n"); return 1; }
  const wall = wallClock();
  // 2020-01-01 and 2100-01-01, in ns since the epoch.
  if (wall < 1577836800 * NSEC_PER_SEC || wall > 4102444800 * NSEC_PER_SEC) { puts("implausible wall clock\n"); return 1; }
  puts("SUCCESS\n");
  return 0;
}
