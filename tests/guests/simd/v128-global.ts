// A guest with a v128 global, as asc --enable simd emits one for a module-level v128
// variable the guest updates (the optimizer folds constant ones away). Built by
// tests/platform/module-features.test.mjs with that flag (the global setup builds
// guests without it, and skips this folder: it has no main.ts). Exits with 7.
let acc: v128 = i32x4(5, 0, 0, 0);

export function solo5_app_main(_si: usize): i32 {
  acc = i32x4.add(acc, i32x4.splat(2));
  return i32x4.extract_lane(acc, 0);
}
