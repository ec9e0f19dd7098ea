// The record benchmark (docs/record.md), each figure beside its baseline measured in
// the same run, rounds alternating so that a slow spell of the machine hits both:
//  - ping -f replies/s through a TAP with ping-serve under `run --record=FILE`
//    against the same without --record (needs root and /dev/net/tun, else skipped);
//  - 4 KiB sequential block reads, MB/s, recorded against not (bench/block's guest);
//  - replay speed of the recorded ping-serve run in hypercalls/s, against the rate
//    the recorded run made them at;
//  - log bytes per ping against the bytes of the two frames a ping is, and per 4 KiB
//    block read against the 4096 bytes read.
//
//   node bench/record/bench.mjs [--quick] [--block]      (needs `npm run build`)
//
// --block: the block reads only; each round's pair of figures is printed as it is
// measured, to see the spread.
//
// Default export: async ({ quick }) => [{ name, unit, value, baseline }], for bench/run.mjs.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { compileGuestCached } from "../../dist/build/compile.js";
import { replay, run } from "../../dist/node/index.js";
import { CLI } from "../../tests/helpers/paths.mjs";
import { netnsSupport } from "../../tests/net/netns.mjs";
import { floodResponder } from "../net/ping-flood.mjs";

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, "../..");
const SCRATCH = path.join(os.tmpdir(), "solo5-wasm-bench-record");
/** An ICMP echo request or reply of ping's default 56-byte payload, in an Ethernet frame. */
const PING_FRAME = 98;
const BLOCK = 4096;

const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];

/** ping -f through ping-serve, recorded to `log` if given: replies/s. */
async function flood(serve, count, log) {
  const record = log ? [`--record=${log}`] : [];
  const r = await floodResponder({ responder: [process.execPath, CLI, "run", "--mem=32", ...record, "--net:service0=tap100", serve], count });
  if (r.received < r.transmitted * 0.99) throw new Error(`ping -f lost ${r.transmitted - r.received} of ${r.transmitted}`);
  return r;
}

/** The block guest's sequential 4 KiB reads, recorded to `log` if given: the fastest pass's MB/s. */
async function blockReads(wasm, file, count, log) {
  let out = "";
  const decoder = new TextDecoder();
  const r = await run(fs.readFileSync(wasm), {
    mem: 16,
    args: ["--solo5:quiet", "seq-read", String(BLOCK), String(count), "4"],
    devices: { storage: { type: "BLOCK_BASIC", path: file } },
    record: log,
    stdout: (b) => (out += decoder.decode(b, { stream: true })),
  });
  if (r.status !== 0) throw new Error(`the block guest failed: ${out}`);
  const ns = Math.min(...[...out.matchAll(/^pass (\d+)$/gm)].slice(1).map((m) => Number(m[1])));
  return ((count * BLOCK) / ns) * 1e3;
}

export default async function recordBench({ quick = false, blockOnly = false } = {}) {
  fs.mkdirSync(SCRATCH, { recursive: true });
  const figures = [];
  const rounds = quick ? 2 : 4;
  try {
    const blockWasm = path.join(SCRATCH, "block-guest.wasm");
    await compileGuestCached(path.join(ROOT, "bench/block/guest/main.ts"), blockWasm);
    const file = path.join(SCRATCH, "disk.img");
    fs.writeFileSync(file, Buffer.alloc(64 << 20, 0x5a));
    const count = quick ? 4000 : 16000; // 4 passes of 64 MiB at most
    const blockLog = path.join(SCRATCH, "block.log");
    const plain = [];
    const recorded = [];
    for (let r = 0; r < rounds; r++) {
      plain.push(await blockReads(blockWasm, file, count, undefined));
      recorded.push(await blockReads(blockWasm, file, count, blockLog));
      if (blockOnly) console.error(`round ${r + 1}: ${plain[r].toFixed(0)} MB/s plain, ${recorded[r].toFixed(0)} recorded (${(recorded[r] / plain[r]).toFixed(2)}x)`);
    }
    figures.push({ name: "record: block seq read 4 KiB, --record vs not", unit: "MB/s", value: Math.max(...recorded), baseline: Math.max(...plain) });
    // 4 passes of `count` reads (the first a warm-up), all recorded.
    figures.push({ name: "record: log bytes per 4 KiB block read vs bytes read", unit: "B", value: fs.statSync(blockLog).size / (count * 4), baseline: BLOCK });

    if (blockOnly) return figures;
    const support = netnsSupport();
    if (!support.ok) {
      console.error(`bench: record: ping -f skipped: ${support.reason}`);
      return figures;
    }
    const serve = path.join(SCRATCH, "ping-serve.wasm");
    await compileGuestCached(path.join(ROOT, "examples/ping-serve/main.ts"), serve);
    const pings = quick ? 20000 : 100000;
    const pingLog = path.join(SCRATCH, "ping.log");
    const rates = { plain: [], recorded: [] };
    let last;
    for (let r = 0; r < rounds; r++) {
      rates.plain.push((await flood(serve, pings)).repliesPerSecond);
      last = await flood(serve, pings, pingLog);
      rates.recorded.push(last.repliesPerSecond);
    }
    figures.push({ name: "record: ping -f through TAP, --record vs not", unit: "replies/s", value: median(rates.recorded), baseline: median(rates.plain) });
    figures.push({ name: "record: log bytes per ping vs its two frames", unit: "B", value: fs.statSync(pingLog).size / last.received, baseline: 2 * PING_FRAME });

    // Replay of the last recorded flood, its output thrown away.
    const log = fs.readFileSync(pingLog);
    const kernel = fs.readFileSync(serve);
    const t0 = performance.now();
    const outcome = await replay(kernel, log, { stdout: () => {}, stderr: () => {} });
    const seconds = (performance.now() - t0) / 1000;
    if (!outcome.matched) throw new Error(`the ping-serve replay did not match: ${outcome.message}`);
    figures.push({ name: "record: replay of ping-serve vs its recorded run", unit: "calls/s", value: outcome.calls / seconds, baseline: outcome.calls / (last.timeMs / 1000) });
  } finally {
    fs.rmSync(SCRATCH, { recursive: true, force: true });
  }
  return figures;
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  for (const f of await recordBench({ quick: process.argv.includes("--quick"), blockOnly: process.argv.includes("--block") })) {
    console.log(`${f.name}: ${f.value.toFixed(1)} ${f.unit} (baseline ${f.baseline.toFixed(1)}, ratio ${(f.value / f.baseline).toFixed(2)})`);
  }
}
