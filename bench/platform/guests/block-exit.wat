;; A kernel with one block device that ends at once: the CLI's start-up with a
;; file to attach and open, and nothing else (bench/platform/boot.mjs).
(module
  (import "env" "memory" (memory 1))
  (global (export "__heap_base") i32 (i32.const 1024))
  (func (export "solo5_app_main") (param i32) (result i32) (i32.const 0))
  (@custom "solo5.manifest" "{\"type\":\"solo5.manifest\",\"version\":1,\"devices\":[{\"name\":\"storage\",\"type\":\"BLOCK_BASIC\"}]}"))
