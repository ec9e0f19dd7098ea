// examples/kv: a key-value store on a block device whose acknowledged puts survive
// the tender being killed, and whose torn or damaged records are skipped, never
// returned (the format is in examples/kv/format.ts and docs/block.md).
import fs from "node:fs";
import { example } from "../helpers/paths.mjs";
import { runCli } from "../helpers/run.mjs";
import { disk, scratchDir, watchCli } from "./helpers.mjs";

const BS = 512;

/** Runs kv with `commands` on `file`; the console without Solo5: lines. */
const kv = (file, commands, sectorSize = BS) =>
  runCli(["run", "--mem=64", `--block:storage=${file}`, `--block-sector-size:storage=${sectorSize}`, example("kv"), "--solo5:quiet", commands]);

/** The console lines of a run that must have succeeded. */
async function ok(file, commands, sectorSize) {
  const r = await kv(file, commands, sectorSize);
  expect({ status: r.status, stderr: r.stderr }).toEqual({ status: 0, stderr: "" });
  return r.stdout.split("\n").slice(0, -1);
}

/** Overwrites bytes of the file at `offset`. */
function scribble(file, offset, bytes) {
  const fd = fs.openSync(file, "r+");
  fs.writeSync(fd, Buffer.from(bytes), 0, bytes.length, offset);
  fs.closeSync(fd);
}

const stats = (lines) => Object.fromEntries([...lines.find((l) => l.startsWith("OK stats ")).matchAll(/(\w+)=(\d+)/g)].map((m) => [m[1], Number(m[2])]));

test("put, get, del, list and stats, within a run and across runs", async () => {
  const file = disk(scratchDir(), "kv.img", 1 << 20);
  expect(await ok(file, "put a 1; put b hello  world; get a; get b; get c; del a; del a; put c 3; put c 4")).toEqual([
    "OK put a", "OK put b", "OK get a 1", "OK get b hello  world", "MISSING get c", "OK del a", "MISSING del a", "OK put c", "OK put c",
  ]);
  expect(await ok(file, "list; get a; stats")).toEqual([
    "ITEM b hello  world", "ITEM c 4", "OK list 2", "MISSING get a",
    "OK stats keys=2 records=5 damaged=0 used=6 free=2042 block=512",
  ]);
});

test("a malformed command is refused, the others still run, the status says so", async () => {
  const file = disk(scratchDir(), "kv.img", 1 << 20);
  const r = await kv(file, "put; put a 1; get a b; frob; get a");
  expect(r.stdout.split("\n")).toEqual([
    expect.stringMatching(/^ERR put: unknown or malformed command/), "OK put a",
    expect.stringMatching(/^ERR get a b: /), expect.stringMatching(/^ERR frob: /), "OK get a 1", "",
  ]);
  expect(r.status).toBe(2);
});

test("killed in the middle of many puts: every acknowledged put is there after a restart", async () => {
  const file = disk(scratchDir(), "kv.img", 256 << 20);
  let seen = 0;
  const r = await watchCli(example("kv"), { cliOptions: [`--block:storage=${file}`], args: ["--solo5:quiet", "fill k 500000"] }, (line, kill) => {
    if (line.startsWith("OK put ") && ++seen === 2000) kill();
  });
  expect(r.signal).toBe("SIGKILL");
  const acked = [...r.stdout.matchAll(/^OK put k(\d+)$/gm)].map((m) => Number(m[1]));
  expect(acked.length).toBeGreaterThanOrEqual(2000);
  expect(acked.length).toBeLessThan(500000);

  const lines = await ok(file, "list; stats; put after 1; get after");
  const items = lines.filter((l) => l.startsWith("ITEM "));
  // Puts are written one after the other, so the store holds k0..kN with no gap: every
  // put acknowledged here, and those acknowledged after the last line that got out
  // (and perhaps the one whose write had finished when the kill came).
  expect(items.length).toBeGreaterThanOrEqual(acked.length);
  expect(items.length).toBeLessThan(500000);
  const expected = Array.from({ length: items.length }, (_, i) => `ITEM k${i} v${i}`).sort();
  expect(items).toEqual(expected);
  expect(stats(lines)).toMatchObject({ keys: items.length, records: items.length });
  expect(lines.slice(-2)).toEqual(["OK put after", "OK get after 1"]);
});

describe("records that fail their check", () => {
  test("a record scribbled on is skipped, not returned; the rest stay", async () => {
    const file = disk(scratchDir(), "kv.img", 1 << 20);
    await ok(file, "fill k 10");
    // Record k3 is block 4; its value "v3" starts at byte 32 + 2 (after the key).
    scribble(file, 4 * BS + 34, "w3");
    const lines = await ok(file, "get k3; get k2; get k4; list; stats");
    expect(lines.slice(0, 3)).toEqual(["MISSING get k3", "OK get k2 v2", "OK get k4 v4"]);
    expect(lines.join("\n")).not.toContain("w3");
    expect(stats(lines)).toMatchObject({ keys: 9, records: 9, damaged: 1 });
  });

  test("a torn write at the end (a three-block record missing its last block) is skipped; the next put takes its place", async () => {
    const file = disk(scratchDir(), "kv.img", 1 << 20);
    const big = "x".repeat(1200);
    await ok(file, `fill k 10; put big ${big}`);
    // big is 32 + 3 + 1200 bytes: blocks 11..13. The crash left block 13 unwritten.
    scribble(file, 13 * BS, Buffer.alloc(BS));
    let lines = await ok(file, "get big; stats; put after 1");
    expect(lines[0]).toBe("MISSING get big");
    expect(stats(lines)).toMatchObject({ keys: 10, damaged: 1, used: 11 });
    lines = await ok(file, "list; stats");
    expect(lines.filter((l) => l.startsWith("ITEM ")).map((l) => l.split(" ")[1])).toEqual(["after", ...Array.from({ length: 10 }, (_, i) => `k${i}`).sort()]);
    expect(stats(lines)).toMatchObject({ keys: 11, damaged: 0, used: 12 });
  });

  test("random bytes over a whole record: skipped", async () => {
    const file = disk(scratchDir(), "kv.img", 1 << 20);
    await ok(file, "fill k 5");
    scribble(file, 2 * BS, Buffer.from(Array.from({ length: BS }, (_, i) => (i * 97 + 13) & 0xff)));
    const lines = await ok(file, "list");
    expect(lines).toEqual(["ITEM k0 v0", "ITEM k2 v2", "ITEM k3 v3", "ITEM k4 v4", "OK list 4"]);
  });
});

describe("formats", () => {
  test("records of an earlier format do not come back", async () => {
    const file = disk(scratchDir(), "kv.img", 1 << 20);
    await ok(file, "fill old 5");
    expect(await ok(file, "format; put new 1; list")).toEqual(["OK format", "OK put new", "ITEM new 1", "OK list 1"]);
    expect(await ok(file, "list")).toEqual(["ITEM new 1", "OK list 1"]);
  });

  test("a device holding something else is refused; format replaces it", async () => {
    const file = disk(scratchDir(), "kv.img", 1 << 20);
    scribble(file, 0, "not a kv store");
    const r = await kv(file, "list");
    expect(r.stdout).toBe("ERR open: block 0 is not a kv store header (the command `format` starts a new store)\n");
    expect(r.status).toBe(2);
    expect(await ok(file, "format; put a 1; list")).toEqual(["OK format", "OK put a", "ITEM a 1", "OK list 1"]);
  });

  test("sectors of 4096: the store works, and is refused with another sector size", async () => {
    const file = disk(scratchDir(), "kv.img", 1 << 20);
    expect(await ok(file, "put a 1; stats", 4096)).toEqual(["OK put a", "OK stats keys=1 records=1 damaged=0 used=2 free=254 block=4096"]);
    expect(await ok(file, "get a", 4096)).toEqual(["OK get a 1"]);
    const r = await kv(file, "get a", 512);
    expect(r.stdout).toMatch(/^ERR open: the store was formatted with blocks of 4096 bytes, the device has 512/);
    expect(r.status).toBe(2);
  });

  test("a full device refuses the put that does not fit, and keeps the others", async () => {
    const file = disk(scratchDir(), "kv.img", 8 * BS);
    const r = await kv(file, "fill k 10; get k6");
    expect(r.stdout.split("\n")).toEqual([
      ...Array.from({ length: 7 }, (_, i) => `OK put k${i}`), "ERR fill k 10: the device is full (0 blocks free)", "OK get k6 v6", "",
    ]);
    expect(r.status).toBe(2);
  });
});
