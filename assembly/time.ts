// Clocks and sleeping (solo5_clock_*, solo5_yield without devices).
import { SOLO5_TIME_INFINITE, solo5_clock_monotonic, solo5_clock_wall, solo5_yield } from "./solo5";

/** Nanoseconds in a millisecond. */
export const NSEC_PER_MSEC: u64 = 1_000_000;
/** Nanoseconds in a second. */
export const NSEC_PER_SEC: u64 = 1_000_000_000;

/** Nanoseconds since an arbitrary point; never goes back. */
export function monotonic(): u64 {
  return solo5_clock_monotonic();
}

/** Nanoseconds since the Unix epoch, UTC. */
export function wallClock(): u64 {
  return solo5_clock_wall();
}

/** Sleeps for `ns` nanoseconds (returns early only if a net device has input). */
export function sleep(ns: u64): void {
  const now = solo5_clock_monotonic();
  solo5_yield(ns > SOLO5_TIME_INFINITE - now ? SOLO5_TIME_INFINITE : now + ns, 0);
}
