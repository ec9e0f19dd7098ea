// Repeated block reads (docs/record.md, format version 2): a read that gives the
// bytes of the last read of the same range is logged without them, and replay answers
// it from that earlier record. Replay must still give every read the bytes it got
// when recorded: the new ones after the guest wrote the range, and after another
// process changed the disk under it. Logs of version 1 (no repeats) still replay;
// other versions, and a repeat where the format has none, are refused in one line.
import fs from "node:fs";
import path from "node:path";
import { example, guest } from "../helpers/paths.mjs";
import { runCli } from "../helpers/run.mjs";
import { watchCli } from "../block/helpers.mjs";
import { lastLine, replayCli, scratchDir } from "./helpers.mjs";

const BLOCKS = guest("record-blocks");
const HELLO = example("hello");
const MATCHED = /^solo5-wasm: replay matched the recorded run: \d+ calls, and it ended as recorded \(exit 0 \(status 0\)\)$/;
/** Where the version is in a log: after the 8 bytes of "solo5rec". */
const VERSION_AT = 8;

let dir;
beforeEach(() => (dir = scratchDir()));
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

/** A 1 MiB disk of bytes that differ from sector to sector. */
function patternDisk() {
  const file = path.join(dir, "disk.img");
  fs.writeFileSync(file, Buffer.from(Array.from({ length: 1 << 20 }, (_, i) => (i * 13 + (i >> 9)) & 0xff)));
  return file;
}

/** A copy of `log` whose preamble says format version `version`. */
function withVersion(log, version) {
  const bytes = fs.readFileSync(log);
  bytes.writeUInt32LE(version, VERSION_AT);
  const out = path.join(dir, `v${version}.log`);
  fs.writeFileSync(out, bytes);
  return out;
}

/** Records `rounds 3` of the record-blocks guest: the run, its log and the bytes it read. */
async function recordRounds() {
  const log = path.join(dir, "blocks.log");
  const r = await runCli(["run", "--mem=16", `--record=${log}`, `--block:storage=${patternDisk()}`, BLOCKS, "--solo5:quiet", "rounds 3"]);
  expect({ status: r.status, stderr: r.stderr }).toEqual({ status: 0, stderr: "" });
  return { log, stdout: r.stdout };
}

test("reads of the same range, before and after writes to it: the log holds the bytes once, replay gives each read its own", async () => {
  const { log, stdout } = await recordRounds();
  const lines = stdout.split("\n");
  // The guest saw its writes: the first 4 KiB read after a write differs from the one before.
  expect(lines[3]).toMatch(/^C \d+$/);
  expect(lines.filter((l) => l.startsWith("A after a write")).length).toBe(3);
  expect(new Set(lines.filter((l) => l.startsWith("A after a write "))).size).toBe(3);
  expect(lines[1]).not.toBe(lines[5].replace("A after a write", "A"));
  // 3 rounds read 3 * (5 * 4096 + 2 * 1024 + 2 * 512) bytes; 8 of the 4 KiB reads repeat
  // the one before them (2 in the first round, 3 in each other), so the log holds
  // 8 * 4096 bytes fewer, plus a few bytes a call.
  const read = 3 * (5 * 4096 + 2 * 1024 + 2 * 512);
  expect(fs.statSync(log).size).toBeLessThan(read - 8 * 4096 + 2048);

  fs.rmSync(path.join(dir, "disk.img")); // replay needs no disk
  const replayed = await replayCli(log, BLOCKS);
  expect(replayed.stdout).toBe(stdout);
  expect(lastLine(replayed.stderr)).toMatch(MATCHED);
  expect(replayed.status).toBe(0);
}, 60000);

test("a disk changed by another process while recording: replay gives the read after it the new bytes", async () => {
  const file = patternDisk();
  const log = path.join(dir, "watch.log");
  const r = await watchCli(BLOCKS, { cliOptions: [`--record=${log}`, `--block:storage=${file}`], args: ["--solo5:quiet", "watch"] }, (line) => {
    if (line === "ready") {
      const fd = fs.openSync(file, "r+");
      fs.writeSync(fd, Buffer.alloc(512, 0x77), 0, 512, 512);
      fs.closeSync(fd);
    }
  });
  expect(r.status).toBe(0);
  expect(r.stdout).toMatch(/^A \d+\nready\nchanged \d+\n$/);
  fs.rmSync(file);
  const replayed = await replayCli(log, BLOCKS);
  expect(replayed.stdout).toBe(r.stdout);
  expect(lastLine(replayed.stderr)).toMatch(MATCHED);
}, 60000);

test("a log of format version 1 (no repeated reads) still replays; other versions are refused in one line", async () => {
  const log = path.join(dir, "hello.log");
  const recorded = await runCli(["run", "--mem=16", `--record=${log}`, HELLO, "Hello_Solo5"]);
  expect(recorded.status).toBe(0);
  const v1 = await replayCli(withVersion(log, 1), HELLO);
  expect(v1.stdout).toBe(recorded.stdout);
  expect(lastLine(v1.stderr)).toMatch(/^solo5-wasm: replay matched the recorded run/);

  const v3 = withVersion(log, 3);
  const refused = await replayCli(v3, HELLO);
  expect(refused.stderr).toBe(`solo5-wasm: ${v3}: a record log of format version 3; this tender reads versions 1 and 2: replay it with the tender that recorded it\n`);
  expect(refused.status).toBe(1);
});

test("a version 1 log with a repeated read in it is corrupt: one line naming the call, status 1", async () => {
  const { log, stdout } = await recordRounds();
  const replayed = await replayCli(withVersion(log, 1), BLOCKS);
  // Replay gets as far as the first repeat, then stops there.
  expect(stdout.startsWith(replayed.stdout)).toBe(true);
  expect(lastLine(replayed.stderr)).toMatch(/^solo5-wasm: .*the log is corrupt in its chunk at byte \d+: call \d+ \(block_read\) is marked a repeated block read, which a version 1 log has none of$/);
  expect(replayed.status).toBe(1);
}, 60000);
