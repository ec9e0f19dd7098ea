;; The entropy call's edges (docs/abi.md, section 7), in order; a failed check exits
;; with its number (10 and up). After all of them it says so, then asks for one byte
;; past the end of memory, which stops the guest: status 1 and the invalid-access line.
(module
  (import "env" "memory" (memory 16))
  (import "solo5" "entropy" (func $entropy (param i32 i32) (result i32)))
  (import "solo5" "console_write" (func $write (param i32 i32)))
  (import "solo5" "exit" (func $exit (param i32)))
  (global (export "__heap_base") i32 (i32.const 1024))
  (data (i32.const 16) "edge cases OK\0a")

  (func $check (param $ok i32) (param $code i32)
    (if (i32.eqz (local.get $ok)) (then (call $exit (local.get $code)))))

  ;; How many bytes of [at, at + len) differ from `byte`.
  (func $differ (param $at i32) (param $len i32) (param $byte i32) (result i32)
    (local $n i32) (local $end i32)
    (local.set $end (i32.add (local.get $at) (local.get $len)))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $at) (local.get $end)))
        (if (i32.ne (i32.load8_u (local.get $at)) (local.get $byte)) (then (local.set $n (i32.add (local.get $n) (i32.const 1)))))
        (local.set $at (i32.add (local.get $at) (i32.const 1)))
        (br $next)))
    (local.get $n))

  (func (export "solo5_app_main") (param i32) (result i32)
    (local $end i32)
    (local.set $end (i32.mul (memory.size) (i32.const 65536)))
    ;; 65536 bytes, the most one call fills: OK, and they are written.
    (call $check (i32.eqz (call $entropy (i32.const 4096) (i32.const 65536))) (i32.const 10))
    (call $check (i32.gt_u (call $differ (i32.const 4096) (i32.const 65536) (i32.const 0)) (i32.const 60000)) (i32.const 11))
    ;; 65537: EINVAL, and nothing written.
    (memory.fill (i32.const 131072) (i32.const 0x5a) (i32.const 65537))
    (call $check (i32.eq (call $entropy (i32.const 131072) (i32.const 65537)) (i32.const 2)) (i32.const 12))
    (call $check (i32.eqz (call $differ (i32.const 131072) (i32.const 65537) (i32.const 0x5a))) (i32.const 13))
    ;; Size 0: OK anywhere in memory, at its very end too, and writes nothing.
    (i32.store8 (i32.const 300000) (i32.const 0x77))
    (call $check (i32.eqz (call $entropy (i32.const 300000) (i32.const 0))) (i32.const 14))
    (call $check (i32.eq (i32.load8_u (i32.const 300000)) (i32.const 0x77)) (i32.const 15))
    (call $check (i32.eqz (call $entropy (local.get $end) (i32.const 0))) (i32.const 16))
    ;; A buffer ending exactly at the end of memory.
    (call $check (i32.eqz (call $entropy (i32.sub (local.get $end) (i32.const 16)) (i32.const 16))) (i32.const 17))
    (call $write (i32.const 16) (i32.const 14))
    ;; One byte past it: the guest is stopped here.
    (drop (call $entropy (i32.sub (local.get $end) (i32.const 16)) (i32.const 17)))
    (i32.const 20)))
