// A 2 GiB block_write then block_read (a multiple of the sector size, inside capacity
// and inside --mem=4095) is valid and must succeed, though Node's fs.readSync and
// fs.writeSync take at most 2^31-1 bytes a call: the backend moves it in chunks.
// Markers at the start, across the first 1 GiB chunk boundary and at the end show
// that every chunk lands at its own offset, in the file and back in memory.
import fs from "node:fs";
import { runCli } from "../helpers/run.mjs";
import { guestWat, manifestOf, watFile } from "../helpers/wat.mjs";
import { disk, scratchDir } from "./helpers.mjs";

const GiB = 2 ** 30;
const SIZE = 2 * GiB;
const OFFSET = GiB + 512; // not a multiple of the chunk: each chunk's file offset is tested
const BUF = 0x10000; // guest address of the transfer
// [position in the transfer, i64 value]; the second straddles the 1 GiB boundary.
const MARKERS = [
  [0, 0x1111111111111111n],
  [GiB - 4, 0x2222222233333333n],
  [SIZE - 8, 0x4444444455555555n],
];

const stores = (value) => MARKERS.map(([at, v]) => `(i64.store (i32.const ${BUF + at}) (i64.const ${value ?? v}))`).join("\n");
const checks = MARKERS.map(([at, v]) => `(br_if $bad (i64.ne (i64.load (i32.const ${BUF + at})) (i64.const ${v})))`).join("\n");

const wasm = watFile(guestWat({
  imports: `
    (import "solo5" "console_write" (func $cw (param i32 i32)))
    (import "solo5" "abort" (func $abort))
    (import "solo5" "block_acquire" (func $acquire (param i32 i32 i32) (result i32)))
    (import "solo5" "block_write" (func $write (param i32 i64 i32 i32) (result i32)))
    (import "solo5" "block_read" (func $read (param i32 i64 i32 i32) (result i32)))`,
  extra: `(data (i32.const 0) "storage\\00") (data (i32.const 32) "SUCCESS\\n")`,
  body: `
    (block $bad
      (br_if $bad (call $acquire (i32.const 0) (i32.const 16) (i32.const 64)))
      ${stores()}
      (br_if $bad (call $write (i32.load (i32.const 16)) (i64.const ${OFFSET}) (i32.const ${BUF}) (i32.const ${SIZE})))
      ${stores(0)}
      (br_if $bad (call $read (i32.load (i32.const 16)) (i64.const ${OFFSET}) (i32.const ${BUF}) (i32.const ${SIZE})))
      ${checks}
      (call $cw (i32.const 32) (i32.const 8))
      (return (i32.const 0)))
    (call $abort)`,
  manifest: manifestOf([{ name: "storage", type: "BLOCK_BASIC" }]),
}));

const dir = scratchDir();
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

test("a 2 GiB block_write and block_read at a non-zero offset succeed, every byte in place", async () => {
  const file = disk(dir, "big.img", 4 * GiB); // sparse: only what the guest writes takes disk space
  try {
    const r = await runCli(["run", "--mem=4095", `--block:storage=${file}`, wasm], { timeoutMs: 120000 });
    expect({ status: r.status, stderr: r.stderr }).toEqual({ status: 0, stderr: "" });
    expect(r.stdout).toContain("SUCCESS\n");
    // The file holds each marker at OFFSET + its position, and nothing before OFFSET.
    const fd = fs.openSync(file, "r");
    try {
      const at = (pos) => {
        const b = Buffer.alloc(8);
        fs.readSync(fd, b, 0, 8, pos);
        return b.readBigUInt64LE();
      };
      for (const [pos, v] of MARKERS) expect(at(OFFSET + pos)).toBe(v);
      expect(at(OFFSET - 8)).toBe(0n);
      expect(fs.fstatSync(fd).size).toBe(4 * GiB);
    } finally {
      fs.closeSync(fd);
    }
  } finally {
    fs.rmSync(file, { force: true });
  }
}, 180000);
