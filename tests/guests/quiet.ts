// Solo5's test_quiet: run with --solo5:quiet, prints nothing but SUCCESS.
import { puts } from "../../assembly";

export function solo5_app_main(_si: usize): i32 {
  puts("SUCCESS\n");
  return 0;
}
