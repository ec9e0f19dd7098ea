;; Hypercall cost: each loop calls one solo5 hypercall, or an empty import of the same
;; type from module "bench" (the floor: what any import call costs), n times. Both sit
;; in this one module so the only difference is the host function behind the call.
;; Not a kernel (it imports bench.*): bench/platform/hypercalls.mjs instantiates it with
;; the core's own hypercall functions.
(module
  (import "env" "memory" (memory 1))
  (import "solo5" "clock_monotonic" (func $clock_monotonic (result i64)))
  (import "solo5" "clock_wall" (func $clock_wall (result i64)))
  (import "solo5" "console_write" (func $console_write (param i32 i32)))
  (import "solo5" "yield" (func $yield (param i64 i32)))
  (import "solo5" "block_acquire" (func $block_acquire (param i32 i32 i32) (result i32)))
  (import "solo5" "block_read" (func $block_read (param i32 i64 i32 i32) (result i32)))
  (import "solo5" "net_acquire" (func $net_acquire (param i32 i32 i32) (result i32)))
  (import "solo5" "net_write" (func $net_write (param i32 i32 i32) (result i32)))
  (import "bench" "empty_i64" (func $empty_i64 (result i64)))
  (import "bench" "fresh_i64" (func $fresh_i64 (result i64)))
  (import "bench" "empty_i32_i32" (func $empty_i32_i32 (param i32 i32)))
  (import "bench" "empty_i64_i32" (func $empty_i64_i32 (param i64 i32)))
  (import "bench" "empty_i32_i64_i32_i32" (func $empty_i32_i64_i32_i32 (param i32 i64 i32 i32) (result i32)))
  (import "bench" "empty_i32_i32_i32" (func $empty_i32_i32_i32 (param i32 i32 i32) (result i32)))

  ;; Device names, the handles acquire writes, and their info structs.
  (data (i32.const 16) "storage\00")
  (data (i32.const 32) "service0\00")
  (global $block (mut i32) (i32.const 0))
  (global $net (mut i32) (i32.const 0))
  ;; handle (u64) at 64, info at 80; net handle at 96, info at 112
  (func (export "acquire_block") (result i32)
    (local $r i32)
    (local.set $r (call $block_acquire (i32.const 16) (i32.const 64) (i32.const 80)))
    (global.set $block (i32.load (i32.const 64)))
    (local.get $r))
  (func (export "acquire_net") (result i32)
    (local $r i32)
    (local.set $r (call $net_acquire (i32.const 32) (i32.const 96) (i32.const 112)))
    (global.set $net (i32.load (i32.const 96)))
    (local.get $r))

  (func (export "clock_monotonic") (param $n i32)
    (loop $l (drop (call $clock_monotonic)) (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1))))))
  (func (export "clock_wall") (param $n i32)
    (loop $l (drop (call $clock_wall)) (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1))))))
  (func (export "floor_i64") (param $n i32)
    (loop $l (drop (call $empty_i64)) (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1))))))
  (func (export "floor_fresh_i64") (param $n i32)
    (loop $l (drop (call $fresh_i64)) (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1))))))

  (func (export "console_write") (param $n i32)
    (loop $l (call $console_write (i32.const 0) (i32.const 0)) (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1))))))
  (func (export "floor_i32_i32") (param $n i32)
    (loop $l (call $empty_i32_i32 (i32.const 0) (i32.const 0)) (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1))))))

  ;; yield(0, NULL): a deadline in the past polls and returns at once.
  (func (export "yield") (param $n i32)
    (loop $l (call $yield (i64.const 0) (i32.const 0)) (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1))))))
  (func (export "floor_i64_i32") (param $n i32)
    (loop $l (call $empty_i64_i32 (i64.const 0) (i32.const 0)) (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1))))))

  ;; block_read of sector 0 (512 bytes) into 4096.
  (func (export "block_read") (param $n i32)
    (loop $l (drop (call $block_read (global.get $block) (i64.const 0) (i32.const 4096) (i32.const 512)))
      (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1))))))
  (func (export "floor_i32_i64_i32_i32") (param $n i32)
    (loop $l (drop (call $empty_i32_i64_i32_i32 (global.get $block) (i64.const 0) (i32.const 4096) (i32.const 512)))
      (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1))))))

  ;; net_write of a 60-byte frame at 8192 (zeroes: a broadcast-free, well-formed length).
  (func (export "net_write") (param $n i32)
    (loop $l (drop (call $net_write (global.get $net) (i32.const 8192) (i32.const 60)))
      (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1))))))
  (func (export "floor_i32_i32_i32") (param $n i32)
    (loop $l (drop (call $empty_i32_i32_i32 (global.get $net) (i32.const 8192) (i32.const 60)))
      (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1))))))
)
