// Record and replay (docs/record.md) with guests on the console and a block device:
// a run recorded with --record (or the library's `record`) replays with no devices
// to the same console output and ending; a changed kernel, a flipped byte, a cut log
// and another kernel's log each end in one clear line and status 1, never a match.
import fs from "node:fs";
import path from "node:path";
import { createGuestPool, replay, run } from "../../dist/node/index.js";
import { example, guest } from "../helpers/paths.mjs";
import { runCli } from "../helpers/run.mjs";
import { disk, watchCli } from "../block/helpers.mjs";
import { flipped, lastLine, replayCli, scratchDir, truncated } from "./helpers.mjs";

const HELLO = example("hello");
const KV = example("kv");
const MATCHED = /^solo5-wasm: replay matched the recorded run: \d+ calls, and it ended as recorded/;

let dir;
beforeEach(() => (dir = scratchDir()));
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

/** Records hello to `log`: its result. */
const recordHello = (log) => runCli(["run", `--record=${log}`, HELLO, "Hello_Solo5"]);

test("hello: recorded, then replayed to the same console and ending", async () => {
  const log = path.join(dir, "hello.log");
  const recorded = await recordHello(log);
  expect(recorded.status).toBe(0);
  const replayed = await replayCli(log, HELLO);
  expect(replayed.stdout).toBe(recorded.stdout);
  expect(replayed.stdout).toContain("SUCCESS\n");
  expect(lastLine(replayed.stderr)).toMatch(MATCHED);
  expect(replayed.status).toBe(0);
});

test("the library: run's record option, then replay(kernel, log)", async () => {
  const log = path.join(dir, "hello.log");
  const kernel = fs.readFileSync(HELLO);
  const out = [];
  const decoder = new TextDecoder();
  const result = await run(kernel, { mem: 16, args: ["Hello_Solo5"], record: log, stdout: (b) => out.push(decoder.decode(b)) });
  expect(result.status).toBe(0);
  const replayed = [];
  const lines = [];
  const outcome = await replay(kernel, fs.readFileSync(log), { stdout: (b) => replayed.push(decoder.decode(b)), stderr: (l) => lines.push(l) });
  expect(outcome).toMatchObject({ matched: true, status: 0, result: { reason: "exit", code: 0 } });
  expect(replayed.join("")).toBe(out.join(""));
  expect(lines.at(-1)).toMatch(MATCHED);
});

test("kv over several runs: each replays without its disk, to the same answers", async () => {
  const file = disk(dir, "kv.img", 1 << 20);
  const sessions = ["put a 1; put b hello; get a", "get b; del a; put c 3; list", "stats; get c; get a"];
  const runs = [];
  for (const [i, commands] of sessions.entries()) {
    const log = path.join(dir, `kv-${i}.log`);
    const r = await runCli(["run", "--mem=64", `--record=${log}`, `--block:storage=${file}`, KV, "--solo5:quiet", commands]);
    expect({ status: r.status, stderr: r.stderr }).toEqual({ status: 0, stderr: "" });
    runs.push({ log, stdout: r.stdout });
  }
  expect(runs[2].stdout).toContain("OK get c 3\nMISSING get a\n");
  fs.rmSync(file); // replay needs no device
  for (const { log, stdout } of runs) {
    const replayed = await replayCli(log, KV);
    expect(replayed.stdout).toBe(stdout);
    expect(lastLine(replayed.stderr)).toMatch(MATCHED);
    expect(replayed.status).toBe(0);
  }
});

test("a kernel with one output changed: refused by its hash, and with --any-kernel diverges at that output", async () => {
  const log = path.join(dir, "hello.log");
  await recordHello(log);
  // The same kernel with one letter of its greeting changed (AssemblyScript keeps strings as UTF-16).
  const bytes = fs.readFileSync(HELLO);
  const at = bytes.indexOf(Buffer.from("Hello, World", "utf16le"));
  expect(at).toBeGreaterThan(0);
  bytes.write("Wurld", at + 14, "utf16le");
  const changed = path.join(dir, "hello-changed.wasm");
  fs.writeFileSync(changed, bytes);

  const refused = await replayCli(log, changed);
  expect(refused.stderr).toMatch(/^solo5-wasm: .*hello\.log was recorded with another kernel \(sha256 [0-9a-f]{16}\.\.\.\), not this one \(sha256 [0-9a-f]{16}\.\.\.\): replay it with the kernel it was recorded with, or with --any-kernel to see where they differ\n$/);
  expect(refused.status).toBe(1);

  const diverged = await replayCli(log, changed, ["--any-kernel"]);
  expect(diverged.stdout).toContain("standalone test_hello");
  expect(diverged.stdout).not.toContain("World");
  expect(lastLine(diverged.stderr)).toMatch(/^solo5-wasm: replay diverged at call 2 \(console_write\): recorded 13 bytes [0-9a-f]{4}\.\.\., now 13 bytes [0-9a-f]{4}\.\.\.$/);
  expect(diverged.status).toBe(1);
});

test("another kernel's log is refused in one line", async () => {
  const log = path.join(dir, "hello.log");
  await recordHello(log);
  const r = await replayCli(log, KV);
  expect(r.stderr.split("\n")).toEqual([expect.stringMatching(/hello\.log was recorded with another kernel/), ""]);
  expect(r.stdout).toBe("");
  expect(r.status).toBe(1);
});

test("a flipped byte anywhere is found: one line saying where, status 1, never a match", async () => {
  const file = disk(dir, "kv.img", 1 << 20);
  const log = path.join(dir, "kv.log");
  await runCli(["run", "--mem=64", `--record=${log}`, `--block:storage=${file}`, KV, "--solo5:quiet", "put a 1; get a; list"]);
  const size = fs.statSync(log).size;
  // The magic, version, lengths and checksum, the header, then a spread over the records.
  const spots = [0, 3, 8, 9, 12, 13, 16, 17, 20, 25, 30, ...Array.from({ length: 14 }, (_, i) => 40 + Math.floor(((size - 41) * i) / 13))];
  for (const at of new Set(spots)) {
    const r = await replayCli(flipped(dir, log, at), KV);
    expect({ at, status: r.status }).toEqual({ at, status: 1 });
    expect(r.stderr).not.toMatch(/matched/);
    expect(lastLine(r.stderr)).toMatch(/^solo5-wasm: .*(not a solo5-wasm record log|format version|corrupt at byte \d+|cut short|stops after call \d+|recorded with another kernel)/);
  }
}, 120000);

test("a log cut short anywhere replays as far as it goes and says where it stops", async () => {
  const file = disk(dir, "kv.img", 1 << 20);
  const log = path.join(dir, "kv.log");
  const recorded = await runCli(["run", "--mem=64", `--record=${log}`, `--block:storage=${file}`, KV, "--solo5:quiet", "put a 1; put b 2; get a; list"]);
  const size = fs.statSync(log).size;
  const header = /"tender":"[^"]*"}/.exec(fs.readFileSync(log, "latin1"));
  const headerEnd = header.index + header[0].length;
  for (const length of [0, 5, 12, 20, headerEnd - 1, headerEnd, headerEnd + 3, Math.floor((headerEnd + size) / 2), size - 1]) {
    const r = await replayCli(truncated(dir, log, length), KV);
    expect({ length, status: r.status }).toEqual({ length, status: 1 });
    expect(r.stderr).not.toMatch(/matched/);
    if (length < headerEnd) expect(lastLine(r.stderr)).toMatch(/not a solo5-wasm record log|cut short in its (preamble|header)/);
    else {
      expect(lastLine(r.stderr)).toMatch(/the log stops after call \d+( \(at byte \d+, .*\))?: the recorded run was killed there or its log cut short$/);
      expect(recorded.stdout.startsWith(r.stdout)).toBe(true);
    }
  }
}, 120000);

test("SIGKILL while recording: the log replays every acknowledged put, then says where it stops", async () => {
  const file = disk(dir, "kv.img", 64 << 20);
  const log = path.join(dir, "kv.log");
  let seen = 0;
  const r = await watchCli(KV, { cliOptions: [`--record=${log}`, `--block:storage=${file}`], args: ["--solo5:quiet", "fill k 500000"] }, (line, kill) => {
    if (line.startsWith("OK put ") && ++seen === 3000) kill();
  });
  expect(r.signal).toBe("SIGKILL");
  const replayed = await replayCli(log, KV);
  // Every line the killed run printed is in the replay (each was logged before it was printed).
  expect(replayed.stdout.startsWith(r.stdout)).toBe(true);
  expect(replayed.stdout.split("\n").length).toBeGreaterThanOrEqual(3000);
  expect(lastLine(replayed.stderr)).toMatch(/^solo5-wasm: the log stops after call \d+.*: the recorded run was killed there or its log cut short$/);
  expect(replayed.status).toBe(1);
}, 60000);

describe("replay with --trace, --dumpcore and --until", () => {
  /** A kv run recorded with --trace: its log and its trace lines. */
  async function tracedKv() {
    const file = disk(dir, "kv.img", 1 << 20);
    const log = path.join(dir, "kv.log");
    const r = await runCli(["run", "--mem=64", "--trace", `--record=${log}`, `--block:storage=${file}`, KV, "--solo5:quiet", "put a 1; get a"]);
    expect(r.status).toBe(0);
    return { log, trace: traceLines(r.stderr) };
  }
  /** The trace lines without their durations, which differ run to run. */
  const traceLines = (stderr) => stderr.split("\n").filter((l) => l.startsWith("solo5-wasm: trace: ")).map((l) => l.replace(/ \([\d.]+ us\)$/, ""));

  test("--trace shows the recorded run's calls and results, line for line", async () => {
    const { log, trace } = await tracedKv();
    expect(trace.some((l) => /block_read\(handle=\d+ \(storage\), offset=0, buf=0x[0-9a-f]+, size=\d+\) = OK/.test(l))).toBe(true);
    const r = await replayCli(log, KV, ["--trace"]);
    expect(traceLines(r.stderr)).toEqual(trace);
    expect(r.status).toBe(0);
  });

  test("--until=N stops before call N and --dumpcore writes memory there", async () => {
    const { log, trace } = await tracedKv();
    const cores = path.join(dir, "cores");
    fs.mkdirSync(cores);
    const n = 6;
    const r = await replayCli(log, KV, ["--trace", `--until=${n}`, `--dumpcore=${cores}`]);
    expect(traceLines(r.stderr).slice(0, n - 1)).toEqual(trace.slice(0, n - 1));
    const name = /^solo5-wasm: trace: (\w+)\(/.exec(trace[n - 1])[1];
    expect(r.stderr).toContain(`solo5-wasm: replay stopped before call ${n} (${name}), as --until asked\n`);
    const core = /core dumped to (\S+)/.exec(r.stderr)[1];
    expect(fs.statSync(core).size).toBe(64 << 20);
    expect(fs.readFileSync(`${core}.txt`, "utf8")).toContain(`reason: replay stopped before call ${n}`);
    expect(r.status).toBe(0);
  });

  test("--dumpcore after a replayed trap, and a bad --until is refused", async () => {
    const log = path.join(dir, "trap.log");
    const trap = guest("trap");
    const recorded = await runCli(["run", "--mem=16", `--record=${log}`, trap, "oob"]);
    expect(recorded.status).toBe(255);
    const cores = path.join(dir, "cores");
    fs.mkdirSync(cores);
    const r = await replayCli(log, trap, [`--dumpcore=${cores}`]);
    expect(r.stdout).toBe(recorded.stdout);
    expect(r.stderr).toMatch(/^solo5-wasm: core dumped to \S+\nsolo5-wasm: replay matched the recorded run: \d+ calls, and it ended as recorded \(trap: memory access out of bounds \(status 255\)\)\n$/);
    expect(r.status).toBe(255);
    const bad = await replayCli(log, trap, ["--until=0"]);
    expect(bad.stderr).toMatch(/^solo5-wasm: --until=0: expected the number of a hypercall, 1 or more/);
    expect(bad.status).toBe(1);
  });
});

test("refusals: a log that cannot be created, a missing log, bad replay arguments: one line each, status 1", async () => {
  const cases = [
    [["run", `--record=${dir}/no/such/dir/x.log`, HELLO], /^solo5-wasm: --record=\S+x\.log: cannot create it \(ENOENT: .*\): check that its folder exists and is writable\n$/],
    [["run", "--record", HELLO], /^solo5-wasm: --record: expected --record=FILE \(see solo5-wasm run --help\)\n$/],
    [["replay", `${dir}/missing.log`, HELLO], /^solo5-wasm: cannot read \S+missing\.log: ENOENT.*\n$/],
    [["replay", HELLO], /^solo5-wasm: expected FILE and KERNEL\.wasm \(usage: solo5-wasm replay .*\)\n$/],
    [["replay", "--until=x", "a.log", HELLO], /^solo5-wasm: --until=x: expected the number of a hypercall, 1 or more/],
    [["replay", HELLO, HELLO], /^solo5-wasm: \S+hello\.wasm: not a solo5-wasm record log \(it does not start with "solo5rec"\): make one with solo5-wasm run --record=FILE\n$/],
  ];
  for (const [args, line] of cases) {
    const r = await runCli(args);
    expect({ args, stderr: r.stderr, status: r.status }).toEqual({ args, stderr: expect.stringMatching(line), status: 1 });
  }
});

test("a pool's guests cannot be recorded: start() refuses record in one line", async () => {
  const pool = createGuestPool({ threads: 1 });
  try {
    await expect(pool.start(fs.readFileSync(HELLO), { mem: 16, record: path.join(dir, "x.log") })).rejects.toThrow(
      "record is not available for a pool's guests: record with start() or solo5-wasm run --record=FILE",
    );
    expect(fs.existsSync(path.join(dir, "x.log"))).toBe(false);
  } finally {
    await pool.close();
  }
});
