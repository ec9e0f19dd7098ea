// Solo5's test_globals: static data and top-level state are set up before
// solo5_app_main (AssemblyScript's top-level code runs in _initialize, and may allocate).
import { puts } from "../../assembly";

const INITIALISED: i32 = 0x5a5a5a5a;
let zeroed: i64 = 0;
let counter = 41;
const TABLE: StaticArray<u32> = [1, 2, 3, 5, 8, 13];
const GREETING = "globals";
const ALLOCATED_AT_TOP: Array<string> = ["a", "b", "c"];
counter++;

export function solo5_app_main(_si: usize): i32 {
  let ok = INITIALISED == 0x5a5a5a5a && zeroed == 0 && counter == 42;
  let sum: u32 = 0;
  for (let i = 0; i < TABLE.length; i++) sum += TABLE[i];
  ok = ok && sum == 32 && GREETING.length == 7;
  ok = ok && ALLOCATED_AT_TOP.join("") == "abc";
  zeroed = 7;
  ok = ok && zeroed == 7;
  puts(ok ? "SUCCESS\n" : "FAILURE\n");
  return ok ? 0 : 1;
}
