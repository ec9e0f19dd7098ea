// Block devices whose storage fails under a running guest: the full file system (a
// real 64 KiB tmpfs), a file size limit (ulimit -f: EFBIG), a file shrunk with
// truncate. The call returns EUNSPEC, the guest goes on, the tender says what failed
// in one stderr line (once per reason), and every write that returned OK is in the
// file. tests/guests/blkio prints "written i" after each OK write of pattern(i) and
// "write i: result R" / "read: result R" for a refused call, then ends with status R.
// The kv example on a full file system reports the refused puts and keeps its log.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import { example, guest } from "../helpers/paths.mjs";
import { tinyFileSystem } from "../helpers/temp.mjs";
import { blockOptions, disk, scratchDir, watchCli, WATCH_BOTH } from "../block/helpers.mjs";
import { acknowledged, BS, expectAllThere } from "../block/blkio.mjs";

/** What blkio and the ABI call a failed host write or read. */
const EUNSPEC = 3;
const failedLine = (file, op, offset, why) =>
  `solo5-wasm: host I/O error on block device storage (${file}): ${op} of 512 bytes at offset ${offset} failed: ${why} (the guest gets EUNSPEC)\n`;

const tiny = tinyFileSystem(64 * 1024);

describe.each(WATCH_BOTH)("via the %s", (way, watch) => {
  (tiny ? test : test.skip)("a full file system: the write gets EUNSPEC, the guest goes on, every acknowledged write is there", async () => {
    const file = disk(tiny, `${way}.img`, 1 << 20);
    const r = await watch(guest("blkio"), { ...blockOptions({ storage: file }), args: ["--solo5:quiet", "write"] });
    const written = acknowledged(r.stdout);
    expect(written.length).toBeGreaterThan(0);
    expect(written).toEqual(written.map((_, i) => i));
    expect(r.stdout.endsWith(`written ${written.length - 1}\nwrite ${written.length}: result ${EUNSPEC}\n`)).toBe(true);
    expect(r.stderr).toBe(failedLine(file, "write", written.length * BS, "ENOSPC: no space left on device, write"));
    expect(r.status).toBe(EUNSPEC);
    expectAllThere(file, written);
    fs.unlinkSync(file);
  });

  test("a file shrunk under the guest: the read past the new end gets EUNSPEC", async () => {
    const file = disk(scratchDir(), "disk.img", 1 << 20);
    const r = await watch(guest("blkio"), { ...blockOptions({ storage: file }), args: ["--solo5:quiet", "poll-last"] }, (line) => {
      if (line === "ready") fs.truncateSync(file, 1 << 19);
    });
    expect(r.stdout).toBe(`ready\nread: result ${EUNSPEC}\n`);
    expect(r.stderr).toBe(failedLine(file, "read", (1 << 20) - 512, `the file ends at ${1 << 19} bytes: it shrank after it was attached`));
    expect(r.status).toBe(EUNSPEC);
  });
});

test("a write beyond the file size limit (EFBIG) gets EUNSPEC; every acknowledged one is there", async () => {
  const file = disk(scratchDir(), "disk.img", 1 << 20);
  // ulimit -f counts 512-byte units in dash and 1024-byte ones in bash: either way
  // writes start failing well inside the 1 MiB file.
  const r = await watchCli(guest("blkio"), { ...blockOptions({ storage: file }), args: ["--solo5:quiet", "write"], shell: "ulimit -f 256" });
  const written = acknowledged(r.stdout);
  expect(written.length * BS).toBeLessThan(1 << 20);
  expect(r.stdout.endsWith(`write ${written.length}: result ${EUNSPEC}\n`)).toBe(true);
  expect(r.stderr).toBe(failedLine(file, "write", written.length * BS, "EFBIG: file too large, write"));
  expect(r.status).toBe(EUNSPEC);
  expectAllThere(file, written);
});

describe("kv on a file system that fills up", () => {
  const kvTiny = tinyFileSystem(16 * 1024);
  /** kv with `commands` on `file`: status, stderr and the console lines. */
  const kv = async (file, commands) => {
    const r = await watchCli(example("kv"), { cliOptions: [`--block:storage=${file}`], args: ["--solo5:quiet", commands] });
    return { status: r.status, stderr: r.stderr, lines: r.stdout.split("\n").slice(0, -1) };
  };
  // Records of 3 blocks (32 + key + value <= 1536 bytes for keys of up to 3 bytes), so
  // that the last write is cut where tmpfs runs out of 4 KiB pages: part of the
  // record reaches the file, and its CRC must keep it out of the store.
  const value = (key) => `${key}:${"x".repeat(1496)}`;

  (kvTiny ? test : test.skip)("refused puts are reported and never show up; acknowledged ones all stay", async () => {
    const file = disk(kvTiny, "kv.img", 1 << 20);
    expect(await kv(file, "format")).toEqual({ status: 0, stderr: "", lines: ["OK format"] });
    const acked = [];
    let refused = [];
    for (let n = 0; refused.length === 0; n += 4) {
      expect(n).toBeLessThan(64); // 16 KiB hold about 8 such records
      const keys = [0, 1, 2, 3].map((i) => `k${n + i}`);
      const r = await kv(file, keys.map((k) => `put ${k} ${value(k)}`).join("; "));
      acked.push(...r.lines.filter((l) => l.startsWith("OK put ")).map((l) => l.slice(7)));
      refused = r.lines.filter((l) => l.startsWith("ERR "));
      if (refused.length === 0) continue;
      // Every put after the first refusal is refused too; the host says why once.
      expect(r.lines.slice(-refused.length)).toEqual(refused);
      for (const line of refused) expect(line).toMatch(/^ERR put k\d+ k\d+:x+: the device refused the write \(EUNSPEC: the host's storage failed\)$/);
      expect(r.stderr).toMatch(/^solo5-wasm: host I\/O error on block device storage \(.*kv\.img\): write of 1536 bytes at offset \d+ failed: ENOSPC: no space left on device, write \(the guest gets EUNSPEC\)\n$/);
      expect(r.status).toBe(2);
    }
    const items = (lines) => lines.filter((l) => l.startsWith("ITEM ")).map((l) => l.split(" ")[1]);
    const reopened = await kv(file, "list");
    expect(reopened.status).toBe(0);
    expect(items(reopened.lines)).toEqual([...acked].sort());

    // Room again: the log goes on after the last acknowledged record.
    execFileSync("mount", ["-o", "remount,size=1m", kvTiny]);
    const after = await kv(file, `put after ${value("after")}; list`);
    expect(after.status).toBe(0);
    expect(items(after.lines)).toEqual([...acked, "after"].sort());
  });
});
