// --block:NAME=PATH and --block-sector-size:NAME=N: every backing file or sector
// size the tender cannot use is refused before the guest runs, with one line that
// says what is wrong, exit status 1 (ABI section 6); the library API rejects with the
// same message. The cases fail for root too (no chmod 000).
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { guest } from "../helpers/paths.mjs";
import { expectSuccess, runCli, runLib } from "../helpers/run.mjs";
import { blockOptions, disk, scratchDir } from "./helpers.mjs";

const dir = scratchDir();

/** A file this process cannot open read-write: read-only for others, immutable for root. */
function unwritableFile() {
  const file = disk(dir, "read-only.img", 4096);
  fs.chmodSync(file, 0o444);
  try {
    fs.closeSync(fs.openSync(file, "r+"));
  } catch {
    return file;
  }
  try {
    execFileSync("chattr", ["+i", file], { stdio: "ignore" });
    return file;
  } catch {
    return null; // root on a file system without the immutable flag: no such file here
  }
}
// Made mutable again when the folder is removed (tests/helpers/temp.mjs).
const readOnly = unwritableFile();

async function expectRefusal(devices, message) {
  const { cliOptions, libOptions } = blockOptions({ storage: devices });
  const r = await runCli(["run", "--mem=2", ...cliOptions, guest("blk")]);
  expect(r.stderr.trim().split("\n")).toEqual([expect.stringMatching(/^solo5-wasm: /)]);
  expect(r.stderr).toMatch(message);
  expect(r.stdout).toBe("");
  expect(r.status).toBe(1);
  await expect(runLib(guest("blk"), libOptions)).rejects.toThrow(message);
}

test.each([
  ["a missing file", () => "/nonexistent-dir/disk.img", /--block:storage=\/nonexistent-dir\/disk\.img: no such file: create it first/],
  ["a path through a file", () => `${disk(dir, "plain", 4096)}/disk.img`, /plain\/disk\.img: a component of the path is not a directory/],
  ["a directory", () => dir, /: it is a directory, not a file/],
  ["a character device", () => "/dev/null", /--block:storage=\/dev\/null: not a regular file or block device/],
  ["an empty file", () => disk(dir, "empty.img", 0), /Backing storage size must be block aligned: 0 bytes is empty: make it a non-zero multiple of 512 bytes$/m],
  ["1000 bytes", () => disk(dir, "odd.img", 1000), /Backing storage size must be block aligned: 1000 bytes is not a multiple of the sector size 512/],
])("refuses %s", async (_what, file, message) => {
  await expectRefusal(file(), message);
});

(readOnly ? test : test.skip)("refuses a file it cannot open read-write", async () => {
  await expectRefusal(readOnly, /read-only\.img: cannot open it read-write/);
});

test("refuses 6 KiB in sectors of 4096 (Solo5's blk misaligned)", async () => {
  await expectRefusal({ path: disk(dir, "6k.img", 6144), sectorSize: 4096 }, /Backing storage size must be block aligned: 6144 bytes is not a multiple of the sector size 4096/);
});

test.each([[521], [1000], [256], [0], [65536], [32769]])("refuses sector size %i", async (size) => {
  const message = new RegExp(`--block-sector-size:storage=${size}: the sector size must be a power of two from 512 to 32768`);
  await expectRefusal({ path: disk(dir, `s${size}.img`, 65536), sectorSize: size }, message);
});

test.each([[512], [32768]])("accepts sector size %i at the ends of the range", async (size) => {
  // test_blk needs a few blocks: eight.
  const file = disk(dir, `ok${size}.img`, 8 * size);
  const r = await runCli(["run", "--mem=2", `--block:storage=${file}`, `--block-sector-size:storage=${size}`, guest("blk")]);
  expectSuccess(r);
  expect(r.stdout).toContain(`capacity ${8 * size} block size ${size}\n`);
});

test("refuses a sector size that is not a number", async () => {
  const file = disk(dir, "nan.img", 4096);
  const r = await runCli(["run", `--block:storage=${file}`, "--block-sector-size:storage=4k", guest("blk")]);
  expect(r.stderr).toMatch(/^solo5-wasm: --block-sector-size:storage=4k: expected a whole number/);
  expect(r.status).toBe(1);
});

test("a path with '=' and spaces in it is taken whole", async () => {
  const file = disk(fs.mkdtempSync(path.join(dir, "a=b c")), "disk.img", 65536);
  expectSuccess(await runCli(["run", "--mem=2", `--block:storage=${file}`, guest("blk")]));
});
