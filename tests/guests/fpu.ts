// Solo5's test_fpu: floating point works and gives IEEE 754 results.
import { puts } from "../../assembly";

export function solo5_app_main(_si: usize): i32 {
  const a: f64 = 2.0;
  const b: f32 = 2.5;
  let ok = Math.sqrt(a) * Math.sqrt(a) - 2.0 < 1e-15;
  ok = ok && <f32>(b * b) == <f32>6.25;
  ok = ok && Math.abs(Math.sin(Math.PI)) < 1e-15;
  ok = ok && isNaN(0.0 / 0.0) && 1.0 / 0.0 == Infinity;
  ok = ok && <i32>Math.floor(-2.5) == -3 && <i64>(1e18 as f64) == 1_000_000_000_000_000_000;
  const r = Math.random();
  ok = ok && r >= 0.0 && r < 1.0;
  puts(ok ? "SUCCESS\n" : "FAILURE\n");
  return ok ? 0 : 1;
}
