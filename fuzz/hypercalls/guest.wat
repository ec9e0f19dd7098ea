;; The hypercall fuzzer's guest: an interpreter of a tape of calls. It reads the tape
;; from block device "tape" (handle 1) into memory, makes each call with the tape's
;; arguments as they are (no check, no clamping: that is the tender's job), stores
;; each call's result byte, writes all result bytes with one console_write, then ends
;; as the tape's header says. The layout is shared with tape.mjs, which keeps every
;; pointer a call may write through away from the tape and the results.
;;
;;   0..63     zeros (a pointer to 0 names the empty device name)
;;   64..      device names "tape", "storage", "service0"
;;   128       the tape's handle, 136 its solo5_block_info, 160 the last monotonic reading
;;   4096      the tape: header { u32 count, u32 end, u32 endArg, u32 pad, u64 endDeadline, u64 pad }
;;   4128      records of 32 bytes { u32 op, a, b, c, d, pad; u64 e }
;;   4096+C    one result byte per record (C: the tape device's capacity)
(module
  (import "env" "memory" (memory 1))
  (import "solo5" "console_write" (func $console_write (param i32 i32)))
  (import "solo5" "clock_monotonic" (func $clock_monotonic (result i64)))
  (import "solo5" "clock_wall" (func $clock_wall (result i64)))
  (import "solo5" "yield" (func $yield (param i64 i32)))
  (import "solo5" "net_acquire" (func $net_acquire (param i32 i32 i32) (result i32)))
  (import "solo5" "net_write" (func $net_write (param i32 i32 i32) (result i32)))
  (import "solo5" "net_read" (func $net_read (param i32 i32 i32 i32) (result i32)))
  (import "solo5" "block_acquire" (func $block_acquire (param i32 i32 i32) (result i32)))
  (import "solo5" "block_write" (func $block_write (param i32 i64 i32 i32) (result i32)))
  (import "solo5" "block_read" (func $block_read (param i32 i64 i32 i32) (result i32)))
  (import "solo5" "entropy" (func $entropy (param i32 i32) (result i32)))
  (import "solo5" "exit" (func $exit (param i32)))
  (import "solo5" "abort" (func $abort))
  (global (export "__heap_base") i32 (i32.const 1024))
  (data (i32.const 64) "tape\00storage\00service0\00")

  ;; One record's call; returns its result byte (0xff for calls without a result).
  (func $call (param $p i32) (result i32)
    (local $a i32) (local $b i32) (local $c i32) (local $d i32) (local $e i64) (local $now i64)
    (local.set $a (i32.load offset=4 (local.get $p)))
    (local.set $b (i32.load offset=8 (local.get $p)))
    (local.set $c (i32.load offset=12 (local.get $p)))
    (local.set $d (i32.load offset=16 (local.get $p)))
    (local.set $e (i64.load offset=24 (local.get $p)))
    (block $entropy (block $block_read (block $block_write (block $block_acquire (block $net_read
    (block $net_write (block $net_acquire (block $yield (block $wall (block $monotonic (block $console
      (br_table $console $monotonic $wall $yield $net_acquire $net_write $net_read $block_acquire $block_write $block_read $entropy
        (i32.load (local.get $p)))
    ) ;; console
      (call $console_write (local.get $a) (local.get $b))
      (return (i32.const 0xff))
    ) ;; monotonic: 1 if the clock went back since the last reading
      (local.set $now (call $clock_monotonic))
      (if (i64.lt_u (local.get $now) (i64.load (i32.const 160))) (then (return (i32.const 1))))
      (i64.store (i32.const 160) (local.get $now))
      (return (i32.const 0))
    ) ;; wall
      (drop (call $clock_wall))
      (return (i32.const 0xff))
    ) ;; yield: d = 1 makes e relative to now
      (if (local.get $d) (then (local.set $e (i64.add (local.get $e) (call $clock_monotonic)))))
      (call $yield (local.get $e) (local.get $a))
      (return (i32.const 0xff))
    ) (return (call $net_acquire (local.get $a) (local.get $b) (local.get $c)))
    ) (return (call $net_write (local.get $a) (local.get $b) (local.get $c)))
    ) (return (call $net_read (local.get $a) (local.get $b) (local.get $c) (local.get $d)))
    ) (return (call $block_acquire (local.get $a) (local.get $b) (local.get $c)))
    ) (return (call $block_write (local.get $a) (local.get $e) (local.get $b) (local.get $c)))
    ) (return (call $block_read (local.get $a) (local.get $e) (local.get $b) (local.get $c)))
    ) (call $entropy (local.get $a) (local.get $b)))

  (func (export "solo5_app_main") (param i32) (result i32)
    (local $count i32) (local $i i32) (local $results i32)
    (if (call $block_acquire (i32.const 64) (i32.const 128) (i32.const 136)) (then (return (i32.const 90))))
    (if (call $block_read (i32.const 1) (i64.const 0) (i32.const 4096) (i32.wrap_i64 (i64.load (i32.const 136))))
      (then (return (i32.const 91))))
    (local.set $count (i32.load (i32.const 4096)))
    (local.set $results (i32.add (i32.const 4096) (i32.wrap_i64 (i64.load (i32.const 136)))))
    (block $done (loop $next
      (br_if $done (i32.ge_u (local.get $i) (local.get $count)))
      (i32.store8 (i32.add (local.get $results) (local.get $i))
        (call $call (i32.add (i32.const 4128) (i32.shl (local.get $i) (i32.const 5)))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $next)))
    (call $console_write (local.get $results) (local.get $count))
    ;; end: 0 return 0, 1 yield until endDeadline (the host stops it), 2 exit(endArg), 3 abort
    (block $abort (block $exit (block $sleep (block $return
      (br_table $return $sleep $exit $abort (i32.load (i32.const 4100))))
      (return (i32.const 0)))
      (call $yield (i64.load (i32.const 4112)) (i32.const 0))
      (return (i32.const 0)))
      (call $exit (i32.load (i32.const 4104)))
      (return (i32.const 0)))
    (call $abort)
    (i32.const 0))
)
