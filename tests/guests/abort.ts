// AssemblyScript's abort (here a failed assertion) reaches solo5_abort: status 255.
import { puts } from "../../assembly";

export function solo5_app_main(_si: usize): i32 {
  puts("about to fail an assertion\n");
  assert(false, "deliberate assertion failure");
  puts("FAILURE: still running\n");
  return 0;
}
