// The hypercall fuzzer: tapes of random and edge-case calls (tape.mjs) run by the
// interpreter guest (guest.wat) under each host; every call's result must be the
// one ABI section 4 gives (model.mjs), an invalid access must stop the guest with
// its one line and status 1, and the run must end (a guest sleeping for good is
// stopped from outside). The host's own memory is measured before and after.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { search } from "../lib/property.mjs";
import { guestBytes } from "./guest.mjs";
import { HOSTS } from "./hosts.mjs";
import { expected } from "./model.mjs";
import { MEM_MIB, concrete, encode, tapeArb } from "./tape.mjs";

const KEPT = new URL("./kept.json", import.meta.url).pathname;
/** A tape's longest honest run: its sleeps are at most 200 µs each; the rest is the host's. */
const TAPE_TIMEOUT_MS = 60_000;
/** What the host's heap may grow by over a run: what it keeps per guest must not add up. */
const HEAP_GROWTH_MAX = 16 * 2 ** 20;
const ABORT_LINE = "Solo5: solo5_abort() called\n";

async function runTape(host, kernel, calls, end) {
  const want = expected(calls, end);
  const out = [];
  const err = [];
  let outBytes = 0;
  let guest;
  // A guest that sleeps for good is stopped once its results are out.
  const resultsOut = () => end.kind === "sleep" && !want.stop && outBytes >= want.consoleBytes + want.results.length;
  guest = await host.start(kernel, {
    mem: MEM_MIB,
    args: ["--solo5:quiet"],
    stdout: (b) => {
      out.push(Buffer.from(b));
      outBytes += b.length;
      if (guest && resultsOut()) guest.stop();
    },
    stderr: (line) => err.push(line),
  }, encode(calls, end));
  if (resultsOut()) guest.stop();
  let timer;
  const result = await Promise.race([
    guest.exited,
    new Promise((resolve) => (timer = setTimeout(() => resolve("hung"), TAPE_TIMEOUT_MS))),
  ]);
  clearTimeout(timer);
  if (result === "hung") {
    guest.stop();
    throw new Error(`the guest did not end within ${TAPE_TIMEOUT_MS / 1000} s`);
  }
  const fail = (what) => {
    throw new Error(`${what}\nexpected status ${want.status} (${want.reason}), stop line ${JSON.stringify(want.stop)}; got ${JSON.stringify(result)}, stderr ${JSON.stringify(err)}`);
  };
  if (result.status !== want.status || result.reason !== want.reason) fail("wrong ending");
  if (want.stop) {
    if (err.length !== 1 || err[0] !== want.stop) fail("wrong or missing invalid-access line");
    return want.results.length + 1;
  }
  if (err.length !== 0) fail("unexpected stderr");
  let stdout = Buffer.concat(out);
  if (end.kind === "abort") {
    if (!stdout.toString("latin1").endsWith(ABORT_LINE)) fail("no abort line");
    stdout = stdout.subarray(0, stdout.length - ABORT_LINE.length);
  }
  if (stdout.length !== want.consoleBytes + want.results.length) fail(`console had ${stdout.length} bytes, expected ${want.consoleBytes} + ${want.results.length} results`);
  const got = stdout.subarray(stdout.length - want.results.length);
  const i = want.results.findIndex((r, k) => got[k] !== r);
  if (i >= 0) fail(`call ${i} (${JSON.stringify(calls[i], (_k, v) => (typeof v === "bigint" ? `${v}n` : v))}) gave ${got[i]}, the ABI says ${want.results[i]}`);
  return calls.length;
}

function memory() {
  globalThis.gc?.();
  const { rss, heapUsed } = process.memoryUsage();
  return { rss, heapUsed };
}

/**
 * Runs `runs` tapes of up to `maxCalls` calls under each of `hosts`. Returns
 * { calls, tapes, memory: { before, after } } per host.
 */
export async function fuzzHypercalls({ seed, runs, maxCalls, hosts = Object.keys(HOSTS), keepFailures = false, log = () => {} }) {
  const bytes = guestBytes();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "solo5-wasm-fuzz-"));
  const stats = {};
  try {
    for (const name of hosts) {
      const host = await HOSTS[name](dir);
      try {
        const kernel = await host.load(bytes);
        let calls = 0;
        let tapes = 0;
        const before = memory();
        await search(`hypercalls:${name}`, tapeArb(maxCalls), async (tape) => {
          calls += await runTape(host, kernel, concrete(tape), tape.end);
          tapes++;
        }, { seed, runs, keptFile: KEPT, keepFailures });
        const after = memory();
        stats[name] = { calls, tapes, memory: { before, after } };
        log(`hypercalls:${name}: ${calls} calls in ${tapes} guests; rss ${mib(before.rss)} -> ${mib(after.rss)} MiB, heap ${mib(before.heapUsed)} -> ${mib(after.heapUsed)} MiB`);
        // Measured after a collection only (node --expose-gc): otherwise the heap holds garbage.
        if (globalThis.gc && after.heapUsed - before.heapUsed > HEAP_GROWTH_MAX) {
          throw new Error(`hypercalls:${name}: the host's heap grew by ${mib(after.heapUsed - before.heapUsed)} MiB over ${tapes} guests (at most ${mib(HEAP_GROWTH_MAX)} allowed)`);
        }
      } finally {
        await host.close();
      }
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  return stats;
}

const mib = (n) => (n / 2 ** 20).toFixed(1);
