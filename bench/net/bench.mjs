// The network benchmark, every figure beside its baseline measured in the same run,
// rounds alternating so that a slow spell of the machine hits both sides:
//  - ping -f replies/s through a TAP: ping-serve (CLI) against the plain C responder
//    (tap-responder.c) and against the same C waiting as Solo5's spt tender does,
//    with ping and responder pinned to one CPU, then to two (taskset); needs root and
//    /dev/net/tun, skipped with a reason otherwise;
//  - frames/s (32 echoes in flight) and round-trip time (one in flight) between two
//    guests, ping-serve and net-pinger, over hub: (one process, the library API) and
//    over udp: (two CLI processes), against the same exchange between two plain Node
//    processes over loopback UDP (udp-echo.mjs);
//  - CPU used by a guest idle in yield (udp: device: Atomics.wait; TAP: ppoll)
//    against an idle Node process.
//
//   node bench/net/bench.mjs [--quick]      (needs `npm run build`)
//
// Default export: async ({ quick }) => [{ name, unit, value, baseline, ratio }], for
// bench/run.mjs.
import { spawn } from "node:child_process";
import { once } from "node:events";
import os from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { compileGuestCached } from "../../dist/build/compile.js";
import { CLI } from "../../tests/helpers/paths.mjs";
import { buildC } from "../../tests/net/build-c.mjs";
import { cpuSeconds, freeUdpPorts, startGuest } from "../../tests/net/net-helpers.mjs";
import { netnsSupport, withNetns } from "../../tests/net/netns.mjs";

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, "../..");

const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function buildGuests() {
  const dir = path.join(HERE, "build");
  const serve = path.join(dir, "ping-serve.wasm");
  const pinger = path.join(dir, "net-pinger.wasm");
  await compileGuestCached(path.join(ROOT, "examples/ping-serve/main.ts"), serve);
  await compileGuestCached(path.join(ROOT, "tests/guests/net-pinger/main.ts"), pinger);
  return { serve, pinger };
}

/** { repliesPerSecond, rttNs } from net-pinger's last line. */
function pingerFigures(stdout) {
  const m = /net-pinger: \d+ replies in \d+ us, (\d+) replies\/s, rtt avg (\d+) ns/.exec(stdout);
  if (!m) throw new Error(`net-pinger did not finish: ${stdout}`);
  return { repliesPerSecond: Number(m[1]), rttNs: Number(m[2]) };
}

/** ping-serve and net-pinger on hub: (way "library") or udp: (way "cli": two processes). */
async function guestPair(guests, way, count, window) {
  const [a, b] = await freeUdpPorts(2);
  const [serveSpec, pingSpec] =
    way === "library"
      ? ["hub:bench", "hub:bench"]
      : [`udp:local=127.0.0.1:${a},remote=127.0.0.1:${b}`, `udp:local=127.0.0.1:${b},remote=127.0.0.1:${a}`];
  const server = await startGuest(way, guests.serve, { args: ["--solo5:quiet"], devices: { service0: { spec: serveSpec } } });
  try {
    await server.waitFor("Serving ping");
    const pinger = await startGuest(way, guests.pinger, {
      args: ["--solo5:quiet", "10.0.0.3/24", "10.0.0.2", String(count), String(window)],
      devices: { service0: { spec: pingSpec } },
    });
    return pingerFigures((await pinger.exited).stdout);
  } finally {
    await server.stop();
  }
}

/** Starts `argv` (in namespace `ns` if given), resolving once its stdout matches `ready`. */
async function spawnReady(argv, ready, ns) {
  const options = { stdio: ["ignore", "pipe", "inherit"] };
  const child = ns ? ns.spawn(argv, options) : spawn(argv[0], argv.slice(1), options);
  let out = "";
  child.stdout.setEncoding("utf8");
  await new Promise((resolve, reject) => {
    child.on("exit", (code) => reject(new Error(`${argv.join(" ")} exited (${code}) before it was ready: ${out}`)));
    child.stdout.on("data", (d) => {
      out += d;
      if (ready.test(out)) resolve();
    });
  });
  return child;
}

async function stop(child) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill("SIGTERM");
  await once(child, "exit");
}

/** The same exchange between two plain Node processes over loopback UDP. */
async function nodeEcho(count, window) {
  const [port] = await freeUdpPorts(1);
  const echo = path.join(HERE, "udp-echo.mjs");
  const server = await spawnReady([process.execPath, echo, "serve", String(port)], /ready/);
  try {
    const client = spawn(process.execPath, [echo, "ping", String(port), String(count), String(window)], { stdio: ["ignore", "pipe", "inherit"] });
    let out = "";
    client.stdout.on("data", (d) => (out += d));
    const timer = setTimeout(() => client.kill("SIGKILL"), 60000);
    await once(client, "exit");
    clearTimeout(timer);
    return JSON.parse(out);
  } finally {
    await stop(server);
  }
}

/** CPU milliseconds per second that process `argv` (in namespace `ns` if given) uses once it printed `ready`. */
async function idleCpu(argv, ready, seconds, ns) {
  const child = await spawnReady(argv, ready, ns);
  try {
    await sleep(300); // past start-up
    const before = cpuSeconds(child.pid);
    await sleep(seconds * 1000);
    return ((cpuSeconds(child.pid) - before) * 1000) / seconds;
  } finally {
    await stop(child);
  }
}

async function guestPairFigures(guests, quick, rounds) {
  const flood = { count: quick ? 10000 : 50000, window: 32 };
  const single = { count: quick ? 2000 : 10000, window: 1 };
  const runs = { hub: [], udp: [], node: [], hub1: [], udp1: [], node1: [] };
  for (let r = 0; r < rounds; r++) {
    runs.hub.push(await guestPair(guests, "library", flood.count, flood.window));
    runs.udp.push(await guestPair(guests, "cli", flood.count, flood.window));
    runs.node.push(await nodeEcho(flood.count, flood.window));
    runs.hub1.push(await guestPair(guests, "library", single.count, single.window));
    runs.udp1.push(await guestPair(guests, "cli", single.count, single.window));
    runs.node1.push(await nodeEcho(single.count, single.window));
  }
  // Two frames per echo: the request and the reply.
  const fps = (list) => 2 * median(list.map((x) => x.repliesPerSecond));
  const rttUs = (list) => median(list.map((x) => x.rttNs)) / 1000;
  const figure = (name, unit, value, baseline) => ({ name, unit, value, baseline, ratio: value / baseline });
  return [
    figure("hub: frames/s between two guests, 32 echoes in flight (vs Node UDP echo)", "frames/s", fps(runs.hub), fps(runs.node)),
    figure("udp: frames/s between two tenders, 32 echoes in flight (vs Node UDP echo)", "frames/s", fps(runs.udp), fps(runs.node)),
    figure("hub: round trip between two guests (vs Node UDP echo)", "us", rttUs(runs.hub1), rttUs(runs.node1)),
    figure("udp: round trip between two tenders (vs Node UDP echo)", "us", rttUs(runs.udp1), rttUs(runs.node1)),
  ];
}

/**
 * Where ping and the responder run during a flood. Unpinned, the scheduler puts them
 * on one CPU in some runs and on two in others, for the C responder as for the
 * tender, and a wake-up that crosses CPUs costs about four times as much on this VM:
 * single unpinned runs are bimodal on both sides (about 90,000/s or 18,000/s) and
 * their ratio says nothing. Pinned, each placement is steady, so both are measured:
 *  - one CPU: wake-ups are cheap and each side's CPU time per frame decides;
 *  - two CPUs: every frame crosses CPUs, as most unpinned runs do here.
 */
const PLACEMENTS = {
  "one CPU": (cpus) => ({ flood: [String(cpus - 1)], responder: [] }),
  "two CPUs": (cpus) => ({ flood: ["0"], responder: ["taskset", "-c", String(cpus - 1)] }),
};

/** One `ping -f` flood (ping-flood.mjs) of `count` pings against `responder`, placed as `placement` says. */
async function pinnedFlood(responder, count, placement) {
  const cpus = os.cpus().length;
  const where = PLACEMENTS[placement](cpus);
  const flood = spawn(
    "taskset",
    ["-c", ...where.flood, process.execPath, path.join(HERE, "ping-flood.mjs"), `--count=${count}`, "--", ...where.responder, ...responder],
    { stdio: ["ignore", "pipe", "inherit"] },
  );
  let out = "";
  flood.stdout.on("data", (d) => (out += d));
  const [status] = await once(flood, "exit");
  const summary = /^\{.*"repliesPerSecond".*\}$/m.exec(out);
  if (status !== 0 || !summary) throw new Error(`ping-flood with ${responder.join(" ")} failed (status ${status}): ${out}`);
  return JSON.parse(summary[0]).repliesPerSecond;
}

/**
 * The TAP responders ping-serve is measured against (tap-responder.c): the least a C
 * program can do, and the same C waiting as Solo5's spt tender runs test_net (timerfd
 * for yield's deadline, epoll_pwait, one non-blocking read).
 */
const BASELINES = {
  "C TAP responder": [],
  "C responder waiting as Solo5 spt": ["--spt"],
};

async function tapFigures(guests, quick, rounds) {
  const responder = buildC(path.join(HERE, "tap-responder.c"));
  const guest = [process.execPath, CLI, "run", "--mem=32", "--net:service0=tap100", guests.serve, "--solo5:quiet"];
  const placements = os.cpus().length > 1 ? Object.keys(PLACEMENTS) : ["one CPU"];
  const figures = [];
  for (const placement of placements) {
    // Fewer pings across CPUs: they come about five times slower.
    const count = (quick ? 30000 : 100000) / (placement === "one CPU" ? 1 : 2);
    const ours = [];
    const theirs = Object.fromEntries(Object.keys(BASELINES).map((name) => [name, []]));
    for (let r = 0; r < rounds; r++) {
      ours.push(await pinnedFlood(guest, count, placement));
      for (const [name, flags] of Object.entries(BASELINES)) {
        theirs[name].push(await pinnedFlood([responder, ...flags, "tap100"], count, placement));
      }
    }
    const value = median(ours);
    for (const [name, replies] of Object.entries(theirs)) {
      const baseline = median(replies);
      figures.push({
        name: `ping -f through TAP, ping and responder on ${placement}: ping-serve (vs ${name})`,
        unit: "replies/s",
        value,
        baseline,
        ratio: value / baseline,
      });
    }
  }
  return figures;
}

async function idleFigures(guests, tap, seconds) {
  const idleNode = () => idleCpu([process.execPath, "-e", "setInterval(() => {}, 1e9); console.log('ready')"], /ready/, seconds);
  const [a, b] = await freeUdpPorts(2);
  const figures = [];
  const udpGuest = await idleCpu(
    [process.execPath, CLI, "run", "--mem=32", `--net:service0=udp:local=127.0.0.1:${a},remote=127.0.0.1:${b}`, guests.serve],
    /Serving ping/,
    seconds,
  );
  const baseline = await idleNode();
  // ping-serve wakes once a second (its yield's deadline, as Solo5's test_net).
  figures.push({ name: "idle guest in yield, udp: device (vs idle Node process)", unit: "ms CPU/s", value: udpGuest, baseline, ratio: udpGuest / baseline });
  if (tap) {
    const tapGuest = await withNetns((ns) => {
      ns.addTap("tap100", { address: "10.0.0.1/24" });
      return idleCpu([process.execPath, CLI, "run", "--mem=32", "--net:service0=tap100", guests.serve], /Serving ping/, seconds, ns);
    });
    figures.push({ name: "idle guest in yield, TAP device (vs idle Node process)", unit: "ms CPU/s", value: tapGuest, baseline, ratio: tapGuest / baseline });
  }
  return figures;
}

export default async function netBench({ quick = false } = {}) {
  const guests = await buildGuests();
  const rounds = quick ? 1 : 3;
  const tap = netnsSupport();
  if (!tap.ok) console.error(`bench: net: no TAP figures: ${tap.reason}`);
  return [
    // Five rounds for ping -f: a flood's figure moves by a few percent run to run.
    ...(tap.ok ? await tapFigures(guests, quick, quick ? 1 : 5) : []),
    ...(await guestPairFigures(guests, quick, rounds)),
    ...(await idleFigures(guests, tap.ok, quick ? 1 : 3)),
  ];
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  const figures = await netBench({ quick: process.argv.includes("--quick") });
  const num = (x) => (Math.abs(x) >= 100 ? x.toFixed(0) : x.toPrecision(3));
  const ratio = (r) => (Number.isFinite(r) ? r.toFixed(2) : "-"); // an idle Node process may use no measurable CPU
  const rows = [["name", "value", "unit", "baseline", "ratio"], ...figures.map((f) => [f.name, num(f.value), f.unit, num(f.baseline), ratio(f.ratio)])];
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  for (const r of rows) console.log(r.map((c, i) => (i === 0 || i === 2 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join("  "));
}
