// The process faults at the counts (tests/faults/process.test.mjs runs them
// small): stopping a guest that never yields (the aim: within 100 ms), beside
// stopping one that sleeps in yield; 1,000 guests started and stopped through the
// library, this process's descriptors, threads and memory after against before (and
// after as many again against after the first lot, where a leak would still grow); the
// tender SIGKILLed 100 times during kv writes, acknowledged puts lost.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { disk } from "../../tests/block/helpers.mjs";
import { killDuringKv, sleeper, spinner, startStopLoop, stopWithLibrary, stopWithSigterm } from "../../tests/faults/loops.mjs";
import { freeUdpPorts } from "../../tests/net/net-helpers.mjs";

const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];

/** Median stop time of `kernel` over `rounds`, through the library and by SIGTERM. */
async function stopTimes(kernel, dir, rounds) {
  const file = path.join(dir, `k${Math.random().toString(36).slice(2)}.wasm`);
  fs.writeFileSync(file, kernel);
  const lib = [];
  const cli = [];
  for (let i = 0; i < rounds; i++) {
    lib.push((await stopWithLibrary(kernel)).ms);
    cli.push((await stopWithSigterm(file)).ms);
  }
  return { lib: median(lib), cli: median(cli) };
}

export default async function faultsBench({ quick = false } = {}) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "solo5-bench-faults-"));
  try {
    const rounds = quick ? 3 : 11;
    const spin = await stopTimes(spinner(), dir, rounds);
    const sleep = await stopTimes(sleeper(), dir, rounds);
    const guests = quick ? 200 : 1000;
    const ports = await freeUdpPorts(2);
    const { before, after, failures } = await startStopLoop(guests, { dir, ports });
    // As many again: a leak grows with every guest, while malloc's high-water mark (the
    // main arena's brk heap, which glibc does not give back while a chunk near its top
    // lives) stops growing once the process has seen its busiest moment.
    const again = await startStopLoop(guests, { dir, ports, warmup: 0 });
    const failure = [...failures, ...again.failures][0];
    if (failure !== undefined) throw new Error(`the start/stop loop: ${failure}`);
    const kills = quick ? 20 : 100;
    const file = disk(dir, "kv.img", 64 << 20);
    const { runs, items } = await killDuringKv(kills, file);
    const lost = runs.flatMap((r) => r.acked).filter((k) => items.get(k) !== `v${k.slice(k.indexOf("-") + 1)}`).length;
    return [
      { name: "stop a spinning guest, library (vs one in yield)", unit: "ms", value: spin.lib, baseline: sleep.lib },
      { name: "SIGTERM a spinning guest, CLI (vs one in yield)", unit: "ms", value: spin.cli, baseline: sleep.cli },
      { name: `descriptors after ${guests} guests (vs before)`, unit: "fds", value: after.fds, baseline: before.fds },
      { name: `threads after ${guests} guests (vs before)`, unit: "threads", value: after.threads, baseline: before.threads },
      { name: `heap after ${guests} guests (vs before)`, unit: "MB", value: after.heapUsed / 1e6, baseline: before.heapUsed / 1e6 },
      { name: `RSS after ${guests} guests (vs before)`, unit: "MB", value: after.rss / 1e6, baseline: before.rss / 1e6 },
      { name: `heap after ${2 * guests} guests (vs after ${guests})`, unit: "MB", value: again.after.heapUsed / 1e6, baseline: after.heapUsed / 1e6 },
      { name: `RSS after ${2 * guests} guests (vs after ${guests})`, unit: "MB", value: again.after.rss / 1e6, baseline: after.rss / 1e6 },
      { name: `acknowledged kv puts lost in ${kills} SIGKILLs (of ${runs.flatMap((r) => r.acked).length})`, unit: "puts", value: lost, baseline: 0 },
    ];
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  console.log(JSON.stringify(await faultsBench({ quick: process.argv.includes("--quick") }), null, 2));
}
