// Solo5's own tests (tests.bats) that make sense on wasm, as host-independent cases:
// each names a guest, how to run it and what must hold afterwards. The Node suite
// (tests/platform/solo5-tests.test.mjs) and the browser suite
// (tests/browser/conformance.test.mjs) run the same cases through their adapters.
//
// A case: { name, kernel, args?, mem?, blocks?, check(r) }
//   kernel   { example: NAME } | { guest: NAME } (tests/guests) | { wat: TEXT }
//   mem      MiB (default 32)
//   blocks   { DEVICE: bytes }: a zeroed in-host disk of that size per device
//   check(r) asserts on r = { status, stdout, stderr, disks: { DEVICE: Uint8Array } }
import { expectAbort, expectSuccess } from "../helpers/run.mjs";

const hello = { example: "hello" };
const BLK_CAPACITY = 1 << 20;

const TRAPS = [
  ["unreachable", "unreachable"],
  ["oob", "memory access out of bounds"],
  ["divzero", "divide by zero"],
  ["stack", "stack overflow"],
];

const EXITS = [
  ["exit", 0, 0],
  ["exit", 7, 7],
  ["exit", 256, 0],
  ["exit", -1, 255],
  ["return", 3, 3],
  ["return", 511, 255],
  ["return", -2, 254],
];

export const SOLO5_CASES = [
  {
    name: "hello: SUCCESS with Hello_Solo5, its command line echoed",
    kernel: hello,
    args: ["Hello_Solo5"],
    check(r) {
      expectSuccess(r);
      expect(r.stdout).toContain("Hello, World\n");
      expect(r.stdout).toContain("Command line is: 'Hello_Solo5'\n");
      expect(r.stdout).toContain("Solo5: solo5_exit(0) called\n");
    },
  },
  {
    name: "hello: no SUCCESS with another command line",
    kernel: hello,
    args: ["Hello", "World"],
    check(r) {
      expect(r.status).toBe(0);
      expect(r.stdout).toContain("Command line is: 'Hello World'\n");
      expect(r.stdout).not.toContain("SUCCESS");
    },
  },
  {
    name: "banner shows the memory layout",
    kernel: hello,
    args: ["Hello_Solo5"],
    mem: 8,
    check(r) {
      expect(r.stdout).toMatch(/^Solo5: Bindings version v\d+\.\d+\.\d+ \(solo5-wasm, ABI v1\)$/m);
      expect(r.stdout).toContain("Solo5: Memory map: 8 MB addressable:\n");
      expect(r.stdout).toMatch(/Solo5: {5}static @ \(0x0 - 0x[0-9a-f]+\)/);
      expect(r.stdout).toMatch(/Solo5:       heap @ \(0x[0-9a-f]+ - 0x7fffff\)/);
    },
  },
  {
    name: "quiet: --solo5:quiet removes every Solo5: line and is not passed on",
    kernel: { guest: "quiet" },
    args: ["--solo5:quiet"],
    check(r) {
      expectSuccess(r);
      expect(r.stdout).toBe("SUCCESS\n");
    },
  },
  {
    name: "several leading --solo5: options are consumed, the last one wins",
    kernel: hello,
    args: ["--solo5:debug", "--solo5:quiet", "Hello_Solo5"],
    check(r) {
      expectSuccess(r);
      expect(r.stdout).not.toContain("Solo5:");
      expect(r.stdout).toContain("Command line is: 'Hello_Solo5'");
    },
  },
  {
    name: "a --solo5: option after another word stays in the command line",
    kernel: hello,
    args: ["Hello", "--solo5:quiet"],
    check(r) {
      expect(r.stdout).toContain("Command line is: 'Hello --solo5:quiet'");
      expect(r.stdout).toContain("Solo5: solo5_exit(0) called");
    },
  },
  {
    name: "output: every byte of every write arrives, in order",
    kernel: { guest: "output" },
    args: ["Output_Solo5"],
    check(r) {
      expectSuccess(r);
      const sizes = [0, 1, 15, 16, 17, 255, 4096, 65536];
      sizes.forEach((n, i) => expect(r.stdout).toContain(`\n${n}:${String.fromCharCode(0x61 + i).repeat(n)}\n`));
      expect(r.stdout).toContain("UTF-8: h\u00e9llo w\u00f6rld \u2713\n");
    },
  },
  {
    name: "globals: static data and top-level code are ready before solo5_app_main",
    kernel: { guest: "globals" },
    check: expectSuccess,
  },
  { name: "fpu", kernel: { guest: "fpu" }, check: expectSuccess },
  { name: "time: yield sleeps to its deadline, clocks are sane", kernel: { guest: "time" }, check: expectSuccess },
  {
    name: "abort: AssemblyScript's abort ends in solo5_abort, status 255",
    kernel: { guest: "abort" },
    check(r) {
      expectAbort(r);
      expect(r.stdout).toContain("ABORT: deliberate assertion failure at tests/guests/abort.ts:");
      expect(r.stdout).toContain("Solo5: solo5_abort() called\n");
    },
  },
  {
    name: "abort lines survive --solo5:quiet",
    kernel: { guest: "abort" },
    args: ["--solo5:quiet"],
    check(r) {
      expectAbort(r);
      expect(r.stdout).toContain("Solo5: solo5_abort() called\n");
    },
  },
  {
    name: "blk: SUCCESS, and the disk holds what the guest wrote",
    kernel: { guest: "blk" },
    blocks: { storage: BLK_CAPACITY },
    check(r) {
      expectSuccess(r);
      expect(r.stdout).toContain(`capacity ${BLK_CAPACITY} block size 512\n`);
      // Spot checks of what tests/guests/blk/main.ts says it leaves on the disk.
      const disk = Buffer.from(r.disks.storage);
      expect(disk.length).toBe(BLK_CAPACITY);
      expect(disk.subarray(0, 10).toString()).toBe("0123456789");
      expect(disk.subarray(512, 515)).toEqual(Buffer.from([3, 10, 17]));
      expect(disk.subarray(BLK_CAPACITY - 512).every((b) => b === 0x5a)).toBe(true);
    },
  },
  ...TRAPS.map(([how, reason]) => ({
    name: `trap (${how}): status 255, reason and wasm stack with names`,
    kernel: { guest: "trap" },
    args: ["--solo5:quiet", how],
    check(r) {
      expectAbort(r, "trap");
      expect(r.stdout).toContain(`Solo5: trap: ${reason}\n`);
      expect(r.stdout).toMatch(/^Solo5: {3}at .*solo5_app_main \(wasm-function\[\d+\]:0x[0-9a-f]+\)$/m);
    },
  })),
  ...EXITS.map(([how, n, status]) => ({
    name: `${how} ${n}: status ${status}, the exit line shows the signed value`,
    kernel: { guest: "exit" },
    args: [how, String(n)],
    check(r) {
      expect(r.status).toBe(status);
      expect(r.stdout).toContain(`Solo5: solo5_exit(${n}) called\n`);
    },
  })),
];
