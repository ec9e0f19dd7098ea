// A guest that sleeps: command line "NAME MS [STATUS]". Prints "NAME sleeping", sleeps
// MS milliseconds ("forever": no deadline), prints "NAME woke" and the milliseconds it
// slept, and exits with STATUS (default 0). Shared-thread tests run many at once.
import { monotonic, NSEC_PER_MSEC, puts, sleep, cmdline, SOLO5_TIME_INFINITE, solo5_yield } from "../../assembly";

export function solo5_app_main(_si: usize): i32 {
  const args = cmdline().split(" ");
  const name = args[0];
  puts(name + " sleeping\n");
  const t0 = monotonic();
  if (args[1] == "forever") solo5_yield(SOLO5_TIME_INFINITE, 0);
  else sleep(<u64>I64.parseInt(args[1]) * NSEC_PER_MSEC);
  puts(name + " woke " + ((monotonic() - t0) / NSEC_PER_MSEC).toString() + "\n");
  return args.length > 2 ? I32.parseInt(args[2]) : 0;
}
