// The block benchmark: MB/s of sequential and random reads and writes through the
// tender (bench/block/guest does the I/O loop and times it on the monotonic clock)
// against Node's own fs.readSync / fs.writeSync on the same file, with the same
// sizes and the same offsets, in the same run. The file is written in full first, so
// both sides work on the page cache: what differs is the tender's cost per call.
//
//   node bench/block/bench.mjs [--quick]      (needs `npm run build`)
//
// Default export: async ({ quick }) => [{ name, unit, value, baseline, ratio }], for
// bench/run.mjs; value is the tender's figure, baseline Node's.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { compileGuestCached } from "../../dist/build/compile.js";
import { run } from "../../dist/node/index.js";

const HERE = path.dirname(fileURLToPath(import.meta.url));
const FILE_BYTES = 64 << 20;
const SIZES = [512, 4096, 65536];
const MODES = ["seq-read", "seq-write", "rand-read", "rand-write"];

const label = (size) => (size >= 1024 ? `${size / 1024} KiB` : `${size} B`);

/** Durations in ns of `passes` passes of the guest's loop; the first pass warms up and is dropped. */
async function tender(wasm, file, job) {
  let out = "";
  const decoder = new TextDecoder();
  const r = await run(fs.readFileSync(wasm), {
    mem: 16,
    args: ["--solo5:quiet", job.mode, String(job.size), String(job.count), String(job.passes + 1)],
    devices: { storage: { type: "BLOCK_BASIC", path: file } },
    stdout: (b) => (out += decoder.decode(b, { stream: true })),
  });
  if (r.status !== 0) throw new Error(`the bench guest failed (${r.reason} ${r.message ?? r.code}): ${out}`);
  return [...out.matchAll(/^pass (\d+)$/gm)].slice(1).map((m) => Number(m[1]));
}

/** The same loop on Node's fs, the same offsets (xorshift32 from 1, as the guest). */
function node(file, { mode, size, count, passes }) {
  const fd = fs.openSync(file, "r+");
  const buf = Buffer.alloc(size, 0xa5);
  const slots = FILE_BYTES / size;
  const write = mode.endsWith("write");
  const random = mode.startsWith("rand");
  const times = [];
  for (let p = 0; p <= passes; p++) {
    let x = 1;
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < count; i++) {
      let slot = i % slots;
      if (random) {
        x ^= x << 13;
        x ^= x >>> 17;
        x ^= x << 5;
        x >>>= 0;
        slot = x % slots;
      }
      if (write) fs.writeSync(fd, buf, 0, size, slot * size);
      else fs.readSync(fd, buf, 0, size, slot * size);
    }
    times.push(Number(process.hrtime.bigint() - t0));
  }
  fs.closeSync(fd);
  return times.slice(1);
}

/** Calls per pass so that one of Node's passes lasts about `ms`. */
function calibrate(file, mode, size, ms) {
  const probe = 256;
  const [ns] = node(file, { mode, size, count: probe, passes: 1 });
  return Math.max(probe, Math.round(((ms * 1e6) / ns) * probe));
}

export default async function blockBench({ quick = false } = {}) {
  const wasm = path.join(HERE, "build/guest.wasm");
  await compileGuestCached(path.join(HERE, "guest/main.ts"), wasm);
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "solo5-bench-block-"));
  const file = path.join(scratch, "disk.img");
  fs.writeFileSync(file, Buffer.alloc(FILE_BYTES, 0x5a));

  // Many short passes: the fastest of them is what each side costs without the noise.
  const rounds = quick ? 3 : 8;
  const figures = [];
  try {
    for (const mode of MODES) {
      for (const size of SIZES) {
        const job = { mode, size, count: calibrate(file, mode, size, 20), passes: 3 };
        const ours = [];
        const theirs = [];
        // Alternating, so a slow spell of the machine hits both sides.
        for (let r = 0; r < rounds; r++) {
          ours.push(...(await tender(wasm, file, job)));
          theirs.push(...node(file, job));
        }
        const mbs = (ns) => ((job.count * size) / ns) * 1e3;
        // The fastest pass of each side: on a shared machine noise only ever adds time.
        const value = mbs(Math.min(...ours));
        const baseline = mbs(Math.min(...theirs));
        figures.push({ name: `block ${mode.replace("-", " ")} ${label(size)}`, unit: "MB/s", value, baseline, ratio: value / baseline });
      }
    }
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
  return figures;
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  const figures = await blockBench({ quick: process.argv.includes("--quick") });
  const rows = [["name", "tender MB/s", "node fs MB/s", "ratio"], ...figures.map((f) => [f.name, f.value.toFixed(0), f.baseline.toFixed(0), f.ratio.toFixed(2)])];
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  for (const r of rows) console.log(r.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join("  "));
}
