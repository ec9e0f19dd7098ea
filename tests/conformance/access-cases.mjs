// Hypercall arguments against ABI section 4, as host-independent cases (see
// solo5-cases.mjs for their shape): a pointer/length pair that leaves memory or
// overflows stops the guest (`invalid guest access`, status 1), for every pointer of
// every call; edge cases that stay inside memory are fine; bad handles are EINVAL.
// Run by tests/platform/guest-access.test.mjs and tests/browser/conformance.test.mjs.
import { guestWat, manifestOf } from "../helpers/wat.mjs";

const MEM_MIB = 2; // every guest here runs with --mem=2
const MEM = MEM_MIB * 1024 * 1024;
const hex = (n) => `0x${(n >>> 0).toString(16)}`;

const IMPORTS = `
  (import "solo5" "console_write" (func $console_write (param i32 i32)))
  (import "solo5" "yield" (func $yield (param i64 i32)))
  (import "solo5" "net_acquire" (func $net_acquire (param i32 i32 i32) (result i32)))
  (import "solo5" "net_write" (func $net_write (param i32 i32 i32) (result i32)))
  (import "solo5" "net_read" (func $net_read (param i32 i32 i32 i32) (result i32)))
  (import "solo5" "block_acquire" (func $block_acquire (param i32 i32 i32) (result i32)))
  (import "solo5" "block_write" (func $block_write (param i32 i64 i32 i32) (result i32)))
  (import "solo5" "block_read" (func $block_read (param i32 i64 i32 i32) (result i32)))`;

/** A guest whose solo5_app_main returns the i32 `expr` (or 0 after a void call). */
const guest = (expr, { manifest = null } = {}) => ({
  wat: guestWat({
    memory: `(import "env" "memory" (memory 1))`,
    imports: IMPORTS,
    main: `(func (export "solo5_app_main") (param i32) (result i32) ${expr})`,
    extra: `(data (i32.const 64) "storage\\00service0\\00")`,
    manifest,
  }),
});

const NAME = 64; // "storage"
const BAD = [
  // [call, bad ptr, bad len, WAT expression]
  ["console_write", MEM, 1, `(call $console_write (i32.const ${MEM}) (i32.const 1)) (i32.const 0)`],
  ["console_write", -1, 2, `(call $console_write (i32.const -1) (i32.const 2)) (i32.const 0)`],
  ["console_write", 16, -1, `(call $console_write (i32.const 16) (i32.const -1)) (i32.const 0)`],
  ["yield", MEM - 4, 8, `(call $yield (i64.const 0) (i32.const ${MEM - 4})) (i32.const 0)`],
  ["net_acquire", MEM, 1, `(call $net_acquire (i32.const ${MEM}) (i32.const 0) (i32.const 0))`],
  ["net_acquire", MEM - 7, 8, `(call $net_acquire (i32.const ${NAME}) (i32.const ${MEM - 7}) (i32.const 0))`],
  ["net_acquire", MEM - 11, 12, `(call $net_acquire (i32.const ${NAME}) (i32.const 128) (i32.const ${MEM - 11}))`],
  ["net_write", MEM - 13, 14, `(call $net_write (i32.const 1) (i32.const ${MEM - 13}) (i32.const 14))`],
  ["net_read", -16, 1514, `(call $net_read (i32.const 1) (i32.const -16) (i32.const 1514) (i32.const 128))`],
  ["net_read", MEM - 3, 4, `(call $net_read (i32.const 1) (i32.const 256) (i32.const 1514) (i32.const ${MEM - 3}))`],
  ["block_acquire", -1, 1, `(call $block_acquire (i32.const -1) (i32.const 128) (i32.const 256))`],
  ["block_acquire", -8, 8, `(call $block_acquire (i32.const ${NAME}) (i32.const -8) (i32.const 256))`],
  ["block_acquire", MEM - 15, 16, `(call $block_acquire (i32.const ${NAME}) (i32.const 128) (i32.const ${MEM - 15}))`],
  ["block_write", MEM - 511, 512, `(call $block_write (i32.const 1) (i64.const 0) (i32.const ${MEM - 511}) (i32.const 512))`],
  ["block_read", 0x7fffffff, 0x7fffffff, `(call $block_read (i32.const 1) (i64.const 0) (i32.const 0x7fffffff) (i32.const 0x7fffffff))`],
];

const VALID = [
  ["a buffer ending exactly at the end of memory", `(call $console_write (i32.const ${MEM - 1}) (i32.const 1)) (i32.const 0)`],
  ["an empty buffer at the end of memory", `(call $console_write (i32.const ${MEM}) (i32.const 0)) (i32.const 0)`],
  ["a ready set in the last 8 bytes", `(call $yield (i64.const 0) (i32.const ${MEM - 8})) (i32.const 0)`],
  ["a NULL ready set", `(call $yield (i64.const 0) (i32.const 0)) (i32.const 0)`],
];

const EINVAL = [
  ["net_write to a handle never acquired", `(call $net_write (i32.const 1) (i32.const 256) (i32.const 60))`],
  ["net_read from handle 0", `(call $net_read (i32.const 0) (i32.const 256) (i32.const 1514) (i32.const 128))`],
  ["block_read from handle -1", `(call $block_read (i32.const -1) (i64.const 0) (i32.const 512) (i32.const 512))`],
  ["block_write to handle 64", `(call $block_write (i32.const 64) (i64.const 0) (i32.const 512) (i32.const 512))`],
  ["net_acquire of an unknown name", `(call $net_acquire (i32.const ${NAME}) (i32.const 128) (i32.const 256))`],
];

// Returns first*1 + second*4 + third*16 + fourth*64 (OK=0, EINVAL=2).
const SECOND_ACQUIRE = `
  (i32.add (i32.add
    (call $block_acquire (i32.const ${NAME}) (i32.const 128) (i32.const 256))
    (i32.mul (i32.const 4) (call $block_acquire (i32.const ${NAME}) (i32.const 136) (i32.const 256))))
  (i32.add
    (i32.mul (i32.const 16) (call $net_acquire (i32.const ${NAME}) (i32.const 136) (i32.const 256)))
    (i32.mul (i32.const 64) (call $net_write (i32.load (i32.const 128)) (i32.const 512) (i32.const 60)))))`;

export const ACCESS_CASES = [
  ...BAD.map(([call, ptr, len, expr]) => ({
    name: `${call}(ptr=${ptr}, len=${len}) stops the guest`,
    kernel: guest(expr),
    mem: MEM_MIB,
    check(r) {
      expect(r.stderr).toContain(`solo5-wasm: invalid guest access in ${call}: ptr=${hex(ptr)} len=${len >>> 0}\n`);
      expect(r.stdout).not.toContain("solo5_exit");
      expect(r.status).toBe(1);
    },
  })),
  {
    name: "a device name whose NUL would lie past the end of memory",
    // The last 4 bytes of memory hold "abcd" with no NUL after them.
    kernel: guest(`(i32.store (i32.const ${MEM - 4}) (i32.const 0x64636261))
      (call $block_acquire (i32.const ${MEM - 4}) (i32.const 128) (i32.const 256))`),
    mem: MEM_MIB,
    check(r) {
      expect(r.stderr).toContain(`invalid guest access in block_acquire: ptr=${hex(MEM - 4)}`);
      expect(r.status).toBe(1);
    },
  },
  ...VALID.map(([what, expr]) => ({
    name: `${what} is valid`,
    kernel: guest(expr),
    mem: MEM_MIB,
    check(r) {
      expect(r.stderr).toBe("");
      expect(r.status).toBe(0);
    },
  })),
  ...EINVAL.map(([what, expr]) => ({
    name: `${what} is EINVAL`,
    kernel: guest(expr),
    mem: MEM_MIB,
    check(r) {
      expect(r.status).toBe(2);
    },
  })),
  {
    name: "a second acquire, a wrong-type acquire and a block handle used as net are EINVAL",
    kernel: guest(SECOND_ACQUIRE, { manifest: manifestOf([{ name: "storage", type: "BLOCK_BASIC" }]) }),
    mem: MEM_MIB,
    blocks: { storage: 8 * 512 },
    check(r) {
      expect(r.stderr).toBe("");
      expect(r.status).toBe(0 + 2 * 4 + 2 * 16 + 2 * 64);
    },
  },
];
