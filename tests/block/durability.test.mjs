// A write that returned OK is in the host file, whatever happens next (ABI section
// 4), and a host I/O error ends the guest with a `solo5-wasm:` line and status 1
// (section 5). tests/guests/blkio prints "written i" after each OK and fills block i
// with pattern(i).
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { guest } from "../helpers/paths.mjs";
import { blockOptions, disk, scratchDir, watchCli, WATCH_BOTH } from "./helpers.mjs";

const BS = 512;

function pattern(i) {
  const b = Buffer.alloc(BS);
  for (let j = 4; j < BS; j++) b[j] = (i * 7 + j) & 0xff;
  b.writeUInt32LE(i, 0);
  return b;
}

/** The i of every "written i" line. */
const acknowledged = (stdout) => [...stdout.matchAll(/^written (\d+)$/gm)].map((m) => Number(m[1]));

/** Every acknowledged block holds its pattern in `file`. */
function expectAllThere(file, written) {
  const fd = fs.openSync(file, "r");
  const block = Buffer.alloc(BS);
  const missing = written.filter((i) => fs.readSync(fd, block, 0, BS, i * BS) !== BS || !block.equals(pattern(i)));
  fs.closeSync(fd);
  expect(missing).toEqual([]);
}

describe.each(WATCH_BOTH)("via the %s", (way, watch) => {
  test("killed while writing: every acknowledged write is in the file", async () => {
    const file = disk(scratchDir(), "disk.img", 64 << 20);
    let seen = 0;
    const r = await watch(guest("blkio"), { ...blockOptions({ storage: file }), args: ["--solo5:quiet", "write", "hold"] }, (line, kill) => {
      if (line.startsWith("written ") && ++seen === 300) kill();
    });
    if (way === "cli") expect(r.signal).toBe("SIGKILL");
    else expect(r.reason).toBe("stopped");
    const written = acknowledged(r.stdout);
    expect(written.length).toBeGreaterThanOrEqual(300);
    expect(written).toEqual(written.map((_, i) => i));
    expectAllThere(file, written);
  });

  test("a file shrunk under the guest: the read fails, the guest ends with a clear message", async () => {
    const file = disk(scratchDir(), "disk.img", 1 << 20);
    const r = await watch(guest("blkio"), { ...blockOptions({ storage: file }), args: ["--solo5:quiet", "poll-last"] }, (line) => {
      if (line === "ready") fs.truncateSync(file, 1 << 19);
    });
    expect(r.stderr).toBe(
      `solo5-wasm: host I/O error on block device storage (${file}): read of 512 bytes at offset ${(1 << 20) - 512} failed: ` +
        `the file ends at ${1 << 19} bytes: it shrank after it was attached\n`,
    );
    expect(r.stdout).not.toContain("FAILURE");
    expect(r.status).toBe(1);
  });
});

test("a write beyond the file size limit (EFBIG): exit 1, the failed write named, every acknowledged one there", async () => {
  const file = disk(scratchDir(), "disk.img", 1 << 20);
  // ulimit -f counts 512-byte units in dash and 1024-byte ones in bash: either way
  // writes start failing well inside the 1 MiB file.
  const r = await watchCli(guest("blkio"), { ...blockOptions({ storage: file }), args: ["--solo5:quiet", "write"], shell: "ulimit -f 256" });
  const written = acknowledged(r.stdout);
  const next = written.length * BS;
  expect(next).toBeLessThan(1 << 20);
  expect(r.stderr).toBe(
    `solo5-wasm: host I/O error on block device storage (${file}): write of 512 bytes at offset ${next} failed: EFBIG: file too large, write\n`,
  );
  expect(r.status).toBe(1);
  expectAllThere(file, written);
});

/** A 64 KiB tmpfs, where a sparse 1 MiB file runs out of space; null when this process may not mount. */
function tinyFileSystem() {
  const dir = scratchDir();
  try {
    execFileSync("mount", ["-t", "tmpfs", "-o", "size=64k", "tmpfs", dir], { stdio: "ignore" });
    return dir;
  } catch {
    return null;
  }
}
const tiny = tinyFileSystem();
afterAll(() => {
  if (tiny) execFileSync("umount", [tiny]);
});

describe.each(WATCH_BOTH)("on a full file system, via the %s", (way, watch) => {
  (tiny ? test : test.skip)("ENOSPC ends the guest with the failed write named", async () => {
    const file = disk(tiny, `${way}.img`, 1 << 20);
    const r = await watch(guest("blkio"), { ...blockOptions({ storage: file }), args: ["--solo5:quiet", "write"] });
    const written = acknowledged(r.stdout);
    expect(r.stderr).toMatch(
      new RegExp(`^solo5-wasm: host I/O error on block device storage \\(${file}\\): write of 512 bytes at offset ${written.length * BS} failed: ENOSPC: no space left on device, write\\n$`),
    );
    expect(r.status).toBe(1);
    expectAllThere(file, written);
    fs.unlinkSync(file);
  });
});
