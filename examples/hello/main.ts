// The first unikernel: Solo5's test_hello. Prints a greeting and its command line,
// and SUCCESS only when the command line is "Hello_Solo5" (Solo5's test convention).
import { cmdline, puts } from "../../assembly";

export function solo5_app_main(_si: usize): i32 {
  puts("\n**** Solo5 standalone test_hello ****\n\n");
  puts("Hello, World\n");
  const line = cmdline();
  puts("Command line is: '" + line + "'\n");
  if (line == "Hello_Solo5") puts("SUCCESS\n");
  return 0;
}
