// Solo5's test_exception, for wasm: each command-line word picks one way to trap.
import { cmdline, puts } from "../../assembly";

function recurse(n: i32): i32 {
  return n == 0 ? 0 : recurse(n + 1) + 1;
}

export function solo5_app_main(_si: usize): i32 {
  const how = cmdline();
  puts("trapping: " + how + "\n");
  if (how == "unreachable") unreachable();
  if (how == "oob") return load<i32>(0xfffffff0);
  if (how == "divzero") { const z = <i32>how.length - 7; return 1 / z; }
  if (how == "stack") return recurse(1);
  puts("FAILURE: unknown trap kind\n");
  return 1;
}
