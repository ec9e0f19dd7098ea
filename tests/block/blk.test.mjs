// Solo5's test_blk (tests/guests/blk), at sector sizes 512 and 4096, through the CLI
// and the library; then the host file is read back to see that exactly what the guest
// wrote is there, and nothing it was refused.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import { guest } from "../helpers/paths.mjs";
import { BOTH, expectAbort, expectSuccess, runCli } from "../helpers/run.mjs";
import { blockOptions, disk, scratchDir } from "./helpers.mjs";

const dir = scratchDir();
const CAPACITY = 1 << 20;

/** The file test_blk leaves behind, from its comment's description. */
function expectedImage(bs) {
  const image = Buffer.alloc(CAPACITY);
  const digits = Buffer.from(Array.from({ length: bs }, (_, i) => 0x30 + (i % 10)));
  for (let off = 0; off < CAPACITY; off += 10 * bs) digits.copy(image, off);
  image.fill(0x5a, CAPACITY - bs);
  for (let i = 0; i < 3 * bs; i++) image[bs + i] = (i * 7 + 3) & 0xff;
  return image;
}

describe.each(BOTH)("test_blk via the %s", (way, runGuest) => {
  test.each([[512], [4096]])("sector size %i: SUCCESS, and the file holds what was written", async (bs) => {
    const file = disk(dir, `${way}-${bs}.img`, CAPACITY);
    const r = await runGuest(guest("blk"), blockOptions({ storage: { path: file, sectorSize: bs } }));
    expectSuccess(r);
    expect(r.stdout).toContain(`capacity ${CAPACITY} block size ${bs}\n`);
    const image = fs.readFileSync(file);
    expect(image.length).toBe(CAPACITY);
    // Buffer.equals, not toEqual: a mismatch should not print a megabyte.
    expect(image.equals(expectedImage(bs))).toBe(true);
  });

  test("Block.acquire of a device it cannot have aborts, naming the device", async () => {
    const file = disk(dir, `${way}-twice.img`, 4096);
    const r = await runGuest(guest("blkio"), { ...blockOptions({ storage: file }), args: ["acquire-twice"] });
    expectAbort(r, "ABORT: Block.acquire: no BLOCK_BASIC device 'storage' in the manifest, or it was acquired already");
    expect(r.stdout).not.toContain("usage");
  });
});

/** A loop device over a fresh 1 MiB file; null when this process may not make one. */
function loopDevice() {
  try {
    return execFileSync("losetup", ["--find", "--show", disk(dir, "loop.img", CAPACITY)], { encoding: "utf8" }).trim();
  } catch {
    return null;
  }
}
const loop = loopDevice();
afterAll(() => {
  if (loop) execFileSync("losetup", ["-d", loop]);
});

(loop ? test : test.skip)("a host block device: capacity from the kernel, and the data there", async () => {
  const r = await runCli(["run", "--mem=4", `--block:storage=${loop}`, guest("blk")]);
  expectSuccess(r);
  expect(r.stdout).toContain(`capacity ${CAPACITY} block size 512\n`);
  // Read through the device: its cache reaches the backing file only at writeback.
  expect(fs.readFileSync(loop).equals(expectedImage(512))).toBe(true);
});
