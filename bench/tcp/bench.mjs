// The TCP benchmark: HTTP servers measured side by side in one run, with the same
// client tools and parameters, each in network namespaces of its own (tests/net/netns.mjs):
//  - http-serve (examples/http-serve, through the CLI) on a TAP, once it exists;
//  - lwIP (lwip-server.c on Debian's liblwip, its unix port's tapif) on a TAP;
//  - Node's http server (node-server.mjs) through a veth pair: the kernel's stack.
// Clients run in the namespace that holds the TAP (or the veth's other end), at
// 10.0.0.1 against the server at 10.0.0.2. Figures, medians of the rounds (targets
// alternating in order round by round, so a slow spell hits each), spread on stderr:
//  - wrk GET / requests/s, p50 and p99 latency, at 1 and at 32 connections, and the
//    server process's CPU time per request at 32;
//  - curl GET /bytes/N in MB/s at MTU 1500 and 9000 (N = 10^9; 10^8 with --quick).
// Each row is http-serve against a baseline, or while it does not exist lwIP against
// Node (the baselines' own comparison).
//
//   node bench/tcp/bench.mjs [--quick]      (needs npm run build, root, wrk, curl, liblwip-dev)
//
// Default export: async ({ quick }) => [{ name, unit, value, baseline }], for bench/run.mjs.
import { once } from "node:events";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { CLI, example } from "../../tests/helpers/paths.mjs";
import { buildC } from "../../tests/net/build-c.mjs";
import { cpuSeconds } from "../../tests/net/net-helpers.mjs";
import { createNetns, missingCommands, netnsSupport } from "../../tests/net/netns.mjs";
import simFigures from "./sim.mjs";

const HERE = path.dirname(fileURLToPath(import.meta.url));
const PAGE = path.join(HERE, "index.html");
const HTTP_SERVE = example("http-serve");
const SERVER = "10.0.0.2";
const CLIENT = "10.0.0.1/24";

const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Runs `argv` in `ns` and resolves with its stdout; rejects if it fails. */
async function output(ns, argv) {
  const child = ns.spawn(argv, { stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  let err = "";
  child.stdout.setEncoding("utf8").on("data", (d) => (out += d));
  child.stderr.setEncoding("utf8").on("data", (d) => (err += d));
  const [status] = await once(child, "close");
  if (status !== 0) throw new Error(`${argv.join(" ")} failed (${status}): ${err.trim() || out.trim()}`);
  return out;
}

/** Resolves once GET / from `ns` is answered with 200, within 20 s. */
async function untilServing(ns, server) {
  for (const end = Date.now() + 20000; ; await sleep(200)) {
    const code = await output(ns, ["curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", "--max-time", "1", `http://${SERVER}/`]).catch(() => "");
    if (code === "200") return;
    if (server.exitCode !== null) throw new Error(`the server exited (${server.exitCode}) before it served`);
    if (Date.now() > end) throw new Error(`nothing answered GET http://${SERVER}/ within 20 s`);
  }
}

/** A server attached to tap0 of a new namespace (the client's, at 10.0.0.1), at `mtu`. */
async function onTap(argv, mtu) {
  const ns = createNetns();
  ns.addTap("tap0", { address: CLIENT, mtu });
  const server = ns.spawn(argv, { stdio: ["ignore", "ignore", "inherit"] });
  await untilServing(ns, server);
  return { client: ns, pid: server.pid, stop: () => ns.destroy() };
}

/** Node's http server in a namespace of its own, reached from the client's through a veth pair at `mtu`. */
async function overVeth(mtu) {
  const client = createNetns();
  const serverNs = createNetns();
  client.addVeth("veth0", serverNs, "veth0", { address: CLIENT, peerAddress: `${SERVER}/24`, mtu });
  const server = serverNs.spawn([process.execPath, path.join(HERE, "node-server.mjs"), SERVER, "80"], { stdio: ["ignore", "ignore", "inherit"] });
  await untilServing(client, server);
  return { client, pid: server.pid, stop: () => Promise.all([client.destroy(), serverNs.destroy()]) };
}

/** The servers, by the name rows give them: `start(mtu)`, or `missing` saying why one is skipped. */
const TARGETS = {
  "http-serve over TAP": {
    missing: () => !fs.existsSync(HTTP_SERVE) && `${path.relative(process.cwd(), HTTP_SERVE)} does not exist yet`,
    start: (mtu) => onTap([process.execPath, CLI, "run", "--net:service0=tap:tap0", "--", HTTP_SERVE, "10.0.0.2/24"], mtu),
  },
  "lwIP over TAP": {
    missing: () => false,
    start: (mtu) => onTap([buildC(path.join(HERE, "lwip-server.c"), ["-I/usr/include/lwip", "-llwip", "-lpthread"]), "tap0", `${SERVER}/24`, String(mtu), PAGE], mtu),
  },
  "Node http over veth": { missing: () => false, start: overVeth },
};

/** µs from a wrk latency such as 85.00us, 1.23ms or 2.00s. */
function micros(text) {
  const [, n, unit] = /^([\d.]+)(us|ms|s)$/.exec(text);
  return Number(n) * { us: 1, ms: 1000, s: 1e6 }[unit];
}

/** wrk GET / from the target's client namespace: { rps, p50, p99 (µs), cpuUs per request of the server }. */
async function wrk(target, connections, seconds) {
  const threads = Math.min(connections, 2);
  const cpu = cpuSeconds(target.pid);
  const out = await output(target.client, ["wrk", `-t${threads}`, `-c${connections}`, `-d${seconds}s`, "--latency", `http://${SERVER}/`]);
  const cpuUsed = cpuSeconds(target.pid) - cpu;
  const requests = Number(/(\d+) requests in/.exec(out)[1]);
  const errors = /Socket errors: (.*)|Non-2xx or 3xx responses: (\d+)/.exec(out);
  if (errors) console.error(`bench: tcp: wrk reported errors: ${errors[0]}`);
  return {
    rps: Number(/Requests\/sec:\s+([\d.]+)/.exec(out)[1]),
    p50: micros(/^\s+50%\s+(\S+)$/m.exec(out)[1]),
    p99: micros(/^\s+99%\s+(\S+)$/m.exec(out)[1]),
    cpuUs: (cpuUsed * 1e6) / requests,
  };
}

/** curl of /bytes/`size` from the target's client namespace, in MB/s (10^6 bytes). */
async function bulk(target, size) {
  const out = await output(target.client, ["curl", "-s", "-o", "/dev/null", "--max-time", "300", "-w", "%{size_download} %{speed_download}", `http://${SERVER}/bytes/${size}`]);
  const [got, speed] = out.trim().split(" ").map(Number);
  if (got !== size) throw new Error(`curl got ${got} of /bytes/${size}`);
  return speed / 1e6;
}

/** What is measured at each MTU: key -> { row name, unit, measure(target) }. */
function measurements(mtu, quick) {
  const seconds = quick ? 1 : 3;
  const size = quick ? 100e6 : 1e9;
  const list = { [`bulk${mtu}`]: { name: `bulk curl GET /bytes/N, MTU ${mtu}`, unit: "MB/s", measure: (t) => bulk(t, size) } };
  if (mtu !== 1500) return list;
  for (const connections of [1, 32]) {
    const at = `${connections} connection${connections > 1 ? "s" : ""}`;
    const run = (t) => wrk(t, connections, seconds);
    list[`wrk${connections}`] = { name: `wrk GET / requests/s, ${at}`, unit: "requests/s", measure: run, field: "rps" };
    list[`p50-${connections}`] = { name: `wrk GET / p50 latency, ${at}`, unit: "us", from: `wrk${connections}`, field: "p50" };
    list[`p99-${connections}`] = { name: `wrk GET / p99 latency, ${at}`, unit: "us", from: `wrk${connections}`, field: "p99" };
    if (connections === 32) list.cpu32 = { name: `server CPU per request, ${at}`, unit: "us CPU", from: "wrk32", field: "cpuUs" };
  }
  return list;
}

/** Every target's figures at `mtu` over `rounds`: { target: { key: [values per round] } }. */
async function measureAt(names, mtu, rounds, quick) {
  const list = measurements(mtu, quick);
  const results = Object.fromEntries(names.map((n) => [n, {}]));
  const running = {};
  try {
    for (const name of names) {
      running[name] = await TARGETS[name].start(mtu);
      // Unmeasured, so that no round pays for compiling hot code (Node's JIT, the tender's).
      await wrk(running[name], 32, 1);
    }
    for (let r = 0; r < rounds; r++) {
      for (const name of r % 2 ? [...names].reverse() : names) {
        for (const [key, m] of Object.entries(list).filter(([, m]) => m.measure)) {
          const got = await m.measure(running[name]);
          const keys = Object.entries(list).filter(([k, other]) => k === key || other.from === key);
          for (const [k, other] of keys) (results[name][k] ??= []).push(other.field ? got[other.field] : got);
        }
      }
    }
  } finally {
    await Promise.all(Object.values(running).map((t) => t.stop()));
  }
  return { list, results };
}

const spread = (xs) => `${Math.round(Math.min(...xs))}-${Math.round(Math.max(...xs))}`;

export default async function tcpBench({ quick = false } = {}) {
  const figures = await simFigures();
  const support = netnsSupport();
  const missingTools = missingCommands({ wrk: "wrk", curl: "curl" });
  if (!support.ok || missingTools) {
    console.error(`bench: tcp: through TAP skipped: ${support.reason || missingTools}`);
    return figures;
  }
  const names = Object.keys(TARGETS).filter((name) => {
    const why = TARGETS[name].missing();
    if (why) console.error(`bench: tcp: ${name} skipped: ${why}`);
    return !why;
  });
  // http-serve against each baseline; without it, the baselines against each other.
  const pairs = names.includes("http-serve over TAP")
    ? [["http-serve over TAP", "lwIP over TAP"], ["http-serve over TAP", "Node http over veth"]]
    : [["lwIP over TAP", "Node http over veth"]];
  const rounds = quick ? 1 : 3;
  for (const mtu of [1500, 9000]) {
    const { list, results } = await measureAt(names, mtu, rounds, quick);
    for (const [key, m] of Object.entries(list)) {
      for (const name of names) console.error(`bench: tcp: ${name}: ${m.name}: median ${median(results[name][key]).toFixed(1)} ${m.unit} (${spread(results[name][key])} over ${rounds} rounds)`);
      for (const [value, baseline] of pairs) {
        figures.push({ name: `tcp: ${m.name}: ${value} (vs ${baseline})`, unit: m.unit, value: median(results[value][key]), baseline: median(results[baseline][key]) });
      }
    }
  }
  return figures;
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  for (const f of await tcpBench({ quick: process.argv.includes("--quick") })) {
    console.log(`${f.name}  ${f.value.toFixed(1)} ${f.unit}  baseline ${f.baseline.toFixed(1)}  ratio ${(f.value / f.baseline).toFixed(2)}`);
  }
}
